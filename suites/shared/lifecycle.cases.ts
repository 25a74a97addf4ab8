/**
 * Requirements every AM API version states alike, written once: the body goes through t.lifecycle (the only place
 * that knows each version's method names) and looks its expectations up in per-version tables keyed by t.api.
 * v1 returns plain values and fails with Faults or false; v2 and v3 use the return struct.
 */
import { geniCode, rspec, slivers } from '../../src/checks';
import { v1 } from '../../src/checks/v1';
import type { AmResponse } from '../../src/geni/methods';
import { defineCases } from '../../src/runner/define';
import type { Check } from '../../src/core';
import type { ApiVersion } from '../../src/geni/methods';
import { am1, am2, am3 } from '../../src/runner/am-suites';

/** Where the RSpec sits in a ListResources answer: the plain v1 return, or the struct's value. */
const RSPEC_AT: Record<ApiVersion, string> = { 1: '', 2: 'value', 3: 'value' };

/** A successful call, per version. */
const SUCCEEDED: Record<ApiVersion, Check<AmResponse>> = { 1: v1.succeeded(), 2: geniCode.success(), 3: geniCode.success() };

/** Status of a slice with nothing left here, per version: v1 fails; v2 prefers SEARCHFAILED; v3 may also list no live sliver. */
const NOTHING_LEFT: Record<ApiVersion, Check<AmResponse>> = {
  1: v1.refused(),
  2: geniCode.refusal('SEARCHFAILED'),
  3: slivers.noneLive('value.geni_slivers'),
};

export default defineCases([am1, am2, am3], { tags: ['lifecycle'], spec: ['am1#ListResources', 'am2#ListResources', 'am3#ListResources'] }, [
  {
    id: 'lifecycle.advertisement-geni3',
    requirements: ['v3c.rspec.ad-promise', 'v2.rspec.accept-produce-compliant', 'v3c.rspec.schema-valid'],
    title: 'ListResources in the GENI standard format, in every API version',
    requirement: 'Asked for GENI 3 (or ProtoGENI 2, its earlier name, where only that is advertised), every version returns an advertisement that validates against that ad schema',
    tags: ['listresources', 'rspec'],
    async run(t) {
      t.verify(await t.lifecycle.listResources(t.creds.user()), [SUCCEEDED[t.api], rspec.validAs('advertisement', RSPEC_AT[t.api])]);
    },
  },
  {
    id: 'lifecycle.reserve-status-release',
    requirements: ['v3c.rspec.request-promise', 'v1.createsliver.returns-manifest', 'v3.delete.no-further-operations'],
    title: 'Reserve one node, read its status, release it, read the status again, in every API version',
    requirement: 'Reserving, status and release each succeed, and after the release the aggregate holds nothing for the slice',
    spec: ['am1#CreateSliver', 'am2#CreateSliver', 'am3#Allocate', 'am3#Provision'],
    tags: ['allocate', 'status', 'delete', 'destructive'],
    async run(t) {
      const slice = await t.newSlice();
      for (const res of await t.lifecycle.reserve(slice, await t.requestRSpec())) t.verify(res, [SUCCEEDED[t.api]]);
      t.verify(await t.lifecycle.status(slice), [SUCCEEDED[t.api]]);
      t.verify(await t.lifecycle.release(slice), [SUCCEEDED[t.api]]);
      t.verify(await t.lifecycle.status(slice), [NOTHING_LEFT[t.api]]);
    },
  },
]);

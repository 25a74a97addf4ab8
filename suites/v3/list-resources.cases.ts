import { either, envelope, field, geniCode, rspec } from '../../src/checks';
import { HarnessError } from '../../src/core';
import { defineCases } from '../../src/runner/define';

import type { AmResponse } from '../../src/geni/methods';
import { readResources } from '../../src/rspec';
import { advertisement, manifestXmlOf, rspecVersion } from './sliver-steps';
import { am3, type AmCaseContext } from '../../src/runner/am-suites';

/** The GENI sliver type of a whole bare-metal node; allocating one uses up that node's capacity. */
const EXCLUSIVE_SLIVER_TYPE = 'raw-pc';

/**
 * Precondition: one exclusive node allocated, so at least one advertised node is no longer available. Skips when
 * the aggregate offers no such node or refuses (the Allocate cases judge that).
 */
async function exhaustOneExclusiveNode(t: AmCaseContext): Promise<AmResponse> {
  let request: string;
  try {
    request = await t.requestRSpec({ nodes: 1, sliverType: EXCLUSIVE_SLIVER_TYPE });
  } catch (err) {
    if (err instanceof HarnessError) t.skip(`precondition: no available ${EXCLUSIVE_SLIVER_TYPE} node to allocate (${err.message})`);
    throw err;
  }
  const slice = await t.newSlice();
  const res = await t.am.Allocate(slice.urn, slice.credentials, request, {});
  if (res.envelope?.geniCode !== 0) t.skip(`precondition: Allocate of one ${EXCLUSIVE_SLIVER_TYPE} node was refused (exchange ${res.exchangeId})`);
  return res;
}

/** The component_ids of the nodes an Allocate answer's manifest names (none when it does not read). */
function allocatedComponentIds(res: AmResponse): string[] {
  try {
    return readResources(manifestXmlOf(res), 'manifest').allNodes.flatMap((n) => (n.componentId === undefined ? [] : [n.componentId]));
  } catch {
    return [];
  }
}

/** An option no aggregate defines; the prefix is ours, since geni_ is reserved for the standard. */
const UNKNOWN_OPTION = { geniharness_unknown_option: 'ignore me' };
/** An RSpec version no aggregate advertises. */
const UNADVERTISED_VERSION = { type: 'GENI', version: '99' };

export default defineCases(am3, { tags: ['listresources'], spec: ['am3#ListResources'] }, [
  {
    id: 'am3.listresources.envelope',
    requirements: ['v2.return.struct-everywhere'],
    title: 'ListResources with the user credential and geni_rspec_version',
    requirement: 'The aggregate answers with the return struct and SUCCESS',
    spec: ['am3/common#ReturnStruct'],
    tags: ['smoke', 'envelope'],
    async run(t) {
      t.verify(await t.am.ListResources(t.creds.user(), { geni_rspec_version: rspecVersion(t) }), [envelope.shape(), geniCode.success()]);
    },
  },
  {
    id: 'am3.listresources.value-is-string',
    requirements: ['v3c.rspec.ad-promise', 'v3d.listresources.compressed'],
    title: 'ListResources: the type of value',
    requirement: 'value is the advertisement RSpec in an XML-RPC string',
    spec: ['am3/common#RSpecDatatype'],
    tags: ['rspec'],
    async run(t) {
      t.verify(await t.am.ListResources(t.creds.user(), { geni_rspec_version: rspecVersion(t) }), [field('value').wireType('string')]);
    },
  },
  {
    id: 'am3.listresources.valid-advertisement',
    requirements: ['v3c.rspec.schema-valid', 'v3c.rspec.ad-promise'],
    title: 'ListResources in the advertised GENI 3 format',
    requirement: 'The advertisement validates against the ad schema of the requested version and its root type is advertisement',
    spec: ['am3/common#RSpecDatatype'],
    tags: ['smoke', 'rspec'],
    detects: [{ fault: 'invalid-advertisement', check: 'rspec' }],
    async run(t) {
      t.verify(await t.am.ListResources(t.creds.user(), { geni_rspec_version: rspecVersion(t) }), [geniCode.success(), rspec.validAs('advertisement')]);
    },
  },
  {
    id: 'am3.listresources.every-advertised-version',
    requirements: ['v3c.rspec.ad-promise', 'v2.rspec.geni-type-reserved'],
    title: 'ListResources in each ad RSpec version GetVersion advertises',
    requirement: 'What an aggregate advertises in geni_ad_rspec_versions it produces for ListResources, in that format (a GENI 3 request gets a GENI 3 document)',
    spec: ['am3/common#RSpecDatatype', 'am3#GetVersion'],
    tags: ['rspec'],
    detects: [{ fault: 'advertisement-in-pgv2', check: 'rspec' }],
    async run(t) {
      for (const advertised of t.version.adRSpecVersions) {
        const res = await t.am.ListResources(t.creds.user(), { geni_rspec_version: { type: advertised.type, version: advertised.version } });
        const format = rspecFormatOf(advertised);
        t.verify(res, [geniCode.success(), field('value').kind('string'), ...(format ? [rspec.validAs('advertisement', 'value', { expect: format })] : [])]);
      }
    },
  },
  {
    id: 'am3.listresources.rspec-version-case-insensitive',
    requirements: ['v3c.rspec.version-case-insensitive'],
    title: 'ListResources with geni_rspec_version type and version in another letter case',
    requirement: 'type and version are case-insensitive, so a differently cased advertised version is served',
    spec: ['am3/details#ListResources', 'am3/common#geni_rspec_version'],
    tags: ['options'],
    async run(t) {
      const advertised = rspecVersion(t);
      const recased = { type: advertised.type.toLowerCase() === advertised.type ? advertised.type.toUpperCase() : advertised.type.toLowerCase(), version: advertised.version.toUpperCase() };
      t.verify(await t.am.ListResources(t.creds.user(), { geni_rspec_version: recased }), [geniCode.success(), rspec.validAs('advertisement')]);
    },
  },
  {
    id: 'am3.listresources.missing-rspec-version',
    requirements: ['v3d.listresources.rspec-version-required', 'v3d.listresources.missing-version-badargs'],
    title: 'ListResources without geni_rspec_version',
    requirement: 'geni_rspec_version is required; aggregates are expected to answer BADARGS when it is missing',
    spec: ['am3/details#ListResources', 'am3/common#geni_rspec_version'],
    tags: ['options', 'errors'],
    detects: [{ fault: 'missing-rspec-version-accepted', check: 'geni-code' }, { fault: 'error-as-fault', check: 'error-as-fault' }],
    async run(t) {
      t.verify(await t.am.ListResources(t.creds.user(), {}), [geniCode.refusal('BADARGS')]);
    },
  },
  {
    id: 'am3.listresources.error-in-return-struct',
    requirements: ['v2.return.no-fault-for-application-errors', 'v2.return.output-on-error', 'v2.return.struct-everywhere'],
    title: 'ListResources error: the shape of the answer',
    requirement: 'An application error comes back as the return struct, with a non-zero geni_code and an output string, not as an XML-RPC Fault',
    spec: ['am3/common#ReturnStruct', 'am3/common#Faults'],
    tags: ['envelope', 'errors'],
    detects: [{ fault: 'error-as-fault', check: 'envelope' }, { fault: 'output-missing-on-error', check: 'envelope' }],
    async run(t) {
      t.verify(await t.am.ListResources(t.creds.user(), {}), [envelope.shape()]);
    },
  },
  {
    id: 'am3.listresources.rspec-version-without-type',
    requirements: ['v3c.rspec.version-case-insensitive', 'v3d.listresources.missing-version-badargs'],
    title: 'ListResources with a geni_rspec_version that lacks type',
    requirement: 'geni_rspec_version has both type and version; an incomplete one is refused (BADARGS)',
    spec: ['am3/details#ListResources', 'am3/common#geni_rspec_version'],
    tags: ['options', 'errors'],
    async run(t) {
      t.verify(await t.am.ListResources(t.creds.user(), { geni_rspec_version: { version: rspecVersion(t).version } }), [geniCode.refusal('BADARGS')]);
    },
  },
  {
    id: 'am3.listresources.rspec-version-not-struct',
    requirements: ['v3c.rspec.version-case-insensitive', 'v3d.listresources.missing-version-badargs'],
    title: 'ListResources with geni_rspec_version as a string',
    requirement: 'geni_rspec_version is a struct; any other type is refused (BADARGS)',
    spec: ['am3/details#ListResources', 'am3/common#geni_rspec_version'],
    tags: ['options', 'errors'],
    async run(t) {
      t.verify(await t.am.ListResources(t.creds.user(), { geni_rspec_version: 'GENI 3' }), [geniCode.refusal('BADARGS')]);
    },
  },
  {
    id: 'am3.listresources.unadvertised-rspec-version-refused',
    requirements: ['v2.rspec.unsupported-version-refused'],
    title: 'ListResources with an RSpec version the aggregate does not advertise',
    requirement: 'An unadvertised geni_rspec_version is refused',
    detects: [{ fault: 'unsupported-rspec-version-wrong-code', check: 'geni-code' }],
    spec: ['am3/details#ListResources', 'am3/common#geni_rspec_version'],
    tags: ['options', 'errors'],
    async run(t) {
      t.verify(await t.am.ListResources(t.creds.user(), { geni_rspec_version: UNADVERTISED_VERSION }), [geniCode.refusal('BADVERSION')]);
    },
  },
  {
    id: 'am3.listresources.unadvertised-rspec-version-badversion',
    requirements: ['v3d.listresources.unadvertised-badversion'],
    title: 'ListResources with an RSpec version the aggregate does not advertise: the code',
    requirement: 'Aggregates should answer BADVERSION (4) for an unadvertised geni_rspec_version',
    spec: ['am3/details#ListResources', 'am3/common#ErrorCodes'],
    tags: ['options', 'errors'],
    async run(t) {
      t.verify(await t.am.ListResources(t.creds.user(), { geni_rspec_version: UNADVERTISED_VERSION }), [geniCode.is('BADVERSION')]);
    },
  },
  {
    id: 'am3.listresources.compressed-is-valid',
    requirements: ['v3d.listresources.compressed'],
    title: 'ListResources with geni_compressed true',
    requirement: 'The value is the advertisement zlib-compressed and base64-encoded into a string, and decodes to a valid advertisement',
    spec: ['am3/common#geni_compressed'],
    tags: ['compression', 'options', 'rspec'],
    detects: [{ fault: 'ignores-compressed', check: 'rspec-compression' }],
    async run(t) {
      const res = await t.am.ListResources(t.creds.user(), { geni_rspec_version: rspecVersion(t), geni_compressed: true });
      t.verify(res, [geniCode.success(), rspec.validAs('advertisement', 'value', { compressed: true })]);
    },
  },
  {
    id: 'am3.listresources.compressed-round-trip',
    requirements: ['v3d.listresources.compressed'],
    title: 'ListResources with and without geni_compressed',
    requirement: 'Compression changes only the encoding: the compressed value decodes to the same advertisement',
    spec: ['am3/common#geni_compressed'],
    tags: ['compression', 'options'],
    detects: [{ fault: 'ignores-compressed', check: 'rspec-compression' }],
    async run(t) {
      const plain = await advertisement(t);
      const res = await t.am.ListResources(t.creds.user(), { geni_rspec_version: rspecVersion(t), geni_compressed: true });
      t.verify(res, [geniCode.success(), rspec.compressedEquals(plain)]);
    },
  },
  {
    id: 'am3.listresources.uncompressed-when-false',
    requirements: ['v3d.listresources.compressed'],
    title: 'ListResources with geni_compressed false',
    requirement: 'Without compression requested, the value is the plain XML advertisement',
    spec: ['am3/common#geni_compressed'],
    tags: ['compression', 'options'],
    async run(t) {
      const res = await t.am.ListResources(t.creds.user(), { geni_rspec_version: rspecVersion(t), geni_compressed: false });
      t.verify(res, [geniCode.success(), rspec.plain(), rspec.validAs('advertisement')]);
    },
  },
  {
    id: 'am3.listresources.available-lists-available-nodes',
    requirements: ['v3d.listresources.available'],
    title: 'ListResources with geni_available true',
    requirement: 'With geni_available only resources available now are listed, so every node says available now="true"',
    spec: ['am3/common#geni_available'],
    tags: ['options', 'rspec'],
    async run(t) {
      const res = await t.am.ListResources(t.creds.user(), { geni_rspec_version: rspecVersion(t), geni_available: true });
      t.verify(res, [geniCode.success(), rspec.validAs('advertisement'), rspec.allNodesAvailable()]);
    },
  },
  {
    id: 'am3.listresources.available-omits-allocated-node',
    requirements: ['v3d.listresources.available'],
    title: 'ListResources with geni_available true after an exclusive node was allocated',
    requirement: 'A node whose capacity is used up is not available now, so geni_available leaves it out (or the ad would say now="false")',
    spec: ['am3/common#geni_available'],
    // It takes a free exclusive node (capacity): other cases in flight could hold the one the run's advertisement offers.
    tags: ['options', 'rspec', 'allocate', 'capacity'],
    detects: [{ fault: 'available-ignored', check: 'rspec' }],
    async run(t) {
      await exhaustOneExclusiveNode(t);
      const res = await t.am.ListResources(t.creds.user(), { geni_rspec_version: rspecVersion(t), geni_available: true });
      t.verify(res, [geniCode.success(), rspec.allNodesAvailable()]);
    },
  },
  {
    id: 'am3.listresources.allocated-node-not-available',
    requirements: ['v3c.allocated.exclusive'],
    title: 'ListResources (all resources) after an exclusive node was allocated',
    requirement: 'Allocated resources "are exclusively available to the containing sliver": the full advertisement never says the allocated exclusive node is available now',
    spec: ['am3/common#SliverAllocationStates'],
    // It takes a free exclusive node (capacity): other cases in flight could hold the one the run's advertisement offers.
    tags: ['rspec', 'allocate', 'capacity'],
    detects: [{ fault: 'advertises-allocated-as-available', check: 'rspec' }],
    async run(t) {
      const taken = allocatedComponentIds(await exhaustOneExclusiveNode(t));
      if (taken.length === 0) t.skip('precondition: the Allocate manifest names no component_id to look for in the advertisement');
      const res = await t.am.ListResources(t.creds.user(), { geni_rspec_version: rspecVersion(t) });
      t.verify(res, [geniCode.success(), rspec.nodesNotAvailable(taken)]);
    },
  },
  {
    id: 'am3.listresources.available-is-subset',
    requirements: ['v3d.listresources.available'],
    title: 'ListResources with geni_available true, against the full advertisement',
    requirement: 'The available-only advertisement lists a subset of the nodes of the full one',
    spec: ['am3/common#geni_available'],
    tags: ['options', 'rspec'],
    async run(t) {
      const full = await advertisement(t);
      const res = await t.am.ListResources(t.creds.user(), { geni_rspec_version: rspecVersion(t), geni_available: true });
      t.verify(res, [geniCode.success(), rspec.nodesSubsetOf(full)]);
    },
  },
  {
    id: 'am3.listresources.unknown-option-ignored',
    requirements: ['v2.options.accepted', 'v3c.structs.extra-entries-optional'],
    title: 'ListResources with an option the aggregate does not define',
    requirement: 'Aggregates ignore options they do not understand: the advertisement comes back as without it',
    spec: ['am3/common#Options'],
    tags: ['options'],
    detects: [{ fault: 'unknown-option-rejected', check: 'geni-code' }],
    async run(t) {
      const res = await t.am.ListResources(t.creds.user(), { geni_rspec_version: rspecVersion(t), ...UNKNOWN_OPTION });
      t.verify(res, [geniCode.success(), rspec.validAs('advertisement')]);
    },
  },
  {
    id: 'am3.listresources.slice-urn-option',
    requirements: ['v3.listresources.no-slice-urn'],
    title: 'ListResources with the v2 option geni_slice_urn',
    requirement: 'v3 ListResources never returns a manifest (Describe does): geni_slice_urn is refused, or ignored and the advertisement returned',
    spec: ['am3/details#ListResources', 'am3#Describe'],
    tags: ['options'],
    async run(t) {
      const slice = await t.newSlice();
      const res = await t.am.ListResources(slice.credentials, { geni_rspec_version: rspecVersion(t), geni_slice_urn: slice.urn });
      t.verify(res, [either(
        { outcome: 'refused (gcf answers BADARGS)', checks: [geniCode.refusal()] },
        { outcome: 'ignored: SUCCESS with the advertisement', checks: [geniCode.success(), rspec.validAs('advertisement')] },
      )]);
    },
  },
]);

/** The RSpec formats the harness has schemas for, by the (type, version) an aggregate advertises them under. */
function rspecFormatOf(advertised: { type: string; version: string }): 'geni3' | 'pgv2' | undefined {
  const key = `${advertised.type.toLowerCase()} ${advertised.version}`;
  return key === 'geni 3' ? 'geni3' : key === 'protogeni 2' ? 'pgv2' : undefined;
}

/**
 * The whole v3 sliver life cycle on one slice, checking the states after every step:
 * Allocate → Status → Provision → Status → geni_start → Status → Renew → Status → Describe → Delete → Status.
 * Each step's own cases probe its corner cases; this one proves the steps compose.
 */
import { envelope, field, geniCode, manifest, sliverUrnsOf, slivers, time } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { am3, type AmCaseContext } from '../../src/runner/am-suites';

import type { RequirementId } from '../../src/geni/requirements';
import {
  MANIFEST, SLIVERS, SLIVER_LIST, advertisedMachines, afterAction, operationalStatesOf, rfc3339, rspecVersion, secondsFromNow, settledStatus,
  unsupportedIfRefused,
} from './sliver-steps';

/** The shapes of slice the life cycle runs over. */
const SHAPES = [
  { slug: 'one-node', title: 'one node', nodes: 1, links: 0 },
  { slug: 'two-linked-nodes', title: 'two nodes joined by a link', nodes: 2, links: 1 },
];

/** Renew to two days from now: inside the 7-day slice credential and typical provisioned-sliver policy. */
const RENEW_SECONDS = 2 * 86_400;

/** Standard states provisioned slivers may settle in before geni_start; an advertised machine adds its own. */
const SETTLED_BEFORE_START = ['geni_notready', 'geni_ready'];

async function fullLifecycle(t: AmCaseContext, shape: { nodes: number; links: number }): Promise<void> {
  const machines = await advertisedMachines(t);
  const slice = await t.newSlice();
  const request = await t.requestRSpec({ nodes: shape.nodes, links: shape.links });
  const allocate = await t.am.Allocate(slice.urn, slice.credentials, request, {});
  t.verify(allocate, [envelope.shape(), geniCode.success(), slivers.allInState('geni_allocated', SLIVERS), manifest.coversRequest(request, MANIFEST)]);
  const sliverUrns = sliverUrnsOf(allocate, SLIVERS);

  t.verify(await t.am.Status([slice.urn], slice.credentials, {}), [
    geniCode.success(), slivers.urnsEqual(sliverUrns, SLIVERS), slivers.allInState('geni_allocated', SLIVERS),
  ]);

  const provision = await t.am.Provision([slice.urn], slice.credentials, { geni_rspec_version: rspecVersion(t) });
  t.verify(provision, [
    geniCode.success(), slivers.urnsEqual(sliverUrns, SLIVERS), slivers.allInState('geni_provisioned', SLIVERS), manifest.namesSlivers(MANIFEST),
  ]);
  const advertised = operationalStatesOf(machines, provision);
  t.verify(await settledStatus(t, slice, { advertised }), [
    geniCode.success(), slivers.allInState('geni_provisioned', SLIVERS), slivers.operationalIn({ standard: SETTLED_BEFORE_START, advertised }, SLIVERS),
  ]);

  const start = await t.am.PerformOperationalAction([slice.urn], slice.credentials, 'geni_start', {});
  unsupportedIfRefused(t, start, 'geni_start');
  t.verify(start, [geniCode.success()]);
  t.verify(await settledStatus(t, slice, { advertised }), [geniCode.success(), slivers.operationalIn(afterAction('geni_start', advertised, true), SLIVERS)]);

  const renewTo = secondsFromNow(RENEW_SECONDS);
  t.verify(await t.am.Renew([slice.urn], slice.credentials, rfc3339(renewTo), {}), [geniCode.success(), time.expiresWithin(renewTo, 1, SLIVER_LIST)]);
  t.verify(await t.am.Status([slice.urn], slice.credentials, {}), [
    geniCode.success(), time.expiresWithin(renewTo, 1, SLIVERS), slivers.allInState('geni_provisioned', SLIVERS),
  ]);

  t.verify(await t.am.Describe([slice.urn], slice.credentials, { geni_rspec_version: rspecVersion(t) }), [
    geniCode.success(), field('value.geni_urn').equals(slice.urn), slivers.urnsEqual(sliverUrns, SLIVERS), manifest.coversRequest(request, MANIFEST),
  ]);

  t.verify(await t.am.Delete([slice.urn], slice.credentials, {}), [
    geniCode.success(), slivers.urnsEqual(sliverUrns, SLIVER_LIST), slivers.allInState('geni_unallocated', SLIVER_LIST),
  ]);
  t.verify(await t.am.Status([slice.urn], slice.credentials, {}), [slivers.noneLive(SLIVERS)]);
}

export default defineCases(am3,
  {
    tags: ['lifecycle', 'destructive', 'allocate', 'provision', 'poa', 'status', 'renew', 'describe', 'delete'],
    spec: ['am3/common#SliverAllocationStates', 'am3/common#OperationalStates'],
  },
  SHAPES.map((shape) => ({
    id: `am3.lifecycle.${shape.slug}`,
    requirements: ['v3c.states.allocation-states', 'v3c.rspec.request-promise', 'v3.poa.common-actions', 'v3c.operational.states-settle', 'v3c.operational.own-states-advertised'] as RequirementId[],
    title: `Allocate, Provision, start, Renew, Describe and Delete a slice of ${shape.title}`,
    requirement: 'Each step succeeds and leaves the slivers in the state the allocation and operational state machines prescribe (the standard ones, or the one the advertisement declares for their sliver type)',
    spec: ['am3#Allocate', 'am3#Provision', 'am3#PerformOperationalAction', 'am3#Renew', 'am3#Describe', 'am3#Delete', 'am3#Status'],
    detects: [
      { fault: 'status-wrong-state-after-provision', check: 'sliver-allocation-state' as const }, { fault: 'delete-leaves-sliver-listed', check: 'sliver-list' as const },
      { fault: 'manifest-missing-sliver-id', check: 'manifest-sliver-ids' as const }, { fault: 'describe-wrong-slice-urn', check: 'field' as const },
    ],
    timeoutMs: 120_000,
    run: (t: AmCaseContext) => fullLifecycle(t, shape),
  })),
);

/**
 * PerformOperationalAction(urns, credentials, action, options): geni_start → geni_ready, geni_stop → geni_notready,
 * geni_restart → geni_ready. The standard actions are optional (UNSUPPORTED is a proper answer), but an aggregate
 * that offers them follows these semantics, or the states its advertisement declares the action leads to (its own
 * state machine, CommonConcepts); actions are only valid on provisioned slivers.
 */
import { envelope, geniCode, slivers, valueMatches } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { am3 } from '../../src/runner/am-suites';
import {
  SLIVERS, SLIVER_LIST, advertisedMachines, afterAction, allocatedSlice, operationalStatesOf, provisionedSlice, readySlice, settledStatus, statusOf,
  unsupportedIfRefused,
} from './sliver-steps';

export default defineCases(am3, { tags: ['poa', 'destructive'], spec: ['am3#PerformOperationalAction', 'am3/common#OperationalActions'] }, [
  {
    id: 'am3.poa.start-makes-ready',
    requirements: ['v3.poa.common-actions', 'v3c.actions.semantics', 'v3.poa.may-start-transitions'],
    title: 'geni_start on freshly provisioned slivers',
    requirement: 'geni_start (if offered) succeeds with the sliver list, and the slivers become geni_ready',
    spec: ['am3/common#OperationalStates'],
    tags: ['smoke'],
    async run(t) {
      const machines = await advertisedMachines(t);
      const { slice, provision } = await provisionedSlice(t);
      const advertised = operationalStatesOf(machines, provision);
      const res = await t.am.PerformOperationalAction([slice.urn], slice.credentials, 'geni_start', {});
      unsupportedIfRefused(t, res, 'geni_start');
      t.verify(res, [
        envelope.shape(), geniCode.success(), valueMatches('v3/sliver-list'), slivers.allInState('geni_provisioned', SLIVER_LIST),
        slivers.operationalIn(afterAction('geni_start', advertised, false), SLIVER_LIST),
      ]);
      t.verify(await settledStatus(t, slice, { advertised }), [slivers.operationalIn(afterAction('geni_start', advertised, true), SLIVERS)]);
    },
  },
  {
    id: 'am3.poa.stop-makes-notready',
    requirements: ['v3.poa.common-actions', 'v3c.actions.semantics'],
    title: 'geni_stop on started slivers',
    requirement: 'geni_stop (if offered) succeeds and the slivers become geni_notready',
    spec: ['am3/common#OperationalStates'],
    async run(t) {
      const { slice, advertised } = await readySlice(t);
      const res = await t.am.PerformOperationalAction([slice.urn], slice.credentials, 'geni_stop', {});
      unsupportedIfRefused(t, res, 'geni_stop');
      t.verify(res, [envelope.shape(), geniCode.success(), slivers.operationalIn(afterAction('geni_stop', advertised, false), SLIVER_LIST)]);
      t.verify(await settledStatus(t, slice, { advertised }), [slivers.operationalIn(afterAction('geni_stop', advertised, true), SLIVERS)]);
    },
  },
  {
    id: 'am3.poa.restart-returns-to-ready',
    requirements: ['v3.poa.common-actions', 'v3c.actions.semantics'],
    title: 'geni_restart on started slivers',
    requirement: 'geni_restart (if offered) succeeds and the slivers are geni_ready again',
    spec: ['am3/common#OperationalStates'],
    async run(t) {
      const { slice, advertised } = await readySlice(t);
      const res = await t.am.PerformOperationalAction([slice.urn], slice.credentials, 'geni_restart', {});
      unsupportedIfRefused(t, res, 'geni_restart');
      t.verify(res, [envelope.shape(), geniCode.success(), slivers.operationalIn(afterAction('geni_restart', advertised, false), SLIVER_LIST)]);
      t.verify(await settledStatus(t, slice, { advertised }), [slivers.operationalIn(afterAction('geni_restart', advertised, true), SLIVERS)]);
    },
  },
  {
    id: 'am3.poa.rejects-unknown-action',
    requirements: ['v3.poa.unsupported-action', 'v3d.poa.unknown-action-badargs'],
    title: 'PerformOperationalAction with the action "random_action"',
    requirement: 'An action the aggregate does not support is refused (UNSUPPORTED preferred), leaving the slivers as they were',
    spec: ['am3/common#ErrorCodes'],
    tags: ['errors'],
    detects: [{ fault: 'poa-accepts-unknown-action', check: 'geni-code' }],
    async run(t) {
      const machines = await advertisedMachines(t);
      const { slice, provision } = await provisionedSlice(t);
      const before = await settledStatus(t, slice, { advertised: operationalStatesOf(machines, provision) });
      t.verify(await t.am.PerformOperationalAction([slice.urn], slice.credentials, 'random_action', {}), [
        envelope.shape(), geniCode.refusal('UNSUPPORTED'),
      ]);
      t.verify(await statusOf(t, slice), [slivers.operationalUnchangedSince(before, SLIVERS)]);
    },
  },
  {
    id: 'am3.poa.rejects-empty-action',
    requirements: ['v3d.poa.unknown-action-badargs', 'v3.poa.unsupported-action'],
    title: 'PerformOperationalAction with an empty action string',
    requirement: 'An empty action names nothing the aggregate can do: refused (UNSUPPORTED or BADARGS preferred)',
    spec: ['am3/common#ErrorCodes'],
    tags: ['errors'],
    async run(t) {
      const { slice } = await provisionedSlice(t);
      t.verify(await t.am.PerformOperationalAction([slice.urn], slice.credentials, '', {}), [
        envelope.shape(), geniCode.refusal('UNSUPPORTED', 'BADARGS'),
      ]);
    },
  },
  {
    id: 'am3.poa.refused-before-provision',
    requirements: ['v3.poa.only-when-allocated', 'v3.poa.constrain-by-state'],
    title: 'geni_start on slivers that are only allocated',
    requirement: 'Operational actions are only valid on provisioned slivers: refused, and the slivers stay geni_allocated',
    spec: ['am3/common#SliverAllocationStates'],
    tags: ['errors', 'allocate'],
    async run(t) {
      const { slice } = await allocatedSlice(t);
      t.verify(await t.am.PerformOperationalAction([slice.urn], slice.credentials, 'geni_start', {}), [envelope.shape(), geniCode.refusal()]);
      t.verify(await statusOf(t, slice), [slivers.allInState('geni_allocated', SLIVERS)]);
    },
  },
]);

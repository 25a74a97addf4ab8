/**
 * Model-based test of the v3 sliver life cycle (DOMAIN §6 item 5): fast-check generates short command sequences
 * (Allocate, Provision, PerformOperationalAction, Renew, Delete, Status, Describe, Status of deleted slivers) and runs
 * them (fc.asyncModelRun) against one fresh slice while a model keeps what the answers so far imply: the live slivers, their allocation
 * states and expiries, and the deleted ones. After every step the invariants are checked:
 * - a failed transition leaves the state unchanged (a Status after every refusal matches the model);
 * - Status and Describe list what the model holds, and agree with each other;
 * - every expiry is no later than the slice credential's;
 * - Delete answers geni_unallocated, and the deleted slivers are SEARCHFAILED afterwards;
 * - the advertised geni_allocate and geni_single_allocation decide which steps must be refused.
 * Outcomes the spec leaves to the aggregate (policy limits, re-provisioning, action legality) may go either way, but
 * each way is then checked. The first violation ends the sequence, so the shrunk counterexample is the shortest
 * sequence that shows it.
 */
import fc from 'fast-check';
import type { Finding } from '../../../src/core';
import { envelope, geniCode, readGeniDate, sliverListAt, slivers, time } from '../../../src/checks';
import { properties, type ExpectedSliver } from '../../../src/checks/properties';
import type { AmResponse, V3Api } from '../../../src/geni/methods';
import type { GetVersionInfo } from '../../../src/geni/version-info';
import { defineCases } from '../../../src/runner/define';
import type { SliceFixture } from '../../../src/runner/fixtures-types';
import type { Check } from '../../../src/core';
import { SLIVERS, SLIVER_LIST, rfc3339, rspecVersion, secondsFromNow } from '../sliver-steps';
import { judge, readTargetAdvertisement, sharedSliverType, unboundRequest } from './property-steps';
import { am3 } from '../../../src/runner/am-suites';

interface ModelSliver {
  urn: string;
  allocation: 'geni_allocated' | 'geni_provisioned';
  expires?: Date;
}

/** What the answers so far imply about the slice. */
interface Model {
  live: Map<string, ModelSliver>;
  deleted: string[];
  /** Allocations made, for fresh client_ids. */
  allocations: number;
  /** Set once an invariant broke: later commands do not run (the sequence so far is the counterexample). */
  broken: boolean;
}

/** The aggregate side: the calls, the slice, and where findings go. */
interface Real {
  am: V3Api;
  slice: SliceFixture;
  version: GetVersionInfo;
  rspecVersion: { type: string; version: string };
  /** Undefined where the advertisement names no sliver types (requests then name none). */
  sliverType: string | undefined;
  check: <T>(observed: T, checks: Array<Check<T>>) => Finding[];
  findings: Finding[];
}

/** Which outcome the spec demands of a step: it must succeed, it must be refused, or either (then each is checked). */
type Demand = 'success' | 'refusal' | 'either';

const expected = (m: Model): ExpectedSliver[] => [...m.live.values()].map((s) => ({ urn: s.urn, allocation: s.allocation, expires: s.expires }));

/** Records findings; any finding breaks the model so the sequence stops here. */
function record(m: Model, r: Real, found: Finding[]): void {
  if (found.length === 0) return;
  r.findings.push(...found);
  m.broken = true;
}

/**
 * The invariants, checked after every step that changed (or must not have changed) the slice: Status and Describe
 * list exactly what the model holds, agree with each other, and no expiry passes the slice credential. After a
 * refused step this is "a failed transition changes nothing".
 */
async function invariants(m: Model, r: Real): Promise<void> {
  const status = await r.am.Status([r.slice.urn], r.slice.credentials, {});
  if (m.live.size === 0) {
    record(m, r, r.check(status, [slivers.noneLive(SLIVERS)]));
    return;
  }
  record(m, r, r.check(status, [geniCode.success(), properties.matchesModel(expected(m), SLIVERS), time.expiresNoLaterThan(r.slice.expires, SLIVERS)]));
  if (m.broken) return;
  const described = await r.am.Describe([r.slice.urn], r.slice.credentials, { geni_rspec_version: r.rspecVersion });
  record(m, r, r.check(described, [geniCode.success(), properties.agreesWith(status, SLIVERS)]));
}

/** Judges an answer against the demand; returns whether it succeeded (so the caller updates the model). */
async function judged(m: Model, r: Real, res: AmResponse, demand: Demand, onSuccess: Array<Check<AmResponse>>, refusalCode?: 'UNSUPPORTED' | 'OUTOFRANGE' | 'SEARCHFAILED'): Promise<boolean> {
  const ok = res.envelope?.geniCode === 0;
  if (demand === 'refusal' || (!ok && demand === 'either')) {
    record(m, r, r.check(res, [envelope.shape(), refusalCode ? geniCode.refusal(refusalCode) : geniCode.refusal()]));
    if (!m.broken) await invariants(m, r);
    return false;
  }
  record(m, r, r.check(res, [envelope.shape(), geniCode.success(), ...onSuccess]));
  return !m.broken;
}

/** After a step succeeded and the model learned from it. */
async function settled(m: Model, r: Real, ok: boolean): Promise<void> {
  if (ok && !m.broken) await invariants(m, r);
}

/** The named subset of the live slivers (all of them when `mask` is undefined, i.e. the call names the slice). */
function named(m: Model, mask: number | undefined): ModelSliver[] {
  const live = [...m.live.values()];
  if (mask === undefined) return live;
  const bits = 1 + (mask % ((1 << Math.min(live.length, 16)) - 1));
  return live.filter((_, i) => (bits >> i) & 1);
}

/** Under geni_single_allocation an operation must name every sliver of each state it touches. */
function wholeStates(m: Model, subset: ModelSliver[]): boolean {
  const names = new Set(subset.map((s) => s.urn));
  const states = new Set(subset.map((s) => s.allocation));
  return [...m.live.values()].every((s) => !states.has(s.allocation) || names.has(s.urn));
}

/** Reads the sliver structs of an answer into the model (allocation state and expiry). */
function learn(m: Model, res: AmResponse, at: string): void {
  const list = sliverListAt(res, at);
  if (!list.ok) return;
  for (const s of list.slivers) {
    const urn = String(s.geni_sliver_urn);
    const state = s.geni_allocation_status;
    if (state === 'geni_allocated' || state === 'geni_provisioned') m.live.set(urn, { urn, allocation: state, expires: readGeniDate(s.geni_expires) });
  }
}

const urnsOf = (subset: ModelSliver[]) => subset.map((s) => s.urn);

class AllocateCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly nodes: number) {}
  check = (m: Readonly<Model>) => !m.broken;
  async run(m: Model, r: Real) {
    const request = unboundRequest(`s${m.allocations++}`, this.nodes, r.sliverType);
    const res = await r.am.Allocate(r.slice.urn, r.slice.credentials, request, {});
    // geni_single: no second Allocate while the slice has slivers; disjoint and many take this fresh, unlinked request.
    const demand: Demand = r.version.allocate === 'geni_single' && m.live.size > 0 ? 'refusal' : 'success';
    const ok = await judged(m, r, res, demand, [
      slivers.count(this.nodes, SLIVERS), slivers.allInState('geni_allocated', SLIVERS), time.expiresNoLaterThan(r.slice.expires, SLIVERS),
    ], 'UNSUPPORTED');
    if (ok) learn(m, res, SLIVERS);
    await settled(m, r, ok);
  }
  toString = () => `Allocate(${this.nodes} node${this.nodes > 1 ? 's' : ''})`;
}

class ProvisionCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly mask: number | undefined) {}
  check = (m: Readonly<Model>) => !m.broken && m.live.size > 0;
  async run(m: Model, r: Real) {
    const subset = this.mask === undefined ? [...m.live.values()].filter((s) => s.allocation === 'geni_allocated') : named(m, this.mask);
    const urns = this.mask === undefined ? [r.slice.urn] : urnsOf(subset);
    const res = await r.am.Provision(urns, r.slice.credentials, { geni_rspec_version: r.rspecVersion });
    const demand: Demand =
      this.mask !== undefined && r.version.singleAllocation && !wholeStates(m, subset) ? 'refusal'
        : subset.length > 0 && subset.every((s) => s.allocation === 'geni_allocated') ? 'success'
          : 'either'; // re-provisioning, or a slice with nothing left to provision: the spec does not say
    const ok = await judged(m, r, res, demand, [slivers.allInState('geni_provisioned', SLIVERS), time.expiresNoLaterThan(r.slice.expires, SLIVERS)]);
    if (ok) learn(m, res, SLIVERS);
    await settled(m, r, ok);
  }
  toString = () => `Provision(${this.mask === undefined ? 'slice' : `mask ${this.mask}`})`;
}

class ActionCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly action: string) {}
  check = (m: Readonly<Model>) => !m.broken && m.live.size > 0;
  async run(m: Model, r: Real) {
    const res = await r.am.PerformOperationalAction([r.slice.urn], r.slice.credentials, this.action, {});
    // Slivers that are only allocated cannot be operated yet (geni_pending_allocation); which actions are legal in
    // which operational state is the aggregate's to say.
    const demand: Demand = [...m.live.values()].some((s) => s.allocation === 'geni_allocated') ? 'refusal' : 'either';
    // An action changes operational states only: allocation states and expiries stay.
    const ok = await judged(m, r, res, demand, [slivers.allInState('geni_provisioned', SLIVER_LIST), properties.matchesModel(expected(m), SLIVER_LIST)]);
    await settled(m, r, ok);
  }
  toString = () => `PerformOperationalAction(${this.action})`;
}

class RenewCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly minutes: number) {}
  check = (m: Readonly<Model>) => !m.broken && m.live.size > 0;
  async run(m: Model, r: Real) {
    let target = secondsFromNow(this.minutes * 60);
    // A renewal to the expiry the slivers already have (to the second: "now + 10 min" just after a 10-minute
    // Allocate) changes nothing anyone can see, so whether a stale view shows depends on how fast the steps ran;
    // a minute more makes every renewal visible and the counterexample reproducible.
    const current = [...m.live.values()].map((s) => s.expires?.getTime());
    if (current.some((at) => at !== undefined && Math.abs(at - target.getTime()) < 2_000)) target = new Date(target.getTime() + 60_000);
    const res = await r.am.Renew([r.slice.urn], r.slice.credentials, rfc3339(target), {});
    // Beyond the slice credential is never allowed; within it, policy decides.
    const demand: Demand = target.getTime() > r.slice.expires.getTime() ? 'refusal' : 'either';
    const ok = await judged(m, r, res, demand, [time.expiresWithin(target, 1, SLIVER_LIST), time.expiresNoLaterThan(r.slice.expires, SLIVER_LIST)], 'OUTOFRANGE');
    if (ok) for (const s of m.live.values()) s.expires = target;
    await settled(m, r, ok);
  }
  toString = () => `Renew(now + ${this.minutes} min)`;
}

class DeleteCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly mask: number | undefined) {}
  check = (m: Readonly<Model>) => !m.broken && m.live.size > 0;
  async run(m: Model, r: Real) {
    const subset = named(m, this.mask);
    const urns = this.mask === undefined ? [r.slice.urn] : urnsOf(subset);
    const res = await r.am.Delete(urns, r.slice.credentials, {});
    const demand: Demand = this.mask !== undefined && r.version.singleAllocation && !wholeStates(m, subset) ? 'refusal' : 'success';
    const ok = await judged(m, r, res, demand, [slivers.urnsEqual(urnsOf(subset), SLIVER_LIST), slivers.allInState('geni_unallocated', SLIVER_LIST)], 'UNSUPPORTED');
    if (!ok) return;
    for (const s of subset) {
      m.live.delete(s.urn);
      m.deleted.push(s.urn);
    }
    await settled(m, r, ok);
  }
  toString = () => `Delete(${this.mask === undefined ? 'slice' : `mask ${this.mask}`})`;
}

class StatusCommand implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => !m.broken;
  run = (m: Model, r: Real) => invariants(m, r);
  toString = () => 'Status(slice)';
}

class DescribeCommand implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => !m.broken;
  async run(m: Model, r: Real) {
    const described = await r.am.Describe([r.slice.urn], r.slice.credentials, { geni_rspec_version: r.rspecVersion });
    record(m, r, r.check(described, [geniCode.success(), properties.matchesModel(expected(m), SLIVERS), time.expiresNoLaterThan(r.slice.expires, SLIVERS)]));
    if (m.broken || m.live.size === 0) return;
    const status = await r.am.Status([r.slice.urn], r.slice.credentials, {});
    record(m, r, r.check(described, [properties.agreesWith(status, SLIVERS)]));
  }
  toString = () => 'Describe(slice)';
}

class StatusOfDeletedCommand implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => !m.broken && m.deleted.length > 0;
  async run(m: Model, r: Real) {
    const res = await r.am.Status([m.deleted[m.deleted.length - 1]!], r.slice.credentials, {});
    record(m, r, r.check(res, [envelope.shape(), geniCode.refusal('SEARCHFAILED')]));
  }
  toString = () => 'Status(a deleted sliver)';
}

const COMMANDS = [
  fc.integer({ min: 1, max: 2 }).map((n) => new AllocateCommand(n)),
  fc.option(fc.nat(), { nil: undefined }).map((mask) => new ProvisionCommand(mask)),
  fc.constantFrom('geni_start', 'geni_stop', 'geni_restart').map((a) => new ActionCommand(a)),
  // Mostly within an allocation's renew limit, sometimes days ahead (beyond policy or the credential).
  fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 5, max: 110 }) }, { weight: 1, arbitrary: fc.integer({ min: 5, max: 7 * 24 * 60 }) }).map((minutes) => new RenewCommand(minutes)),
  fc.option(fc.nat(), { nil: undefined }).map((mask) => new DeleteCommand(mask)),
  fc.constant(new StatusCommand()),
  fc.constant(new DescribeCommand()),
  fc.constant(new StatusOfDeletedCommand()),
];

export default defineCases(am3, { tags: ['property', 'lifecycle', 'destructive'] }, [
  {
    id: 'am3.property.sliver-state-machine',
    requirements: ['v3c.states.allocation-states', 'v3c.expiry.within-credential', 'v3.describe.value-structure'],
    title: 'Generated sequences of Allocate, Provision, PerformOperationalAction, Renew, Delete, Status and Describe on one slice',
    requirement: 'Sliver allocation states follow the spec after every step: failed transitions change nothing, Status and Describe agree with each other and with the steps so far, expiries stay within the slice credential, deleted slivers are unallocated and then unknown',
    spec: ['am3/common#SliverAllocationStates', 'am3/common#SliverExpiration', 'am3#Describe', 'am3#Status', 'am3#Delete', 'am3/common#geni_allocate'],
    tags: ['allocate', 'provision', 'renew', 'delete', 'status', 'describe', 'poa'],
    detects: [{ fault: 'describe-stale-after-renew', check: 'views-agree' }, { fault: 'delete-leaves-sliver-listed', check: 'model' }, { fault: 'status-wrong-state-after-provision', check: 'model' }, { fault: 'renew-past-credential', check: 'geni-code' }],
    async run(t) {
      const ad = await readTargetAdvertisement(t);
      const sliverType = sharedSliverType(t, ad);
      const check = judge(t, 'am3/common#SliverAllocationStates');
      await t.property({
        arbitrary: fc.record({
          credentialMinutes: fc.integer({ min: 60, max: 3 * 24 * 60 }),
          // Every sequence starts from an allocation, so the steps that need slivers have some.
          first: fc.integer({ min: 1, max: 2 }).map((n) => new AllocateCommand(n)),
          // A plain array rather than fc.commands: its shrinking does not depend on which commands ran, so the seed
          // and path of a replay file lead back to exactly the same sequence.
          commands: fc.array(fc.oneof(...COMMANDS), { maxLength: 7 }),
        }),
        describe: ({ credentialMinutes, first, commands }) => `slice credential for ${credentialMinutes} min; ${[first, ...commands].map(String).join(', ')}`,
        async check({ credentialMinutes, first, commands }, scope) {
          const slice = await scope.newSlice({ expiresInSeconds: credentialMinutes * 60 });
          const real: Real = { am: scope.am, slice, version: t.version, rspecVersion: rspecVersion(t), sliverType, check, findings: [] };
          const model: Model = { live: new Map(), deleted: [], allocations: 0, broken: false };
          await first.run(model, real);
          await fc.asyncModelRun(() => ({ model, real }), commands);
          return real.findings;
        },
      });
    },
  },
]);

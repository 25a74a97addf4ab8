/**
 * Shared steps of the v3 property cases: judging one generated run's answers with checks, reading the target's
 * advertisement once per case, and the small request-model edits the properties make. Not a .cases.ts file, so
 * the registry does not load it as cases.
 */
import type { Finding } from '../../../src/core';
import { describeAnswer } from '../../../src/checks';
import type { AmResponse } from '../../../src/geni/methods';
import type { Check, CheckContext } from '../../../src/core';
import type fc from 'fast-check';
import { requestRSpec, type RequestRSpecConstraints } from '../../../generators';
import { promisedSlots, readManifest, serializeRequest, type Advertisement, type RequestRSpec } from '../../../src/rspec';
import type { AmCaseContext } from '../../../src/runner/am-suites';

/**
 * Runs checks on one answer inside a property and returns their findings. Strict-only findings count only under
 * --strict: otherwise a tolerated alternative would make fast-check shrink towards something that is not a failure.
 */
export function judge(t: AmCaseContext, spec: string): <T>(observed: T, checks: Array<Check<T>>) => Finding[] {
  const ctx: CheckContext = { spec, strict: t.strict, profiles: t.profiles, note: (text) => t.note(text), ...(t.mergedBySliceManager === true && { mergedBySliceManager: true }) };
  return (observed, checks) =>
    checks.flatMap((check) => check(observed, ctx)).filter((f) => t.strict || f.grade !== 'strict-only').map((f) => ({ ...f, spec: f.spec ?? spec }));
}

/**
 * A step the property needs (not the one it tests) must succeed: when it does not, that is a precondition that
 * failed, so the case is skipped with the step's own answer (issue 8: never a failure of the property, whose verdict
 * would then depend on what an earlier case or run left at the aggregate). An input that failed before still stands.
 */
export function requireStep(t: AmCaseContext, res: AmResponse, step: string): void {
  if (res.envelope?.geniCode === 0) return;
  t.skip(`precondition: ${step} answered ${describeAnswer(res)} (exchange ${res.exchangeId}); the property judges what follows it`);
}

/**
 * The target's advertisement (precondition: ListResources succeeds with a readable RSpec): the run's one read while
 * the run holds nothing at the aggregate, as every property case starts (t.advertisement).
 */
export function readTargetAdvertisement(t: AmCaseContext, options: { available?: boolean } = {}): Promise<Advertisement> {
  return t.advertisement(options);
}

/**
 * A sliver type shared (non-exclusive) nodes offer: requests for it use no scarce exclusive node. Undefined where
 * the shared nodes name no sliver type at all (sliver_type is optional in the GENI 3 advertisement schema): requests
 * then name none and the aggregate picks its default.
 */
export function sharedSliverType(t: AmCaseContext, ad: Advertisement): string | undefined {
  const shared = ad.nodes.filter((n) => !n.exclusive && n.available);
  if (shared.length === 0) return t.skip('precondition: the advertisement has no available shared (non-exclusive) node');
  return shared.find((n) => n.sliverTypes.length > 0)?.sliverTypes[0];
}

/** `n` unbound nodes of one sliver type (none when undefined) with client_ids `<prefix>-<i>`: a request any aggregate places itself. */
export function unboundRequest(prefix: string, n: number, sliverType: string | undefined): string {
  return serializeRequest({
    type: 'request',
    nodes: Array.from({ length: n }, (_, i) => ({ clientId: `${prefix}-${i}`, ...(sliverType !== undefined && { sliverType: { name: sliverType } }), interfaces: [] })),
    links: [],
  });
}

/** Slivers the advertisement promises room for: one per available node, more where it states a shared node's count. */
export function promisedRoom(ad: Advertisement, sliverType?: string): number {
  const hosts = sliverType === undefined ? ad.nodes : ad.nodes.filter((n) => n.sliverTypes.includes(sliverType));
  return hosts.reduce((sum, n) => sum + promisedSlots(n), 0);
}

/**
 * Generated requests that ask no more than the advertisement promises, however the aggregate places them
 * (requestRSpec's capacity 'fit'); a skip (precondition) when it promises room for fewer than `nodes.min` nodes.
 */
export function fittingRequests(t: AmCaseContext, ad: Advertisement, constraints: Omit<RequestRSpecConstraints, 'advertisement' | 'capacity'>): fc.Arbitrary<RequestRSpec> {
  const room = promisedRoom(ad);
  const min = constraints.nodes?.min ?? 1;
  if (room < min) t.skip(`precondition: the advertisement promises room for ${room} sliver(s) (one per available node where it states no count), the property needs ${min}`);
  return requestRSpec({ ...constraints, advertisement: ad, capacity: 'fit' });
}

/** client_id → sliver_id of the nodes and links of a manifest ({} when it cannot be read). */
export function sliverIdsByClientId(manifestXml: unknown): Record<string, string> {
  if (typeof manifestXml !== 'string') return {};
  try {
    const m = readManifest(manifestXml);
    return Object.fromEntries([...m.nodes, ...m.links].flatMap((r) => (r.sliverId ? [[r.clientId, r.sliverId]] : [])));
  } catch {
    return {};
  }
}

/** The RSpec model as XML plus its node count, for counterexample descriptions. */
export function describeRequest(m: RequestRSpec): string {
  const nodes = m.nodes.map((n) => `${n.clientId}${n.componentId ? `@${n.componentId.split('+').pop()}` : ''}${n.sliverType ? `:${n.sliverType.name}${n.sliverType.diskImage ? `/${n.sliverType.diskImage.split(/[+/]/).pop()}` : ''}` : ''}`);
  return `${m.nodes.length} node(s) [${nodes.join(', ')}], ${m.links.length} link(s)`;
}

/** What one generated run may use (the scope `t.property` hands to `check`). */
export type PropertyScope = Parameters<Parameters<AmCaseContext['property']>[0]['check']>[1];

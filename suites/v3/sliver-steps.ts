/**
 * Preconditions shared by the v3 sliver cases (Allocate, Provision, Status, Describe, Renew, POA, Delete, Shutdown).
 *
 * A step that is not what the case tests is a precondition: when the aggregate refuses it, the case is skipped
 * with the reason (the case that tests that step reports the failure), rather than failing for the wrong cause.
 * Not a .cases.ts file, so the registry does not load it as cases.
 */

import type { SliceFixture } from '../../src/runner/fixtures-types';
import type { AmResponse, Options } from '../../src/geni/methods';
import { isWaitState, sliverUrnsOf, type AdvertisedOperationalStates, type OperationalExpectation } from '../../src/checks/slivers';
import { valueAt } from '../../src/checks/paths';
import { formatRfc3339 } from '../../src/checks/time';
import { readManifest, readRequest, serializeRequest, type OperationalStateMachine } from '../../src/rspec';
import { makeUrn, parseUrn } from '../../src/geni/urn';
import { GENI_CODES } from '../../src/geni/error-codes';
import type { AmCaseContext } from '../../src/runner/am-suites';

/** Where v3 answers keep their sliver list: inside a struct for Allocate/Provision/Status/Describe... */
export const SLIVERS = 'value.geni_slivers';
/** ...and as the value itself for Renew, Delete and PerformOperationalAction. */
export const SLIVER_LIST = 'value';
export const MANIFEST = 'value.geni_rspec';

/** More nodes than any single aggregate in a test bed offers (the reference AM has 4 + 2×12). */
export const BEYOND_CAPACITY_NODES = 500;

/** A time `seconds` from now, whole seconds (what the harness sends as a date). */
export function secondsFromNow(seconds: number): Date {
  const d = new Date(Date.now() + seconds * 1000);
  d.setMilliseconds(0);
  return d;
}

export function secondsAfter(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}

export const rfc3339 = formatRfc3339;

/** The manifest format to ask for: GENI 3 when advertised (the standard every compliant AM supports), else the first. */
export function rspecVersion(t: AmCaseContext): { type: string; version: string } {
  const advertised = t.version.adRSpecVersions;
  const geni3 = advertised.find((v) => v.type.toLowerCase() === 'geni' && v.version === '3');
  const chosen = geni3 ?? advertised[0] ?? { type: 'GENI', version: '3' };
  return { type: chosen.type, version: chosen.version };
}

function succeeded(res: AmResponse): boolean {
  return res.envelope?.geniCode === 0;
}

function precondition(t: AmCaseContext, res: AmResponse, step: string): void {
  if (!succeeded(res)) {
    const why = res.fault ? `Fault ${res.fault.faultCode}` : `geni_code ${String(res.envelope?.geniCode)}`;
    t.skip(`precondition: ${step} answered ${why} (exchange ${res.exchangeId})`);
  }
}

export interface AllocatedSlice {
  slice: SliceFixture;
  request: string;
  allocate: AmResponse;
  sliverUrns: string[];
}

export interface ProvisionedSlice extends AllocatedSlice {
  provision: AmResponse;
}

export interface AllocateStep {
  nodes?: number;
  links?: number;
  unbound?: boolean;
  /** Allocate into this slice instead of a fresh one. */
  slice?: SliceFixture;
  /** Lifetime of a fresh slice's credential. */
  sliceSeconds?: number;
}

/** A slice with freshly allocated slivers (precondition: Allocate succeeds). */
export async function allocatedSlice(t: AmCaseContext, step: AllocateStep = {}): Promise<AllocatedSlice> {
  const slice = step.slice ?? (await t.newSlice(step.sliceSeconds ? { expiresInSeconds: step.sliceSeconds } : {}));
  const request = await t.requestRSpec({ nodes: step.nodes ?? 1, links: step.links, unbound: step.unbound });
  const allocate = await t.am.Allocate(slice.urn, slice.credentials, request, {});
  precondition(t, allocate, 'Allocate');
  return { slice, request, allocate, sliverUrns: sliverUrnsOf(allocate, SLIVERS) };
}

/** A slice whose slivers are allocated and then provisioned (precondition: both succeed). */
export async function provisionedSlice(t: AmCaseContext, step: AllocateStep & { options?: Options } = {}): Promise<ProvisionedSlice> {
  const allocated = await allocatedSlice(t, step);
  const provision = await t.am.Provision([allocated.slice.urn], allocated.slice.credentials, {
    geni_rspec_version: rspecVersion(t), ...step.options,
  });
  precondition(t, provision, 'Provision');
  return { ...allocated, provision };
}

/**
 * Provisioned, started, and settled where geni_start leads (geni_ready, or the resting state the aggregate's own
 * advertised machine names): preconditions that geni_start succeeds and the slivers leave their wait states in time.
 * A real node boots for minutes; an action on it meanwhile is refused for its state, not for the action.
 */
export async function readySlice(t: AmCaseContext, step: AllocateStep = {}): Promise<ProvisionedSlice & { advertised: AdvertisedOperationalStates }> {
  const machines = await advertisedMachines(t);
  const provisioned = await provisionedSlice(t, step);
  const advertised = operationalStatesOf(machines, provisioned.provision);
  const start = await t.am.PerformOperationalAction([provisioned.slice.urn], provisioned.slice.credentials, 'geni_start', {});
  precondition(t, start, 'PerformOperationalAction geni_start');
  await settledStatus(t, provisioned.slice, { advertised });
  return { ...provisioned, advertised };
}

/**
 * The operational state machines the aggregate's advertisement declares (opstate extension), from the run's
 * advertisement read (call it before the case holds slivers: it costs no call then). None when it declares none or
 * cannot be read: the standard states alone judge the slivers then, as before the extension was read.
 */
export async function advertisedMachines(t: AmCaseContext): Promise<OperationalStateMachine[]> {
  const ad = await t.advertisement({ available: true }).catch(() => undefined);
  return ad?.operationalStates ?? [];
}

/** The machines, with the sliver type of each sliver the manifest of `res` (Provision, Describe) ties to a node. */
export function operationalStatesOf(machines: readonly OperationalStateMachine[], res?: AmResponse): AdvertisedOperationalStates {
  const sliverTypes = new Map<string, string>();
  const xml = res && machines.length > 0 ? manifestXmlOf(res) : '';
  if (xml) {
    try {
      for (const node of readManifest(xml).nodes) if (node.sliverId && node.sliverType) sliverTypes.set(node.sliverId, node.sliverType.name);
    } catch {
      // A manifest the harness cannot read ties no sliver to a type: each is judged by every advertised machine.
    }
  }
  return { machines, sliverTypes };
}

/**
 * Where each standard action leads (CommonConcepts, Sliver Operational Actions): the state the slivers settle in, and
 * the wait state the aggregate may answer with on the way.
 */
const STANDARD_ACTION_OUTCOME: Record<string, { answered: string[]; settled: string[] }> = {
  geni_start: { answered: ['geni_ready', 'geni_configuring'], settled: ['geni_ready'] },
  geni_restart: { answered: ['geni_ready', 'geni_configuring'], settled: ['geni_ready'] },
  geni_stop: { answered: ['geni_notready', 'geni_stopping'], settled: ['geni_notready'] },
};

/**
 * The states `action` may leave the slivers in: the standard ones, or where the aggregate's advertised machine says
 * the action leads for a sliver's type; right after the call (`settled` false) or once they left their wait states.
 */
export function afterAction(action: 'geni_start' | 'geni_restart' | 'geni_stop', advertised: AdvertisedOperationalStates, settled: boolean): OperationalExpectation {
  const outcome = STANDARD_ACTION_OUTCOME[action]!;
  return { standard: settled ? outcome.settled : outcome.answered, advertised, after: { action, settled } };
}

/** Status of the whole slice, asserted only as a precondition. */
export async function statusOf(t: AmCaseContext, slice: SliceFixture, urns: string[] = [slice.urn]): Promise<AmResponse> {
  const res = await t.am.Status(urns, slice.credentials, {});
  precondition(t, res, 'Status');
  return res;
}

/** The request with its second node given the first node's client_id (client_ids must be unique). */
export function withDuplicateClientId(request: string): string {
  const model = readRequest(request);
  const [first, second] = model.nodes;
  if (!first || !second) throw new Error('withDuplicateClientId needs a request with two nodes');
  return serializeRequest({ ...model, nodes: [first, { ...second, clientId: first.clientId }, ...model.nodes.slice(2)] });
}

/** The request cut off mid-document: not well-formed XML. */
export function truncated(request: string): string {
  return request.slice(0, Math.floor(request.length / 2));
}

/** A request RSpec naming no resources at all. */
export const EMPTY_REQUEST =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<rspec type="request" xmlns="http://www.geni.net/resources/rspec/3" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
  'xsi:schemaLocation="http://www.geni.net/resources/rspec/3 http://www.geni.net/resources/rspec/3/request.xsd"/>';

/** The sliver URN with its type rewritten (e.g. to +node+): same name, not a sliver. */
export function retyped(sliverUrn: string, type: string): string {
  return sliverUrn.replace(/\+sliver\+/, `+${type}+`);
}

/**
 * A sliver URN in this aggregate's namespace that names no sliver: the authority of a known sliver (or of the AM's
 * own URN), with the name INVALID.
 */
export function unknownSliverUrn(t: AmCaseContext, knownSliverUrns: string[] = []): string {
  const authority = parseUrn(knownSliverUrns[0] ?? '')?.authority ?? parseUrn(t.version.amUrn ?? '')?.authority ?? 'unknown.example';
  return makeUrn(authority, 'sliver', 'INVALID');
}

/** The aggregate's advertisement, uncompressed (precondition: ListResources succeeds with a string). */
export async function advertisement(t: AmCaseContext): Promise<string> {
  const res = await t.am.ListResources(t.creds.user(), { geni_rspec_version: rspecVersion(t) });
  precondition(t, res, 'ListResources');
  const value = res.envelope?.value;
  if (typeof value !== 'string') t.skip(`precondition: ListResources value is not a string (exchange ${res.exchangeId})`);
  return value;
}

/** The owner URN of the user credential (for geni_users). */
export function userUrn(t: AmCaseContext): string {
  const m = /<owner_urn>\s*([^<\s]+)\s*<\/owner_urn>/.exec(t.creds.userXml());
  if (!m?.[1]) t.skip('precondition: the user credential names no owner_urn');
  return m[1];
}

/** An SSH public key of the right shape; aggregates install keys, they do not verify them against a private key. */
export const HARNESS_SSH_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGVuaS1oYXJuZXNzLXRlc3Qta2V5LW5vdC1mb3ItbG9naW4 geni-harness';

/** The manifest string of an Allocate, Provision or Describe answer ('' when there is none). */
export function manifestXmlOf(res: AmResponse): string {
  const xml = valueAt(res.raw, MANIFEST);
  return typeof xml === 'string' ? xml : '';
}

export interface SettleOptions {
  /** @defaultValue the whole slice */
  urns?: string[];
  /** @defaultValue 20 s */
  timeoutMs?: number;
  /** The aggregate's advertised machines: a state they give a `<wait>` is a wait state too. */
  advertised?: AdvertisedOperationalStates;
}

/**
 * Status of `urns`, polled until no sliver is in a wait state (a standard one, or one the aggregate's advertised
 * machine gives a `<wait>` for the sliver's type), and returned then (the case judges it). Transitions after
 * Provision or an action may take minutes on real testbeds (a VM boots, a PC is imaged), and the spec sets no time for
 * leaving a wait state ("geni_pending_allocation: A wait state. The sliver is still being allocated and
 * provisioned"): slivers still waiting after `timeoutMs` end the case as a skip naming their states, never a failure.
 */
export async function settledStatus(t: AmCaseContext, slice: SliceFixture, opts: SettleOptions = {}): Promise<AmResponse> {
  const urns = opts.urns ?? [slice.urn];
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.am.Status(urns, slice.credentials, {});
    const list = valueAt(res.raw, SLIVERS);
    const waiting = Array.isArray(list) ? list.flatMap((s) => {
      const sliver = s && typeof s === 'object' && !Array.isArray(s) ? (s as Record<string, unknown>) : {};
      const state = sliver.geni_operational_status;
      return typeof state === 'string' && isWaitState(state, opts.advertised, sliver.geni_sliver_urn) ? [state] : [];
    }) : [];
    if (waiting.length === 0) return res;
    if (Date.now() >= deadline) {
      t.skip(`precondition: after ${Math.round(timeoutMs / 1000)} s ${waiting.length} sliver(s) are still in wait state ${[...new Set(waiting)].join(', ')} (Status, exchange ${res.exchangeId}); the spec sets no time for leaving one, so the state they settle in is not judged`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/**
 * The request with every client_id prefixed, so it can be allocated next to an earlier one in the same slice
 * (client_ids name resources within the slice, so a disjoint second request must not reuse them).
 */
export function withClientIdPrefix(request: string, prefix: string): string {
  const model = readRequest(request);
  const renamed = (id: string) => `${prefix}${id}`;
  return serializeRequest({
    ...model,
    nodes: model.nodes.map((n) => ({ ...n, clientId: renamed(n.clientId), interfaces: n.interfaces.map((i) => ({ ...i, clientId: renamed(i.clientId) })) })),
    links: model.links.map((l) => ({ ...l, clientId: renamed(l.clientId), interfaceRefs: l.interfaceRefs.map(renamed) })),
  });
}

/** Optional features (the standard actions are optional): UNSUPPORTED ends the case as unsupported, not failed. */
export function unsupportedIfRefused(t: AmCaseContext, res: AmResponse, feature: string): void {
  if (res.envelope?.geniCode === GENI_CODES.UNSUPPORTED) t.unsupported(`${feature}: the aggregate answered UNSUPPORTED (exchange ${res.exchangeId})`);
}

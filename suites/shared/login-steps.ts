/**
 * Steps shared by the login cases (suites/shared/login.cases.ts, suites/v3/login.cases.ts): reserve nodes with the
 * run's public keys as geni_users (v3 Provision) or users (v1/v2 CreateSliver), start them and wait until they run,
 * read the manifests' login services, and log in. The API version is data here (tables keyed by t.api).
 *
 * A step that is not what the case tests is a precondition: when it does not hold the case is skipped with the
 * reason. Not a .cases.ts file, so the registry does not load it as cases.
 */
import { isSshLogin, type ManifestLogins, type ObservedLogin } from '../../src/checks';
import type { AmResponse } from '../../src/geni/methods';
import { makeUrn, parseUrn } from '../../src/geni/urn';
import { readLoginServices, RSpecParseError, type NodeLoginServices } from '../../src/rspec';
import type { SliceFixture } from '../../src/runner/fixtures-types';
import type { ApiVersion } from '../../src/geni/methods';
import type { AmCaseContext, LoginAttempt, LoginKeyPair, LoginTarget } from '../../src/runner/am-suites';
import { valueAt } from '../../src/checks/paths';
import { advertisedMachines, operationalStatesOf, userUrn } from '../v3/sliver-steps';
import { machinesOfSliver, type AdvertisedOperationalStates } from '../../src/checks/slivers';
import { statesAfterAction } from '../../src/rspec';

/** What the harness runs on a node it logged in to: a no-op and a command with output. */
export const LOGIN_COMMANDS = ['true', 'uname'];

/** The SSH port when a <login> names none. */
const DEFAULT_SSH_PORT = 22;
const POLL_MS = 1_000;

/** Where each version's answers keep the manifest: the reservation's (CreateSliver, Provision) and a later read. */
const RESERVED_MANIFEST: Record<ApiVersion, { at: string; label: string }> = {
  1: { at: '', label: 'the CreateSliver manifest' },
  2: { at: 'value', label: 'the CreateSliver manifest' },
  3: { at: 'value.geni_rspec', label: 'the Provision manifest' },
};
const CURRENT_MANIFEST: Record<ApiVersion, { at: string; label: string }> = {
  1: { at: '', label: 'ListResources of the slice once its nodes run' },
  2: { at: 'value', label: 'ListResources of the slice once its nodes run' },
  3: { at: 'value.geni_rspec', label: 'Describe after geni_start' },
};

/** v1/v2 CreateSliver starts the nodes itself; v3 Provision leaves them geni_notready until geni_start. */
const START: Record<ApiVersion, ((t: AmCaseContext, slice: SliceFixture) => Promise<AmResponse>) | undefined> = {
  1: undefined,
  2: undefined,
  3: (t, slice) => t.am.PerformOperationalAction([slice.urn], slice.credentials, 'geni_start', {}),
};

type Readiness = 'ready' | 'waiting' | 'other';

/**
 * Whether a status answer says every node runs: v1/v2 geni_status "ready"; v3 every sliver geni_ready, or in a resting
 * state its advertised machine says geni_start leads to (an aggregate's own name for running).
 */
const READINESS: Record<ApiVersion, (res: AmResponse, advertised: AdvertisedOperationalStates) => Readiness> = {
  1: (res) => sliceStatus(valueAt(res.raw, 'geni_status')),
  2: (res) => sliceStatus(valueAt(res.raw, 'value.geni_status')),
  3: (res, advertised) => {
    const slivers = valueAt(res.raw, 'value.geni_slivers');
    if (!Array.isArray(slivers) || slivers.length === 0) return 'other';
    const runs = (s: unknown): boolean => {
      const sliver = s && typeof s === 'object' && !Array.isArray(s) ? (s as Record<string, unknown>) : {};
      const state = sliver.geni_operational_status;
      if (state === 'geni_ready') return true;
      return typeof state === 'string' && statesAfterAction(machinesOfSliver(advertised, sliver.geni_sliver_urn), 'geni_start').resting.has(state);
    };
    if (slivers.every(runs)) return 'ready';
    return slivers.some((s) => (s as Record<string, unknown> | null)?.geni_operational_status === 'geni_failed') ? 'other' : 'waiting';
  },
};

function sliceStatus(status: unknown): Readiness {
  if (status === 'ready') return 'ready';
  return status === 'configuring' || status === 'unknown' ? 'waiting' : 'other';
}

function why(res: AmResponse): string {
  if (res.fault) return `Fault ${res.fault.faultCode}`;
  return res.envelope ? `geni_code ${String(res.envelope.geniCode)}` : `the value ${JSON.stringify(res.raw)?.slice(0, 40)}`;
}

function precondition(t: AmCaseContext, res: AmResponse, step: string): void {
  if (t.lifecycle.successValue(res) === undefined) t.skip(`precondition: ${step} answered ${why(res)} (exchange ${res.exchangeId})`);
}

/** The user a geni_users entry names: the harness's own (the owner of its user credential). */
export function loginUser(t: AmCaseContext, keys: LoginKeyPair[]): { urn: string; keys: string[] } {
  return { urn: userUrn(t), keys: keys.map((k) => k.publicKey) };
}

/** Another user at the same authority (for a second slice whose keys must not open the first one's nodes). */
export function otherLoginUser(t: AmCaseContext, keys: LoginKeyPair[]): { urn: string; keys: string[] } {
  const authority = parseUrn(userUrn(t))?.authority ?? 'geni-harness.test';
  return { urn: makeUrn(authority, 'user', 'ghother'), keys: keys.map((k) => k.publicKey) };
}

export interface LoginSlice {
  slice: SliceFixture;
  /** The login services of the reservation's manifest (absent when it returned none). */
  reserved?: ManifestLogins;
  /** The login services of the manifest read once the nodes run. */
  current: ManifestLogins;
  /** The operational state machines the advertisement declares, tied to the reservation's slivers. */
  advertised: AdvertisedOperationalStates;
}

/**
 * A slice whose `nodes` nodes were reserved with `users`, started, and seen running (all preconditions), with the
 * login services of both manifests.
 */
export async function runningLoginSlice(t: AmCaseContext, step: { nodes: number; users: Array<{ urn: string; keys: string[] }> }): Promise<LoginSlice> {
  const machines = await advertisedMachines(t);
  const slice = await t.newSlice();
  const request = await t.requestRSpec({ nodes: step.nodes });
  const responses = await t.lifecycle.reserve(slice, request, step.users);
  for (const res of responses) precondition(t, res, res.method);
  const last = responses[responses.length - 1]!;
  const advertised = operationalStatesOf(machines, last);
  const start = START[t.api];
  if (start) precondition(t, await start(t, slice), 'PerformOperationalAction geni_start');
  await waitUntilRunning(t, slice, advertised);
  const reserved = loginsIn(t, last, RESERVED_MANIFEST[t.api].at, RESERVED_MANIFEST[t.api].label);
  const read = await t.lifecycle.manifest(slice);
  precondition(t, read, 'reading the manifest');
  const current = loginsIn(t, read, CURRENT_MANIFEST[t.api].at, CURRENT_MANIFEST[t.api].label);
  if (!current) t.skip(`precondition: ${CURRENT_MANIFEST[t.api].label} is not a manifest string (exchange ${read.exchangeId})`);
  return { slice, reserved, current, advertised };
}

/** Polls the slice's status until every node runs; a node still not running after the login wait is a precondition that failed. */
async function waitUntilRunning(t: AmCaseContext, slice: SliceFixture, advertised: AdvertisedOperationalStates): Promise<void> {
  const deadline = Date.now() + t.login.waitMs;
  for (;;) {
    const res = await t.lifecycle.status(slice);
    const readiness = READINESS[t.api](res, advertised);
    if (readiness === 'ready') return;
    if (readiness === 'other' || Date.now() + POLL_MS > deadline) {
      t.skip(`precondition: the nodes are not running ${readiness === 'other' ? `(status ${why(res)})` : `after ${t.login.waitMs} ms`} (exchange ${res.exchangeId})`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function loginsIn(t: AmCaseContext, res: AmResponse, at: string, label: string): ManifestLogins | undefined {
  const xml = at === '' ? res.raw : valueAt(res.raw, at);
  if (typeof xml !== 'string' || !xml.trimStart().startsWith('<')) return undefined;
  try {
    return { nodes: readLoginServices(xml), exchangeId: res.exchangeId, label };
  } catch (err) {
    if (err instanceof RSpecParseError) t.skip(`precondition: ${label} does not parse (${err.message}; exchange ${res.exchangeId})`);
    throw err;
  }
}

/**
 * An aggregate that lists no SSH login for any node it provisioned with keys does not offer logins on these
 * resources: geni_users is for "any resource that accepts the provided login keys", to be ignored for others.
 */
export function requireLogins(t: AmCaseContext, slice: LoginSlice): void {
  const all = [...slice.current.nodes, ...(slice.reserved?.nodes ?? [])];
  if (!all.some((n) => n.logins.some(isSshLogin))) {
    t.unsupported(`no SSH login service on any node in ${slice.reserved?.label ?? 'the reservation'} or ${slice.current.label}: the aggregate does not offer logins on these resources (geni_users applies to "any resource that accepts the provided login keys")`);
  }
}

/** The places a node says it takes SSH logins (host and account given; the port defaults to 22). */
export function loginTargets(node: NodeLoginServices): LoginTarget[] {
  return node.logins
    .filter((l) => isSshLogin(l) && l.hostname?.trim() && l.username?.trim())
    .map((l) => ({ host: l.hostname!.trim(), port: l.port === undefined ? DEFAULT_SSH_PORT : Number(l.port), username: l.username!.trim() }))
    .filter((target) => Number.isInteger(target.port) && target.port > 0 && target.port < 65536);
}

/**
 * The nodes that name somewhere to log in, with those places: from the manifest read once they run, else from the
 * reservation's (whether the later manifest still lists them is login.manifest-lists-login's question). None
 * at all is a precondition that failed.
 */
export function nodesWithLogins(t: AmCaseContext, slice: LoginSlice): Array<{ node: NodeLoginServices; targets: LoginTarget[] }> {
  const reserved = new Map((slice.reserved?.nodes ?? []).map((n) => [n.clientId, n]));
  const nodes = slice.current.nodes
    .map((node) => {
      const now = loginTargets(node);
      const earlier = reserved.get(node.clientId);
      return { node, targets: now.length > 0 || !earlier ? now : loginTargets(earlier) };
    })
    .filter((n) => n.targets.length > 0);
  if (nodes.length === 0) t.skip('precondition: no node names a complete SSH login (host and account); login.manifest-lists-login reports that');
  return nodes;
}

/**
 * Logs in to a node with `key`, trying each account its manifest lists (one per user, typically) until one lets
 * the key in; returns that attempt, or every attempt when none did.
 */
export async function logInto(t: AmCaseContext, targets: LoginTarget[], key: LoginKeyPair): Promise<{ in?: LoginAttempt; attempts: LoginAttempt[] }> {
  const attempts: LoginAttempt[] = [];
  for (const target of targets) {
    const attempt = await t.login.attempt(target, key, LOGIN_COMMANDS);
    attempts.push(attempt);
    if (attempt.outcome.kind === 'ran') return { in: attempt, attempts };
  }
  return { attempts };
}

/** A node the harness cannot reach is no verdict on the aggregate: the case is skipped with the reason. */
export function skipIfUnreachable(t: AmCaseContext, attempts: ObservedLogin[]): void {
  const unreachable = attempts.find((a) => a.outcome.kind === 'unreachable');
  if (unreachable && attempts.every((a) => a.outcome.kind === 'unreachable')) {
    const { host, port } = unreachable.target;
    t.skip(`${host} port ${port} is not reachable from this machine (${unreachable.outcome.message ?? 'unreachable'}; exchange ${unreachable.exchangeId}): the login cases need a network path to the nodes' SSH ports, or run with --no-login`);
  }
}

/** The attempt that says most about a failed login: the first one that reached an SSH server, else the first. */
export function mostTelling(attempts: LoginAttempt[]): LoginAttempt {
  return attempts.find((a) => a.outcome.kind === 'auth-refused') ?? attempts[0]!;
}

/** Precondition of the refusal cases: the node lets the given key in, so a refusal means something. */
export async function requireGivenKeyWorks(t: AmCaseContext, targets: LoginTarget[], key: LoginKeyPair, caseThatTestsIt: string): Promise<LoginAttempt> {
  const { in: attempt, attempts } = await logInto(t, targets, key);
  skipIfUnreachable(t, attempts);
  if (!attempt) t.skip(`precondition: the key given in geni_users does not log in (${mostTelling(attempts).outcome.kind}; ${caseThatTestsIt} reports that)`);
  return attempt;
}

/**
 * The dynslice suites (seeds 002 and 003):
 * - `dynslice`: a dynslice server, at the URL `--endpoint dynslice=URL` gives or the aggregate's GetVersion
 *   advertises. Slices and nodes are made through the aggregate's AM API v3; the server calls back the callback
 *   endpoint the harness hosts, one path per case, and every callback lands in the case's transcript.
 * - `dynslice-client`: a client endpoint (`--endpoint dynslice-client=URL`, or the embedded reference one), with
 *   the harness playing the server.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  WALL_CLOCK, startCallbackListener, steppedClock, type CallClock, type CallbackListener, type CallbackScript, type CaseCallbackEndpoint, type InboundCall,
} from '../callback-endpoint';
import type { AmClient } from '../client';
import { DEFAULT_CONFIG } from '../config';
import { HarnessError, clipText } from '../core';
import { mintEndpointIdentity } from '../credentials';
import {
  DEFAULT_TICK_SECONDS, TEST_HOOKS_FIELD, dynsliceEndpointApi, dynsliceServerApi, nodeIdsOf, pgSucceeded,
  type DynsliceEndpointApi, type DynsliceServerApi, type PgResponse,
} from '../dynslice';
import { LIFECYCLES } from '../geni/lifecycle';
import { v3Api, type AmResponse, type V3Api } from '../geni/methods';
import { formatCode } from '../geni/error-codes';
import { parseUrn } from '../geni/urn';
import type { GetVersionInfo } from '../geni/version-info';
import { readManifest } from '../rspec';
import { isStruct, type XmlRpcValue } from '../xmlrpc';
import { CaseFixtures } from './fixtures';
import type { CredentialKit, SliceFixture } from './fixtures-types';
import { runProperty, type PropertySpec } from './property';
import type { Session } from './session';
import { CaseSignal } from './signals';
import type { CommonCaseContext, FuzzBudget, SuiteDefinition } from './types';

/** GetServerDefaults as the cases use it (the answer itself is in the transcript). */
export interface ServerDefaults {
  response: PgResponse;
  maxwaittime?: number;
  policy?: string;
  /** The method that starts a reclaim on demand, when the server advertises one (the reference does). */
  reclaimHook?: string;
  /**
   * The method that moves a stepped reclaim's clock one tick, when the server advertises one (the reference does):
   * then the countdown is judged on the server's own ticks, the same under any load, and takes no waiting.
   */
  stepHook?: string;
}

/** How a reclaim the harness asked for was observed: when it began, on which clock. */
export interface ReclaimObservation {
  /** When the reclaim was asked for, on `clock` (0 on a stepped clock, epoch milliseconds on the wall clock). */
  startedAt: number;
  /** What durations are judged on: the server's stepped clock when it offers one, else arrival times. */
  clock: CallClock;
  stepped: boolean;
}

/** A reclaim observed through the callback endpoint, and what it was measured against. */
export interface CountdownRun extends ReclaimObservation {
  calls: readonly InboundCall[];
  defwaittime: number;
  maxwaittime?: number;
  tickSeconds: number;
}

export interface DynsliceCaseContext extends CommonCaseContext {
  /** The dynslice server at this suite's URL (calls recorded in this case's transcript). */
  readonly server: DynsliceServerApi;
  /** The same API over another client of this server (a property's `scope.client`, which records replay bytes). */
  serverVia(client: AmClient): DynsliceServerApi;
  /** Credentials as the aggregate's AM API v3 carries them (geni_sfa structs); dynslice takes the same. */
  readonly creds: CredentialKit;
  /** The countdown period to expect: the server's advertised tick, else --dynslice-tick, else a minute. */
  tickSeconds(): Promise<number>;
  /** GetServerDefaults, asked in this case (its exchange is part of the proof). */
  defaults(): Promise<ServerDefaults>;
  /** ListSliceResourceValuePolicies' names. */
  policyNames(): Promise<string[]>;
  /** A fresh slice at the aggregate (in the ledger, deleted when the case ends). */
  newSlice(): Promise<SliceFixture>;
  /** Allocates and provisions one node per client_id in `slice`, one Allocate each, in the order given. */
  addNodes(slice: SliceFixture, clientIds: string[]): Promise<void>;
  /** This case's callback endpoint (the URL to register; every call it gets is in the transcript). */
  readonly endpoint: CaseCallbackEndpoint;
  /** SetSliceClientEndpoint with this case's endpoint (removed again when the case ends). */
  register(slice: SliceFixture, options?: { policy?: string; defwaittime?: number }): Promise<PgResponse>;
  /**
   * How the server names the nodes with these client_ids: node_id and component_urn from its SetResourceValues
   * callbacks (the case must have registered), else from the manifest (component_id; node_id only for bare metal,
   * where ProtoGENI's node_id is the component's name). A node the harness cannot name is a precondition (skip).
   */
  nodesOf(slice: SliceFixture, clientIds: string[]): Promise<Map<string, { node_id: string; component_urn?: string }>>;
  /** Waits (up to a few ticks) for a callback that satisfies `done`; false when none came. */
  awaitCallbacks(done: (calls: readonly InboundCall[]) => boolean): Promise<boolean>;
  /**
   * Registers `slice` with `script` answering, asks the server to reclaim `count` node(s) and waits until every
   * node it announced is reported deleted (or the window passes). Without a reclaim hook the case observes for
   * --dynslice-observe seconds, or is unsupported.
   */
  countdown(slice: SliceFixture, options?: { script?: CallbackScript; count?: number; defwaittime?: number; policy?: string }): Promise<CountdownRun>;
  /**
   * Asks the server to reclaim `count` node(s) now (the advertised hook) and observes the callbacks until `done` holds:
   * on a stepped clock one tick at a time (at most `maxTicks`, and not past the end of the countdown), else for at
   * most `windowMs`. Undefined when the server cannot be asked.
   */
  observeReclaim(slice: SliceFixture, options: { count?: number; done?: (calls: readonly InboundCall[]) => boolean; maxTicks: number; windowMs: number }): Promise<ReclaimObservation | undefined>;
  readonly fuzz: FuzzBudget;
  /** A fast-check property (seeded by the case); `scope.client` reaches the dynslice server. */
  property<T>(spec: PropertySpec<T>): Promise<void>;
}

export interface DynsliceClientCaseContext extends CommonCaseContext {
  /** The client endpoint under test; a dropped connection or a non-XML-RPC answer comes back as `failure`. */
  readonly endpoint: DynsliceEndpointApi;
  /**
   * Node entries no other case of this run names (client endpoints remember nodes): node_id, client_id,
   * component_urn, and max_wait_time when given.
   */
  nodes(count: number, maxWaitTime?: number): Array<Record<string, XmlRpcValue>>;
  readonly fuzz: FuzzBudget;
  /** A fast-check property (seeded by the case); `scope.client` reaches the client endpoint. */
  property<T>(spec: PropertySpec<T>): Promise<void>;
}

const DYNSLICE_FIELD = 'geniharness_dynslice';

/** The callback listener of a session: started by the first dynslice case, closed with the session. */
const listeners = new WeakMap<Session, Promise<CallbackListener>>();

function callbackListener(session: Session): Promise<CallbackListener> {
  let pending = listeners.get(session);
  if (!pending) {
    pending = startListener(session);
    listeners.set(session, pending);
    session.onClose(async () => (await pending!.catch(() => undefined))?.close());
  }
  return pending;
}

async function startListener(session: Session): Promise<CallbackListener> {
  const settings = session.spec.dynslice ?? {};
  const host = settings.callbackHost ?? '127.0.0.1';
  const hosts = [host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host];
  const publicHost = settings.callbackUrl ? new URL(settings.callbackUrl).hostname : undefined;
  if (publicHost && !hosts.includes(publicHost)) hosts.push(publicHost.replace(/^\[|\]$/g, ''));
  // Signed by the test authority the server trusts when there is one. Otherwise the user's own certificate (with the
  // chain its file carries): the server already trusts its issuer, since it accepts the user's calls, so a server
  // that checks the endpoint's chain (as the reference does) can still reach it; a self-signed one it never could.
  const authority = session.authority;
  const identity = authority
    ? mintEndpointIdentity(authority, { hosts, service: 'harness-callback' })
    : { certPem: session.user.certPem, keyPem: session.user.keyPem };
  const caPem = [...(authority?.trustedRootsPem ?? []), ...(session.spec.caPaths ?? []).map((p) => readFileSync(p, 'utf8'))];
  return startCallbackListener({
    host, ...(settings.callbackPort !== undefined && { port: settings.callbackPort }), ...(settings.callbackUrl && { publicUrl: settings.callbackUrl }),
    tls: { certPem: identity.certPem, keyPem: identity.keyPem, caPem },
  });
}

/**
 * How long to wait for callbacks that follow a call at once (registration values, a reclaim's first notice): the
 * wait ends as soon as they are there, so the floor only costs time when none comes, and it must hold on a loaded
 * machine (the server and the harness may share two cores with much else).
 */
function callbackWindowMs(tickSeconds: number): number {
  return Math.min(30_000, Math.max(10_000, 2 * tickSeconds * 1000));
}

const stepHookName = (d: ServerDefaults): string => d.stepHook ?? 'step';

/** Whether every node announced pending has been reported deleted. */
function countdownOver(calls: readonly InboundCall[]): boolean {
  const pending = new Set(calls.filter((c) => c.method === 'NotifyDeletePending').flatMap((c) => nodeIdsOf(c.nodelist)));
  const done = new Set(calls.filter((c) => c.method === 'NotifyDeleteComplete').flatMap((c) => nodeIdsOf(c.nodelist)));
  return pending.size > 0 && [...pending].every((id) => done.has(id));
}

export const dynslice: SuiteDefinition<DynsliceCaseContext> = {
  name: 'dynslice',
  title: 'ProtoGENI dynslice server',
  async locate(session) {
    const configured = session.spec.endpoints?.dynslice;
    if (configured) return { url: configured };
    // The reference aggregate advertises its dynslice server in the GetVersion value (outside the geni_ names).
    const version = await session.versionAt(session.spec.url).catch(() => undefined);
    const top = version?.raw;
    const value = top !== undefined && top !== null && isStruct(top) ? top.value : undefined;
    const advertised = value !== undefined && value !== null && isStruct(value) ? value[DYNSLICE_FIELD] : undefined;
    if (advertised !== undefined && advertised !== null && isStruct(advertised) && typeof advertised.url === 'string') return { url: advertised.url };
    return { unavailable: 'no dynslice server: give --endpoint dynslice=URL (the aggregate advertises none in GetVersion)' };
  },
  async open(common, env) {
    const { session } = env;
    const amUrl = await session.urlFor(3);
    if (!amUrl) throw new CaseSignal('skip', 'the dynslice cases make their slices through AM API v3, which the aggregate does not advertise');
    const amClient: AmClient = session.client(amUrl, env.transcript);
    const am: V3Api = v3Api(amClient);
    // The run-wide GetVersion of the aggregate: the RSpec formats its requests and manifests are written in.
    const fixtures = new CaseFixtures(session, env.caseId, amUrl, 3, await session.versionAt(amUrl), false, (env.options.shareFixtures ?? true) ? env.transcript : undefined);
    const lifecycle = LIFECYCLES[3](amClient, { ad: fixtures.adFormat.version, manifest: fixtures.requestFormat.version });
    const creds = fixtures.credentialKit();
    const settings = session.spec.dynslice ?? {};
    const server = dynsliceServerApi(common.client, settings.argumentStyle ?? 'struct');
    const fuzz = env.options.fuzz ?? { runs: DEFAULT_CONFIG.fuzzRuns };
    const listener = await callbackListener(session);
    let endpoint: CaseCallbackEndpoint | undefined;
    const caseEndpoint = (): CaseCallbackEndpoint => (endpoint ??= listener.open({ label: env.caseId, transcript: env.transcript }));
    const registered = new Map<string, SliceFixture>();
    let defaultsAsked: Promise<ServerDefaults> | undefined;

    const defaults = (): Promise<ServerDefaults> => (defaultsAsked ??= (async () => {
      const response = await server.GetServerDefaults();
      const value = response.envelope?.value;
      const struct = value !== undefined && value !== null && isStruct(value) ? value : {};
      const hooks = struct[TEST_HOOKS_FIELD];
      return {
        response,
        ...(typeof struct.maxwaittime === 'number' && { maxwaittime: struct.maxwaittime }),
        ...(typeof struct.policy === 'string' && { policy: struct.policy }),
        ...(hooks !== undefined && isStruct(hooks) && typeof hooks.reclaim === 'string' && { reclaimHook: hooks.reclaim }),
        ...(hooks !== undefined && isStruct(hooks) && typeof hooks.step === 'string' && { stepHook: hooks.step }),
      };
    })());
    const tickSeconds = async (): Promise<number> => {
      const value = (await defaults()).response.envelope?.value;
      const hooks = value !== undefined && value !== null && isStruct(value) ? value[TEST_HOOKS_FIELD] : undefined;
      const advertised = hooks !== undefined && isStruct(hooks) && typeof hooks.tick === 'number' && hooks.tick > 0 ? hooks.tick : undefined;
      return advertised ?? settings.tickSeconds ?? DEFAULT_TICK_SECONDS;
    };
    const awaitCallbacks = async (done: (calls: readonly InboundCall[]) => boolean): Promise<boolean> =>
      caseEndpoint().waitFor(done, callbackWindowMs(await tickSeconds()));

    const hookCall = async (slice: SliceFixture, method: string, args: Record<string, XmlRpcValue>): Promise<PgResponse> => {
      const res = await server.call(method, { slice_urn: slice.urn, credentials: creds.slice(slice), ...args });
      if (!pgSucceeded(res)) throw new HarnessError('fixture', `the server's test hook ${method} failed for ${slice.urn}`, { exchangeIds: [res.exchangeId] });
      return res;
    };

    const observeReclaim: DynsliceCaseContext['observeReclaim'] = async (slice, options) => {
      const { reclaimHook, stepHook } = await defaults();
      if (!reclaimHook) return undefined;
      const done = options.done ?? (() => false);
      const count = options.count ?? 1;
      if (stepHook) {
        // Step k's answer comes once the callbacks of tick k were answered: their arrival times place them on the clock.
        const stepsDone: number[] = [];
        await hookCall(slice, reclaimHook, { count, stepped: true });
        stepsDone.push(Date.now());
        for (let tick = 1; tick <= options.maxTicks && !done(caseEndpoint().calls); tick++) {
          const value = (await hookCall(slice, stepHook, {})).envelope?.value;
          stepsDone.push(Date.now());
          const counting = value !== undefined && value !== null && isStruct(value) ? value.counting : undefined;
          if (Array.isArray(counting) && counting.length === 0) break;
        }
        return { startedAt: 0, clock: steppedClock(stepsDone, (await tickSeconds()) * 1000), stepped: true };
      }
      const startedAt = Date.now();
      await hookCall(slice, reclaimHook, { count });
      await caseEndpoint().waitFor(done, options.windowMs);
      return { startedAt, clock: WALL_CLOCK, stepped: false };
    };

    const context: DynsliceCaseContext = {
      ...common,
      server, creds, fuzz,
      serverVia: (client) => dynsliceServerApi(client, settings.argumentStyle ?? 'struct'),
      get endpoint() {
        return caseEndpoint();
      },
      tickSeconds,
      defaults,
      async policyNames() {
        const res = await server.ListSliceResourceValuePolicies();
        const value = res.envelope?.value;
        return Array.isArray(value) ? value.flatMap((p) => (Array.isArray(p) && typeof p[0] === 'string' ? [p[0]] : [])) : [];
      },
      newSlice: () => fixtures.newSlice(),
      async addNodes(slice, clientIds) {
        const template = await requestTemplate(session, fixtures, lifecycle);
        for (const clientId of clientIds) {
          const res = await am.Allocate(slice.urn, creds.slice(slice), template.replace(/client_id="node-0"/g, `client_id="${clientId}"`), {});
          // The nodes are a precondition of the case (what it judges is the dynslice server): an aggregate that refuses
          // them (a geni_single one refuses a second Allocate on a slice, a full one has no room) makes it a skip.
          if (res.envelope?.geniCode !== 0) throw new CaseSignal('skip', `precondition: Allocate of node ${clientId} in ${slice.urn} answered ${answerOf(res)} (exchange ${res.exchangeId})`);
        }
        const provisioned = await am.Provision([slice.urn], creds.slice(slice), { geni_rspec_version: { ...lifecycle.formats.manifest } });
        if (provisioned.envelope?.geniCode !== 0) throw new CaseSignal('skip', `precondition: Provision of the nodes of ${slice.urn} answered ${answerOf(provisioned)} (exchange ${provisioned.exchangeId})`);
      },
      async register(slice, options = {}) {
        const res = await server.SetSliceClientEndpoint({
          slice_urn: slice.urn, url: caseEndpoint().url, credentials: creds.slice(slice), policy: options.policy, defwaittime: options.defwaittime,
        });
        if (pgSucceeded(res)) registered.set(slice.urn, slice);
        return res;
      },
      async nodesOf(slice, clientIds) {
        const named = new Map<string, { node_id: string; component_urn?: string }>();
        const fromCallbacks = (): void => {
          for (const call of caseEndpoint().calls) {
            for (const entry of call.nodelist ?? []) {
              if (!isStruct(entry) || typeof entry.client_id !== 'string' || typeof entry.node_id !== 'string') continue;
              named.set(entry.client_id, { node_id: entry.node_id, ...(typeof entry.component_urn === 'string' && { component_urn: entry.component_urn }) });
            }
          }
        };
        await awaitCallbacks(() => {
          fromCallbacks();
          return clientIds.every((id) => named.has(id));
        });
        fromCallbacks();
        const missing = clientIds.filter((id) => !named.has(id) || named.get(id)!.component_urn === undefined);
        if (missing.length > 0) {
          const manifest = lifecycle.successValue(await lifecycle.manifest({ urn: slice.urn, credentials: creds.slice(slice) }));
          for (const node of typeof manifest === 'string' ? readManifest(manifest).nodes : []) {
            if (!missing.includes(node.clientId) || !node.componentId) continue;
            const known = named.get(node.clientId);
            const name = parseUrn(node.componentId)?.name;
            if (known) named.set(node.clientId, { ...known, component_urn: node.componentId });
            else if (node.exclusive && name) named.set(node.clientId, { node_id: name, component_urn: node.componentId });
          }
        }
        const unnamed = clientIds.filter((id) => !named.has(id));
        if (unnamed.length > 0) {
          // No call at all usually means the server could not reach the endpoint (its address, or its certificate).
          const heard = caseEndpoint().calls.length === 0 ? ` (the endpoint at ${caseEndpoint().url} received no call at all: a server that cannot reach its address or verify its certificate never calls it; see --callback-url)` : '';
          throw new CaseSignal('skip', `the server never told the endpoint the node_id of ${unnamed.join(', ')}, and the manifest does not name it${heard}`);
        }
        return named;
      },
      awaitCallbacks,
      observeReclaim,
      async countdown(slice, options = {}) {
        const d = await defaults();
        const tick = await tickSeconds();
        // Five or so notices: long enough to see the countdown, short enough for a run.
        const defwaittime = options.defwaittime ?? Math.min(d.maxwaittime ?? Infinity, Math.max(1, Math.ceil(5 * tick)));
        if (options.script) caseEndpoint().script(options.script);
        const reg = await context.register(slice, { defwaittime, ...(options.policy && { policy: options.policy }) });
        if (!pgSucceeded(reg)) throw new HarnessError('fixture', `SetSliceClientEndpoint for ${slice.urn} was refused; no countdown to observe`, { exchangeIds: [reg.exchangeId] });
        const maxTicks = Math.ceil(defwaittime / tick) + 4;
        const observed = await observeReclaim(slice, { count: options.count ?? 1, done: countdownOver, maxTicks, windowMs: (defwaittime + 4 * tick) * 1000 + callbackWindowMs(tick) });
        if (observed?.stepped) {
          common.note(`stepped countdown: the server's clock moved one ${tick} s tick per ${stepHookName(d)} call; durations are judged in its ticks`);
        }
        let run = observed;
        if (!run) {
          if (settings.observeSeconds === undefined) {
            throw new CaseSignal('unsupported', 'the server cannot be asked to reclaim on demand (no reclaim hook in GetServerDefaults); give --dynslice-observe SECONDS to wait for one of its own');
          }
          const startedAt = Date.now();
          await caseEndpoint().waitFor(countdownOver, settings.observeSeconds * 1000);
          run = { startedAt, clock: WALL_CLOCK, stepped: false };
        }
        const calls = [...caseEndpoint().calls];
        if (!observed && !calls.some((c) => c.method === 'NotifyDeletePending')) {
          throw new CaseSignal('unsupported', `the server reclaimed nothing of ${slice.urn} within the ${settings.observeSeconds} s observation window`);
        }
        return { ...run, calls, defwaittime, ...(d.maxwaittime !== undefined && { maxwaittime: d.maxwaittime }), tickSeconds: tick };
      },
      async property(spec) {
        const found = await runProperty({
          caseId: env.caseId, suite: common.suite, seed: common.seed, fuzz, client: common.client, transcript: env.transcript, lifecycle, fixtures, creds,
          note: (text) => common.note(text), reportInputs: (stats) => common.reportInputs(stats), replayDir: env.options.replayDir ?? DEFAULT_CONFIG.replayDir,
          target: { name: session.spec.name, url: env.url, faults: session.spec.faults ?? [], embedded: session.spec.embeddedInstance !== undefined },
        }, spec);
        common.report(found);
      },
    };
    return {
      context,
      async release() {
        const notes: string[] = [];
        // Deregister first, so the server stops calling a path that is about to close.
        for (const slice of registered.values()) {
          const res = await server.RemoveSliceClientEndpoint({ slice_urn: slice.urn, credentials: creds.slice(slice) }).catch(() => undefined);
          if (!res || !pgSucceeded(res)) notes.push(`cleanup: RemoveSliceClientEndpoint for ${slice.urn} did not succeed`);
        }
        endpoint?.close();
        return [...notes, ...(await fixtures.releaseAll(env.transcript))];
      },
    };
  },
};

/** A one-node request RSpec from the aggregate's advertisement, once per session (client_id "node-0"). */
const templates = new WeakMap<Session, Promise<string>>();

function requestTemplate(session: Session, fixtures: CaseFixtures, lifecycle: Parameters<CaseFixtures['requestRSpec']>[0]): Promise<string> {
  let pending = templates.get(session);
  if (!pending) {
    pending = fixtures.requestRSpec(lifecycle, { nodes: 1, unbound: true });
    templates.set(session, pending);
    pending.catch(() => templates.delete(session));
  }
  return pending;
}

/** The client-endpoint suite talks to no aggregate: its fixtures (wanted by the property runner) know none. */
const NO_AGGREGATE: GetVersionInfo = {
  apiVersions: {}, requestRSpecVersions: [], adRSpecVersions: [], credentialTypes: [], singleAllocation: false, allocate: 'geni_many', extraMethods: [], raw: {},
};

/** Node names are unique per run and per case: client endpoints remember the nodes they were told about. */
let nodeCounter = 0;

export const dynsliceClient: SuiteDefinition<DynsliceClientCaseContext> = {
  name: 'dynslice-client',
  title: 'ProtoGENI dynslice client endpoint',
  async locate(session) {
    const url = session.spec.endpoints?.['dynslice-client'];
    return url ? { url } : { unavailable: 'no dynslice client endpoint to test: give --endpoint dynslice-client=URL' };
  },
  open(common, env) {
    const { session } = env;
    const fuzz = env.options.fuzz ?? { runs: DEFAULT_CONFIG.fuzzRuns };
    // The property runner's slice bookkeeping is unused here (nothing is allocated), but it wants one.
    const fixtures = new CaseFixtures(session, env.caseId, env.url, 3, NO_AGGREGATE);
    const run = randomBytes(3).toString('hex');
    const context: DynsliceClientCaseContext = {
      ...common,
      endpoint: dynsliceEndpointApi(common.client),
      fuzz,
      nodes(count, maxWaitTime) {
        return Array.from({ length: count }, () => {
          nodeCounter += 1;
          const name = `gh${run}n${nodeCounter}`;
          return {
            node_id: name, client_id: `node-${nodeCounter}`, component_urn: `urn:publicid:IDN+geni-harness.test+node+${name}`,
            ...(maxWaitTime !== undefined && { max_wait_time: maxWaitTime }),
          };
        });
      },
      async property(spec) {
        const found = await runProperty({
          caseId: env.caseId, suite: common.suite, seed: common.seed, fuzz, client: common.client, transcript: env.transcript,
          lifecycle: LIFECYCLES[3](common.client), fixtures, creds: fixtures.credentialKit(),
          note: (text) => common.note(text), reportInputs: (stats) => common.reportInputs(stats), replayDir: env.options.replayDir ?? DEFAULT_CONFIG.replayDir,
          target: { name: session.spec.name, url: env.url, faults: session.spec.faults ?? [], embedded: session.spec.embeddedInstance !== undefined },
        }, spec);
        common.report(found);
      },
    };
    return { context, release: async () => [] };
  },
};

/** An AM answer in a skip reason: its Fault, or its geni_code and output. */
function answerOf(res: AmResponse): string {
  if (res.fault) return `Fault ${res.fault.faultCode}: ${clipText(res.fault.faultString)}`;
  const code = res.envelope?.geniCode;
  const output = typeof res.envelope?.output === 'string' && res.envelope.output !== '' ? ` (${clipText(res.envelope.output)})` : '';
  return `${code === undefined ? 'no geni_code' : `geni_code ${formatCode(code)}`}${output}`;
}

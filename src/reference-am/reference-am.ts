import { ConfigError } from '../core';
import { mintEndpointIdentity, type TestAuthority } from '../credentials';
import { makeUrn } from '../geni/urn';
import { RawHttpAnswer, startXmlRpcHttpsServer, type XmlRpcDispatcher } from '../server';
import { v3Dispatcher } from './dispatcher';
import { v1Dispatcher, v2Dispatcher } from './slice-api/dispatcher';
import type { AggregateEnv, AllocateMode } from './env';
import { DYNSLICE_PATH, DynsliceServer, httpsCallbackSender, type DynsliceSettings } from './dynslice';
import { FaultSet } from './faults';
import { AggregateModel } from './model';
import { NodeLoginHost } from './node-logins/node-login-host';
import { CallPace, type PaceStats } from './pace';
import { personalityNamed, type ReferenceApi } from './personalities';
import { resolvePolicy, type AmPolicy } from './policy';

export interface ReferenceAmOptions {
  /** Its trusted root for client certificates and credentials; it mints its own server identity from it. */
  authority: TestAuthority;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** @defaultValue 0 (an ephemeral port) */
  port?: number;
  /** Names from REFERENCE_FAULTS; an unknown name throws ConfigError listing the valid names. */
  faults?: string[];
  /**
   * The kind of aggregate to be (PERSONALITIES): inventory, advertisement detail, RSpec formats, API versions,
   * how malformed calls are answered. Its settings are defaults the options below override. @defaultValue 'reference'
   */
  personality?: string;
  /** @defaultValue 'geni_many' */
  allocate?: AllocateMode;
  /** @defaultValue false */
  singleAllocation?: boolean;
  policy?: Partial<AmPolicy>;
  /**
   * Offer the draft UpdateSliver (seed 001 change set C) on the v2 endpoint and advertise it in the v2
   * GetVersion; off, UpdateSliver is an unknown method (Fault -32601). @defaultValue false
   */
  updateSliver?: boolean;
  /**
   * Honour and advertise the failure-injection disk image (a sliver asking for it fails at Provision), so
   * geni_best_effort can be tested. @defaultValue true
   */
  failureInjection?: boolean;
  /**
   * Milliseconds spent on every credential a call carries (a slow aggregate verifying signatures in a process per
   * credential). @defaultValue the personality's (150 for `slow`), else 0
   */
  credentialCheckMs?: number;
  /** The clock, for tests. @defaultValue () => new Date() */
  now?: () => Date;
  /**
   * The dynslice server at /dynslice (tick, maxwaittime, default policy, test hook). Tests and the embedded run
   * use a tick of a fraction of a second so a countdown takes seconds. @defaultValue DEFAULT_DYNSLICE_SETTINGS
   */
  dynslice?: Partial<DynsliceSettings>;
  /**
   * What the server certificate names: the listening host and the aggregate's URN, or the URN only (a GENI identity
   * certificate without DNS or IP name, as SFA aggregates serve). @defaultValue the personality's, else 'hosts'
   */
  serverCertificate?: 'hosts' | 'urn-only';
  /**
   * The URN the server certificate names. @defaultValue the aggregate's own (urn:…+authority+am); another one is a
   * misconfigured (or impostor) aggregate, for tests of the client's check against GetVersion.
   */
  serverCertificateUrn?: string;
  /**
   * How credential GIDs must reach the trusted roots: through any certificate the credential carries, or only
   * through the chain inside each GID (SFA). @defaultValue the personality's, else 'credential'
   */
  gidChains?: 'credential' | 'own';
}

export interface ReferenceAm {
  /**
   * AM API version → URL: { '1': …/am/1, '2': …/am/2, '3': …/am/3 }, one server and one state behind all of them;
   * only the versions its personality speaks (all three by default).
   */
  urls: Partial<Record<'1' | '2' | '3', string>>;
  /** The URL of the highest version it speaks: where a client starts (its GetVersion lists the others). */
  url: string;
  /** Its personality's name. */
  personality: string;
  /** urn:publicid:IDN+<authority name>+authority+am */
  urn: string;
  /** What clients pin; it chains to authority.ca. */
  serverCertPem: string;
  faults: string[];
  /** How many node SSH ports are open now (each provisioned node has its own): for tests that prove none leaks. */
  readonly nodeLoginPorts: number;
  /** The dynslice server's XML-RPC endpoint (also advertised in the v3 GetVersion). */
  dynsliceUrl: string;
  /** The dynslice server itself: `reclaim()` is the in-process test hook. */
  dynslice: DynsliceServer;
  /** What its pace did (calls, most at once, credential checks, time waited on purpose): tests of slow aggregates read it. */
  readonly pace: Readonly<PaceStats>;
  close(): Promise<void>;
}

/** The code version GetVersion reports as geni_am_code. */
export const REFERENCE_AM_CODE_VERSION = '0.1.0';

export const V1_PATH = '/am/1';
export const V2_PATH = '/am/2';
export const V3_PATH = '/am/3';

/** Builds the aggregate's state and behaviour without any network; the server (or an in-process transport) wraps it. */
export function createReferenceAggregate(options: Omit<ReferenceAmOptions, 'host' | 'port' | 'now'>): AggregateEnv {
  const faults = new FaultSet(options.faults ?? []);
  const personality = personalityNamed(options.personality);
  const amUrn = makeUrn(options.authority.name, 'authority', 'am');
  return {
    personality,
    model: new AggregateModel(personality.inventory(options.authority.name), options.authority.name, amUrn, personality.operationalStates ?? []),
    faults,
    policy: resolvePolicy(options.policy),
    authority: options.authority,
    amUrn,
    urls: {},
    // The fault is an aggregate that claims geni_single (as ProtoGENI-style AMs do) yet does not enforce it.
    allocateMode: faults.has('single-allocate-twice') ? 'geni_single' : options.allocate ?? personality.settings.allocate ?? 'geni_many',
    singleAllocation: options.singleAllocation ?? personality.settings.singleAllocation ?? false,
    amCodeVersion: REFERENCE_AM_CODE_VERSION,
    updateSliver: options.updateSliver ?? personality.settings.updateSliver ?? false,
    failureInjection: options.failureInjection ?? personality.settings.failureInjection ?? true,
    gidChains: options.gidChains ?? personality.settings.gidChains ?? 'credential',
    pace: new CallPace({
      serial: personality.serialCalls ?? false,
      credentialCheckMs: nonNegative(options.credentialCheckMs ?? personality.settings.credentialCheckMs ?? 0, 'credentialCheckMs'),
      ...(personality.callDelayMs && { callDelayMs: personality.callDelayMs.bind(personality) }),
    }),
  };
}

const PATHS: Record<ReferenceApi, string> = { 1: V1_PATH, 2: V2_PATH, 3: V3_PATH };
const DISPATCHERS: Record<ReferenceApi, (env: AggregateEnv, clock: () => Date) => XmlRpcDispatcher> = { 1: v1Dispatcher, 2: v2Dispatcher, 3: v3Dispatcher };

/**
 * The reference aggregate's endpoints under `prefix`, one per AM API version its personality speaks, over the same
 * state, each call passing through the node-login host (provisioned nodes are SSH servers): the one route table.
 */
function referenceRoutes(env: AggregateEnv, logins: NodeLoginHost, dynslice: DynsliceServer, clock: () => Date, prefix: string): Record<string, XmlRpcDispatcher> {
  return {
    ...Object.fromEntries(env.personality.apiVersions.map((api) => {
      const endpoint = withDelay(env, api, DISPATCHERS[api](env, clock));
      return [`${prefix}${PATHS[api]}`, certified(env, env.logins ? logins.around(endpoint) : endpoint)];
    })),
    // A reclaim deletes slivers: their login ports close after the next call, as after an AM call.
    [`${prefix}${DYNSLICE_PATH}`]: certified(env, logins.around(dynslice.dispatcher())),
  };
}

/**
 * Only callers with a client certificate that chains to the trusted roots are served. The server's TLS refuses the
 * others already, unless an aggregate behind it has the client-certificate-optional fault (one server, one TLS
 * policy): then the others refuse them here, with HTTP 403 as a web server that asks for certificates does.
 */
function certified(env: AggregateEnv, dispatcher: XmlRpcDispatcher): XmlRpcDispatcher {
  if (env.faults.has('client-certificate-optional')) return dispatcher;
  return (method, params, ctx) => ctx.peer.authorized
    ? dispatcher(method, params, ctx)
    : Promise.resolve(new RawHttpAnswer('a GENI client certificate issued by an authority this aggregate trusts is required', { status: 403, contentType: 'text/plain' }));
}

/** The personality's pace (slow aggregates: one call at a time, time spent per credential), around the handling of a call. */
function withDelay(env: AggregateEnv, api: ReferenceApi, dispatcher: XmlRpcDispatcher): XmlRpcDispatcher {
  return !env.pace || env.pace.immediate ? dispatcher : env.pace.around(api, dispatcher);
}

function nonNegative(ms: number, what: string): number {
  if (!Number.isFinite(ms) || ms < 0) throw new ConfigError(`${what} must be a number of milliseconds, 0 or more, but received ${ms}`);
  return ms;
}

/**
 * Starts the reference aggregate on HTTPS with client certificates, speaking AM API v1 at /am/1, v2 at /am/2 and
 * v3 at /am/3 over the same inventory and slices (as multi-version aggregates do, one URL per version), and the
 * dynslice server at /dynslice.
 */
export async function startReferenceAm(options: ReferenceAmOptions): Promise<ReferenceAm> {
  const { ams, close } = await startReferenceAms(options, { '': {} });
  const am = ams['']!;
  return {
    urls: am.urls, url: am.url, personality: am.personality, urn: am.urn, serverCertPem: am.serverCertPem, faults: am.faults,
    dynsliceUrl: am.dynsliceUrl, dynslice: am.dynslice, close, pace: am.pace,
    get nodeLoginPorts() {
      return am.nodeLoginPorts;
    },
  };
}

/** Settings in which the aggregates behind one server (startReferenceAms) may differ. */
export type ReferenceAmVariant = Partial<Omit<ReferenceAmOptions, 'authority' | 'host' | 'port' | 'now'>>;

/**
 * Several independent reference aggregates behind one HTTPS server (one server identity): each variant has its
 * own state, faults, settings, node logins and dynslice server under `/<name>` (`/<name>/am/3`…). Tests that need
 * many differently configured aggregates (one per fault) use it instead of a server each; `close` stops them all.
 */
export async function startReferenceAms(
  options: ReferenceAmOptions, variants: Record<string, ReferenceAmVariant>,
): Promise<{ ams: Record<string, ReferenceAm>; close(): Promise<void> }> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.now ?? (() => new Date());
  const prefix = (name: string) => (name === '' ? '' : `/${name}`);
  const urnOnly = (options.serverCertificate ?? personalityNamed(options.personality).settings.serverCertificate) === 'urn-only';
  const identity = mintEndpointIdentity(options.authority, {
    hosts: urnOnly ? [] : [host], service: 'am', ...(options.serverCertificateUrn !== undefined && { urn: options.serverCertificateUrn }),
  });
  // The dynslice servers call client endpoints as the aggregate, trusting what the aggregate trusts. An answer is
  // waited for 30 s whatever the tick: a short tick must not turn a loaded client (or a loaded machine, when the
  // endpoint shares the process) into one that gave no answer.
  const callbacks = httpsCallbackSender({
    certPem: identity.certPem, keyPem: identity.keyPem, caPem: options.authority.trustedRootsPem, timeoutMs: 30_000,
  });
  const aggregates = Object.entries(variants).map(([name, variant]) => {
    const settings = { ...options, ...variant };
    const env = createReferenceAggregate(settings);
    // Provisioned nodes are SSH servers on the aggregate's own address (a wildcard address is reached as loopback).
    const logins = new NodeLoginHost({ host, hostname: isWildcard(host) ? '127.0.0.1' : host, model: env.model, faults: env.faults, clock });
    // An aggregate whose slivers are fake (the gcf personality) has nothing to log into: no SSH servers, no <login>.
    if (env.personality.settings.nodeLogins !== false) env.logins = logins;
    const dynslice = new DynsliceServer(env, callbacks.send, settings.dynslice, clock);
    return { name, env, logins, dynslice };
  });
  const closeAll = async () => {
    for (const a of aggregates) a.dynslice.close();
    callbacks.close();
    await Promise.all(aggregates.map((a) => a.logins.close()));
  };
  const server = await startXmlRpcHttpsServer({
    host,
    port: options.port ?? 0,
    tls: {
      certPem: identity.certPem, keyPem: identity.keyPem, caPem: options.authority.trustedRootsPem,
      requireClientCert: !aggregates.some((a) => a.env.faults.has('client-certificate-optional')),
    },
    routes: Object.assign({}, ...aggregates.map((a) => referenceRoutes(a.env, a.logins, a.dynslice, clock, prefix(a.name)))) as Record<string, XmlRpcDispatcher>,
  }).catch(async (err: unknown) => {
    await closeAll();
    throw err;
  });
  const close = async () => {
    for (const a of aggregates) a.dynslice.close();
    await server.close();
    await closeAll();
  };
  const ams: Record<string, ReferenceAm> = {};
  for (const { name, env, logins, dynslice } of aggregates) {
    const spoken = env.personality.apiVersions;
    const urls = Object.fromEntries(spoken.map((api) => [String(api), server.url(`${prefix(name)}${PATHS[api]}`)])) as ReferenceAm['urls'];
    Object.assign(env.urls, urls);
    env.dynsliceUrl = server.url(`${prefix(name)}${DYNSLICE_PATH}`);
    ams[name] = {
      urls, url: server.url(`${prefix(name)}${PATHS[Math.max(...spoken) as ReferenceApi]}`), personality: env.personality.name, urn: env.amUrn,
      serverCertPem: identity.certPem, faults: env.faults.names, dynsliceUrl: env.dynsliceUrl, dynslice, close,
      get nodeLoginPorts() {
        return logins.openPorts;
      },
      pace: env.pace!.stats,
    };
  }
  return { ams, close };
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

/**
 * The slice-manager suite (`sm`): an SFA-style slice manager (SM) at its own URL, in front of aggregates the harness
 * controls (src/peer-aggregates, reached through their control URL). A case acts on the SM and judges what it
 * answered against what each aggregate received and answered meanwhile.
 *
 * Where things come from: the SM's URL is the target's `sm` endpoint and the peers' control URL its `sm-peers`
 * endpoint (the embedded reference target sets both; for another SM, `geni-harness serve --aggregates N` starts the
 * peers, writes the aggregates.xml to configure the SM with, and prints the control URL). The SM's GID (whom
 * credentials are delegated to) and its per-aggregate deadline come from its GetVersion (`gid`, `peer_timeout`).
 */
import { randomUUID } from 'node:crypto';
import tls from 'node:tls';
import fc from 'fast-check';
import { DEFAULT_CONFIG } from '../config';
import { ConfigError, HarnessError, errorMessage, type Finding } from '../core';
import { AmClient, Transcript } from '../client';
import {
  certificateUrn, delegateTo, mintCredential, mintServiceCredential, mintServiceIdentity, mintSliceCredential,
  sfaCredentialStruct, sliceUrn, type ServiceIdentity, type TestAuthority,
} from '../credentials';
import { v3Api, type AmResponse, type V3Api } from '../geni/methods';
import { connectPeerControl, type PeerBehaviour, type ReceivedCall } from '../peer-aggregates/control-protocol';
import { serializeRequest } from '../rspec';
import { HttpsTransport } from '../transport';
import { isStruct, type XmlRpcValue } from '../xmlrpc';
import { am3, type AmCaseContext } from './am-suites';
import { actsForCaller, callerAsDelegator } from './acting-servers';
import { releaseSlices, type HeldSlice } from './cleanup';
import { THIS_PROCESS } from './ledger';
import type { Session } from './session';
import { CaseSignal } from './signals';
import { describeInputs, takeShare, withinBudget } from './fuzz-budget';
import type { CommonCaseContext, FuzzBudget, GeneratedInputs, OpenedCase, SuiteDefinition } from './types';

/** A peer aggregate as cases see it. */
export interface SmPeer {
  index: number;
  /** The SFA name the SM uses for it (statistics, loop avoidance). */
  hrn: string;
  /** Its AM URN (component_manager_id of its resources). */
  urn: string;
  url: string;
  /** The authority part of its sliver URNs. */
  authorityName: string;
}

/** The aggregates behind the SM, as the harness drives and observes them. */
export interface SmPeers {
  readonly list: readonly SmPeer[];
  /** Peer `index` behaves like this until the case ends (hang, garbage, huge, a delay, a refusal). */
  configure(index: number, behaviour: PeerBehaviour): Promise<void>;
  /** Peer `index` advertises something else from now on (one of its nodes taken). */
  changeAdvertisement(index: number): Promise<void>;
  /** Every call the peers received since the case began. */
  received(): Promise<ReceivedCall[]>;
}

/** A slice made for an SM case: the caller's slice credential, and the same delegated to the SM's GID. */
export interface SmSlice {
  name: string;
  urn: string;
  expires: Date;
  /** What sfi sends: the caller's own slice credential followed by the one delegated to the SM. */
  credentials: XmlRpcValue[];
  /** The caller's own slice credential alone (nothing delegated to the SM). */
  ownCredentials: XmlRpcValue[];
}

/** What the SM's GetVersion says about it (read once per run). */
export interface SmDescription {
  urn?: string;
  hrn?: string;
  /** The SM's GID (PEM), whom credentials are delegated to. */
  gidPem?: string;
  /** How long it waits for one aggregate (its `peer_timeout`; 60 s when it does not say). */
  deadlineMs: number;
  /** The GetVersion value. */
  value: Record<string, XmlRpcValue>;
}

export interface SmPropertySpec<T> {
  arbitrary: fc.Arbitrary<T>;
  describe?: (value: T) => string;
  /** One run: act with `value` and return what is wrong. Peers are reset and the run's slices released after it. */
  check: (value: T) => Promise<Finding[]>;
  /**
   * Each input is a round trip through every aggregate (slices minted, delegations signed and verified at each):
   * such a property takes a quarter of the budget (at least 5 inputs), so nightly budgets still reach it in full.
   */
  costly?: boolean;
}

export interface SmCaseContext extends CommonCaseContext {
  /** Typed AM API v3 calls to the slice manager, recorded in this case's transcript. */
  readonly sm: V3Api;
  /** The same, giving up on an answer after `ms` (for cases that judge whether the SM answers in time). */
  smWithin(ms: number): V3Api;
  readonly peers: SmPeers;
  readonly smInfo: SmDescription;
  /** The user credential (the SM forwards its own credential for it: a user credential is not delegatable). */
  userCredentials(): XmlRpcValue[];
  newSlice(): Promise<SmSlice>;
  /** A call_id no one has used. */
  callId(): string;
  /** A request RSpec with `nodesPerPeer` VMs bound to each of the given peers. @defaultValue nodesPerPeer 1 */
  requestFor(peerIndexes: number[], nodesPerPeer?: number): string;
  /** A request RSpec with `counts[i]` VMs bound to peer i. */
  requestSpread(counts: number[]): string;
  /** `act`'s answer with every call the peers received while it ran. */
  observe(act: () => Promise<AmResponse>): Promise<{ response: AmResponse; calls: ReceivedCall[] }>;
  /** How long `act` took, and its answer or why there was none (a timeout is an observation here, not an error). */
  timed(act: () => Promise<AmResponse>): Promise<{ response?: AmResponse; error?: string; elapsedMs: number; exchangeIds: string[] }>;
  /**
   * The SM as a peered slice manager calls it: with the GID of the slice manager whose own aggregate is peer
   * `index` (same hrn), so a correct SM does not forward back to that peer.
   */
  asPeeredSm(index: number): PeeredSm;
  readonly fuzz: FuzzBudget;
  /**
   * The SM as an AM API v3 aggregate, for the v3 cases the suite reuses (suites/sm/v3-contract.cases.ts): the am3
   * case context (slices, credentials, request RSpecs from the SM's merged advertisement, life cycle) at the SM's
   * URL, recording into this case's transcript. What it makes is released with the case.
   */
  presentedAsV3(): Promise<AmCaseContext>;
  /** A property over generated inputs (fast-check, seeded by the case); findings of the smallest failing input. */
  property<T>(spec: SmPropertySpec<T>): Promise<void>;
}

export interface PeeredSm {
  sm: V3Api;
  /** The peered SM's own credential (what it would send for ListResources). */
  credentials(): XmlRpcValue[];
  /** A slice credential for `slice` owned by the peered SM. */
  sliceCredentials(slice: SmSlice): XmlRpcValue[];
}

export type { PeerBehaviour, ReceivedCall };

/** The endpoint names the suite reads from the target. */
export const SM_ENDPOINT = 'sm';
export const SM_PEERS_ENDPOINT = 'sm-peers';
const DEFAULT_DEADLINE_MS = 60_000;

interface RunState {
  description: SmDescription;
  peers: Awaited<ReturnType<typeof connectPeerControl>>;
}

/** Per session (one per run): the SM's description and the peer control, fetched once. */
const perSession = new WeakMap<Session, Promise<RunState>>();

function runState(session: Session, url: string): Promise<RunState> {
  let pending = perSession.get(session);
  if (!pending) {
    pending = (async () => {
      const controlUrl = session.spec.endpoints?.[SM_PEERS_ENDPOINT];
      if (!controlUrl) throw new ConfigError(`the sm suite needs aggregates the harness controls: --endpoint ${SM_PEERS_ENDPOINT}=URL (printed by geni-harness serve --aggregates N)`);
      const control = session.client(controlUrl, new Transcript());
      const peers = await connectPeerControl(async (method, params) => {
        const answer = await control.call(method, params);
        if (answer.kind === 'fault') throw new HarnessError('fixture', `peer control ${method}: ${answer.faultString}`);
        return answer.value;
      });
      const info = await session.versionAt(url);
      const value = isStruct(info.raw) && isStruct(info.raw.value) ? info.raw.value : {};
      const timeout = typeof value.peer_timeout === 'number' && value.peer_timeout > 0 ? value.peer_timeout * 1000 : DEFAULT_DEADLINE_MS;
      // SFA servers present their GID as TLS certificate: it stands in when GetVersion does not give it.
      const gidPem = typeof value.gid === 'string' ? value.gid : await serverCertificate(url).catch(() => undefined);
      const urn = typeof value.urn === 'string' ? value.urn : gidPem && certificateUrn(gidPem);
      const description: SmDescription = {
        value,
        deadlineMs: timeout,
        ...(urn && { urn }),
        ...(typeof value.hrn === 'string' && { hrn: value.hrn }),
        ...(gidPem && { gidPem }),
      };
      // The v3 cases the suite reuses send slice credentials as sfi does: with a copy delegated to the SM.
      // Slices used there hold their slivers at the peers: the ledger names them, so a crashed run's leftovers are
      // deleted there (src/runner/cleanup.ts), whatever became of the SM.
      if (gidPem && urn) actsForCaller(session, url, { certPem: gidPem, urn }, peers.peers.map((p) => p.url));
      return { description, peers };
    })();
    perSession.set(session, pending);
  }
  return pending;
}

/** The certificate a TLS server presents at `url` (nothing is sent: the handshake alone gives it). */
export function serverCertificate(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || 443), rejectUnauthorized: false, servername: undefined }, () => {
      const raw = socket.getPeerCertificate().raw;
      socket.destroy();
      if (!raw) return reject(new Error('no server certificate'));
      resolve(`-----BEGIN CERTIFICATE-----\n${raw.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`);
    });
    socket.setTimeout(10_000, () => socket.destroy(new Error('TLS handshake timed out')));
    socket.once('error', reject);
  });
}

/** Peered-SM identities, minted once per authority and peer (RSA keys are slow to make). */
const peeredIdentities = new Map<string, ServiceIdentity>();

function requireAuthority(session: Session): { authority: TestAuthority } {
  if (!session.authority) {
    throw new CaseSignal('skip', 'playing a peered slice manager needs the test authority the peers trust (--authority DIR, as printed by geni-harness serve --aggregates N)');
  }
  return { authority: session.authority };
}

export const sm: SuiteDefinition<SmCaseContext> = {
  name: 'sm',
  title: 'SFA slice manager (AM API v3, fanned out to aggregates the harness controls)',
  // What it presents to its callers (reports show it; the v3 cases it reuses cite v3 requirements).
  api: 3,
  async locate(session) {
    const url = session.spec.endpoints?.[SM_ENDPOINT];
    if (!url) return { unavailable: `the target has no slice manager (--endpoint ${SM_ENDPOINT}=URL with --endpoint ${SM_PEERS_ENDPOINT}=URL)` };
    if (!session.spec.endpoints?.[SM_PEERS_ENDPOINT]) return { unavailable: `the slice manager's aggregates are not the harness's (--endpoint ${SM_PEERS_ENDPOINT}=URL)` };
    return { url };
  },

  async open(common, env) {
    const { session, transcript } = env;
    const state = await runState(session, env.url);
    const smInfo = state.description;
    const control = state.peers;
    const mark = await control.mark();
    const peerList: SmPeer[] = control.peers.map((p) => ({ index: p.index, hrn: p.hrn, urn: p.urn, url: p.url, authorityName: p.authorityName }));
    const client = common.client;
    const slices: SmSlice[] = [];
    const transports: HttpsTransport[] = [];
    let counter = 0;
    /** The am3 view of the SM, opened on first use (presentedAsV3). */
    let asV3: Promise<OpenedCase<AmCaseContext>> | undefined;

    /** The caller's own credential of each slice the case made (what the ledger keeps and the peers take). */
    const ownXml = new Map<SmSlice, string>();
    const peerUrls = peerList.map((p) => p.url);

    /**
     * A slice made for the case, with the copy of its credential delegated to the SM: written to the cleanup ledger
     * (at the SM's URL, released at the peers) before anything could be allocated in it.
     */
    const madeSlice = (made: { name: string; urn: string; expires: Date; credentialXml: string }): SmSlice => {
      const sm = { certPem: smInfo.gidPem!, urn: smInfo.urn! };
      const delegated = delegateTo(made.credentialXml, callerAsDelegator(session), sm);
      const slice: SmSlice = {
        name: made.name, urn: made.urn, expires: made.expires,
        credentials: [sfaCredentialStruct(made.credentialXml), sfaCredentialStruct(delegated)], ownCredentials: [sfaCredentialStruct(made.credentialXml)],
      };
      const now = new Date().toISOString();
      session.ledger.add({
        url: env.url, api: 3, sliceUrn: slice.urn, sliceCredentialXml: made.credentialXml, caseId: common.caseId, runId: session.runId, createdAt: now,
        embeddedInstance: session.spec.embeddedInstance, owner: THIS_PROCESS, heartbeatAt: now, aggregates: peerUrls,
      });
      ownXml.set(slice, made.credentialXml);
      slices.push(slice);
      return slice;
    };

    const newSlice = async (): Promise<SmSlice> => {
      if (!smInfo.gidPem || !smInfo.urn) {
        throw new CaseSignal('skip', 'the slice manager does not give its GID (GetVersion gid, or its TLS certificate) and URN: nothing to delegate credentials to');
      }
      counter += 1;
      const name = `sm${session.runId.replace(/-/g, '').slice(0, 6)}${Date.now().toString(36).slice(-5)}${counter}`.slice(0, 19);
      const lifetime = new Date(Date.now() + 24 * 3600_000);
      lifetime.setMilliseconds(0);
      // As the AM suites' fixtures: the run's slice authority makes slices when there is one (omni_config's `sa`).
      if (session.sliceAuthority !== undefined) {
        const made = await session.sliceAuthority.createSlice(name, lifetime);
        return madeSlice({ name, urn: made.urn, expires: made.expires, credentialXml: made.credentialXml });
      }
      if (!session.authority || !session.user.identity) {
        // The operator's own identity: one of their slices (--slice-cred), delegated with their own key.
        const supplied = session.suppliedSlices[slices.length];
        if (!supplied) throw new CaseSignal('skip', 'the case needs a slice: give the harness an authority (--authority DIR, as serve --aggregates N prints), a slice authority (--omni-config) or more slices of yours (--slice-cred)');
        return madeSlice({ name: supplied.urn.slice(supplied.urn.lastIndexOf('+') + 1), urn: supplied.urn, expires: supplied.expires, credentialXml: supplied.credentialXml });
      }
      const urn = sliceUrn(session.authority, name);
      return madeSlice({ name, urn, expires: lifetime, credentialXml: mintSliceCredential(session.authority, session.user.identity, urn, { expires: lifetime }) });
    };

    const received = () => control.received(mark);

    /**
     * Deletes slices at each peer directly (the peers are the harness's; the SM under test may be broken), with the
     * caller's own credential, and takes them out of the ledger once every peer confirms.
     */
    const deleteAtPeers = async (made: SmSlice[]): Promise<string[]> => {
      const held = made.map((slice): HeldSlice => ({ url: env.url, api: 3, sliceUrn: slice.urn, credentialXml: ownXml.get(slice)!, aggregates: peerUrls }));
      const { kept } = await releaseSlices(session, held);
      for (const slice of made) if (!kept.some((k) => k.sliceUrn === slice.urn)) ownXml.delete(slice);
      return kept.map((k) => `cleanup: ${k.sliceUrn} was not released at the peers (${k.why}); kept in the ledger (geni-harness cleanup retries)`);
    };

    const context: SmCaseContext = {
      ...common,
      sm: v3Api(client),
      smWithin: (ms) => v3Api(new AmClient({ url: env.url, transport: session.transport, transcript, timeoutMs: ms, maxResponseBytes: session.limits.maxResponseBytes })),
      smInfo,
      fuzz: env.options.fuzz ?? { runs: DEFAULT_CONFIG.fuzzRuns },
      peers: {
        list: peerList,
        configure: (index, behaviour) => control.configure(index, behaviour),
        changeAdvertisement: (index) => control.changeAdvertisement(index),
        received,
      },
      userCredentials() {
        return [sfaCredentialStruct(session.userCredentialXml)];
      },
      newSlice,
      callId: () => `gh-${randomUUID()}`,
      requestFor(peerIndexes, nodesPerPeer = 1) {
        return context.requestSpread(peerList.map((p) => (peerIndexes.includes(p.index) ? nodesPerPeer : 0)));
      },
      requestSpread(counts) {
        return serializeRequest({
          type: 'request',
          links: [],
          nodes: counts.flatMap((count, i) => Array.from({ length: count }, (_, n) => ({
            clientId: `p${i}vm${n}`, componentManagerId: peerList[i]!.urn, exclusive: false, sliverType: { name: 'default-vm' }, interfaces: [],
          }))),
        });
      },
      async observe(act) {
        const before = await control.mark();
        const response = await act();
        const calls = (await control.received(before));
        return { response, calls };
      },
      async timed(act) {
        const started = Date.now();
        const first = transcript.entries.length;
        try {
          const response = await act();
          return { response, elapsedMs: Date.now() - started, exchangeIds: [response.exchangeId] };
        } catch (err) {
          if (!(err instanceof HarnessError)) throw err;
          return { error: errorMessage(err), elapsedMs: Date.now() - started, exchangeIds: transcript.entries.slice(first).map((e) => e.id) };
        }
      },
      asPeeredSm(index) {
        const { authority } = requireAuthority(session);
        const peer = peerList[index];
        if (!peer) throw new HarnessError('fixture', `there is no peer ${index}`);
        const key = `${authority.ca.certPem}\u0000${peer.authorityName}`;
        let identity = peeredIdentities.get(key);
        if (!identity) {
          identity = mintServiceIdentity(authority, { hosts: ['127.0.0.1'], name: 'sm', authorityName: peer.authorityName });
          peeredIdentities.set(key, identity);
        }
        const transport = new HttpsTransport({ certPem: identity.certPem, keyPem: identity.keyPem, caPem: authority.trustedRootsPem });
        transports.push(transport);
        const peered = identity;
        return {
          sm: v3Api(new AmClient({ url: env.url, transport, transcript, timeoutMs: session.limits.callTimeoutMs, maxResponseBytes: session.limits.maxResponseBytes })),
          credentials: () => [sfaCredentialStruct(mintServiceCredential(authority, peered))],
          sliceCredentials: (slice) => [sfaCredentialStruct(mintCredential({
            owner: { certPem: peered.certPem, urn: peered.urn }, target: { urn: slice.urn }, privileges: [{ name: '*', canDelegate: true }],
            expires: slice.expires, signer: authority.sa, signerChainPem: [authority.ca.certPem],
          }))],
        };
      },
      presentedAsV3() {
        // The merged view: checks judge the SM's answer as the sum of its aggregates' (CheckContext.mergedBySliceManager).
        const merged: CommonCaseContext = {
          ...common,
          mergedBySliceManager: true,
          verify: (observed, checks) => common.verify(observed, checks.map((check) => (value, ctx) => check(value, { ...ctx, mergedBySliceManager: true }))),
        };
        asV3 ??= Promise.resolve(am3.open(merged, env));
        return asV3.then((opened) => opened.context);
      },
      async property(spec) {
        const found = await smProperty(common.seed, context.fuzz, spec, async () => {
          await control.reset();
          // Each generated input's slices go when its run ends, so earlier runs do not use up the peers.
          await deleteAtPeers(slices.splice(0));
        });
        common.report(found.findings);
        common.reportInputs(found.inputs);
        if (found.counterexample !== undefined) common.note(`property failed for ${found.counterexample} (seed ${common.seed}, path ${found.path})`);
        else common.note(`property held for ${describeInputs(found.inputs)} (seed ${common.seed})`);
      },
    };

    return {
      context,
      async release() {
        const notes: string[] = [];
        // The v3 view's slices go through the SM first (its own cleanup, the ledger's), then the peers are reset.
        if (asV3) notes.push(...(await (await asV3).release()));
        await control.reset().catch((err: unknown) => notes.push(`cleanup: could not reset the peers: ${errorMessage(err)}`));
        for (const t of transports) t.close();
        notes.push(...(await deleteAtPeers(slices)));
        return notes;
      },
      async audit() {
        return asV3 ? ((await (await asV3).audit?.()) ?? { findings: [], notes: [] }) : { findings: [], notes: [] };
      },
    };
  },
};

/**
 * fast-check over the SM: every generated input runs with the peers reset after it; a failure is shrunk and the
 * smallest failing input run once more for its findings. (Replay files are the AM suites' business: an SM
 * counterexample is only reproducible with the same peer set-up, which its description states.)
 */
export async function smProperty<T>(seed: number, fuzz: FuzzBudget, spec: SmPropertySpec<T>, after: () => Promise<void>): Promise<{ findings: Finding[]; inputs: GeneratedInputs; counterexample?: string; path?: string }> {
  const holds = async (value: T): Promise<boolean> => {
    try {
      return (await spec.check(value)).length === 0;
    } finally {
      await after();
    }
  };
  const minRuns = fuzz.minRuns ?? 1;
  const numRuns = spec.costly ? Math.max(minRuns, 5, Math.ceil(fuzz.runs / 4)) : fuzz.runs;
  // The share of the run's property time is taken from its pool as the case starts, as the AM suites' properties do.
  const share = takeShare(fuzz);
  const budgeted = withinBudget(fc.asyncProperty(spec.arbitrary, holds), { minRuns, timeLimitMs: share.timeLimitMs });
  const startedAt = Date.now();
  const details = await fc.check(budgeted.property, { seed, numRuns }).finally(() => share.spent(Date.now() - startedAt));
  const inputs: GeneratedInputs = {
    inputs: budgeted.inputs(), minInputs: minRuns, maxInputs: numRuns, ...(share.timeLimitMs !== undefined && { budgetMs: share.timeLimitMs }),
    stoppedBy: details.failed ? 'counterexample' : budgeted.stoppedByTime() ? 'time' : 'runs',
  };
  if (!details.failed || details.counterexample === null) return { findings: [], inputs };
  const value = details.counterexample[0];
  try {
    const findings = await spec.check(value);
    return { findings, inputs, counterexample: spec.describe ? spec.describe(value) : fc.stringify(value), path: details.counterexamplePath ?? '' };
  } finally {
    await after();
  }
}

import { ConfigError, errorMessage } from '../core';
import {
  certificateUrn, generateRsaKeyPem, mintServiceIdentity, mintSliceCredential, mintUser, sfaCredentialStruct, sliceUrn,
  type TestAuthority, type UserIdentity,
} from '../credentials';
import { urnToHrn } from '../geni/hrn';
import { callV3, createReferenceAggregate, V3_PATH, type AggregateEnv } from '../reference-am';
import { serializeRequest } from '../rspec';
import { RawHttpAnswer, startXmlRpcHttpsServer, type RunningXmlRpcServer, type XmlRpcDispatcher } from '../server';
import { isStruct, type XmlRpcValue } from '../xmlrpc';
import { appliesTo, hostileAnswer, type HostileBehaviour, type PeerBehaviour } from './behaviour';

/**
 * Peer aggregates the harness controls: N reference AMs on 127.0.0.1, each its own sub-authority of the test
 * authority (URN `urn:publicid:IDN+<authority>:peer<i>+authority+am`, its own inventory and slivers), each with
 * optional reference-AM faults and a behaviour the harness can change at any time (slow, hanging, garbage, huge,
 * failing). Every call a peer receives is recorded, so a case can check what a slice manager forwarded: to whom,
 * with which options, credentials and call_id, and when.
 */

export interface PeerInfo {
  index: number;
  /** 'peer0', 'peer1', … */
  name: string;
  /** The peer's sub-authority, e.g. 'geni-harness.test:peer0'; its sliver and component URNs use it. */
  authorityName: string;
  /** The AM URN (GetVersion urn), `urn:publicid:IDN+<authorityName>+authority+am`. */
  urn: string;
  /** The SFA name slice managers key aggregates by (aggregates.xml `hrn`). */
  hrn: string;
  /** Its AM API v3 URL. */
  url: string;
  host: string;
  port: number;
  /** Reference-AM faults switched on at start. */
  faults: string[];
}

/** One call a peer received, as it arrived. */
export interface ReceivedCall {
  /** Order of arrival across all peers of the set. */
  seq: number;
  peer: number;
  method: string;
  params: XmlRpcValue[];
  /** The caller's TLS client certificate and the URN in it. */
  callerCertPem?: string;
  callerUrn?: string;
  /** Date.now() at arrival, and when the answer was handed to the server (absent: never answered). */
  receivedAt: number;
  answeredAt?: number;
  /** What the peer did with it. */
  answer: 'answered' | 'refused' | HostileBehaviour;
  /** The value it answered with (the whole return struct), when it answered normally. */
  result?: XmlRpcValue;
}

/**
 * What a case needs from the peers behind a slice manager. Asynchronous, so the same interface can drive peers in
 * this process or in another one (`geni-harness serve --aggregates N`).
 */
export interface PeerControl {
  readonly peers: readonly PeerInfo[];
  /** A position in the record of received calls; `received(mark)` returns what arrived after it. */
  mark(): Promise<number>;
  received(since?: number): Promise<ReceivedCall[]>;
  /** Peer `index` behaves like this until reset() (replacing its start-up behaviour). */
  configure(index: number, behaviour: PeerBehaviour): Promise<void>;
  /** Every peer back to its start-up behaviour. */
  reset(): Promise<void>;
  /** Peer `index` now advertises something else (one more node taken, or all freed), as an aggregate changes over time. */
  changeAdvertisement(index: number): Promise<void>;
}

export interface PeerAggregatesOptions {
  /** Every peer trusts it (client certificates, credentials) and is signed by its CA. */
  authority: TestAuthority;
  count: number;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** Reference-AM fault names per peer index. */
  faults?: Record<number, string[]>;
  /** Start-up behaviour per peer index (what `--peer-delay I:MS` and `--peer-fault I:hang` set). */
  behaviours?: Record<number, PeerBehaviour>;
  /** The clock of every peer, for tests. */
  now?: () => Date;
  /**
   * More CA certificates the peers trust for callers and credentials besides the authority's, e.g. the CA of an
   * operator's own identity (serve --aggregates N --trust FILE).
   */
  extraTrustedRootsPem?: string[];
}

export interface PeerAggregates extends PeerControl {
  /** The CA certificate every peer's server certificate chains to. */
  caPem: string;
  close(): Promise<void>;
}

/** Keeps the record bounded for long `serve` sessions; a case only ever looks at the calls since its mark. */
const MAX_RECORDED_CALLS = 5_000;

interface Peer {
  info: PeerInfo;
  env: AggregateEnv;
  server: RunningXmlRpcServer;
}

class PeerSet implements PeerAggregates {
  private readonly calls: ReceivedCall[] = [];
  private seq = 0;
  private readonly behaviours: PeerBehaviour[];
  private readonly timers = new Set<NodeJS.Timeout>();
  private controlUser: UserIdentity | undefined;
  private readonly taken = new Map<number, number>();

  constructor(
    private readonly authority: TestAuthority,
    private readonly set: Peer[],
    private readonly startBehaviours: PeerBehaviour[],
    private readonly clock: () => Date,
  ) {
    this.behaviours = startBehaviours.map((b) => ({ ...b }));
  }

  get peers(): PeerInfo[] {
    return this.set.map((p) => p.info);
  }

  get caPem(): string {
    return this.authority.ca.certPem;
  }

  dispatcher(index: number, inner: XmlRpcDispatcher): XmlRpcDispatcher {
    return async (method, params, ctx) => {
      const call: ReceivedCall = {
        seq: ++this.seq, peer: index, method, params, receivedAt: Date.now(), answer: 'answered',
        ...(ctx.peer.certPem !== undefined && { callerCertPem: ctx.peer.certPem, callerUrn: this.urnOf(ctx.peer.certPem) }),
      };
      this.calls.push(call);
      if (this.calls.length > MAX_RECORDED_CALLS) this.calls.splice(0, this.calls.length - MAX_RECORDED_CALLS);
      const behaviour = this.behaviours[index] ?? {};
      if (appliesTo(behaviour, method)) {
        if (behaviour.delayMs) await this.sleep(behaviour.delayMs);
        if (behaviour.hostile) {
          call.answer = behaviour.hostile;
          if (behaviour.hostile !== 'hang') call.answeredAt = Date.now();
          return hostileAnswer(behaviour.hostile);
        }
        if (behaviour.refuse) {
          call.answer = 'refused';
          call.answeredAt = Date.now();
          const { geniCode, output } = behaviour.refuse;
          return { code: { geni_code: geniCode }, value: '', output: output ?? `peer${index} refuses ${method} (behaviour set by the harness)` };
        }
      }
      const answer = await inner(method, params, ctx);
      call.answeredAt = Date.now();
      if (!(answer instanceof RawHttpAnswer)) call.result = answer;
      return answer;
    };
  }

  private readonly urns = new Map<string, string | undefined>();

  /** The caller's URN; parsing a certificate costs milliseconds, and a caller calls many times. */
  private urnOf(certPem: string): string | undefined {
    if (!this.urns.has(certPem)) {
      if (this.urns.size > 1000) this.urns.clear();
      this.urns.set(certPem, certificateUrn(certPem));
    }
    return this.urns.get(certPem);
  }

  /** A delay that close() cancels (the call then stays unanswered and its socket is destroyed). */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  async mark(): Promise<number> {
    return this.seq;
  }

  async received(since = 0): Promise<ReceivedCall[]> {
    return this.calls.filter((c) => c.seq > since);
  }

  async configure(index: number, behaviour: PeerBehaviour): Promise<void> {
    this.peerAt(index);
    this.behaviours[index] = { ...behaviour };
  }

  async reset(): Promise<void> {
    this.startBehaviours.forEach((b, i) => {
      this.behaviours[i] = { ...b };
    });
  }

  /**
   * Takes one more bare-metal node at the peer (through its own Allocate, so its advertisement shows it busy);
   * once all are taken, frees them all. Either way the next advertisement differs from the last one.
   */
  async changeAdvertisement(index: number): Promise<void> {
    const peer = this.peerAt(index);
    this.controlUser ??= mintUser(this.authority, 'peer-operator');
    const slice = sliceUrn(this.authority, `peerctl${index}`);
    const credentials = [sfaCredentialStruct(mintSliceCredential(this.authority, this.controlUser, slice))];
    const call = (method: string, params: XmlRpcValue[]) => {
      const answer = callV3(peer.env, method, params, { clientCertPem: this.controlUser!.certPem, now: this.clock() });
      const code = isStruct(answer) && isStruct(answer.code) ? answer.code.geni_code : undefined;
      if (code !== 0) throw new Error(`peer${index} ${method} for the advertisement change answered ${JSON.stringify(isStruct(answer) ? answer.output : answer)}`);
    };
    const exclusive = peer.env.model.inventory.filter((n) => n.exclusive).length;
    const taken = this.taken.get(index) ?? 0;
    if (taken >= exclusive) {
      call('Delete', [[slice], credentials, {}]);
      this.taken.set(index, 0);
      return;
    }
    const request = serializeRequest({ type: 'request', nodes: [{ clientId: `ctl${taken}`, exclusive: true, sliverType: { name: 'raw-pc' }, interfaces: [] }], links: [] });
    call('Allocate', [slice, credentials, request, {}]);
    this.taken.set(index, taken + 1);
  }

  private peerAt(index: number): Peer {
    const peer = this.set[index];
    if (!peer) throw new ConfigError(`there is no peer ${index}; the peers are 0 to ${this.set.length - 1}`);
    return peer;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(this.set.map((p) => p.server.close()));
  }
}

/** Starts `count` peers in parallel and returns their control once all listen. */
export async function startPeerAggregates(options: PeerAggregatesOptions): Promise<PeerAggregates> {
  const { authority, count } = options;
  if (!Number.isInteger(count) || count < 1) throw new ConfigError(`the number of peer aggregates must be a positive integer, but received ${count}`);
  for (const index of [...Object.keys(options.faults ?? {}), ...Object.keys(options.behaviours ?? {})].map(Number)) {
    if (!Number.isInteger(index) || index < 0 || index >= count) throw new ConfigError(`peer index ${index} is out of range: the peers are 0 to ${count - 1}`);
  }
  const host = options.host ?? '127.0.0.1';
  const clock = options.now ?? (() => new Date());
  // One key for every peer's server certificate: RSA key generation is the slow part of starting 50 peers.
  const keyPem = generateRsaKeyPem();
  const startBehaviours = Array.from({ length: count }, (_, i) => options.behaviours?.[i] ?? {});
  const peers: Peer[] = [];
  let set: PeerSet | undefined;
  const dispatchers: XmlRpcDispatcher[] = [];
  try {
    for (let index = 0; index < count; index++) {
      const authorityName = `${authority.name}:peer${index}`;
      const faults = options.faults?.[index] ?? [];
      // A sub-authority of the test authority: same CA and trust roots, its own URNs.
      const trustedRootsPem = [...authority.trustedRootsPem, ...(options.extraTrustedRootsPem ?? [])];
      const env = createReferenceAggregate({ authority: { ...authority, name: authorityName, trustedRootsPem }, faults });
      const identity = mintServiceIdentity(authority, { hosts: [host], name: 'am', authorityName, keyPem });
      const server = await startXmlRpcHttpsServer({
        host,
        port: 0,
        tls: { certPem: identity.certPem, keyPem: identity.keyPem, caPem: trustedRootsPem, requireClientCert: true },
        routes: { [V3_PATH]: (method, params, ctx) => dispatchers[index]!(method, params, ctx) },
      });
      const url = server.url(V3_PATH);
      env.urls['3'] = url;
      peers.push({
        env, server,
        info: { index, name: `peer${index}`, authorityName, urn: env.amUrn, hrn: urnToHrn(env.amUrn) ?? authorityName, url, host, port: server.port, faults },
      });
    }
    set = new PeerSet(authority, peers, startBehaviours, clock);
    for (const peer of peers) {
      const inner = (method: string, params: XmlRpcValue[], ctx: { peer: { certPem?: string } }) =>
        Promise.resolve(callV3(peer.env, method, params, { clientCertPem: ctx.peer.certPem, now: clock() }));
      dispatchers[peer.info.index] = set.dispatcher(peer.info.index, inner);
    }
    return set;
  } catch (err) {
    await Promise.all(peers.map((p) => p.server.close()));
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`cannot start ${count} peer aggregates: ${errorMessage(err)}`, { cause: err });
  }
}

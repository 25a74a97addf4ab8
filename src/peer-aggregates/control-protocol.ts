import { isStruct, type XmlRpcValue } from '../xmlrpc';
import type { PeerBehaviour } from './behaviour';
import type { PeerControl, PeerInfo, ReceivedCall } from './peer-set';

/**
 * Peer control over XML-RPC: how a harness process drives peers started by another (the vitest worker running
 * the `sm` suite drives the peers the run started; `geni-harness run` drives the peers of `geni-harness serve
 * --aggregates N`). The control URL is a capability: it holds a random token, and the server asks for a client
 * certificate from the test authority as well.
 */

export type { PeerBehaviour, PeerControl, PeerInfo, ReceivedCall };

export const CONTROL_METHODS = ['Peers', 'Mark', 'Received', 'Configure', 'Reset', 'ChangeAdvertisement'] as const;

/** Sends one control call and returns its value (the transport and its client certificate are the caller's). */
export type ControlCall = (method: (typeof CONTROL_METHODS)[number], params: XmlRpcValue[]) => Promise<XmlRpcValue>;

const num = (v: XmlRpcValue | undefined): number => (typeof v === 'number' ? v : Number.NaN);
const str = (v: XmlRpcValue | undefined): string => (typeof v === 'string' ? v : '');

function peerInfo(v: XmlRpcValue): PeerInfo {
  const s = isStruct(v) ? v : {};
  return {
    index: num(s.index), name: str(s.name), authorityName: str(s.authorityName), urn: str(s.urn), hrn: str(s.hrn), url: str(s.url),
    host: str(s.host), port: num(s.port), faults: Array.isArray(s.faults) ? s.faults.map(str) : [],
  };
}

function receivedCall(v: XmlRpcValue): ReceivedCall {
  const s = isStruct(v) ? v : {};
  return {
    seq: num(s.seq), peer: num(s.peer), method: str(s.method), params: Array.isArray(s.params) ? s.params : [],
    receivedAt: num(s.receivedAt), answer: str(s.answer) as ReceivedCall['answer'],
    ...(typeof s.answeredAt === 'number' && { answeredAt: s.answeredAt }),
    ...(typeof s.callerUrn === 'string' && { callerUrn: s.callerUrn }),
    ...(s.result !== undefined && { result: s.result }),
  };
}

/** Wire form of a behaviour: XML-RPC has no undefined, so absent members stay absent. */
export function behaviourToWire(b: PeerBehaviour): Record<string, XmlRpcValue> {
  const wire: Record<string, XmlRpcValue> = {};
  if (b.delayMs !== undefined) wire.delayMs = b.delayMs;
  if (b.hostile !== undefined) wire.hostile = b.hostile;
  if (b.refuse !== undefined) wire.refuse = { geniCode: b.refuse.geniCode, ...(b.refuse.output !== undefined && { output: b.refuse.output }) };
  if (b.methods !== undefined) wire.methods = b.methods;
  return wire;
}

export function behaviourFromWire(v: XmlRpcValue): PeerBehaviour {
  const s = isStruct(v) ? v : {};
  const b: PeerBehaviour = {};
  if (typeof s.delayMs === 'number') b.delayMs = s.delayMs;
  if (s.hostile === 'hang' || s.hostile === 'garbage' || s.hostile === 'huge') b.hostile = s.hostile;
  if (isStruct(s.refuse) && typeof s.refuse.geniCode === 'number') b.refuse = { geniCode: s.refuse.geniCode, ...(typeof s.refuse.output === 'string' && { output: s.refuse.output }) };
  if (Array.isArray(s.methods)) b.methods = s.methods.map(str);
  return b;
}

export function receivedCallToWire(c: ReceivedCall): Record<string, XmlRpcValue> {
  return {
    seq: c.seq, peer: c.peer, method: c.method, params: c.params, receivedAt: c.receivedAt, answer: c.answer,
    ...(c.answeredAt !== undefined && { answeredAt: c.answeredAt }),
    ...(c.callerUrn !== undefined && { callerUrn: c.callerUrn }),
    ...(c.result !== undefined && { result: c.result }),
  };
}

export function peerInfoToWire(p: PeerInfo): Record<string, XmlRpcValue> {
  return { ...p, faults: [...p.faults] };
}

/** PeerControl over a control URL: `call` sends the XML-RPC call (with the harness's client certificate). */
export async function connectPeerControl(call: ControlCall): Promise<PeerControl> {
  const listed = await call('Peers', []);
  const peers = Array.isArray(listed) ? listed.map(peerInfo) : [];
  return {
    peers,
    mark: async () => num(await call('Mark', [])),
    received: async (since = 0) => {
      const calls = await call('Received', [since]);
      return Array.isArray(calls) ? calls.map(receivedCall) : [];
    },
    configure: async (index, behaviour) => {
      await call('Configure', [index, behaviourToWire(behaviour)]);
    },
    reset: async () => {
      await call('Reset', []);
    },
    changeAdvertisement: async (index) => {
      await call('ChangeAdvertisement', [index]);
    },
  };
}

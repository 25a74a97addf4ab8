import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { transcriptBody, type Transcript } from '../client';
import { formatValue } from '../core';
import { RawHttpAnswer, XmlRpcFault, startXmlRpcHttpsServer, type RunningXmlRpcServer, type ServedExchange, type XmlRpcDispatcher } from '../server';
import { encodeMethodResponse, isStruct, type XmlRpcValue } from '../xmlrpc';
import { answer as answers, type CallbackScript, type ScriptedAnswer, type ScriptInput } from './script';

/** One call the endpoint received, as checks read it. */
export interface InboundCall {
  /** The transcript entry that holds its bytes. */
  exchangeId: string;
  /** Undefined when the body was not a methodCall. */
  method?: string;
  params: XmlRpcValue[];
  /** params[0].nodelist when it is a list. */
  nodelist?: XmlRpcValue[];
  /** Epoch milliseconds at which the request arrived. */
  arrivedAt: number;
  /** What the endpoint answered ('none' when the connection went away first). */
  answered: ScriptedAnswer['kind'] | 'parse-error' | 'none';
  /** Epoch milliseconds at which the answer went out (arrivedAt when none did). */
  answeredAt: number;
  /** The node_ids a NotifyDeletePending answer gave up (max_wait_time 0 in the answer). */
  released?: string[];
}

export interface CallbackListenerOptions {
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** @defaultValue 0 (an ephemeral port) */
  port?: number;
  /**
   * The base URL the server should call, when it differs from where we listen (NAT, a proxy, a DNS name the
   * server's certificate check wants). @defaultValue https://<host>:<port>
   */
  publicUrl?: string;
  tls: {
    certPem: string;
    keyPem: string;
    /** CAs a calling server's certificate is checked against (recorded, not required unless requireClientCert). */
    caPem?: string[];
    /** @defaultValue false: ProtoGENI servers call back without a client certificate as often as with one. */
    requireClientCert?: boolean;
  };
}

/** One listener per run; each case opens its own path on it, so late calls for one case never reach another. */
export interface CallbackListener {
  readonly baseUrl: string;
  open(options: { label: string; transcript: Transcript; script?: CallbackScript }): CaseCallbackEndpoint;
  close(): Promise<void>;
}

/** A case's callback endpoint: the URL to register, the calls it received, and how it answers. */
export interface CaseCallbackEndpoint {
  readonly url: string;
  readonly calls: readonly InboundCall[];
  /** Change how later calls are answered. */
  script(script: CallbackScript): void;
  /** Resolves true as soon as `done(calls)` holds, false after `timeoutMs` without it. */
  waitFor(done: (calls: readonly InboundCall[]) => boolean, timeoutMs: number): Promise<boolean>;
  /** Stop answering: later calls to this URL get HTTP 404 and are not recorded. */
  close(): void;
}

const BASE_PATH = '/dynslice-client';

interface OpenPath {
  transcript: Transcript;
  script: CallbackScript;
  calls: InboundCall[];
  counts: Map<string, number>;
  /** Scripted answers by request, so the recorder knows what kind of answer went out. */
  pending: WeakMap<XmlRpcValue[], { kind: ScriptedAnswer['kind']; released?: string[] }>;
  events: EventEmitter;
  url: string;
}

/**
 * The callback endpoint the harness hosts (the client-side API of seed 003): an HTTPS XML-RPC listener that
 * answers as each case scripts it and records every call, with its arrival time, into that case's transcript.
 */
export async function startCallbackListener(options: CallbackListenerOptions): Promise<CallbackListener> {
  const routes: Record<string, XmlRpcDispatcher> = {};
  const open = new Map<string, OpenPath>();
  let server: RunningXmlRpcServer | undefined;
  server = await startXmlRpcHttpsServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    tls: {
      certPem: options.tls.certPem, keyPem: options.tls.keyPem, caPem: options.tls.caPem ?? [],
      requireClientCert: options.tls.requireClientCert ?? false,
    },
    // The routes object gains and loses case paths while the server runs.
    routes,
    onExchange: (served) => {
      const at = open.get(served.path);
      if (at) record(at, served);
    },
  });
  const baseUrl = (options.publicUrl ?? server.url('')).replace(/\/+$/, '');

  return {
    baseUrl,
    open({ label, transcript, script }) {
      const path = `${BASE_PATH}/${label.replace(/[^a-zA-Z0-9.-]+/g, '-').slice(0, 60)}-${randomBytes(4).toString('hex')}`;
      const state: OpenPath = {
        transcript, script: script ?? answers.success(), calls: [], counts: new Map(), pending: new WeakMap(),
        events: new EventEmitter(), url: `${baseUrl}${path}`,
      };
      open.set(path, state);
      routes[path] = (method, params) => dispatch(state, method, params);
      return {
        url: state.url,
        calls: state.calls,
        script: (next) => {
          state.script = next;
        },
        waitFor: (done, timeoutMs) => waitFor(state, done, timeoutMs),
        close: () => {
          delete routes[path];
          open.delete(path);
          state.events.emit('closed');
        },
      };
    },
    async close() {
      for (const state of open.values()) state.events.emit('closed');
      open.clear();
      await server?.close();
      server = undefined;
    },
  };
}

async function dispatch(state: OpenPath, method: string, params: XmlRpcValue[]): Promise<XmlRpcValue | RawHttpAnswer> {
  const index = state.counts.get(method) ?? 0;
  state.counts.set(method, index + 1);
  const nodelist = nodelistOf(params);
  const input: ScriptInput = { method, params, index, ...(nodelist && { nodelist }) };
  const scripted = state.script(input);
  state.pending.set(params, { kind: scripted.kind, ...(releasedBy(scripted, input) && { released: releasedBy(scripted, input) }) });
  return render(scripted, input);
}

/** The node_ids an answer gives up: only a release (possibly slow) answer to NotifyDeletePending does. */
function releasedBy(scripted: ScriptedAnswer, call: ScriptInput): string[] | undefined {
  if (scripted.kind === 'slow') return releasedBy(scripted.then, call);
  if (scripted.kind !== 'release' || call.method !== 'NotifyDeletePending' || !call.nodelist) return undefined;
  return call.nodelist
    .map((entry) => (isStruct(entry) && typeof entry.node_id === 'string' ? entry.node_id : undefined))
    .filter((id): id is string => id !== undefined && (scripted.nodeIds === 'all' || scripted.nodeIds.includes(id)));
}

function render(scripted: ScriptedAnswer, call: ScriptInput): XmlRpcValue | RawHttpAnswer {
  switch (scripted.kind) {
    case 'success':
      return { code: 0, value: 0, output: '' };
    case 'release': {
      if (call.method !== 'NotifyDeletePending' || !call.nodelist) return { code: 0, value: 0, output: '' };
      const released = (entry: XmlRpcValue): boolean =>
        scripted.nodeIds === 'all' || (isStruct(entry) && typeof entry.node_id === 'string' && scripted.nodeIds.includes(entry.node_id));
      const list = call.nodelist.map((entry) => (isStruct(entry) && released(entry) ? { ...entry, max_wait_time: 0 } : entry));
      return { code: 0, value: list, output: '' };
    }
    case 'slow': {
      const inner = render(scripted.then, call);
      if (inner instanceof RawHttpAnswer) {
        return new RawHttpAnswer(inner.body, { ...inner.options, delayMs: (inner.options?.delayMs ?? 0) + scripted.delayMs });
      }
      return new RawHttpAnswer(encodeMethodResponse(inner), { delayMs: scripted.delayMs });
    }
    case 'garbage':
      return new RawHttpAnswer('<html><body><h1>502 Bad Gateway</h1></body></html>\n', { contentType: 'text/html' });
    case 'error':
      return { code: scripted.code, value: 0, output: scripted.output };
    case 'fault':
      throw new XmlRpcFault(scripted.faultCode, scripted.faultString);
  }
}

function nodelistOf(params: readonly XmlRpcValue[]): XmlRpcValue[] | undefined {
  const first = params[0];
  return isStruct(first) && Array.isArray(first.nodelist) ? first.nodelist : undefined;
}

function peerName(served: ServedExchange): string | undefined {
  const uri = /URI:(urn:publicid:IDN\+[^,\s]+)/.exec(served.peer.subjectAltName ?? '')?.[1];
  return uri ?? served.remoteAddress;
}

function record(state: OpenPath, served: ServedExchange): void {
  const entry = state.transcript.add({
    direction: 'inbound',
    method: served.method ?? '(not a methodCall)',
    endpoint: state.url,
    ...(peerName(served) !== undefined && { peer: peerName(served) }),
    startedAt: served.arrivedAt.toISOString(),
    durationMs: served.durationMs,
    request: { bytes: served.request.bytes, body: transcriptBody(served.request.body.toString('utf8')) },
    ...(served.response
      ? { response: { httpStatus: served.response.status, contentType: served.response.contentType, bytes: served.response.body.length, body: transcriptBody(served.response.body.toString('utf8')) } }
      : { error: 'no answer was sent: the connection closed first' }),
  });
  const scripted = served.params ? state.pending.get(served.params) : undefined;
  const nodelist = served.params ? nodelistOf(served.params) : undefined;
  const answered = served.method === undefined ? 'parse-error' : served.response ? scripted?.kind ?? 'success' : 'none';
  const call: InboundCall = {
    exchangeId: entry.id,
    ...(served.method !== undefined && { method: served.method }),
    params: served.params ?? [],
    ...(nodelist && { nodelist }),
    arrivedAt: served.arrivedAt.getTime(),
    answered,
    answeredAt: served.arrivedAt.getTime() + (served.response ? served.durationMs : 0),
    ...(served.response && scripted?.released && { released: scripted.released }),
  };
  state.calls.push(call);
  state.events.emit('call', call);
}

function waitFor(state: OpenPath, done: (calls: readonly InboundCall[]) => boolean, timeoutMs: number): Promise<boolean> {
  if (done(state.calls)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const finish = (result: boolean): void => {
      clearTimeout(timer);
      state.events.off('call', onCall);
      state.events.off('closed', onClosed);
      resolve(result);
    };
    const onCall = (): void => {
      if (done(state.calls)) finish(true);
    };
    const onClosed = (): void => finish(done(state.calls));
    const timer = setTimeout(() => finish(done(state.calls)), Math.max(0, timeoutMs));
    state.events.on('call', onCall);
    state.events.on('closed', onClosed);
  });
}

/** A one-line description of a call for notes and Actual lines. */
export function describeCall(call: InboundCall): string {
  return `${call.method ?? 'undecodable request'}(${formatValue(call.nodelist ?? call.params, 100)}) at ${new Date(call.arrivedAt).toISOString()}`;
}

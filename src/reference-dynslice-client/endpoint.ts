import { RawHttpAnswer, XmlRpcFault, startXmlRpcHttpsServer, type XmlRpcDispatcher } from '../server';
import { isStruct, type XmlRpcValue } from '../xmlrpc';
import { ClientEndpointFaults } from './faults';

/** ProtoGENI response codes the client side uses (elasticslice's ProtoGeniClientDefs). */
const SUCCESS = 0;
const BADARGS = 1;
const ERROR = 2;

/** The version string the elasticslice stub endpoint reports in GetVersion's output. */
export const CLIENT_ENDPOINT_VERSION = '1.0';
export const CLIENT_ENDPOINT_PATH = '/elasticslice';

/** The nodelist keys the client-side interface names (seed 003). Anything else is an extension to ignore. */
const KNOWN_KEYS = new Set(['node_id', 'client_id', 'component_urn', 'value', 'max_wait_time']);

class BadInput extends Error {}

export interface ReferenceClientEndpointOptions {
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** @defaultValue 0 */
  port?: number;
  tls: { certPem: string; keyPem: string; caPem: string[] };
  /** Names from CLIENT_ENDPOINT_FAULTS. */
  faults?: string[];
  /**
   * How many NotifyDeletePending calls a node is announced in before the client has moved its work off it and
   * releases it (answers max_wait_time 0). @defaultValue 2
   */
  releaseAfterNotices?: number;
}

export interface ReferenceClientEndpoint {
  url: string;
  faults: string[];
  close(): Promise<void>;
}

/**
 * A reference dynslice client endpoint (seed 003, after the elasticslice stub): it answers SUCCESS, keeps the
 * values the server sends, and gives a node up once it has been announced `releaseAfterNotices` times (or at
 * once when the server cannot wait), answering the same list with max_wait_time 0 on the nodes it releases.
 */
export async function startReferenceClientEndpoint(options: ReferenceClientEndpointOptions): Promise<ReferenceClientEndpoint> {
  const faults = new ClientEndpointFaults(options.faults ?? []);
  const state = new ClientState(faults, options.releaseAfterNotices ?? 2);
  const server = await startXmlRpcHttpsServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    // Servers call back with or without a client certificate; neither is refused.
    tls: { certPem: options.tls.certPem, keyPem: options.tls.keyPem, caPem: options.tls.caPem, requireClientCert: false },
    routes: { [CLIENT_ENDPOINT_PATH]: state.dispatcher() },
  });
  return { url: server.url(CLIENT_ENDPOINT_PATH), faults: faults.names, close: () => server.close() };
}

class ClientState {
  /** How often each node has been announced as pending deletion. */
  private readonly notices = new Map<string, number>();
  /** The latest value the server sent for each node. */
  readonly values = new Map<string, number>();

  constructor(
    private readonly faults: ClientEndpointFaults,
    private readonly releaseAfter: number,
  ) {}

  dispatcher(): XmlRpcDispatcher {
    return async (method, params) => {
      try {
        return this.handle(method, params);
      } catch (err) {
        if (err instanceof BadInput) {
          if (this.faults.has('client-drops-connection-on-bad-input') && /nodelist/.test(err.message)) return crash();
          return { code: BADARGS, value: 0, output: err.message };
        }
        throw err;
      }
    };
  }

  private handle(method: string, params: XmlRpcValue[]): XmlRpcValue | RawHttpAnswer {
    switch (method) {
      case 'GetVersion':
        if (params.length === 0 && this.faults.has('client-getversion-needs-params')) {
          throw new XmlRpcFault(-32603, "TypeError: GetVersion() missing 1 required positional argument: 'params'");
        }
        if (this.faults.has('client-getversion-bare-string')) return CLIENT_ENDPOINT_VERSION;
        return { code: SUCCESS, value: 0, output: CLIENT_ENDPOINT_VERSION };
      case 'SetResourceValues': {
        const list = this.nodelist(params, 'value');
        if (list === 'crash') return crash();
        for (const [i, entry] of list.entries()) {
          if (this.faults.has('client-values-requires-client-id') && entry.client_id === undefined) throw new BadInput(`nodelist[${i}] has no client_id`);
          const extra = Object.keys(entry).filter((k) => k !== 'node_id' && k !== 'value');
          if (this.faults.has('client-values-rejects-extra-keys') && extra.length > 0) throw new BadInput(`nodelist[${i}] has unexpected key ${extra.join(', ')}`);
        }
        for (const entry of list) this.values.set(entry.node_id as string, entry.value as number);
        return { code: SUCCESS, value: 0, output: '' };
      }
      case 'NotifyDeletePending': {
        const list = this.nodelist(params, 'max_wait_time');
        if (list === 'crash') return crash();
        return this.pending(list);
      }
      case 'NotifyDeleteComplete': {
        const list = this.nodelist(params, 'max_wait_time');
        if (list === 'crash') return crash();
        const unannounced = list.filter((e) => !this.notices.has(e.node_id as string));
        for (const entry of list) this.notices.delete(entry.node_id as string);
        if (unannounced.length > 0 && this.faults.has('client-complete-error')) {
          return { code: ERROR, value: 0, output: `never told that ${unannounced.map((e) => e.node_id).join(', ')} would be deleted` };
        }
        if (this.faults.has('client-complete-bare-true')) return true;
        return { code: SUCCESS, value: 0, output: '' };
      }
      default:
        if (this.faults.has('client-unknown-method-success')) return { code: SUCCESS, value: 0, output: '' };
        throw new XmlRpcFault(-32601, `method ${JSON.stringify(method)} is not a dynslice client endpoint method`);
    }
  }

  /** The answer the interface allows: plain SUCCESS, or the same list with max_wait_time 0 on the released nodes. */
  private pending(list: Array<Record<string, XmlRpcValue>>): XmlRpcValue {
    const released = new Set<string>();
    for (const entry of list) {
      const id = entry.node_id as string;
      const seen = (this.notices.get(id) ?? 0) + 1;
      this.notices.set(id, seen);
      // Nothing to wait for when the server cannot wait; otherwise the work has moved off after a few notices.
      if (entry.max_wait_time === 0 || seen >= this.releaseAfter) released.add(id);
    }
    if (released.size === 0) return { code: SUCCESS, value: 0, output: '' };
    const answer = list.map((entry): Record<string, XmlRpcValue> => {
      const id = entry.node_id as string;
      const base: Record<string, XmlRpcValue> = this.faults.has('client-answer-drops-keys') ? { node_id: id, max_wait_time: entry.max_wait_time! } : { ...entry };
      if (released.has(id)) return { ...base, max_wait_time: this.faults.has('client-release-as-negative') ? -1 : 0 };
      if (this.faults.has('client-answers-changed-list')) return { ...base, max_wait_time: Math.max(0, (entry.max_wait_time as number) - 1) };
      return base;
    });
    return { code: SUCCESS, value: answer, output: `released ${[...released].join(', ')}` };
  }

  /** params[0].nodelist, every entry checked; `number` names the numeric member this method's entries carry. */
  private nodelist(params: XmlRpcValue[], number: 'value' | 'max_wait_time'): Array<Record<string, XmlRpcValue>> | 'crash' {
    const first = params[0];
    if (params.length !== 1 || !isStruct(first)) throw new BadInput('expected one params struct with a nodelist member');
    const list = first.nodelist;
    if (list === undefined) throw new BadInput('params has no nodelist');
    if (!Array.isArray(list)) throw new BadInput('params.nodelist is not a list');
    if (list.length === 0 && this.faults.has('client-crashes-on-empty-nodelist')) return 'crash';
    return list.map((entry, i) => {
      const where = `nodelist[${i}]`;
      if (!isStruct(entry)) throw new BadInput(`${where} is not a struct`);
      if (typeof entry.node_id !== 'string' || entry.node_id === '') throw new BadInput(`${where}.node_id is missing or not a string`);
      const n = entry[number];
      if (typeof n !== 'number' || !Number.isFinite(n)) throw new BadInput(`${where}.${number} is missing or not a number`);
      if (number === 'max_wait_time' && n < 0) throw new BadInput(`${where}.max_wait_time is negative`);
      if (number === 'value' && (n < 0 || n > 1)) throw new BadInput(`${where}.value ${n} is outside 0.0 to 1.0`);
      for (const key of ['client_id', 'component_urn']) {
        if (entry[key] !== undefined && typeof entry[key] !== 'string') throw new BadInput(`${where}.${key} is not a string`);
      }
      const unknown = Object.keys(entry).filter((k) => !KNOWN_KEYS.has(k));
      if (unknown.length > 0 && this.faults.has('client-fails-on-unknown-key')) throw new BadInput(`${where} has unknown key ${unknown.join(', ')}`);
      return entry;
    });
  }
}

/** What a handler that raised an uncaught exception looks like from outside: no answer at all. */
function crash(): RawHttpAnswer {
  return new RawHttpAnswer('', { dropConnection: true });
}

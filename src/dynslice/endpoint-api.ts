import type { AmClient, CallResult } from '../client/am-client';
import { HarnessError } from '../core';
import type { XmlRpcValue } from '../xmlrpc';
import { toPgResponse, type PgResponse } from './response';

/**
 * The client-side API (seed 003) as the harness calls it when it plays the dynslice server against a client
 * endpoint. Every method takes one `params` struct; the Notify and SetResourceValues calls carry `nodelist`.
 */
export interface DynsliceEndpointApi {
  readonly url: string;
  /** `params=None` in the interface: sent with no parameter at all unless `params` is given. */
  GetVersion(params?: Record<string, XmlRpcValue>): Promise<PgResponse>;
  SetResourceValues(nodelist: XmlRpcValue[]): Promise<PgResponse>;
  NotifyDeletePending(nodelist: XmlRpcValue[]): Promise<PgResponse>;
  NotifyDeleteComplete(nodelist: XmlRpcValue[]): Promise<PgResponse>;
  /** Exactly these XML-RPC parameters (missing keys, wrong types, unknown methods). */
  callRaw(method: string, params: XmlRpcValue[]): Promise<PgResponse>;
  /** Exactly these bytes (a malformed body). */
  sendBytes(label: string, body: string): Promise<PgResponse>;
}

/**
 * A call whose failure to produce an XML-RPC answer is an observation, not a harness error: the endpoint under
 * test dropped the connection, answered HTML, or never answered (the transcript holds the exchange).
 */
async function observed(method: string, send: () => Promise<CallResult>): Promise<PgResponse> {
  try {
    return toPgResponse(method, await send());
  } catch (err) {
    if (err instanceof HarnessError && (err.phase === 'transport' || err.phase === 'decode') && err.exchangeIds.length > 0) {
      return { exchangeId: err.exchangeIds[0]!, method, failure: { phase: err.phase, message: err.message } };
    }
    throw err;
  }
}

export function dynsliceEndpointApi(client: AmClient): DynsliceEndpointApi {
  const callRaw = (method: string, params: XmlRpcValue[]): Promise<PgResponse> => observed(method, () => client.call(method, params));
  return {
    url: client.url,
    GetVersion: (params) => callRaw('GetVersion', params === undefined ? [] : [params]),
    SetResourceValues: (nodelist) => callRaw('SetResourceValues', [{ nodelist }]),
    NotifyDeletePending: (nodelist) => callRaw('NotifyDeletePending', [{ nodelist }]),
    NotifyDeleteComplete: (nodelist) => callRaw('NotifyDeleteComplete', [{ nodelist }]),
    callRaw,
    sendBytes: (label, body) => observed(label, () => client.callRaw(label, body)),
  };
}

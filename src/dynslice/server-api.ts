import type { AmClient } from '../client/am-client';
import type { XmlRpcValue } from '../xmlrpc';
import { DYNSLICE_SERVER_METHODS, type ArgumentStyle, type DynsliceServerMethodName } from './methods';
import { toPgResponse, type PgResponse } from './response';

/** Arguments of the slice-scoped server methods, by their wire names; `undefined` members are left out. */
export type ServerArgs = Record<string, XmlRpcValue | undefined>;

/** The dynslice server API (seed 002): every call returns a PgResponse recorded in the client's transcript. */
export interface DynsliceServerApi {
  readonly url: string;
  GetVersion(): Promise<PgResponse>;
  GetServerDefaults(): Promise<PgResponse>;
  ListSliceResourceValuePolicies(): Promise<PgResponse>;
  SetSliceClientEndpoint(args: { slice_urn: string; url: string; credentials: XmlRpcValue[]; policy?: string; defwaittime?: number }): Promise<PgResponse>;
  RemoveSliceClientEndpoint(args: { slice_urn: string; credentials: XmlRpcValue[] }): Promise<PgResponse>;
  SetSliceClientOptions(args: { slice_urn: string; credentials: XmlRpcValue[]; policy?: string; defwaittime?: number }): Promise<PgResponse>;
  SetSliceResourceValues(args: { slice_urn: string; credentials: XmlRpcValue[]; values: XmlRpcValue[] }): Promise<PgResponse>;
  /** Any method, arguments as given (struct style: one struct of named members; positional: in the page's order). */
  call(method: string, args: ServerArgs): Promise<PgResponse>;
  /** Exactly these XML-RPC parameters (for arity and type tests). */
  callRaw(method: string, params: XmlRpcValue[]): Promise<PgResponse>;
}

/**
 * Encodes named arguments in the server's calling convention. Struct style drops absent members; positional style
 * keeps the page's order and stops at the last argument given (the optional ones come last).
 */
export function encodeServerArgs(method: string, args: ServerArgs, style: ArgumentStyle): XmlRpcValue[] {
  const known = Object.hasOwn(DYNSLICE_SERVER_METHODS, method) ? DYNSLICE_SERVER_METHODS[method as DynsliceServerMethodName] : undefined;
  const present = Object.entries(args).filter((entry): entry is [string, XmlRpcValue] => entry[1] !== undefined);
  if (style === 'struct' || !known) {
    if (known && known.params.length === 0 && present.length === 0) return [];
    return [Object.fromEntries(present)];
  }
  const order: readonly string[] = known.params;
  const last = order.reduce((at, name, i) => (args[name] !== undefined ? i : at), -1);
  return order.slice(0, last + 1).map((name) => args[name] ?? '');
}

export function dynsliceServerApi(client: AmClient, style: ArgumentStyle = 'struct'): DynsliceServerApi {
  const call = async (method: string, args: ServerArgs): Promise<PgResponse> =>
    toPgResponse(method, await client.call(method, encodeServerArgs(method, args, style)));
  return {
    url: client.url,
    GetVersion: () => call('GetVersion', {}),
    GetServerDefaults: () => call('GetServerDefaults', {}),
    ListSliceResourceValuePolicies: () => call('ListSliceResourceValuePolicies', {}),
    SetSliceClientEndpoint: (args) => call('SetSliceClientEndpoint', args),
    RemoveSliceClientEndpoint: (args) => call('RemoveSliceClientEndpoint', args),
    SetSliceClientOptions: (args) => call('SetSliceClientOptions', args),
    SetSliceResourceValues: (args) => call('SetSliceResourceValues', args),
    call,
    callRaw: async (method, params) => toPgResponse(method, await client.call(method, params)),
  };
}

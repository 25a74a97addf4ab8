import type { AmClient, CallResult } from '../client/am-client';
import type { XmlRpcValue, WireTypeIndex } from '../xmlrpc';
import type { Finding } from '../core';

/**
 * The per-version method tables. This file (and the lifecycle adapters) are the only places that know
 * method names and argument order per API version; suites call through these.
 */

/** The AM API versions the harness knows (GetVersion's geni_api). */
export type ApiVersion = 1 | 2 | 3;
export const API_VERSIONS: readonly ApiVersion[] = [1, 2, 3];

/** A v3 credential struct as sent on the wire. */
export interface CredentialStruct {
  geni_type: string;
  geni_version: string;
  geni_value: string;
  [extra: string]: XmlRpcValue;
}

export type Options = Record<string, XmlRpcValue>;

/**
 * One observed AM answer, normalised. `envelope` is present when the value is a struct with a `code` member
 * (v2/v3 return struct); `fault` when the AM answered with an XML-RPC Fault.
 */
export interface AmResponse {
  exchangeId: string;
  method: string;
  /** `problem` when the Fault itself breaks XML-RPC (a faultCode that is not an int; faultCode is then its text). */
  fault?: { faultCode: number | string; faultString: string; problem?: string };
  /** The decoded return value (the whole struct for v2/v3). */
  raw?: XmlRpcValue;
  wireTypes?: WireTypeIndex;
  /** v2/v3 envelope view; undefined when the return was not a struct with `code`. */
  envelope?: {
    code: XmlRpcValue;
    /** code.geni_code when it is an integer. */
    geniCode?: number;
    amType?: XmlRpcValue;
    amCode?: XmlRpcValue;
    value?: XmlRpcValue;
    output?: XmlRpcValue;
  };
}

/**
 * The finding an answer earns when its Fault breaks XML-RPC itself (a faultCode that is not an int, as Python's
 * xmlrpclib sends when a server raises Fault('Insufficient privileges', ...)): the refusal still counts as a refusal,
 * and the case fails the aggregate for the Fault's form rather than ending in error. None for any other answer.
 */
export function malformedFaultFindings(observed: unknown): Finding[] {
  const res = observed as Partial<AmResponse> | null;
  const problem = res !== null && typeof res === 'object' ? res.fault?.problem : undefined;
  if (typeof problem !== 'string' || typeof res?.exchangeId !== 'string') return [];
  return [{
    check: 'xmlrpc-fault', title: 'XML-RPC Fault whose faultCode is not an int',
    expected: ['a Fault struct with faultCode an XML-RPC <int> and faultString a <string>'], actual: problem, path: 'fault.faultCode',
    spec: 'xmlrpc#Fault', exchangeIds: [res.exchangeId],
  }];
}

export function toAmResponse(method: string, result: CallResult): AmResponse {
  if (result.kind === 'fault') {
    return { exchangeId: result.exchangeId, method, fault: { faultCode: result.faultCode, faultString: result.faultString, ...(result.problem !== undefined && { problem: result.problem }) } };
  }
  const raw = result.value;
  const res: AmResponse = { exchangeId: result.exchangeId, method, raw, wireTypes: result.wireTypes };
  if (raw && typeof raw === 'object' && !Array.isArray(raw) && !(raw instanceof Uint8Array) && 'code' in raw) {
    const s = raw as Record<string, XmlRpcValue>;
    const code = s.code!; // 'code' in raw
    let geniCode: number | undefined;
    let amType: XmlRpcValue | undefined;
    let amCode: XmlRpcValue | undefined;
    if (code && typeof code === 'object' && !Array.isArray(code)) {
      const c = code as Record<string, XmlRpcValue>;
      if (typeof c.geni_code === 'number' && Number.isInteger(c.geni_code)) geniCode = c.geni_code;
      amType = c.am_type;
      amCode = c.am_code;
    }
    res.envelope = { code, geniCode, amType, amCode, value: s.value, output: s.output };
  }
  return res;
}

/** AM API v3 (GAPI_AM_API_V3). Options are always sent (GetVersion's is optional: pass undefined to omit). */
export interface V3Api {
  GetVersion(options?: Options): Promise<AmResponse>;
  ListResources(credentials: XmlRpcValue[], options: Options): Promise<AmResponse>;
  Describe(urns: string[], credentials: XmlRpcValue[], options: Options): Promise<AmResponse>;
  Allocate(sliceUrn: string, credentials: XmlRpcValue[], rspec: string, options: Options): Promise<AmResponse>;
  Renew(urns: string[], credentials: XmlRpcValue[], expirationTime: string, options: Options): Promise<AmResponse>;
  Provision(urns: string[], credentials: XmlRpcValue[], options: Options): Promise<AmResponse>;
  Status(urns: string[], credentials: XmlRpcValue[], options: Options): Promise<AmResponse>;
  PerformOperationalAction(urns: string[], credentials: XmlRpcValue[], action: string, options: Options): Promise<AmResponse>;
  Delete(urns: string[], credentials: XmlRpcValue[], options: Options): Promise<AmResponse>;
  Shutdown(sliceUrn: string, credentials: XmlRpcValue[], options: Options): Promise<AmResponse>;
  /** Any method with any parameters (for arity and type tests). */
  call(method: string, params: XmlRpcValue[]): Promise<AmResponse>;
}

export function v3Api(client: AmClient): V3Api {
  const call = async (method: string, params: XmlRpcValue[]): Promise<AmResponse> =>
    toAmResponse(method, await client.call(method, params));
  return {
    GetVersion: (options) => call('GetVersion', options === undefined ? [] : [options]),
    ListResources: (credentials, options) => call('ListResources', [credentials, options]),
    Describe: (urns, credentials, options) => call('Describe', [urns, credentials, options]),
    Allocate: (sliceUrn, credentials, rspec, options) => call('Allocate', [sliceUrn, credentials, rspec, options]),
    Renew: (urns, credentials, expirationTime, options) => call('Renew', [urns, credentials, expirationTime, options]),
    Provision: (urns, credentials, options) => call('Provision', [urns, credentials, options]),
    Status: (urns, credentials, options) => call('Status', [urns, credentials, options]),
    PerformOperationalAction: (urns, credentials, action, options) =>
      call('PerformOperationalAction', [urns, credentials, action, options]),
    Delete: (urns, credentials, options) => call('Delete', [urns, credentials, options]),
    Shutdown: (sliceUrn, credentials, options) => call('Shutdown', [sliceUrn, credentials, options]),
    call,
  };
}

/**
 * AM API v2 (GAPI_AM_API_V2; seed 004 change sets A and B): every call takes a final options struct and returns
 * the {code, value, output} struct. Credentials are XML strings.
 */
export interface V2Api {
  GetVersion(options?: Options): Promise<AmResponse>;
  ListResources(credentials: XmlRpcValue[], options: Options): Promise<AmResponse>;
  CreateSliver(sliceUrn: string, credentials: XmlRpcValue[], rspec: string, users: XmlRpcValue[], options: Options): Promise<AmResponse>;
  DeleteSliver(sliceUrn: string, credentials: XmlRpcValue[], options: Options): Promise<AmResponse>;
  SliverStatus(sliceUrn: string, credentials: XmlRpcValue[], options: Options): Promise<AmResponse>;
  RenewSliver(sliceUrn: string, credentials: XmlRpcValue[], expirationTime: string, options: Options): Promise<AmResponse>;
  Shutdown(sliceUrn: string, credentials: XmlRpcValue[], options: Options): Promise<AmResponse>;
  /** Draft change set C, where advertised. */
  UpdateSliver(sliceUrn: string, credentials: XmlRpcValue[], rspec: string, users: XmlRpcValue[], options: Options): Promise<AmResponse>;
  call(method: string, params: XmlRpcValue[]): Promise<AmResponse>;
}

/**
 * AM API v1 (GAPI_AM_API_V1): plain returns (an RSpec string, a boolean, a struct), errors as XML-RPC Faults.
 * Options exist only on ListResources. Credentials are XML strings.
 */
export interface V1Api {
  GetVersion(): Promise<AmResponse>;
  ListResources(credentials: XmlRpcValue[], options: Options): Promise<AmResponse>;
  CreateSliver(sliceUrn: string, credentials: XmlRpcValue[], rspec: string, users: XmlRpcValue[]): Promise<AmResponse>;
  DeleteSliver(sliceUrn: string, credentials: XmlRpcValue[]): Promise<AmResponse>;
  SliverStatus(sliceUrn: string, credentials: XmlRpcValue[]): Promise<AmResponse>;
  RenewSliver(sliceUrn: string, credentials: XmlRpcValue[], expirationTime: string): Promise<AmResponse>;
  Shutdown(sliceUrn: string, credentials: XmlRpcValue[]): Promise<AmResponse>;
  call(method: string, params: XmlRpcValue[]): Promise<AmResponse>;
}

function caller(client: AmClient) {
  return async (method: string, params: XmlRpcValue[]): Promise<AmResponse> => toAmResponse(method, await client.call(method, params));
}

export function v2Api(client: AmClient): V2Api {
  const call = caller(client);
  return {
    GetVersion: (options) => call('GetVersion', options === undefined ? [] : [options]),
    ListResources: (credentials, options) => call('ListResources', [credentials, options]),
    CreateSliver: (sliceUrn, credentials, rspec, users, options) => call('CreateSliver', [sliceUrn, credentials, rspec, users, options]),
    DeleteSliver: (sliceUrn, credentials, options) => call('DeleteSliver', [sliceUrn, credentials, options]),
    SliverStatus: (sliceUrn, credentials, options) => call('SliverStatus', [sliceUrn, credentials, options]),
    RenewSliver: (sliceUrn, credentials, expirationTime, options) => call('RenewSliver', [sliceUrn, credentials, expirationTime, options]),
    Shutdown: (sliceUrn, credentials, options) => call('Shutdown', [sliceUrn, credentials, options]),
    UpdateSliver: (sliceUrn, credentials, rspec, users, options) => call('UpdateSliver', [sliceUrn, credentials, rspec, users, options]),
    call,
  };
}

export function v1Api(client: AmClient): V1Api {
  const call = caller(client);
  return {
    GetVersion: () => call('GetVersion', []),
    ListResources: (credentials, options) => call('ListResources', [credentials, options]),
    CreateSliver: (sliceUrn, credentials, rspec, users) => call('CreateSliver', [sliceUrn, credentials, rspec, users]),
    DeleteSliver: (sliceUrn, credentials) => call('DeleteSliver', [sliceUrn, credentials]),
    SliverStatus: (sliceUrn, credentials) => call('SliverStatus', [sliceUrn, credentials]),
    RenewSliver: (sliceUrn, credentials, expirationTime) => call('RenewSliver', [sliceUrn, credentials, expirationTime]),
    Shutdown: (sliceUrn, credentials) => call('Shutdown', [sliceUrn, credentials]),
    call,
  };
}

/** How each version carries a credential document: v3 wraps it in a typed struct, v1 and v2 send the XML. */
export const CREDENTIAL_WRAPPING: Record<ApiVersion, (xml: string) => XmlRpcValue> = {
  1: (xml) => xml,
  2: (xml) => xml,
  3: (xml) => ({ geni_type: 'geni_sfa', geni_version: '3', geni_value: xml }),
};

/**
 * The AM API methods (every version) that never make a sliver: reading, renewing, deleting and shutting down act on
 * slivers that exist. A slice that no other call has named since it was made holds nothing at the aggregate.
 * Anything not listed (Allocate, Provision, CreateSliver, UpdateSliver, PerformOperationalAction, a raw body, a
 * method of another API) is taken to possibly make slivers.
 */
export const METHODS_THAT_MAKE_NO_SLIVERS: ReadonlySet<string> = new Set([
  'GetVersion', 'ListResources', 'Describe', 'Status', 'SliverStatus', 'Renew', 'RenewSliver', 'Delete', 'DeleteSliver', 'Shutdown',
]);

/** Whether a call of `method` (undefined: a raw body) may have made slivers. */
export function mayMakeSlivers(method: string | undefined): boolean {
  return method === undefined || !METHODS_THAT_MAKE_NO_SLIVERS.has(method);
}

import { XmlRpcFault, type XmlRpcDispatcher } from '../server';
import { isStruct, type XmlRpcValue } from '../xmlrpc';
import { AmError, CredentialRefusal, FAULT_INVALID_PARAMS, GENI_CODE, MalformedCall, badArgs, malformed } from './am-error';
import type { AggregateEnv, CallContext, MethodHandler } from './env';
import { errorEnvelope, successEnvelope } from './envelope';
import { allocate } from './handlers/allocate';
import { deleteSlivers } from './handlers/delete';
import { describe } from './handlers/describe';
import { getVersion } from './handlers/get-version';
import { listResources } from './handlers/list-resources';
import { performOperationalAction } from './handlers/perform-operational-action';
import { provision } from './handlers/provision';
import { renew } from './handlers/renew';
import { shutdown } from './handlers/shutdown';
import { status } from './handlers/status';

/** XML-RPC "requested method not found" (specification for fault code interoperability). */
export const FAULT_METHOD_NOT_FOUND = -32601;

interface MethodEntry {
  /** Parameter names in order, for BADARGS messages; GetVersion's options are optional. */
  params: string[];
  minParams?: number;
  handler: MethodHandler;
}

const V3_METHODS: Record<string, MethodEntry> = {
  GetVersion: { params: ['options'], minParams: 0, handler: (env, params) => {
    if (params.length === 1 && !isStruct(params[0])) {
      throw badArgs('GetVersion: options must be a struct');
    }
    return getVersion(env);
  } },
  ListResources: { params: ['credentials', 'options'], handler: listResources },
  Describe: { params: ['urns', 'credentials', 'options'], handler: describe },
  Allocate: { params: ['slice_urn', 'credentials', 'rspec', 'options'], handler: allocate },
  Renew: { params: ['urns', 'credentials', 'expiration_time', 'options'], handler: renew },
  Provision: { params: ['urns', 'credentials', 'options'], handler: provision },
  Status: { params: ['urns', 'credentials', 'options'], handler: status },
  PerformOperationalAction: { params: ['urns', 'credentials', 'action', 'options'], handler: performOperationalAction },
  Delete: { params: ['urns', 'credentials', 'options'], handler: deleteSlivers },
  Shutdown: { params: ['slice_urn', 'credentials', 'options'], handler: shutdown },
};

/**
 * Runs one v3 call against the aggregate state and returns the whole return struct. Unknown methods are an
 * XML-RPC-level problem (Fault -32601); everything else, including a wrong parameter count, is the v3 struct.
 */
export function callV3(env: AggregateEnv, method: string, params: XmlRpcValue[], call: CallContext): XmlRpcValue {
  const entry = Object.hasOwn(V3_METHODS, method) ? V3_METHODS[method] : undefined;
  const faultCode = env.personality.v3?.faultCode;
  if (!entry) throw new XmlRpcFault(faultCode ?? FAULT_METHOD_NOT_FOUND, `method ${JSON.stringify(method)} is not an AM API v3 method`);
  try {
    const min = entry.minParams ?? entry.params.length;
    if (params.length < min || params.length > entry.params.length) {
      const expected = min === entry.params.length ? `${min}` : `${min} to ${entry.params.length}`;
      throw malformed(`${method} takes ${expected} parameters (${entry.params.join(', ')}), got ${params.length}`);
    }
    env.model.settle(call.now);
    return successEnvelope(entry.handler(env, params, call));
  } catch (err) {
    if (err instanceof MalformedCall && env.personality.malformedCalls === 'fault') throw new XmlRpcFault(faultCode ?? FAULT_INVALID_PARAMS, err.message);
    if (err instanceof CredentialRefusal && env.personality.v3?.credentialRefusal === 'error') {
      return errorEnvelope(new AmError(GENI_CODE.ERROR, `Insufficient privileges: ${err.message}`), env.faults);
    }
    if (err instanceof AmError) return errorEnvelope(err, env.faults);
    if (err instanceof XmlRpcFault) throw err;
    // Our own bug: still answer in the v3 shape, with what went wrong, rather than a bare transport error.
    const message = err instanceof Error ? err.message : String(err);
    return errorEnvelope(new AmError(GENI_CODE.SERVERERROR, `internal error in the reference aggregate: ${message}`), env.faults);
  }
}

/** The dispatcher for the /am/3 route: the server hands us method, params and the TLS peer. */
export function v3Dispatcher(env: AggregateEnv, clock: () => Date): XmlRpcDispatcher {
  return async (method, params, ctx) => callV3(env, method, params, { clientCertPem: ctx.peer.certPem, now: clock() });
}

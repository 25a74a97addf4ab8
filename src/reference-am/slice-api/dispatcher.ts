import { XmlRpcFault, type XmlRpcDispatcher } from '../../server';
import { isStruct, type XmlRpcValue } from '../../xmlrpc';
import { AmError, CredentialRefusal, FAULT_INVALID_PARAMS, GENI_CODE, MalformedCall, badArgs, malformed } from '../am-error';
import type { AggregateEnv } from '../env';
import { AM_TYPE_NAMESPACE } from '../envelope';
import type { Options } from '../options';
import type { SliceApi, SliceApiHandler, SliceCall } from './call';
import { v2Envelope } from './v2-envelope';
import { createSliver } from './create-sliver';
import { deleteSliver } from './delete-sliver';
import { sliceApiGetVersion } from './get-version';
import { sliceApiListResources } from './list-resources';
import { renewSliver } from './renew-sliver';
import { sliceApiShutdown } from './shutdown';
import { sliverStatus } from './sliver-status';
import { updateSliver } from './update-sliver';

/** XML-RPC "requested method not found" (specification for fault code interoperability). */
const FAULT_METHOD_NOT_FOUND = -32601;

interface SliceMethod {
  /** Positional parameter names before the options struct. */
  args: string[];
  /** v1 takes options only on ListResources (change set A); v2 on every method. */
  v1Options?: boolean;
  handler: SliceApiHandler;
  /** Only on the v2 endpoint and only when switched on: the draft UpdateSliver. */
  draft?: 'updateSliver';
}

const METHODS: Record<string, SliceMethod> = {
  ListResources: { args: ['credentials'], v1Options: true, handler: sliceApiListResources },
  CreateSliver: { args: ['slice_urn', 'credentials', 'rspec', 'users'], handler: createSliver },
  DeleteSliver: { args: ['slice_urn', 'credentials'], handler: deleteSliver },
  SliverStatus: { args: ['slice_urn', 'credentials'], handler: sliverStatus },
  RenewSliver: { args: ['slice_urn', 'credentials', 'expiration_time'], handler: renewSliver },
  Shutdown: { args: ['slice_urn', 'credentials'], handler: sliceApiShutdown },
  UpdateSliver: { args: ['slice_urn', 'credentials', 'rspec', 'users'], handler: updateSliver, draft: 'updateSliver' },
};

function lookUp(env: AggregateEnv, api: SliceApi, method: string): SliceMethod | 'GetVersion' {
  if (method === 'GetVersion') return 'GetVersion';
  const entry = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
  if (entry && !(entry.draft === 'updateSliver' && (api !== 2 || !env.updateSliver))) return entry;
  throw new XmlRpcFault(env.personality.sliceApi?.faultCode ?? FAULT_METHOD_NOT_FOUND, `method ${JSON.stringify(method)} is not an AM API v${api} method here`);
}

/** Splits params into positional arguments and options, checking the count (BADARGS) and the options type. */
function splitParams(method: string, entry: SliceMethod, api: SliceApi, params: XmlRpcValue[]): { args: XmlRpcValue[]; options: Options } {
  const takesOptions = api === 2 || entry.v1Options === true;
  const names = takesOptions ? [...entry.args, 'options'] : entry.args;
  if (params.length !== names.length) {
    throw malformed(`${method} takes ${names.length} parameters (${names.join(', ')}), got ${params.length}`);
  }
  if (!takesOptions) return { args: params, options: {} };
  const options = params[params.length - 1];
  if (!isStruct(options)) throw badArgs(`${method}: options must be a struct`);
  return { args: params.slice(0, -1), options };
}

/** Runs one v1 or v2 call; returns the handler's result or throws AmError / XmlRpcFault. */
function run(env: AggregateEnv, method: string, params: XmlRpcValue[], call: SliceCall) {
  const entry = lookUp(env, call.api, method);
  if (entry === 'GetVersion') {
    // Options are optional on GetVersion (v2), and v1 clients that send one anyway are not turned away.
    if (params.length > 1) throw malformed(`GetVersion takes at most an options struct, got ${params.length} parameters`);
    if (params.length === 1 && !isStruct(params[0])) throw badArgs('GetVersion takes at most an options struct');
    return sliceApiGetVersion(env, call.api);
  }
  const { args, options } = splitParams(method, entry, call.api, params);
  env.model.settle(call.now);
  return entry.handler(env, args, options, call);
}

function internalError(err: unknown): AmError {
  const message = err instanceof Error ? err.message : String(err);
  return new AmError(GENI_CODE.SERVERERROR, `internal error in the reference aggregate: ${message}`);
}

/**
 * AM API v1: the plain return value; every error is an XML-RPC Fault whose faultCode is the GENI code (gcf's
 * v1 Faults carry no standard code, so we use the one table there is) and whose faultString says what went
 * wrong. The v1-error-as-struct fault answers a v2-style struct instead.
 */
export function callV1(env: AggregateEnv, method: string, params: XmlRpcValue[], call: Omit<SliceCall, 'api'>): XmlRpcValue {
  try {
    return run(env, method, params, { ...call, api: 1 }).value;
  } catch (err) {
    if (err instanceof XmlRpcFault) throw err;
    if (err instanceof MalformedCall && env.personality.malformedCalls === 'fault') throw new XmlRpcFault(env.personality.sliceApi?.faultCode ?? FAULT_INVALID_PARAMS, err.message);
    const error = err instanceof AmError ? err : internalError(err);
    if (env.faults.has('v1-error-as-struct')) {
      return { code: { geni_code: error.geniCode, am_type: AM_TYPE_NAMESPACE, am_code: error.geniCode }, output: error.message };
    }
    throw new XmlRpcFault((env.faults.has('v1-text-fault-codes') ? textFaultCode(error.geniCode) : undefined) ?? error.geniCode, error.message);
  }
}

/** AM API v2: every answer, error or not, is the { code, value, output } struct; only unknown methods Fault. */
export function callV2(env: AggregateEnv, method: string, params: XmlRpcValue[], call: Omit<SliceCall, 'api'>): XmlRpcValue {
  try {
    return v2Envelope(run(env, method, params, { ...call, api: 2 }), env.faults);
  } catch (err) {
    if (err instanceof XmlRpcFault) throw err;
    if (err instanceof MalformedCall && env.personality.malformedCalls === 'fault') throw new XmlRpcFault(env.personality.sliceApi?.faultCode ?? FAULT_INVALID_PARAMS, err.message);
    if (err instanceof CredentialRefusal && env.personality.sliceApi?.credentialRefusal === 'error') {
      return v2Envelope(new AmError(GENI_CODE.ERROR, `Insufficient privileges: ${err.message}`), env.faults);
    }
    return v2Envelope(err instanceof AmError ? err : internalError(err), env.faults);
  }
}

export function v1Dispatcher(env: AggregateEnv, clock: () => Date): XmlRpcDispatcher {
  return async (method, params, ctx) => callV1(env, method, params, { clientCertPem: ctx.peer.certPem, now: clock() });
}

/**
 * The text gcf's am1 raises as a faultCode (fault v1-text-fault-codes): Fault('No such slice.', …) for an unknown
 * slice, Fault('Insufficient privileges', …) for a refused credential. Its other errors are exceptions, which Python's
 * dispatcher turns into Fault 1: those keep their int code here.
 */
function textFaultCode(geniCode: number): string | undefined {
  if (geniCode === GENI_CODE.SEARCHFAILED) return 'No such slice.';
  const refusedCredential: number[] = [GENI_CODE.FORBIDDEN, GENI_CODE.CREDENTIAL_MISMATCH, GENI_CODE.CREDENTIAL_EXPIRED];
  return refusedCredential.includes(geniCode) ? 'Insufficient privileges' : undefined;
}

export function v2Dispatcher(env: AggregateEnv, clock: () => Date): XmlRpcDispatcher {
  return async (method, params, ctx) => callV2(env, method, params, { clientCertPem: ctx.peer.certPem, now: clock() });
}

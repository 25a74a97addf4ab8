import { XmlRpcFault } from '../server';
import type { XmlRpcValue } from '../xmlrpc';
import type { AmError } from './am-error';
import type { FaultSet } from './faults';
import type { HandlerResult } from './env';

/** The namespace of am_code (geni-am-types.xml style); am_code repeats geni_code since we have no finer codes. */
export const AM_TYPE_NAMESPACE = 'geni-harness';

/** The v3 return struct for a success: { code: { geni_code: 0, … }, value, output }. */
export function successEnvelope(result: HandlerResult): Record<string, XmlRpcValue> {
  return {
    code: { geni_code: 0, am_type: AM_TYPE_NAMESPACE, am_code: 0 },
    value: result.value,
    output: result.output ?? '',
    ...result.topLevel,
  };
}

/**
 * The v3 return struct for an application error, never an XML-RPC Fault (v2+), with the message in `output`
 * and any hint in `value`. The error-as-fault and output-missing-on-error faults deviate here.
 */
export function errorEnvelope(error: AmError, faults: FaultSet): Record<string, XmlRpcValue> {
  if (faults.has('error-as-fault')) throw new XmlRpcFault(error.geniCode, error.message);
  const envelope: Record<string, XmlRpcValue> = {
    code: { geni_code: error.geniCode, am_type: AM_TYPE_NAMESPACE, am_code: error.geniCode },
    value: error.hint,
    output: error.message,
  };
  if (faults.has('output-missing-on-error')) delete envelope.output;
  return envelope;
}

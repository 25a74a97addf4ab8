import type { XmlRpcValue } from '../../xmlrpc';
import type { AmError } from '../am-error';
import type { HandlerResult } from '../env';
import { AM_TYPE_NAMESPACE } from '../envelope';
import type { FaultSet } from '../faults';

/**
 * The v2 return struct (change set B as adopted): { code: { geni_code, am_type, am_code }, value, output }, plus
 * any top-level extras (GetVersion's geni_api). Errors are this struct too, never Faults. The
 * v2-draft-code-shape fault is an aggregate written against the draft v13 of change set B: `code` a bare
 * integer, and `option` where the adopted text has `output`.
 */
export function v2Envelope(outcome: HandlerResult | AmError, faults: FaultSet): Record<string, XmlRpcValue> {
  const isError = outcome instanceof Error;
  const geniCode = isError ? outcome.geniCode : 0;
  const value: XmlRpcValue = isError ? outcome.hint : outcome.value;
  const output = isError ? outcome.message : (outcome.output ?? '');
  const topLevel = isError ? {} : (outcome.topLevel ?? {});
  if (faults.has('v2-draft-code-shape')) return { code: geniCode, value, option: output, ...topLevel };
  return { code: { geni_code: geniCode, am_type: AM_TYPE_NAMESPACE, am_code: geniCode }, value, output, ...topLevel };
}

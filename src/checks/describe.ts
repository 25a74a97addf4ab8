import { formatValue, type Finding } from '../core';
import { formatCode } from '../geni/error-codes';
import type { AmResponse } from '../geni/methods';

/** How an answer reads on the Actual line: the code and a short output, or the fault, or the odd value. */
export function describeAnswer(res: AmResponse): string {
  if (res.fault) return `XML-RPC Fault ${res.fault.faultCode}: ${formatValue(res.fault.faultString, 80)}`;
  const env = res.envelope;
  if (!env) return `not a return struct: ${formatValue(res.raw, 80)}`;
  const output = typeof env.output === 'string' && env.output !== '' ? `; output=${formatValue(env.output, 80)}` : '';
  if (env.geniCode === undefined) return `code=${formatValue(env.code, 80)}${output}`;
  return `geni_code ${formatCode(env.geniCode)}${output}`;
}

/** Fills the fields every finding about one response shares. */
export function findingFor(
  res: AmResponse,
  f: Omit<Finding, 'exchangeIds'> & { exchangeIds?: string[] },
): Finding {
  return { ...f, exchangeIds: f.exchangeIds ?? [res.exchangeId] };
}

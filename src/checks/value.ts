import type { AmResponse } from '../geni/methods';
import type { Check } from '../core';
import { findingFor } from './describe';
import { schemaFindings, type SchemaId } from './json-schemas';
import { resolvePath } from './paths';

/**
 * The value at `at` (default: the return struct's value; '' for v1's plain return) matches a JSON schema in
 * schemas/json.
 * An absent value is one finding; a present one gets a finding per schema violation.
 */
export function valueMatches(schemaId: SchemaId, at = 'value'): Check<AmResponse> {
  return (res, ctx) => {
    const [target] = resolvePath(res.raw, at);
    if (!target?.present) {
      return [findingFor(res, {
        check: 'json-schema', title: 'Value does not match the documented structure',
        expected: [`a value matching ${schemaId}`], actual: res.fault ? 'XML-RPC Fault (no value)' : 'member absent', path: at || '(return value)', spec: ctx.spec,
      })];
    }
    return schemaFindings(schemaId, target.value, { root: at, spec: ctx.spec, exchangeIds: [res.exchangeId] });
  };
}

import { formatValue } from '../core';
import type { AmResponse } from '../geni/methods';
import { urnProblems } from '../geni/urn';
import type { Check } from '../core';
import { findingFor } from './describe';
import { resolvePath } from './paths';

const CHECK = 'urn';
const SPEC = 'identifiers#URNs';

export const urn = {
  /** Every value at `path` is a well-formed GENI URN of `type` ('slice', 'sliver', 'node', …). */
  ofType(path: string, type: string, opts: { optional?: boolean } = {}): Check<AmResponse> {
    const expected = [`a GENI URN of type ${type} (urn:publicid:IDN+<authority>+${type}+<name>)`];
    return (res) =>
      resolvePath(res.raw, path).flatMap((r) => {
        if (!r.present) {
          return opts.optional ? [] : [findingFor(res, { check: CHECK, title: 'Required URN is missing', expected, actual: 'member absent', path: r.path, spec: SPEC })];
        }
        const problems = typeof r.value === 'string' ? urnProblems(r.value, type) : ['not a string'];
        return problems.length === 0
          ? []
          : [findingFor(res, { check: CHECK, title: 'Malformed URN', expected, actual: formatValue(r.value), path: r.path, spec: SPEC, hint: problems.join('; ') })];
      });
  },
};

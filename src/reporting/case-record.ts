import type { CaseResult } from '../runner/types';

/** The declarative part of a case as every JSON report shows it: what was tested, in which suite. */
export function caseRecord(result: CaseResult) {
  return {
    id: result.id,
    ...(result.variant && { variant: result.variant }),
    title: result.title,
    requirement: result.requirement,
    level: result.level,
    spec: result.spec,
    suite: result.suite,
    ...(result.api !== undefined && { api: result.api }),
    tags: result.tags,
  };
}

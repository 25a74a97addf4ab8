import type { CaseDefinition } from './types';

type Defaults = Partial<Pick<CaseDefinition, 'api' | 'tags' | 'spec' | 'level'>>;
type CaseInput = Omit<CaseDefinition, 'api' | 'level' | 'tags' | 'spec'> & Partial<Pick<CaseDefinition, 'api' | 'level' | 'tags' | 'spec'>>;

/**
 * Declares a group of cases sharing defaults (API versions, tags, anchors, level). Tags and anchors are merged:
 * group first, then the case's own. A suites/<version>/<area>.cases.ts file default-exports the result; the
 * registry discovers those files, so there is no hand-maintained list of cases.
 */
export function defineCases(defaults: Defaults, cases: CaseInput[]): CaseDefinition[] {
  return cases.map((c) => ({
    ...c,
    api: c.api ?? defaults.api ?? [3],
    level: c.level ?? defaults.level ?? 'MUST',
    tags: [...new Set([...(defaults.tags ?? []), ...(c.tags ?? [])])],
    spec: [...new Set([...(c.spec ?? []), ...(defaults.spec ?? [])])],
  }));
}

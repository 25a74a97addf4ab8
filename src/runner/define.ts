import type { CaseDefinition, SuiteDefinition } from './types';

type Defaults = Partial<Pick<CaseDefinition, 'tags' | 'spec' | 'level'>>;
type CaseInput<Ctx> = Omit<CaseDefinition<Ctx>, 'suites' | 'level' | 'tags' | 'spec'> & Partial<Pick<CaseDefinition<Ctx>, 'level' | 'tags' | 'spec'>>;

/**
 * Declares a group of cases of one suite (or of several suites sharing a context type, e.g. `[am1, am2, am3]`),
 * with shared defaults (tags, anchors, level). Tags and anchors are merged: group first, then the case's own. A
 * suites/**\/*.cases.ts file default-exports the result; the registry discovers those files, so there is no
 * hand-maintained list of cases. The suite gives the body its context type.
 */
export function defineCases<Ctx>(
  suites: SuiteDefinition<Ctx> | ReadonlyArray<SuiteDefinition<Ctx>>,
  defaults: Defaults,
  cases: Array<CaseInput<Ctx>>,
): Array<CaseDefinition<Ctx>> {
  const list: ReadonlyArray<SuiteDefinition<Ctx>> = isSuiteList(suites) ? suites : [suites];
  return cases.map((c) => ({
    ...c,
    suites: list,
    level: c.level ?? defaults.level ?? 'MUST',
    tags: [...new Set([...(defaults.tags ?? []), ...(c.tags ?? [])])],
    spec: [...new Set([...(c.spec ?? []), ...(defaults.spec ?? [])])],
  }));
}

function isSuiteList<Ctx>(suites: SuiteDefinition<Ctx> | ReadonlyArray<SuiteDefinition<Ctx>>): suites is ReadonlyArray<SuiteDefinition<Ctx>> {
  return Array.isArray(suites);
}

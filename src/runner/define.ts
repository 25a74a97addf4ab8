import type { Level } from '../core';
import { strongestLevel, type RequirementId } from '../geni/requirements';
import type { CaseDefinition, SuiteDefinition } from './types';

type Defaults = Partial<Pick<CaseDefinition, 'tags' | 'spec' | 'level' | 'requirements'>>;
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
  return cases.map((c) => {
    const requirements = [...new Set([...(c.requirements ?? []), ...(defaults.requirements ?? [])])];
    return {
      ...c,
      suites: list,
      requirements,
      level: c.level ?? levelOf(requirements) ?? defaults.level ?? 'MUST',
      tags: [...new Set([...(defaults.tags ?? []), ...(c.tags ?? [])])],
      spec: [...new Set([...(c.spec ?? []), ...(defaults.spec ?? [])])],
    };
  });
}

/** A case's level from the requirements it checks: the strongest of them (a MAY alone grades as SHOULD). */
function levelOf(requirements: readonly RequirementId[]): Level | undefined {
  const strongest = strongestLevel(requirements);
  return strongest === undefined ? undefined : strongest === 'MUST' ? 'MUST' : 'SHOULD';
}

function isSuiteList<Ctx>(suites: SuiteDefinition<Ctx> | ReadonlyArray<SuiteDefinition<Ctx>>): suites is ReadonlyArray<SuiteDefinition<Ctx>> {
  return Array.isArray(suites);
}

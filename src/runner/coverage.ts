import { REQUIREMENTS, levelWithin, strongestLevel, type Requirement, type RequirementId, type RequirementLevel } from '../geni/requirements';
import type { CaseDefinition } from './types';

/** One catalogued requirement with the cases that check it. */
export interface RequirementCoverage extends Requirement {
  id: RequirementId;
  /** Ids of the cases that name it in `requirements`. */
  cases: string[];
}

export interface LevelCoverage {
  total: number;
  covered: number;
  /** covered / total, as a percentage with one decimal (100 when there are none). */
  percent: number;
}

export interface CoverageReport {
  requirements: RequirementCoverage[];
  /** Requirements no case names, each with the catalogue's reason (`uncovered`), or none given. */
  uncovered: Array<{ id: RequirementId; level: RequirementLevel; reason?: string }>;
  byLevel: Record<RequirementLevel, LevelCoverage>;
  /** Cases of the AM suites that name no requirement (the catalogue test keeps this empty). */
  casesWithoutRequirements: string[];
}

const AM_SUITES = new Set(['am1', 'am2', 'am3']);

/**
 * Which requirements the cases check: the data behind `geni-harness coverage`. A requirement counts as covered
 * when at least one case names it; cases of suites outside the AM API (sm, dynslice) cite the SFA and ProtoGENI
 * sources instead and are not expected to name any.
 */
export function requirementCoverage(cases: ReadonlyArray<CaseDefinition<unknown>>, catalogue: Readonly<Record<string, Requirement>> = REQUIREMENTS): CoverageReport {
  const citing = new Map<string, string[]>();
  for (const c of cases) {
    for (const id of c.requirements ?? []) citing.set(id, [...(citing.get(id) ?? []), c.id]);
  }
  const requirements = Object.entries(catalogue).map(([id, r]) => ({ ...r, id: id as RequirementId, cases: citing.get(id) ?? [] }));
  const byLevel = {} as Record<RequirementLevel, LevelCoverage>;
  for (const level of ['MUST', 'SHOULD', 'MAY'] as const) {
    const of = requirements.filter((r) => r.level === level);
    const covered = of.filter((r) => r.cases.length > 0).length;
    byLevel[level] = { total: of.length, covered, percent: of.length === 0 ? 100 : Math.round((1000 * covered) / of.length) / 10 };
  }
  return {
    requirements,
    uncovered: requirements.filter((r) => r.cases.length === 0).map((r) => ({ id: r.id, level: r.level, ...(r.uncovered === undefined ? {} : { reason: r.uncovered }) })),
    byLevel,
    casesWithoutRequirements: cases.filter((c) => c.suites.some((s) => AM_SUITES.has(s.name)) && (c.requirements ?? []).length === 0).map((c) => c.id),
  };
}

/**
 * The cases graded stricter than the text they enforce: a MUST case needs a MUST requirement among those it
 * names, a SHOULD case at least a SHOULD one (a permission, MAY, grades nothing).
 */
export function casesStricterThanTheirRequirements(cases: ReadonlyArray<CaseDefinition<unknown>>): string[] {
  return cases.flatMap((c) => {
    const ids = (c.requirements ?? []) as RequirementId[];
    if (ids.length === 0) return [];
    const limit = strongestLevel(ids) ?? 'MAY';
    return levelWithin(c.level, limit) && limit !== 'MAY' ? [] : [`${c.id}: ${c.level} but its requirements are at most ${limit}`];
  });
}

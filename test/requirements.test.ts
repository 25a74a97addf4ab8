import { beforeAll, describe, expect, it } from 'vitest';
import { REQUIREMENTS, isRequirementId, strongestLevel, type Requirement } from '../src/geni/requirements';
import { isSpecRef } from '../src/geni/spec-anchors';
import { casesStricterThanTheirRequirements, requirementCoverage } from '../src/runner/coverage';
import { defineCases } from '../src/runner/define';
import { loadCases } from '../src/runner/registry';
import type { CaseDefinition, SuiteDefinition } from '../src/runner/types';

/** The requirements catalogue (src/geni/requirements.ts) and how cases cite it. */

let cases: Array<CaseDefinition<unknown>> = [];
beforeAll(async () => {
  cases = await loadCases();
});

const entries = Object.entries(REQUIREMENTS) as Array<[string, Requirement]>;
const AM_SUITES = new Set(['am1', 'am2', 'am3']);

describe('the requirements catalogue', () => {
  it('every record quotes a text, says where it was read, and names an anchor of SPEC and the versions it governs', () => {
    const bad = entries.filter(([, r]) => r.text.trim() === '' || r.seen.trim() === '' || !isSpecRef(r.anchor) || r.api.length === 0).map(([id]) => id);
    expect(bad).toEqual([]);
  });

  it('ids are <page>.<topic>.<slug> in kebab case', () => {
    expect(entries.map(([id]) => id).filter((id) => !/^[a-z0-9-]+\.[a-z0-9-]+\.[a-z0-9-]+$/.test(id))).toEqual([]);
  });

  it('a reason why a requirement is uncovered is given only where no case cites it', () => {
    const cited = new Set(cases.flatMap((c) => c.requirements ?? []));
    expect(entries.filter(([id, r]) => r.uncovered !== undefined && cited.has(id as never)).map(([id]) => id)).toEqual([]);
  });

  it('every MUST or SHOULD requirement no case cites says why', () => {
    const cited = new Set<string>(cases.flatMap((c) => c.requirements ?? []));
    expect(entries.filter(([id, r]) => r.level !== 'MAY' && !cited.has(id) && r.uncovered === undefined).map(([id]) => id)).toEqual([]);
  });
});

describe('cases cite the catalogue', () => {
  it('every case of the AM suites names at least one requirement, and every id it names is catalogued', () => {
    expect(cases.filter((c) => c.suites.some((s) => AM_SUITES.has(s.name)) && (c.requirements ?? []).length === 0).map((c) => c.id)).toEqual([]);
    expect(cases.flatMap((c) => (c.requirements ?? []).filter((id) => !isRequirementId(id)).map((id) => `${c.id}: ${id}`))).toEqual([]);
  });

  it('no case is graded stricter than the strongest requirement it cites', () => {
    expect(casesStricterThanTheirRequirements(cases)).toEqual([]);
  });

  it('a case cites requirements of the API versions it runs in', () => {
    const mismatched = cases.flatMap((c) => {
      const apis = c.suites.map((s) => s.api).filter((a) => a !== undefined);
      return (c.requirements ?? []).filter((id) => !REQUIREMENTS[id].api.some((a) => apis.includes(a))).map((id) => `${c.id} (${apis.join(',')}): ${id} governs ${REQUIREMENTS[id].api.join(',')}`);
    });
    expect(mismatched).toEqual([]);
  });

  it('finds a case stricter than its requirements, and derives a case level from its requirements (fixtures)', () => {
    const suite: SuiteDefinition<unknown> = { name: 'am3', title: 't', api: 3, locate: () => Promise.resolve({ url: 'x' }), open: () => ({ context: {}, release: () => Promise.resolve([]) }) };
    const run = (): Promise<void> => Promise.resolve();
    const fixtures = defineCases(suite, {}, [
      { id: 'am3.x.should-only', title: 't', requirement: 'r', requirements: ['v3d.listresources.available'], run },
      { id: 'am3.x.too-strict', title: 't', requirement: 'r', requirements: ['v3d.listresources.available'], level: 'MUST', run },
      { id: 'am3.x.permission-only', title: 't', requirement: 'r', requirements: ['v3.describe.empty-slice-slivers'], run },
      { id: 'am3.x.mixed', title: 't', requirement: 'r', requirements: ['v3d.listresources.available', 'v3.describe.unknown-sliver'], run },
    ]);
    expect(fixtures.map((c) => c.level)).toEqual(['SHOULD', 'MUST', 'SHOULD', 'MUST']);
    expect(casesStricterThanTheirRequirements(fixtures).map((v) => v.split(':')[0])).toEqual(['am3.x.too-strict', 'am3.x.permission-only']);
    expect(strongestLevel(['v3.describe.empty-slice-slivers', 'v3d.listresources.available'])).toBe('SHOULD');
  });
});

describe('coverage', () => {
  it('counts a requirement as covered when a case cites it, per level, and lists the rest with their reasons', () => {
    const catalogue: Record<string, Requirement> = {
      'a.b.must-covered': { text: 't', level: 'MUST', anchor: 'am3#Allocate', api: [3], seen: 's' },
      'a.b.must-open': { text: 't', level: 'MUST', anchor: 'am3#Allocate', api: [3], seen: 's', uncovered: 'why' },
      'a.b.should-open': { text: 't', level: 'SHOULD', anchor: 'am3#Allocate', api: [3], seen: 's' },
    };
    const fixture = [{ id: 'am3.x.y', requirements: ['a.b.must-covered'], suites: [{ name: 'am3' }] }] as unknown as Array<CaseDefinition<unknown>>;
    const report = requirementCoverage(fixture, catalogue);
    expect(report.byLevel.MUST).toEqual({ total: 2, covered: 1, percent: 50 });
    expect(report.byLevel.SHOULD).toEqual({ total: 1, covered: 0, percent: 0 });
    expect(report.uncovered).toEqual([{ id: 'a.b.must-open', level: 'MUST', reason: 'why' }, { id: 'a.b.should-open', level: 'SHOULD' }]);
    expect(report.requirements.find((r) => (r.id as string) === 'a.b.must-covered')?.cases).toEqual(['am3.x.y']);
  });
});

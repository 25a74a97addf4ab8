import { beforeAll, describe, expect, it } from 'vitest';
import { isSpecRef } from '../src/geni/spec-anchors';
import { REFERENCE_FAULTS } from '../src/reference-am/faults';
import { SM_FAULTS } from '../src/reference-sm';
import { CLIENT_ENDPOINT_FAULTS } from '../src/reference-dynslice-client';
import { loadCases } from '../src/runner/registry';
import { TAGS, type CaseDefinition } from '../src/runner/types';
import { RETIRED_IDS } from '../suites/retired-ids';

/** The "lint" for cases (STYLE.md B3): every closed vocabulary a case uses is checked here, not by review. */

/** `<suite>.<area>.<slug>` for a case of one suite, `<area>.<slug>` for a case several suites share. */
const SINGLE_SUITE_ID = /^[a-z0-9-]+\.[a-z0-9-]+\.[a-z0-9-]+$/;
const SHARED_ID = /^[a-z0-9-]+\.[a-z0-9-]+$/;
/** The sm suite's run of a v3 case: `sm.v3.` + the v3 id without its `am3.` (suites/sm/v3-contract.cases.ts). */
const REUSED_V3_ID = /^sm\.v3\.[a-z0-9-]+\.[a-z0-9-]+$/;
const KNOWN_TAGS = new Set<string>(TAGS);
const KNOWN_FAULTS = new Set([...REFERENCE_FAULTS, ...SM_FAULTS, ...CLIENT_ENDPOINT_FAULTS].map((f) => f.name));

let cases: Array<CaseDefinition<unknown>> = [];
beforeAll(async () => {
  cases = await loadCases();
});

const violations = (pick: (c: CaseDefinition<unknown>) => string[]): string[] => cases.flatMap((c) => pick(c).map((v) => `${c.id}: ${v}`));

describe('case registry', () => {
  it('finds the v3 suite', () => {
    expect(cases.filter((c) => c.suites.some((s) => s.name === 'am3')).length).toBeGreaterThan(50);
  });

  it('ids are unique and well-formed', () => {
    const ids = cases.map((c) => c.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const wellFormed = (c: (typeof cases)[number]) => (c.suites.length === 1 ? SINGLE_SUITE_ID.test(c.id) || REUSED_V3_ID.test(c.id) : SHARED_ID.test(c.id));
    expect(cases.filter((c) => !wellFormed(c)).map((c) => c.id)).toEqual([]);
  });

  it('the id of a case of one suite starts with the suite; the id of a shared case names no suite', () => {
    const names = new Set(cases.flatMap((c) => c.suites.map((s) => s.name)));
    expect(violations((c) => {
      const first = c.id.split('.')[0]!;
      if (c.suites.length === 1) return first === c.suites[0]!.name ? [] : [`not prefixed by its suite ${c.suites[0]!.name}`];
      return names.has(first) ? [`shared by ${c.suites.map((s) => s.name).join(', ')} but prefixed by ${first}`] : [];
    })).toEqual([]);
  });

  it('no case uses a retired id, and every retired id says where its case went', () => {
    const ids = new Set(cases.map((c) => c.id));
    expect(Object.keys(RETIRED_IDS).filter((id) => ids.has(id))).toEqual([]);
    expect(Object.entries(RETIRED_IDS).filter(([, now]) => !ids.has(now) && !now.startsWith('removed:')).map(([old, now]) => `${old} → ${now}`)).toEqual([]);
  });

  it('every case cites at least one anchor, and every anchor is in SPEC', () => {
    expect(violations((c) => (c.spec.length === 0 ? ['no anchor'] : c.spec.filter((a) => !isSpecRef(a))))).toEqual([]);
  });

  it('every tag is in TAGS', () => {
    expect(violations((c) => c.tags.filter((tag) => !KNOWN_TAGS.has(tag)))).toEqual([]);
  });

  it('every detects name is a fault of the reference AM or the reference SM', () => {
    expect(violations((c) => (c.detects ?? []).filter((d) => !KNOWN_FAULTS.has(d.fault)).map((d) => d.fault))).toEqual([]);
  });

  it('levels are MUST or SHOULD', () => {
    expect(violations((c) => (c.level === 'MUST' || c.level === 'SHOULD' ? [] : [String(c.level)]))).toEqual([]);
  });

  it('titles and requirements are non-empty sentences without a trailing period', () => {
    expect(violations((c) => [c.title, c.requirement].filter((text) => text.trim() === '' || /\.\s*$/.test(text)))).toEqual([]);
  });

  it('every case has a body', () => {
    expect(violations((c) => (typeof c.run === 'function' ? [] : ['no run()']))).toEqual([]);
  });
});

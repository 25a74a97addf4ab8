import { beforeAll, describe, expect, it } from 'vitest';
import { isSpecRef } from '../src/geni/spec-anchors';
import { REFERENCE_FAULTS } from '../src/reference-am/faults';
import { loadCases } from '../src/runner/registry';
import { TAGS, type CaseDefinition } from '../src/runner/types';

/** The "lint" for cases (STYLE.md B3): every closed vocabulary a case uses is checked here, not by review. */

const ID_PATTERN = /^am[123]\.[a-z0-9-]+\.[a-z0-9-]+$/;
const KNOWN_TAGS = new Set<string>(TAGS);
const KNOWN_FAULTS = new Set(REFERENCE_FAULTS.map((f) => f.name));

let cases: CaseDefinition[] = [];
beforeAll(async () => {
  cases = await loadCases();
});

const violations = (pick: (c: CaseDefinition) => string[]): string[] => cases.flatMap((c) => pick(c).map((v) => `${c.id}: ${v}`));

describe('case registry', () => {
  it('finds the v3 suites', () => {
    expect(cases.filter((c) => c.api.includes(3)).length).toBeGreaterThan(50);
  });

  it('ids are unique and well-formed', () => {
    const ids = cases.map((c) => c.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(ids.filter((id) => !ID_PATTERN.test(id))).toEqual([]);
  });

  it('ids name the API versions the case runs against', () => {
    expect(violations((c) => (c.api.includes(Number(c.id[2]) as 1 | 2 | 3) ? [] : [`api ${c.api.join(',')}`]))).toEqual([]);
  });

  it('every case cites at least one anchor, and every anchor is in SPEC', () => {
    expect(violations((c) => (c.spec.length === 0 ? ['no anchor'] : c.spec.filter((a) => !isSpecRef(a))))).toEqual([]);
  });

  it('every tag is in TAGS', () => {
    expect(violations((c) => c.tags.filter((tag) => !KNOWN_TAGS.has(tag)))).toEqual([]);
  });

  it('every detects name is a reference-AM fault', () => {
    expect(violations((c) => (c.detects ?? []).filter((name) => !KNOWN_FAULTS.has(name)))).toEqual([]);
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

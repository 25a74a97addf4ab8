import { describe, expect, it } from 'vitest';
import { globToRegExp, selectCases } from '../../src/runner/registry';
import { defineCases } from '../../src/runner/define';
import { am2, am3 } from '../../src/runner/am-suites';
import { caseSeed } from '../../src/runner/engine';
import { irreversibleAfterEverySuite, irreversibleLast } from '../../src/runner/run';
import { gradeFindings, type Finding } from '../../src/core';

const cases = [
  ...defineCases(am3, { tags: ['smoke'] }, [
    { id: 'am3.getversion.envelope', title: 't', requirement: 'r', run: async () => {} },
    { id: 'am3.allocate.basic', title: 't', requirement: 'r', tags: ['destructive'], run: async () => {} },
  ]),
  ...defineCases(am2, { tags: ['smoke'] }, [{ id: 'am2.getversion.envelope', title: 't', requirement: 'r', run: async () => {} }]),
];

describe('case selection', () => {
  it('globs match whole ids, dots are literal', () => {
    expect(globToRegExp('am3.*').test('am3.getversion.envelope')).toBe(true);
    expect(globToRegExp('am3.*').test('am33.x')).toBe(false);
    expect(globToRegExp('am3.getversion.envelope').test('am3Xgetversion.envelope')).toBe(false);
  });

  it('selects by glob, tag and suite, all at once', () => {
    expect(selectCases(cases, { cases: ['am3.*'] }).map((c) => c.id)).toEqual(['am3.getversion.envelope', 'am3.allocate.basic']);
    expect(selectCases(cases, { tags: ['destructive'] }).map((c) => c.id)).toEqual(['am3.allocate.basic']);
    expect(selectCases(cases, { suites: ['am2'] }).map((c) => c.id)).toEqual(['am2.getversion.envelope']);
    expect(selectCases(cases, {}).length).toBe(3);
  });

  it("leaves out the cases a '!GLOB' names, from the ones the other globs select (or from all)", () => {
    expect(selectCases(cases, { cases: ['!am3.allocate.*'] }).map((c) => c.id)).toEqual(['am3.getversion.envelope', 'am2.getversion.envelope']);
    expect(selectCases(cases, { cases: ['am3.*', '!am3.getversion.*'] }).map((c) => c.id)).toEqual(['am3.allocate.basic']);
    expect(selectCases(cases, { cases: ['!*'] })).toEqual([]);
  });

  it('merges group defaults with the case (tags from both)', () => {
    expect(cases[1]!.tags).toEqual(['smoke', 'destructive']);
    expect(cases[1]!.level).toBe('MUST');
  });
});

describe('grading and seeds', () => {
  const finding = (grade?: 'strict-only'): Finding => ({ check: 'c', title: 't', expected: ['a'], actual: 'b', exchangeIds: [], grade });

  it('a MUST case with a finding fails; a SHOULD case warns; strict turns warnings into failures', () => {
    expect(gradeFindings('MUST', [], false).kind).toBe('pass');
    expect(gradeFindings('MUST', [finding()], false).kind).toBe('fail');
    expect(gradeFindings('SHOULD', [finding()], false).kind).toBe('warn');
    expect(gradeFindings('SHOULD', [finding()], true).kind).toBe('fail');
  });

  it('a strict-only finding (a refusal with a non-preferred code) warns unless strict', () => {
    expect(gradeFindings('MUST', [finding('strict-only')], false).kind).toBe('warn');
    expect(gradeFindings('MUST', [finding('strict-only')], true).kind).toBe('fail');
    expect(gradeFindings('MUST', [finding('strict-only'), finding()], false).kind).toBe('fail');
  });

  it('case seeds are stable per run seed and case id, and differ between cases', () => {
    expect(caseSeed(7, 'am3.a.b')).toBe(caseSeed(7, 'am3.a.b'));
    expect(caseSeed(7, 'am3.a.b')).not.toBe(caseSeed(7, 'am3.a.c'));
    expect(caseSeed(8, 'am3.a.b')).not.toBe(caseSeed(7, 'am3.a.b'));
  });
});

describe('run order', () => {
  it('puts the irreversible (shutdown) cases after every other case of a suite, keeping the order otherwise', () => {
    const c = (id: string, ...tags: string[]) => ({ id, tags });
    expect(irreversibleLast([c('a', 'shutdown'), c('b'), c('c', 'shutdown', 'allocate'), c('d')]).map((x) => x.id)).toEqual(['b', 'd', 'a', 'c']);
  });

  it("every suite's irreversible cases come after every other suite's cases, taking turns (a multi-version aggregate shares its nodes)", () => {
    const c = (id: string, ...tags: string[]) => ({ id, tags });
    const plan = (suite: string, ...cases: Array<ReturnType<typeof c>>) => ({ suite, cases });
    const ordered = irreversibleAfterEverySuite([
      plan('am1', c('a'), c('s1', 'shutdown')), plan('am2', c('b'), c('s2', 'shutdown'), c('t2', 'shutdown')), plan('am3', c('d')), plan('sm', c('s3', 'shutdown'), c('t3', 'shutdown')),
    ]);
    expect(ordered.map((p) => `${p.suite}:${p.cases.map((x) => x.id).join(',')}`)).toEqual(['am1:a', 'am2:b', 'am3:d', 'am1:s1', 'am2:s2', 'sm:s3', 'am2:t2', 'sm:t3']);
  });
});

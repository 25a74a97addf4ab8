import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseXml } from 'libxmljs2';
import type { Element } from 'libxmljs2';
import { describe, expect, it } from 'vitest';
import { buildJUnitXml } from '../../src/reporting/junit';
import { renderHtmlReport } from '../../src/reporting/html';
import { expectationsFrom, judgeExpectation, loadExpectations, type Expectations } from '../../src/runner/expectations';
import { summarize } from '../../src/runner/summary';
import { ERRORED, FAILED, PASSED, runStarted } from '../reporting/fixtures';

const NOW = new Date('2026-11-29T12:00:00Z');
const FILE: Expectations = {
  [FAILED.id]: { outcome: 'fail', reason: 'ticket 42: duplicate client_id accepted', until: '2027-01-31' },
  [PASSED.id]: { outcome: 'fail', reason: 'was broken last week' },
  [ERRORED.id]: { outcome: 'error', reason: 'ListResources times out', until: '2026-11-01' },
};

describe('expectations', () => {
  it('judges each result against its entry: met, unexpected pass, expired; no entry leaves it alone', () => {
    const judged = [FAILED, PASSED, ERRORED].map((r) => judgeExpectation(r, FILE, NOW));
    expect(judged.map((r) => r.expectation?.status)).toEqual(['met', 'unexpected-pass', 'expired']);
    expect(judged[0]?.outcome).toEqual(FAILED.outcome); // the outcome itself never changes
    expect(judgeExpectation(FAILED, {}, NOW).expectation).toBeUndefined();
    expect(judgeExpectation(FAILED, { [FAILED.id]: { outcome: 'error', reason: 'x' } }, NOW).expectation?.status).toBe('different');
  });

  it('an expected failure does not fail the run; an unexpected pass or an expired entry does', () => {
    expect(summarize([judgeExpectation(FAILED, FILE, NOW)], 1)).toMatchObject({ exitCode: 0, expectations: { met: 1, unexpectedPass: 0, expired: 0 } });
    expect(summarize([judgeExpectation(PASSED, FILE, NOW)], 1).exitCode).toBe(1);
    // an expired expected error is a failure of the run (1), not a harness error (2)... unless graded as usual
    expect(summarize([judgeExpectation(ERRORED, FILE, NOW)], 1).exitCode).toBe(1);
    expect(summarize([FAILED], 1)).not.toHaveProperty('expectations');
  });

  it('shows what was expected in JUnit (a met one skipped with its reason, a contradicted one a failure) and in the HTML', () => {
    const results = [FAILED, PASSED, ERRORED].map((r) => judgeExpectation(r, FILE, NOW));
    const run = runStarted();
    const doc = parseXml(buildJUnitXml([{ run: run.type === 'run-started' ? run : undefined, results }], 'jenkins'));
    const testcase = (id: string): Element => doc.get<Element>(`//testcase[@name='${id}']`)!;
    expect(testcase(FAILED.id).get<Element>('skipped')?.attr('message')?.value()).toBe('expected fail: ticket 42: duplicate client_id accepted (until 2027-01-31)');
    expect(testcase(FAILED.id).find('failure')).toHaveLength(0);
    expect(testcase(PASSED.id).get<Element>('failure')?.attr('type')?.value()).toBe('expectation-unexpected-pass');
    expect(testcase(ERRORED.id).get<Element>('failure')?.attr('message')?.value()).toMatch(/^the expectation expired on 2026-11-01/);
    const html = renderHtmlReport({ run: run.type === 'run-started' ? run : undefined, results, summary: summarize(results, 1) });
    expect(html).toContain('data-expectation="met"');
    expect(html).toContain('<span class="badge expectation-unexpected-pass">unexpected pass</span>');
  });

  it('reads a file and names what is wrong with an entry in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'expect-'));
    const write = (text: string): string => {
      const file = join(dir, `${Math.random()}.json`);
      writeFileSync(file, text);
      return file;
    };
    expect(loadExpectations(write(JSON.stringify(FILE)))).toEqual(FILE);
    for (const [text, message] of [
      ['[]', /must be a JSON object/],
      ['{"a": {"outcome": "pass", "reason": "x"}}', /outcome must be one of fail, error, warn, skip, unsupported/],
      ['{"a": {"outcome": "fail"}}', /reason must say why/],
      ['{"a": {"outcome": "fail", "reason": "x", "until": "next week"}}', /until must be a date YYYY-MM-DD/],
      ['{"a": {"outcome": "fail", "reason": "x", "ticket": 1}}', /unknown key "ticket"/],
      ['{', /could not be read/],
    ] as const) {
      expect(() => loadExpectations(write(text))).toThrow(message);
    }
  });

  it('writes today\'s failures and errors as a starting file, keeping the reasons already given', () => {
    const start = expectationsFrom([PASSED, FAILED, ERRORED, judgeExpectation(FAILED, FILE, NOW)]);
    expect(Object.keys(start)).toEqual([FAILED.id, ERRORED.id]);
    expect(start[ERRORED.id]).toMatchObject({ outcome: 'error', reason: expect.stringMatching(/^TODO: why/) as unknown as string });
    expect(start[FAILED.id]).toEqual({ outcome: 'fail', reason: 'ticket 42: duplicate client_id accepted', until: '2027-01-31' });
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseXml } from 'libxmljs2';
import type { Element } from 'libxmljs2';
import { describe, expect, it } from 'vitest';
import { createJUnitReporter, type JUnitFlavor } from '../../src/reporting';
import type { CaseResult } from '../../src/runner/types';
import { ALL_RESULTS, FAILED, WARNED, exchange, feed, runEvents } from './fixtures';

/** The Jenkins xUnit plugin's schema as shipped in schemas/junit (restated, same constraints). */
const JUNIT_10 = join(import.meta.dirname, '..', '..', 'schemas', 'junit', 'junit-10.xsd');

async function junitFile(events: Parameters<typeof feed>[1], flavor: JUnitFlavor): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'junit-jenkins-')), 'junit.xml');
  await feed(createJUnitReporter({ path, flavor }), events);
  return path;
}

/** xmllint (libxml2's own command line, independent of the harness's code) against junit-10.xsd. */
function xmllint(path: string): { valid: boolean; output: string } {
  const result = spawnSync('xmllint', ['--noout', '--schema', JUNIT_10, path], { encoding: 'utf8' });
  if (result.error) throw new Error(`xmllint could not run (Debian: apt-get install libxml2-utils): ${result.error.message}`);
  return { valid: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

const echoing: CaseResult = {
  ...FAILED,
  id: 'am3.allocate.echoes-cdata',
  outcome: { kind: 'fail', findings: [{ check: 'x', title: 'Echo', expected: ['a]]>b'], actual: 'c]]>d', exchangeIds: ['x1'] }] },
  exchanges: [exchange('x1', 'Allocate')],
  notes: ['a note with <markup> & "quotes"'],
};

describe('--junit-flavor jenkins', () => {
  it('validates against junit-10.xsd for every outcome kind, lenient and strict', async () => {
    for (const strict of [false, true]) {
      const verdict = xmllint(await junitFile(runEvents([...ALL_RESULTS, echoing], { strict }), 'jenkins'));
      expect(verdict.output).toContain('validates');
      expect(verdict.valid, verdict.output).toBe(true);
    }
  });

  it('validates for an interrupted run and for an empty one', async () => {
    expect(xmllint(await junitFile(runEvents(ALL_RESULTS, { finish: false }), 'jenkins')).valid).toBe(true);
    expect(xmllint(await junitFile(runEvents([]), 'jenkins')).valid).toBe(true);
  });

  it('keeps the per-case details in <system-out> and the warn visible there and in the suite count', async () => {
    const doc = parseXml(readFileSync(await junitFile(runEvents([WARNED]), 'jenkins'), 'utf8'));
    const out = doc.get<Element>(`//testcase[@name='${WARNED.id}']/system-out`)?.text() ?? '';
    expect(out).toMatch(/^WARN: /);
    expect(out).toContain(`title: ${WARNED.title}`);
    expect(out).toContain('outcome: warn');
    expect(out).toContain(`transcript: cases/${WARNED.id}.json`);
    expect(doc.get<Element>("//testsuite/properties/property[@name='warnings']")?.attr('value')?.value()).toBe('1');
  });

  it('is needed: the default flavour (testcase properties, skipped on testsuites) does not validate', async () => {
    const verdict = xmllint(await junitFile(runEvents(), 'default'));
    expect(verdict.valid).toBe(false);
    expect(verdict.output).toContain("Element 'testsuites', attribute 'skipped': The attribute 'skipped' is not allowed.");
    expect(verdict.output).toContain("Element 'properties': This element is not expected.");
  });

  it('is a schema that refuses what junit-10 refuses (an undeclared attribute on testcase)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'junit-jenkins-'));
    const path = join(dir, 'bad.xml');
    writeFileSync(path, '<testsuites><testsuite name="s" tests="1" failures="0" errors="0"><testcase name="c" outcome="pass"/></testsuite></testsuites>');
    expect(xmllint(path).valid).toBe(false);
  });
});

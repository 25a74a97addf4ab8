import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parseHtml, parseXml } from 'libxmljs2';
import type { Element } from 'libxmljs2';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core';
import { loadRun, mergeRuns } from '../../src/reporting';
import type { CaseResult } from '../../src/runner/types';
import { ERRORED, FAILED, PASSED, SKIPPED, WARNED, writeRunDir as runDir } from './fixtures';

const SCHEMAS = join(import.meta.dirname, '..', '..', 'schemas');

const passedEverywhere = PASSED;
const failsAtWisc: CaseResult = { ...FAILED, outcome: { kind: 'pass' } };

async function threeRuns(): Promise<{ parent: string; dirs: string[] }> {
  const parent = mkdtempSync(join(tmpdir(), 'merge-'));
  const dirs = [
    await runDir(parent, 'utah', 'utah-pg', [passedEverywhere, failsAtWisc, WARNED]),
    await runDir(parent, 'wisc', 'wisc-ig', [passedEverywhere, FAILED, SKIPPED]),
    await runDir(parent, 'gpo', 'gpo-ig', [passedEverywhere, failsAtWisc, ERRORED]),
  ];
  return { parent, dirs };
}

describe('mergeRuns', () => {
  it('gives one junit.xml whose suites keep their targets, valid for Jenkins, with transcripts pointing into each run', async () => {
    const { parent, dirs } = await threeRuns();
    const out = join(parent, 'merged');
    await mergeRuns(dirs.map(loadRun), { outDir: out, flavor: 'jenkins' });
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    const doc = parseXml(junit);
    expect(doc.find<Element>('//testsuite').map((s) => s.attr('name')?.value())).toEqual(['utah-pg/am3', 'wisc-ig/am3', 'gpo-ig/am3', 'gpo-ig/am2']);
    expect(doc.get<Element>("//testsuite[@name='wisc-ig/am3']/testcase[@name='am3.allocate.rejects-dup-client-id']/failure")).not.toBeNull();
    expect(doc.get<Element>("//testsuite[@name='utah-pg/am3']/testcase[@name='am3.allocate.rejects-dup-client-id']")?.attr('classname')?.value()).toBe('utah-pg/am3.allocate');
    expect(junit).toContain('Transcript: ../wisc/cases/am3.allocate.rejects-dup-client-id.json (x1, x2)');
    const lint = spawnSync('xmllint', ['--noout', '--schema', join(SCHEMAS, 'junit', 'junit-10.xsd'), join(out, 'junit.xml')], { encoding: 'utf8' });
    expect(lint.status, lint.stderr).toBe(0);
  });

  it('gives an HTML compliance matrix: a column per aggregate, a row per case, rows that did not pass first', async () => {
    const { parent, dirs } = await threeRuns();
    const out = join(parent, 'merged');
    const merged = await mergeRuns(dirs.map(loadRun), { outDir: out });
    expect(merged.columns).toEqual(['utah-pg', 'wisc-ig', 'gpo-ig']);
    expect(merged.summary.exitCode).toBe(2); // an error at gpo
    const doc = parseHtml(readFileSync(join(out, 'index.html'), 'utf8'));
    expect(doc.find<Element>('//th[@class="column"]').map((th) => th.attr('data-label')?.value())).toEqual(['utah-pg', 'wisc-ig', 'gpo-ig']);
    const rows = doc.find<Element>('//tr[@class="row"]');
    expect(rows.map((r) => r.attr('data-id')?.value())).toEqual([
      FAILED.id, ERRORED.id, WARNED.id, SKIPPED.id, PASSED.id,
    ]);
    const cells = (id: string): string[] => doc.find<Element>(`//tr[@data-id='${id}']/td`).map((td) => td.attr('data-outcome')?.value() ?? '');
    expect(cells(FAILED.id)).toEqual(['pass', 'fail', 'pass']);
    expect(cells(ERRORED.id)).toEqual(['none', 'none', 'error']);
    expect(doc.get<Element>(`//tr[@data-id='${FAILED.id}']/td[2]/a`)?.attr('href')?.value()).toBe(`../wisc/index.html#case-${FAILED.id}`);
    expect(doc.find('//script[@src] | //link[@href]')).toHaveLength(0);
  });

  it('writes a results.json its schema describes', async () => {
    const { parent, dirs } = await threeRuns();
    const out = join(parent, 'merged');
    await mergeRuns(dirs.map(loadRun), { outDir: out });
    const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
    addFormats(ajv);
    ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, 'reports', 'results.schema.json'), 'utf8')) as object);
    const validate = ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, 'reports', 'merged-results.schema.json'), 'utf8')) as object);
    const doc = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { cases: Array<{ id: string; outcomes: Record<string, string | null> }> };
    expect(validate(doc), ajv.errorsText(validate.errors)).toBe(true);
    expect(doc.cases.find((c) => c.id === SKIPPED.id)?.outcomes).toEqual({ 'utah-pg': null, 'wisc-ig': 'skip', 'gpo-ig': null });
  });

  it('puts shards of one target (one label) in one column', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'merge-'));
    const dirs = [await runDir(parent, 's1', 'utah-pg', [PASSED, WARNED]), await runDir(parent, 's2', 'utah-pg', [FAILED])];
    const merged = await mergeRuns(dirs.map(loadRun), { outDir: join(parent, 'merged') });
    expect(merged.columns).toEqual(['utah-pg']);
    expect(merged.summary).toMatchObject({ total: 3, exitCode: 1, byKind: { pass: 1, warn: 1, fail: 1 } });
  });

  it('refuses two runs that report the same case under one label, and a directory that is not a run', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'merge-'));
    const dirs = [await runDir(parent, 'a', undefined, [PASSED]), await runDir(parent, 'b', 'x', [PASSED])];
    const again = await runDir(parent, 'c', 'x', [PASSED]);
    await expect(mergeRuns([dirs[1]!, again].map(loadRun), { outDir: join(parent, 'm') })).rejects.toThrow(/both report am3.getversion.envelope for target "x": give the runs distinct --target-name/);
    // without a label, the target's own name is the column
    expect(loadRun(dirs[0]!).label).toBe('https://a.example.net:12346/am/3.0');
    expect(() => loadRun(parent)).toThrow(ConfigError);
    rmSync(join(dirs[0]!, 'results.json'));
    expect(() => loadRun(dirs[0]!)).toThrow(/holds no results.json/);
  });
});

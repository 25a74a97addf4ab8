import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { faultCatalog } from '../../src/cli/commands/faults';
import { loadCases } from '../../src/runner/registry';
import { runCli } from '../helpers/cli';

const ROOT = resolve(__dirname, '../..');

/** The real CLI in a scratch working directory (its ledger, authority and run files stay there). */
function cli(args: string[], cwd = mkdtempSync(join(tmpdir(), 'gh-fed-'))) {
  return { ...runCli(args, cwd, 600_000), cwd };
}

interface Results {
  target: { name: string; label?: string; faults: string[]; personality?: string };
  seed: number;
  cases: Array<{ id: string; outcome: { kind: string } }>;
}

// A federation in one run: a configuration listing three aggregates (three embedded reference AMs: one as it is,
// one with a fault, one of another personality) gives each its own run and reports, and one merged report.
describe('geni-harness run with a configuration that lists targets', () => {
  it('runs every target into REPORTS/targets/NAME and merges them: one junit.xml keeping their suites, one matrix with a column each', async () => {
    // A fault its cases grade MUST, so that it fails without --strict.
    const catalog = (await faultCatalog()).find((f) => f.name === 'missing-rspec-version-accepted')!;
    const properties = new Set((await loadCases()).filter((c) => c.tags.includes('property')).map((c) => c.id));
    const detecting = catalog.detectedBy.filter((id) => !properties.has(id) && id.startsWith('am3.'));
    expect(detecting.length).toBeGreaterThan(0);
    const cwd = mkdtempSync(join(tmpdir(), 'gh-fed-'));
    const config = join(cwd, 'federation.json');
    writeFileSync(config, JSON.stringify({
      suites: ['am3'],
      cases: ['am3.getversion.envelope', ...detecting],
      targets: [
        { name: 'ref-plain', target: 'reference' },
        { name: 'ref-faulty', target: 'reference', faults: [catalog.name] },
        { name: 'ref-sparse', target: 'reference', personality: 'sparse' },
      ],
    }));
    const r = cli(['run', '--config', config, '--reports', 'reports', '--seed', '11', '--junit-flavor', 'jenkins'], cwd);
    const output = r.stdout + r.stderr;
    // The fault is seen in its target's column only: exit 1, as merge says for a failure anywhere.
    expect(r.status, output).toBe(1);
    expect(output).not.toMatch(/internal error/);
    expect(r.stdout).toMatch(/federation: 3 targets \(ref-plain, ref-faulty, ref-sparse\), seed 11/);
    for (const name of ['ref-plain', 'ref-faulty', 'ref-sparse']) expect(r.stdout).toMatch(new RegExp(`^ {2}${name}: \\d+ passed, \\d+ failed`, 'm'));

    // Each target's own run: its label, the shared seed, its own settings.
    const reports = join(cwd, 'reports');
    const own = (name: string) => JSON.parse(readFileSync(join(reports, 'targets', name, 'results.json'), 'utf8')) as Results;
    const plain = own('ref-plain');
    const faulty = own('ref-faulty');
    const sparse = own('ref-sparse');
    expect([plain, faulty, sparse].map((run) => [run.target.label, run.seed])).toEqual([['ref-plain', 11], ['ref-faulty', 11], ['ref-sparse', 11]]);
    expect(faulty.target.faults).toEqual([catalog.name]);
    expect(sparse.target.personality).toBe('sparse');
    expect(plain.cases.filter((c) => c.outcome.kind !== 'pass').map((c) => c.id)).toEqual([]);
    expect(sparse.cases.filter((c) => c.outcome.kind === 'fail' || c.outcome.kind === 'error').map((c) => c.id)).toEqual([]);
    expect(faulty.cases.filter((c) => c.outcome.kind === 'fail').length).toBeGreaterThan(0);
    expect(existsSync(join(reports, 'targets', 'ref-faulty.log'))).toBe(true);

    // The merged report: suites keep their targets, a Jenkins-valid junit.xml, a matrix with three columns.
    const junit = readFileSync(join(reports, 'junit.xml'), 'utf8');
    expect([...junit.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1]).sort()).toEqual(['ref-faulty/am3', 'ref-plain/am3', 'ref-sparse/am3']);
    const lint = spawnSync('xmllint', ['--noout', '--schema', join(ROOT, 'schemas/junit/junit-10.xsd'), join(reports, 'junit.xml')], { encoding: 'utf8' });
    expect(lint.status, lint.stderr).toBe(0);
    const merged = JSON.parse(readFileSync(join(reports, 'results.json'), 'utf8')) as { columns: Array<{ label: string }>; cases: Array<{ id: string; outcomes: Record<string, string | null> }> };
    expect(merged.columns.map((c) => c.label)).toEqual(['ref-plain', 'ref-faulty', 'ref-sparse']);
    const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
    addFormats(ajv);
    ajv.addSchema(JSON.parse(readFileSync(join(ROOT, 'schemas/reports/results.schema.json'), 'utf8')) as object, 'results.schema.json');
    const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/reports/merged-results.schema.json'), 'utf8')) as object);
    expect(validate(merged), ajv.errorsText(validate.errors)).toBe(true);
    const envelope = merged.cases.find((c) => c.id === 'am3.getversion.envelope')!;
    expect(envelope.outcomes).toEqual({ 'ref-plain': 'pass', 'ref-faulty': 'pass', 'ref-sparse': 'pass' });
    expect(merged.cases.some((c) => c.outcomes['ref-faulty'] === 'fail' && c.outcomes['ref-plain'] === 'pass')).toBe(true);
    const html = readFileSync(join(reports, 'index.html'), 'utf8');
    for (const name of ['ref-plain', 'ref-faulty', 'ref-sparse']) expect(html).toContain(`targets/${name}/index.html`);
  }, 900_000);

  it('checks every entry before anything starts: a bad one is one line and exit 2', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gh-fed-'));
    const config = join(cwd, 'federation.json');
    writeFileSync(config, JSON.stringify({
      targets: [{ name: 'ok', target: 'reference' }, { name: 'remote', target: 'https://127.0.0.1:9/am/3', cert: 'missing-cert.pem', key: 'missing-key.pem' }],
    }));
    const r = cli(['run', '--config', config], cwd);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--cert \S*missing-cert\.pem does not exist/);
    expect(existsSync(join(cwd, 'reports', 'targets'))).toBe(false);
  }, 120_000);
});

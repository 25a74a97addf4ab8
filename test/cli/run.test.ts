import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { faultCatalog } from '../../src/cli/commands/faults';
import { globToRegExp, loadCases } from '../../src/runner/registry';
import { runCli } from '../helpers/cli';
import { HeadlessChromium } from '../helpers/headless-chromium';
import { PROPERTY_RUNS } from '../helpers/property-runs';

/** The v3 cases the sm suite reuses (suites/sm/v3-contract.cases.ts). */
const SM_V3 = 'sm.v3.*';

const ROOT = resolve(__dirname, '../..');

// The real CLI, as a user runs it (its own process, a scratch working directory). Commands that need no aggregate
// are tested in-process in test/cli-commands.test.ts.

/** Runs the real CLI in a scratch working directory (its ledger and run files stay there). */
function cli(args: string[], cwd = mkdtempSync(join(tmpdir(), 'gh-cli-'))) {
  // A bound, not a goal: the default run (every suite, the dynslice countdowns too) takes minutes on a loaded machine.
  return { ...runCli(args, cwd, 840_000), cwd };
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

const SECRET_PATTERNS = [
  /-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/,
  // The body of an RSA private key even without its armour (PKCS#1 and PKCS#8 DER, base64): the login keys.
  /MIIE[o-p][A-Za-z0-9+/]IBAAKCAQEA/, /MIIEv[A-Za-z0-9+/]IBADANBgkqhkiG9w0BAQEFAASC/,
  /<signed-credential/, /&lt;signed-credential/,
  /<(\w+:)?SignatureValue[^>]*>\s*[A-Za-z0-9+/=]{20,}/, /&lt;(\w+:)?SignatureValue[^&]*&gt;\s*[A-Za-z0-9+/=]{20,}/,
];

interface ResultsJson {
  seed: number;
  cases: Array<{ id: string; variant?: string; suite: string; tags: string[]; outcome: { kind: string; reason?: string; message?: string; findings?: Array<{ title: string; path?: string; expected: string[]; actual: string }> } }>;
}

/** One line per case that did not pass, for assertion messages that explain themselves. */
function nonPassing(results: ResultsJson): string[] {
  return results.cases.filter((c) => c.outcome.kind !== 'pass').map((c) => {
    const o = c.outcome;
    const detail = o.findings?.map((f) => `${f.title} at ${f.path ?? '-'}: expected ${f.expected.join(' | ')}, actual ${f.actual}`).join('; ') ?? o.message ?? o.reason ?? '';
    return `${c.id}${c.variant ? `@${c.variant}` : ''} ${o.kind}: ${detail}`;
  });
}

// The full suite runs against the reference AM once per configuration; this is the default configuration, under
// --strict, through the real CLI: the proof that the suites are right (every case passes, so preferred error codes
// and SHOULD-level requirements hold too) and that the run writes complete, secret-free reports.
describe('geni-harness run against the embedded reference AM', () => {
  // The default configuration, run once (under --strict, seed 42); the tests below read what it wrote.
  let full: { status: number | null; stdout: string; stderr: string; reports: string; results: ResultsJson };
  beforeAll(() => {
    const reports = mkdtempSync(join(tmpdir(), 'gh-reports-'));
    // The default time budget for the property cases, capped at PROPERTY_RUNS inputs each (more in nightly CI).
    // Without the v3 cases the sm suite reuses (sm.v3.*, ~150 runs of am3 cases through the SM): they would add the
    // am3 suite's cost again; test/conformance/sm-fault-sensitivity.test.ts runs a subset of them.
    const r = cli(['run', '--strict', '--reports', reports, '--seed', '42', '--fuzz-time', '30', '--fuzz-runs', String(PROPERTY_RUNS), '--case', `!${SM_V3}`]);
    full = { ...r, reports, results: JSON.parse(readFileSync(join(reports, 'results.json'), 'utf8')) as ResultsJson };
  }, 900_000);

  it('passes every case of every suite under --strict: exit 0, one JUnit testsuite per suite, no secret anywhere in the reports', async () => {
    const cases = await loadCases();
    expect(cases.filter((c) => c.suites.some((s) => s.name === 'am3')).length).toBeGreaterThanOrEqual(120);
    const { results, reports } = full;
    expect(full.stderr + full.stdout).not.toMatch(/internal error/);
    // Every case passes: no error, warning, skip or unsupported outcome either.
    expect(nonPassing(results)).toEqual([]);
    expect(full.status, full.stdout.slice(-3000) + full.stderr.slice(-2000)).toBe(0);
    // The reference AM advertises v1, v2 and v3: every case runs once in each suite it belongs to (sm.v3.* left out).
    const reused = cases.filter((c) => globToRegExp(SM_V3).test(c.id));
    expect(reused.length).toBeGreaterThanOrEqual(100);
    expect(results.cases.length).toBe(cases.reduce((n, c) => n + c.suites.length, 0) - reused.length);
    expect(results.seed).toBe(42);
    // results.json of a real run (every suite, the sm suite included) is what schemas/reports/results.schema.json says
    const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/reports/results.schema.json'), 'utf8')) as object);
    expect(validate(results), ajv.errorsText(validate.errors)).toBe(true);
    const junit = readFileSync(join(reports, 'junit.xml'), 'utf8');
    // One testsuite per suite the target offers, each with its suite's cases: the API versions the aggregate
    // advertises, and the slice manager's (the embedded reference SM in front of 3 peers).
    const suites = Object.fromEntries([...junit.matchAll(/<testsuite name="(am\d|sm)"[^>]* tests="(\d+)"/g)].map((m) => [m[1], Number(m[2])]));
    expect(Object.keys(suites).sort()).toEqual(['am1', 'am2', 'am3', 'sm']);
    expect(suites.sm).toBeGreaterThanOrEqual(40);
    expect(suites.am1).toBeGreaterThanOrEqual(30);
    expect(suites.am2).toBeGreaterThanOrEqual(60);
    expect(suites.am3).toBeGreaterThanOrEqual(120);
    // The embedded reference offers its dynslice server and a reference client endpoint: both suites run by default.
    const dynslice = Object.fromEntries([...junit.matchAll(/<testsuite name="(dynslice(?:-client)?)"[^>]* tests="(\d+)"/g)].map((m) => [m[1], Number(m[2])]));
    expect(dynslice.dynslice).toBeGreaterThanOrEqual(30);
    expect(dynslice['dynslice-client']).toBeGreaterThanOrEqual(15);
    expect(junit).not.toMatch(/<failure|<error/);
    expect(junit).toMatch(/name="seed" value="42"/);
    expect(results.cases.length).toBeGreaterThanOrEqual(120);
    // The default run logs in to the reference AM's nodes (v1, v2 and v3), and those logins pass.
    const logins = results.cases.filter((c) => c.tags.includes('login'));
    expect(logins.length).toBeGreaterThanOrEqual(10);
    expect(logins.filter((c) => c.outcome.kind !== 'pass').map((c) => c.id)).toEqual([]);
    const files = allFiles(reports);
    expect(files.filter((f) => f.includes(`${'/cases/'}`)).length).toBe(results.cases.length);
    const leaks = files.flatMap((f) => SECRET_PATTERNS.filter((p) => p.test(readFileSync(f, 'utf8'))).map((p) => `${f}: ${p}`));
    expect(leaks).toEqual([]);
    expect(full.stdout.trim().split('\n').at(-1)).toMatch(/^\d+ passed, 0 failed, 0 errors, 0 warned, 0 unsupported, 0 skipped in [\d.]+ s$/);
  }, 120_000);

  it('--no-login skips every login case with the reason, and the run still passes', () => {
    const reports = mkdtempSync(join(tmpdir(), 'gh-reports-'));
    const r = cli(['run', '--reports', reports, '--tag', 'login', '--suite', 'am3', '--no-login']);
    expect(r.status, r.stdout.slice(-2000) + r.stderr).toBe(0);
    const junit = readFileSync(join(reports, 'junit.xml'), 'utf8');
    expect(junit.match(/<testcase /g)?.length).toBeGreaterThanOrEqual(4);
    expect(junit.match(/<skipped message="[^"]*--no-login/g)?.length).toBe(junit.match(/<testcase /g)?.length);
  }, 300_000);

  it('npx vitest run suites/ gives the same verdicts as geni-harness run (one vitest test per case)', () => {
    const selection = ['am3.getversion.*', 'am3.describe.*', 'lifecycle.*'];
    const viaVitest = mkdtempSync(join(tmpdir(), 'gh-reports-'));
    // From a scratch directory (its .geni-harness/ stays there), with vitest's JSON reporter beside the harness's.
    const scratch = mkdtempSync(join(tmpdir(), 'gh-vitest-'));
    const v = spawnSync(process.execPath, [
      join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', 'suites/', '--root', ROOT,
      '--reporter', 'json', '--outputFile.json', join(scratch, 'vitest.json'), '--reporter', join(ROOT, 'src/cli/vitest-reporter.ts'),
    ], {
      cwd: scratch, encoding: 'utf8', timeout: 300_000,
      env: { ...process.env, FORCE_COLOR: '0', GENI_HARNESS_CASE: selection.join(','), GENI_HARNESS_SEED: '42', GENI_HARNESS_STRICT: '1', GENI_HARNESS_REPORTS: viaVitest },
    });
    expect(v.status, v.stdout.slice(-2000) + v.stderr.slice(-2000)).toBe(0);
    const verdicts = (results: ResultsJson, ids?: Set<string>) => results.cases.filter((c) => !ids || ids.has(c.id))
      .map((c) => `${c.id}${c.variant ? `@${c.variant}` : ''} ${c.outcome.kind}`).sort();
    const vitestResults = JSON.parse(readFileSync(join(viaVitest, 'results.json'), 'utf8')) as ResultsJson;
    expect(vitestResults.cases.length).toBeGreaterThan(20);
    // The same cases with the same verdicts as in the CLI's run of everything.
    expect(verdicts(vitestResults)).toEqual(verdicts(full.results, new Set(vitestResults.cases.map((c) => c.id))));
    // vitest's own report: one test per case, named by its report id.
    const json = JSON.parse(readFileSync(join(scratch, 'vitest.json'), 'utf8')) as { testResults: Array<{ assertionResults: Array<{ title: string; status: string }> }> };
    const tests = json.testResults.flatMap((f) => f.assertionResults);
    expect(tests.map((t) => `${t.title.slice(0, t.title.indexOf(': '))} ${t.status === 'passed' ? 'pass' : t.status}`).sort()).toEqual(verdicts(vitestResults));
  }, 600_000);

  it('--suite am2 runs only the v2 suite (shared cases included)', () => {
    const reports = mkdtempSync(join(tmpdir(), 'gh-reports-'));
    const r = cli(['run', '--reports', reports, '--suite', 'am2', '--case', 'am2.getversion.value-structure', '--case', 'lifecycle.*']);
    expect(r.status, r.stdout.slice(-2000) + r.stderr).toBe(0);
    const junit = readFileSync(join(reports, 'junit.xml'), 'utf8');
    expect([...junit.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1])).toEqual(['am2']);
    // testcases are named by their stable report id (the title is in the body)
    expect(junit).toMatch(/name="lifecycle\.reserve-status-release@am2"/);
  }, 300_000);

  it('exits 1 with a <failure> when a fault is switched on; the labelled Jenkins JUnit validates and index.html shows the failures first in Chromium', async () => {
    // A fault its cases grade MUST: a SHOULD case only warns without --strict (renew-past-credential's are SHOULD since
    // CommonConcepts says sliver expiration "should" not pass the credential's).
    const catalog = (await faultCatalog()).find((f) => f.name === 'missing-rspec-version-accepted')!;
    // The example-based cases that detect it (the property cases are proven in fault-sensitivity; here they would
    // only make the run long).
    const properties = new Set((await loadCases()).filter((c) => c.tags.includes('property')).map((c) => c.id));
    const fault = { ...catalog, detectedBy: catalog.detectedBy.filter((id) => !properties.has(id)) };
    expect(fault.detectedBy.length).toBeGreaterThan(0);
    const reports = mkdtempSync(join(tmpdir(), 'gh-reports-'));
    const passing = ['am3.getversion.envelope', 'am3.getversion.value-schema'];
    const r = cli(['run', '--reports', reports, '--fault', fault.name, '--target-name', 'ref-a', '--junit-flavor', 'jenkins',
      ...passing.flatMap((id) => ['--case', id]), ...fault.detectedBy.flatMap((id) => ['--case', id])]);
    expect(r.status, r.stdout + r.stderr).toBe(1);
    const junit = readFileSync(join(reports, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<failure/);
    expect(junit).toMatch(/<testsuite name="ref-a\/am3"/);
    const lint = spawnSync('xmllint', ['--noout', '--schema', join(ROOT, 'schemas/junit/junit-10.xsd'), join(reports, 'junit.xml')], { encoding: 'utf8' });
    expect(lint.status, lint.stderr).toBe(0);

    const browser = HeadlessChromium.launch();
    try {
      const page = await browser.open(pathToFileURL(join(reports, 'index.html')).href);
      const shown = await page.evaluate<{ verdict: string; label: string; outcomes: string[] }>(`({
        verdict: document.getElementById('verdict').dataset.verdict,
        label: document.getElementById('target-label').textContent,
        outcomes: [...document.querySelectorAll('article.case')].filter((c) => c.offsetParent !== null).map((c) => c.dataset.outcome),
      })`);
      expect(shown.verdict).toBe('FAIL');
      expect(shown.label).toBe('ref-a');
      expect(shown.outcomes.length).toBe(passing.length + fault.detectedBy.length);
      expect(shown.outcomes.slice(0, fault.detectedBy.length).every((o) => o === 'fail')).toBe(true);
      expect(shown.outcomes.slice(-passing.length)).toEqual(['pass', 'pass']);
    } finally {
      await browser.close();
    }
  }, 600_000);
});


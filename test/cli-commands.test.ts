import { describe, expect, it } from 'vitest';
import { runCliInProcess as cli } from './helpers/cli';

// The commands that need no aggregate, in-process through main(): configuration errors and the catalogues.
// test/cli/run.test.ts runs the real CLI against the reference AM.

describe('configuration errors are one line and exit 2', () => {
  it.each([
    [['run', '--target', 'http://am.example.net/am/3'], /https/],
    [['run', '--target', 'https://127.0.0.1:9/am/3', '--cert', '/nonexistent/cert.pem', '--key', '/nonexistent/key.pem'], /\/nonexistent\/(cert|key)\.pem/],
    [['run', '--fault', 'no-such-fault', '--case', 'am3.getversion.*'], /no-such-fault/],
    [['run', '--seed', 'abc'], /--seed must be an integer/],
    [['run', '--bogus'], /bogus/],
    // Used to spin at 100% CPU forever (recursive mkdir under /proc): now refused before anything starts.
    [['run', '--reports', '/proc/geni-harness-x/reports'], /^geni-harness run: reports directory \/proc\/geni-harness-x\/reports cannot be written: .+\n$/],
    [['run', '--target', 'https://127.0.0.1:9/am/3', '--authority', '/nonexistent', '--ca', 'package.json'], /CA bundle \S*package\.json holds no PEM certificate/],
    [['frobnicate'], /unknown command/],
  ])('%j', async (args, message) => {
    const r = await cli(args as string[]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  }, 60_000);
});

describe('catalog commands', () => {
  it('faults --json lists every fault with the cases that detect it', async () => {
    const r = await cli(['faults', '--json']);
    expect(r.status).toBe(0);
    const faults = JSON.parse(r.stdout) as Array<{ name: string; description: string; detectedBy: string[] }>;
    expect(faults.length).toBeGreaterThanOrEqual(12);
    for (const f of faults) {
      expect(f.description.length).toBeGreaterThan(10);
      expect(f.detectedBy.length, f.name).toBeGreaterThan(0);
    }
  }, 60_000);

  it('list --json gives every case its id, level, anchors and tags', async () => {
    const r = await cli(['list', '--json']);
    expect(r.status).toBe(0);
    const cases = JSON.parse(r.stdout) as Array<{ id: string; level: string; spec: string[]; tags: string[]; suites: string[]; requirements: string[] }>;
    expect(cases.length).toBeGreaterThanOrEqual(120);
    for (const c of cases) {
      expect(c.suites.length).toBeGreaterThan(0);
      // One suite: <suite>.<area>.<slug>, or sm.v3.<area>.<slug> for suite sm's run of a v3 case (suites/sm/v3-contract.cases.ts).
      expect(c.id).toMatch(c.suites.length === 1 ? new RegExp(`^${c.suites[0]}\\.(v3\\.)?[a-z0-9-]+\\.[a-z0-9-]+$`) : /^[a-z0-9-]+\.[a-z0-9-]+$/);
      expect(['MUST', 'SHOULD']).toContain(c.level);
      expect(c.spec.length).toBeGreaterThan(0);
      if (c.suites.some((suite) => /^am[123]$/.test(suite))) expect(c.requirements.length, c.id).toBeGreaterThan(0);
    }
  }, 60_000);

  it('coverage --json lists every requirement with its cases and the share covered per level', async () => {
    const r = await cli(['coverage', '--json']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as {
      requirements: Array<{ id: string; level: string; text: string; cases: string[] }>;
      uncovered: Array<{ id: string; reason?: string }>;
      byLevel: Record<'MUST' | 'SHOULD' | 'MAY', { total: number; covered: number; percent: number }>;
    };
    expect(report.requirements.length).toBeGreaterThan(100);
    expect(report.byLevel.MUST.covered).toBe(report.requirements.filter((q) => q.level === 'MUST' && q.cases.length > 0).length);
    expect(report.uncovered.map((u) => u.id).sort()).toEqual(report.requirements.filter((q) => q.cases.length === 0).map((q) => q.id).sort());
    const text = await cli(['coverage', '--uncovered']);
    expect(text.stdout).toMatch(/Covered: MUST \d+\/\d+ \([\d.]+%\), SHOULD \d+\/\d+ \([\d.]+%\), MAY/);
  }, 60_000);
});

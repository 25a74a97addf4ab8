import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedTarget, type EmbeddedTarget } from '../../src/cli/embedded-target';
import { Session } from '../../src/runner/session';
import { runCase } from '../../src/runner/engine';
import { defineCases } from '../../src/runner/define';
import { am3 } from '../../src/runner/am-suites';
import type { ReplayFile } from '../../src/runner/property';
import { requireStep } from '../../suites/v3/properties/property-steps';

// A property whose failure we control: "the aggregate answers GetVersion, and n stays below 7". fast-check must
// shrink n to exactly 7, the counterexample's exchanges must be the only ones kept, and the replay file must
// carry seed, path and the exact request bytes, outside the reports.
const [boundedProperty] = defineCases(am3, { tags: ['property'], spec: ['am3#GetVersion'] }, [{
  id: 'am3.test.bounded-property',
  title: 'A property with a known counterexample',
  requirement: 'n < 7',
  async run(t) {
    await t.property({
      arbitrary: fc.integer({ min: 0, max: 1000 }),
      describe: (n) => `n = ${n}`,
      async check(n, scope) {
        const res = await scope.am.GetVersion({ probe: n });
        return n < 7 ? [] : [{ check: 'test', title: 'n too large', expected: ['n < 7'], actual: String(n), exchangeIds: [res.exchangeId] }];
      },
    });
  },
}]);

// Properties whose inputs depend on a step that is not what they test (an Allocate the aggregate refuses here: the
// request is not an RSpec). A refused step is a precondition that failed: the case is skipped with that step's own
// answer, never failed by the property; an input that had already failed keeps its findings.
const [preconditionProperty, failThenPrecondition] = defineCases(am3, { tags: ['property'], spec: ['am3#Allocate'] }, [{
  id: 'am3.test.precondition-property',
  title: 'A property whose needed step is refused',
  requirement: 'the Allocate it needs succeeds',
  async run(t) {
    await t.property({
      arbitrary: fc.integer({ min: 0, max: 1000 }),
      async check(n, scope) {
        const slice = await scope.newSlice();
        requireStep(t, await scope.am.Allocate(slice.urn, slice.credentials, `not an rspec ${n}`, {}), 'Allocate of the request the property needs');
        return [];
      },
    });
  },
}, {
  id: 'am3.test.fail-then-precondition',
  title: 'A property that fails, after which its needed step is refused',
  requirement: 'n < 7',
  async run(t) {
    let failed = false;
    await t.property({
      arbitrary: fc.integer({ min: 0, max: 1000 }),
      describe: (n) => `n = ${n}`,
      async check(n, scope) {
        const res = await scope.am.GetVersion({ probe: n });
        // After the first failure the aggregate "kept capacity": every later run stops at its precondition.
        if (failed) requireStep(t, await scope.am.Allocate('urn:publicid:IDN+x+slice+y', [], 'no', {}), 'Allocate of one node');
        if (n < 7) return [];
        failed = true;
        return [{ check: 'test', title: 'n too large', expected: ['n < 7'], actual: String(n), exchangeIds: [res.exchangeId] }];
      },
    });
  },
}]);

describe('property cases', () => {
  let target: EmbeddedTarget;
  let session: Session;
  const replayDir = join(mkdtempSync(join(tmpdir(), 'gh-replay-')), 'replays');

  beforeAll(async () => {
    target = await startEmbeddedTarget();
    session = Session.open(target.spec, { ledgerPath: join(replayDir, '..', 'ledger.json'), limits: { callTimeoutMs: 10_000, maxResponseBytes: 1 << 24 } });
  });
  afterAll(async () => {
    session.close();
    await target.close();
  });

  const run = (fuzz: { runs: number; replay?: { seed: number; path: string } }) =>
    runCase(boundedProperty!, am3, session, target.spec.url, { strict: false, seed: 99, caseTimeoutMs: 60_000, fuzz, replayDir });

  it('shrinks to the smallest counterexample, keeps only its exchanges, and writes a private replay file', async () => {
    const result = await run({ runs: 50 });
    expect(result.outcome.kind).toBe('fail');
    if (result.outcome.kind !== 'fail') return;
    const [finding] = result.outcome.findings;
    expect(finding!.actual).toBe('7');
    expect(finding!.hint).toMatch(/shrunk counterexample: n = 7 — seed \d+, path "[\d:]+"/);
    expect(result.exchanges.map((x) => x.method)).toEqual(['GetVersion']);
    expect(finding!.exchangeIds).toEqual([result.exchanges[0]!.id]);

    const file = join(replayDir, 'am3.test.bounded-property.json');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const replay = JSON.parse(readFileSync(file, 'utf8')) as ReplayFile;
    expect(replay).toMatchObject({ format: 'geni-harness-replay/2', caseId: 'am3.test.bounded-property', suite: 'am3', counterexample: 'n = 7' });
    expect(replay.requests).toHaveLength(1);
    expect(replay.requests[0]!.body).toContain('<name>probe</name><value><int>7</int></value>');

    // The recorded seed and path reproduce the failure directly, without searching again.
    const again = await run({ runs: 50, replay: { seed: replay.seed, path: replay.path } });
    expect(again.outcome.kind).toBe('fail');
    if (again.outcome.kind === 'fail') expect(again.outcome.findings[0]!.actual).toBe('7');
  });

  it('a step the property needs that is refused ends the case as skip with the step\'s own answer (and an earlier capacity loss), not a failure', async () => {
    session.capacityLosses.push({ caseId: 'am3.allocate.earlier', suite: 'am3', nodes: ['urn:publicid:IDN+x+node+pc1'], exchangeId: 'x1' });
    try {
      const result = await runCase(preconditionProperty!, am3, session, target.spec.url, { strict: false, seed: 5, caseTimeoutMs: 60_000, fuzz: { runs: 20 }, replayDir });
      expect(result.outcome).toEqual({
        kind: 'skip',
        reason: expect.stringMatching(/^precondition: Allocate of the request the property needs answered geni_code \w+ \(\d+\).*\(exchange [^)]+\); the property judges what follows it; earlier in this run a refused reservation left 1 node unavailable \(finding capacity-returned of am3\.allocate\.earlier@am3\)$/) as unknown as string,
      });
      expect(result.fuzz?.stoppedBy).toBe('precondition');
    } finally {
      session.capacityLosses.splice(0);
    }
  });

  it('an input that failed before a precondition stopped the runs keeps its findings and exchanges', async () => {
    const result = await runCase(failThenPrecondition!, am3, session, target.spec.url, { strict: false, seed: 3, caseTimeoutMs: 60_000, fuzz: { runs: 50 }, replayDir });
    expect(result.outcome.kind).toBe('fail');
    if (result.outcome.kind !== 'fail') return;
    const [finding] = result.outcome.findings;
    expect(finding!.check).toBe('test');
    expect(Number(finding!.actual)).toBeGreaterThanOrEqual(7);
    expect(result.exchanges.map((x) => x.id)).toContain(finding!.exchangeIds[0]);
    expect(result.notes.join('\n')).toMatch(/the re-run of the counterexample stopped at a precondition \(precondition: Allocate of one node answered/);
  });

  it('gives the same verdict and counterexample for the same seed', async () => {
    const a = await run({ runs: 30 });
    const b = await run({ runs: 30 });
    expect(JSON.stringify(a.outcome)).toBe(JSON.stringify(b.outcome));
  });
});

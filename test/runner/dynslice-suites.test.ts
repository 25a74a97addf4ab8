import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmbeddedTarget } from '../../src/cli/embedded-target';
import { createJUnitReporter } from '../../src/reporting';
import { loadCases } from '../../src/runner/registry';
import { runCasesInProcess } from '../../src/runner/run';
import { Session } from '../../src/runner/session';
import type { CaseResult } from '../../src/runner/types';
import type { DynsliceRunSettings } from '../../src/config';
import { runEvents } from '../reporting/fixtures';

const cases = await loadCases();
const pick = (...ids: string[]) => cases.filter((c) => ids.includes(c.id));

async function run(ids: string[], options: { am?: NonNullable<Parameters<typeof startEmbeddedTarget>[0]>['am']; dynslice?: DynsliceRunSettings } = {}): Promise<CaseResult[]> {
  const target = await startEmbeddedTarget({ am: options.am });
  const spec = { ...target.spec, ...(options.dynslice && { dynslice: options.dynslice }) };
  const session = Session.open(spec, { ledgerPath: join(mkdtempSync(join(tmpdir(), 'gh-ds-')), 'ledger.json'), limits: { callTimeoutMs: 20_000, maxResponseBytes: 1 << 24 } });
  try {
    return await runCasesInProcess(session, pick(...ids), { strict: true, seed: 7, caseTimeoutMs: 60_000, replayDir: mkdtempSync(join(tmpdir(), 'gh-ds-replays-')) });
  } finally {
    session.close();
    await target.close();
  }
}

describe('the dynslice suites', () => {
  it('have at least 30 server cases and 15 client endpoint cases, each proved by a fault or stating a requirement no fault breaks', () => {
    expect(cases.filter((c) => c.suites.some((s) => s.name === 'dynslice')).length).toBeGreaterThanOrEqual(30);
    expect(cases.filter((c) => c.suites.some((s) => s.name === 'dynslice-client')).length).toBeGreaterThanOrEqual(15);
  });

  it('record every callback of a countdown in the case transcript, inbound, with its arrival time, and report under their own testsuites', async () => {
    const results = await run(['dynslice.countdown.release', 'dynslice-client.getversion.no-params']);
    expect(results.map((r) => [r.id, r.suite, r.outcome.kind])).toEqual([
      ['dynslice.countdown.release', 'dynslice', 'pass'],
      ['dynslice-client.getversion.no-params', 'dynslice-client', 'pass'],
    ]);
    const inbound = results[0]!.exchanges.filter((x) => x.direction === 'inbound');
    expect(inbound.map((x) => x.method)).toEqual(expect.arrayContaining(['SetResourceValues', 'NotifyDeletePending', 'NotifyDeleteComplete']));
    for (const x of inbound) {
      expect(x.startedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(x.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/dynslice-client\/dynslice\.countdown\.release-[0-9a-f]{8}$/);
      expect(x.response?.httpStatus).toBe(200);
    }
    // The release answer went out before the server reported the node deleted.
    const pending = inbound.find((x) => x.method === 'NotifyDeletePending')!;
    const complete = inbound.find((x) => x.method === 'NotifyDeleteComplete')!;
    expect(pending.response?.body).toContain('<name>max_wait_time</name><value><int>0</int></value>');
    expect(Date.parse(complete.startedAt)).toBeGreaterThanOrEqual(Date.parse(pending.startedAt));

    const path = join(mkdtempSync(join(tmpdir(), 'gh-ds-junit-')), 'junit.xml');
    const reporter = createJUnitReporter({ path });
    for (const event of runEvents(results)) await reporter.onEvent(event);
    await reporter.close();
    expect([...readFileSync(path, 'utf8').matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1])).toEqual(['dynslice', 'dynslice-client']);
  });

  it('speaks to a server that takes positional arguments (the server page signature) when told to', async () => {
    const results = await run(['dynslice.endpoint.register', 'dynslice.options.defwaittime-bounds', 'dynslice.values.identifier-precedence'], { dynslice: { argumentStyle: 'positional' } });
    expect(results.map((r) => [r.id, r.outcome.kind])).toEqual([
      ['dynslice.endpoint.register', 'pass'], ['dynslice.options.defwaittime-bounds', 'pass'], ['dynslice.values.identifier-precedence', 'pass'],
    ]);
    const register = results[0]!.exchanges.find((x) => x.method === 'SetSliceClientEndpoint')!;
    // Five positional parameters, not one struct: slice_urn comes first as a bare string.
    expect(register.request.body).toMatch(/<params><param><value><string>urn:publicid:IDN\+/);
  });

  it('the countdown cases pass against the fault-free reference, driven tick by tick on its stepped clock and left to its own timers', async () => {
    const countdownIds = cases.filter((c) => c.id.startsWith('dynslice.countdown.')).map((c) => c.id).sort();
    expect(countdownIds.length).toBeGreaterThanOrEqual(9);
    const stepped = await run(countdownIds);
    expect(stepped.map((r) => [r.id, r.outcome.kind]).sort()).toEqual(countdownIds.map((id) => [id, 'pass']));
    const deadline = stepped.find((r) => r.id === 'dynslice.countdown.deadline')!;
    expect(deadline.exchanges.filter((x) => x.method === 'GeniHarnessTick').length).toBeGreaterThanOrEqual(5);
    // Its own timers: durations on arrival times. A half-second tick (a 3 s wait) leaves room for a loaded machine.
    const wall = await run(countdownIds, { am: { dynslice: { steppedClock: false, tickSeconds: 0.5 } } });
    expect(wall.map((r) => [r.id, r.outcome.kind]).sort()).toEqual(countdownIds.map((id) => [id, 'pass']));
    expect(wall.flatMap((r) => r.exchanges.filter((x) => x.method === 'GeniHarnessTick'))).toEqual([]);
  }, 240_000);

  it('a server that cannot be asked to reclaim: countdown cases are unsupported, or observe a bounded window', async () => {
    const hookless = { dynslice: { testHooks: false } };
    const [unasked] = await run(['dynslice.countdown.deadline'], { am: hookless });
    expect(unasked!.outcome).toEqual({ kind: 'unsupported', reason: expect.stringMatching(/no reclaim hook.*--dynslice-observe/) });
    const [observed] = await run(['dynslice.countdown.deadline'], { am: hookless, dynslice: { observeSeconds: 1 } });
    expect(observed!.outcome).toEqual({ kind: 'unsupported', reason: expect.stringMatching(/reclaimed nothing .* within the 1 s observation window/) });
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initAuthority, mintAmIdentity } from '../../src/credentials';
import { Session } from '../../src/runner/session';
import { runCase } from '../../src/runner/engine';
import { defineCases } from '../../src/runner/define';
import { am3 } from '../../src/runner/am-suites';
import { geniCode } from '../../src/checks';
import { prepareRun, runCasesInProcess } from '../../src/runner/run';
import { summarize } from '../../src/runner/summary';
import { HOSTILE_CALL_MODES, HOSTILE_VERSION_MODES, properVersion, startHostileServer, type HostileCallMode, type HostileServer, type HostileVersionMode } from '../helpers/hostile-aggregate';

const [listResources] = defineCases(am3, { tags: ['listresources'], spec: ['am3#ListResources'] }, [{
  id: 'am3.test.hostile-listresources',
  title: 'ListResources against a hostile aggregate',
  requirement: 'any',
  async run(t) {
    const res = await t.am.ListResources(t.creds.user(), { geni_rspec_version: { type: 'GENI', version: '3' } });
    t.verify(res, [geniCode.success()]);
  },
}]);

// The rows that test the call's time limit run under a short one (1.5 s) so they end quickly; every other row
// gets a limit generous enough to hold on a loaded machine (the guide: timeouts hold at 3x load), so what ends the
// call is the answer's content (a DTD, the nesting cap, the size cap), never the clock.
const SHORT_CALL_LIMIT_MS = 1500;
const GENEROUS_CALL_LIMIT_MS = 20_000;
const GENEROUS_CASE_LIMIT_MS = 40_000;
const deadlineRows = new Set<string>(['silent', 'slow-drip', 'hang']);
const callLimitFor = (row: string): number => (deadlineRows.has(row) ? SHORT_CALL_LIMIT_MS : GENEROUS_CALL_LIMIT_MS);

let server: HostileServer;
let dir: string;
let caCertPath: string;
let versionMode: HostileVersionMode = 'hang';
let mode: HostileCallMode = 'html';
let calls = 0;

// One aggregate for both describes: /am/3 answers GetVersion properly and the rest as `mode` says; /gv/3's
// GetVersion itself (the session's first call) misbehaves as `versionMode` says.
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gh-hostile-'));
  const initialised = initAuthority(join(dir, 'authority'));
  const { authority } = initialised;
  caCertPath = initialised.caCertPath;
  const identity = mintAmIdentity(authority, { hosts: ['127.0.0.1'] });
  server = await startHostileServer({
    tls: { certPem: identity.certPem, keyPem: identity.keyPem, caPem: authority.trustedRootsPem },
    routes: {
      '/gv/3': async () => HOSTILE_VERSION_MODES[versionMode]({ url: server.url('/gv/3') }),
      // Whatever ListResources meets, the case ends (errored or failed, never a crash or a hang), with a clear
      // message and its transcript.
      '/am/3': async (method) => method === 'GetVersion' ? properVersion(server.url('/am/3')) : HOSTILE_CALL_MODES[mode]({ url: server.url('/am/3') }, calls++),
    },
  });
});
afterAll(async () => server.close());

describe('hostile aggregate responses end as errored cases with their transcript', () => {
  const sessions = new Map<number, Session>();
  const sessionFor = (row: string): Session => {
    const callTimeoutMs = callLimitFor(row);
    let session = sessions.get(callTimeoutMs);
    if (session === undefined) {
      session = Session.open(
        { name: 'hostile', url: server.url('/am/3'), authorityDir: join(dir, 'authority'), caPaths: [caCertPath] },
        { ledgerPath: join(dir, `ledger-${callTimeoutMs}.json`), limits: { callTimeoutMs, maxResponseBytes: 1024 * 1024 } },
      );
      sessions.set(callTimeoutMs, session);
    }
    return session;
  };
  afterAll(() => { for (const session of sessions.values()) session.close(); });

  it.each<[HostileCallMode, RegExp]>([
    ['html', /not an XML-RPC response|text\/html/i],
    ['http-503', /503/],
    ['xxe', /DTD|DOCTYPE/i],
    ['entity-bomb', /DTD|DOCTYPE/i],
    ['truncated', /XML|truncat|well-formed|parse/i],
    ['huge', /1048576|1 MiB|larger than|too large|cap/i],
    // The call's limit (1.5 s) ends it, not the case's (40 s): the message names which.
    ['silent', /no complete response within 1500 ms/],
    // A byte every 50 ms: never idle, so only the limit on the whole exchange ends it.
    ['slow-drip', /no complete response within 1500 ms/],
    // The body never ends: the response cap stops it, and says so.
    ['endless', /response exceeds the 1 MB cap \(maxResponseBytes 1048576\)/],
  ])('%s', async (name, message) => {
    mode = name;
    const result = await runCase(listResources!, am3, sessionFor(name), server.url('/am/3'), { strict: false, seed: 1, caseTimeoutMs: GENEROUS_CASE_LIMIT_MS });
    expect(result.outcome.kind).toBe('error');
    if (result.outcome.kind !== 'error') return;
    expect(result.outcome.message).toMatch(message);
    expect(result.outcome.message).not.toMatch(/root:x:0:0/);
    expect(result.outcome.exchangeIds.length).toBeGreaterThan(0);
    const recorded = result.exchanges.find((x) => x.method === 'ListResources' && result.outcome.kind === 'error' && result.outcome.exchangeIds.includes(x.id));
    expect(recorded, 'the exchange is in the transcript').toBeDefined();
    expect(JSON.stringify(result.exchanges)).not.toMatch(/root:x:0:0/);
  }, 90_000);

  it('fault-storm: every Fault the aggregate answers with fails the case, with the exchange and a clipped faultString', async () => {
    mode = 'fault-storm';
    calls = 0;
    const seen = new Set<string>();
    // One round of the storm: each of its Faults once (interoperability codes, empty, a traceback, 256 KiB, non-ASCII).
    for (let i = 0; i < 6; i++) {
      const result = await runCase(listResources!, am3, sessionFor(mode), server.url('/am/3'), { strict: false, seed: 1, caseTimeoutMs: GENEROUS_CASE_LIMIT_MS });
      expect(result.outcome.kind, JSON.stringify(result.outcome).slice(0, 500)).toBe('fail');
      if (result.outcome.kind !== 'fail') continue;
      const [finding] = result.outcome.findings;
      expect(finding!.actual).toMatch(/^XML-RPC Fault -?\d+: /);
      expect(finding!.actual.length, 'a long faultString is clipped in the finding').toBeLessThan(300);
      seen.add(finding!.actual.split(':')[0]!);
      const exchange = result.exchanges.find((x) => finding!.exchangeIds.includes(x.id));
      expect(exchange?.method).toBe('ListResources');
    }
    expect(seen).toEqual(new Set(['XML-RPC Fault -32603', 'XML-RPC Fault 1', 'XML-RPC Fault -32601', 'XML-RPC Fault 2', 'XML-RPC Fault 99999', 'XML-RPC Fault -32700']));
  }, 180_000);
});

describe('a GetVersion that fails at the start of a run still gives every selected case a result', () => {
  it.each<[HostileVersionMode, RegExp]>([
    ['hang', /no complete response within 1500 ms/],
    ['slow-drip', /no complete response within 1500 ms/],
    // Under a 1 MiB cap (the others use 16 MiB, for huge-fault): the cap, not the time limit, ends it.
    ['endless', /response exceeds the 1 MB cap/],
    ['entity-bomb', /DTD|DOCTYPE/i],
    ['padded-xxe', /DTD|DOCTYPE/i],
    ['html', /not an XML-RPC response/],
    ['string-value', /names no AM API version: its value is a string \("GetVersion is not available today"\), not a struct/],
    ['error-code', /names no AM API version: it answered geni_code 5 \("server is busy"\)/],
    ['huge-fault', /answered with a Fault \(1: E{300}… \(10485760 characters in all\)\)$/],
    ['deep-nesting', /too-deep|nest/i],
  ])('%s: the cases are errors the aggregate caused (exit 1), naming the cause, with the GetVersion exchange', async (name, message) => {
    versionMode = name;
    const session = Session.open(
      { name: 'hostile', url: server.url('/gv/3'), authorityDir: join(dir, 'authority'), caPaths: [caCertPath] },
      { ledgerPath: join(dir, `ledger-${name}.json`), limits: { callTimeoutMs: callLimitFor(name), maxResponseBytes: (name === 'endless' ? 1 : 16) * 1024 * 1024 } },
    );
    try {
      const run = await prepareRun(session, [listResources!], {});
      expect(run.suites.map((p) => [p.suite.name, p.blocked !== undefined])).toEqual([['am3', true]]);
      const results = await runCasesInProcess(session, [listResources!], { strict: false, seed: 1, caseTimeoutMs: GENEROUS_CASE_LIMIT_MS });
      expect(results).toHaveLength(1);
      const [result] = results;
      expect(result!.outcome).toMatchObject({ kind: 'error', origin: 'target' });
      if (result!.outcome.kind !== 'error') return;
      expect(result!.outcome.message).toMatch(/^not run: GetVersion/);
      expect(result!.outcome.message).toMatch(message);
      expect(result!.exchanges.map((x) => x.method)).toEqual(['GetVersion']);
      expect(result!.outcome.exchangeIds).toEqual([result!.exchanges[0]!.id]);
      expect(summarize(results, 1).exitCode).toBe(1);
      expect(result!.outcome.message.length, 'a long faultString is cut in the message').toBeLessThan(1000);
      expect(JSON.stringify(result)).not.toMatch(/root:x:0:0/);
    } finally {
      session.close();
    }
  }, 90_000);
});

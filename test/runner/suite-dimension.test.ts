import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, type Check } from '../../src/core';
import { initAuthority, mintAmIdentity } from '../../src/credentials';
import { startXmlRpcHttpsServer, type RunningXmlRpcServer } from '../../src/server';
import type { CallResult } from '../../src/client';
import { defineCases } from '../../src/runner/define';
import { planSuites, runCasesInProcess } from '../../src/runner/run';
import { Session } from '../../src/runner/session';
import type { CommonCaseContext, SuiteDefinition } from '../../src/runner/types';
import { createJUnitReporter } from '../../src/reporting';
import { runEvents } from '../reporting/fixtures';

// A suite is a dimension of its own: a kind of target with its own URL and its own case context. This one is a
// toy ("echo", a service that returns its argument) written exactly as CONTRIBUTING's recipe says, to prove the
// runner, selection and reports need nothing else to run it.

interface EchoContext extends CommonCaseContext {
  echo(value: string): Promise<CallResult>;
}

const echoSuite: SuiteDefinition<EchoContext> = {
  name: 'echo',
  title: 'Echo service',
  async locate(session) {
    const url = session.spec.endpoints?.echo;
    return url ? { url } : { unavailable: 'the target has no echo endpoint (--endpoint echo=URL)' };
  },
  open(common) {
    return { context: { ...common, echo: (value) => common.client.call('Echo', [value]) }, release: async () => [] };
  },
};

const echoes = (want: string): Check<CallResult> => (res) =>
  res.kind === 'value' && res.value === want ? [] : [{ check: 'echo', title: 'Wrong echo', expected: [want], actual: res.kind === 'value' ? String(res.value) : 'Fault', exchangeIds: [res.exchangeId] }];

const cases = defineCases(echoSuite, { spec: ['am3/common#APIProtocols'] }, [
  { id: 'echo.basic.returns-argument', title: 'Echo of a word', requirement: 'The argument comes back', async run(t) { t.verify(await t.echo('hello'), [echoes('hello')]); } },
  { id: 'echo.basic.uppercase', title: 'Echo compared with its uppercase', requirement: 'The argument comes back unchanged', async run(t) { t.verify(await t.echo('hello'), [echoes('HELLO')]); } },
]);

describe('a suite with its own URL and context type', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gh-suite-'));
  let server: RunningXmlRpcServer;
  let caPath: string;

  beforeAll(async () => {
    const { authority, caCertPath } = initAuthority(join(dir, 'authority'));
    caPath = caCertPath;
    const identity = mintAmIdentity(authority, { hosts: ['127.0.0.1'] });
    server = await startXmlRpcHttpsServer({
      tls: { certPem: identity.certPem, keyPem: identity.keyPem, caPem: authority.trustedRootsPem },
      routes: { '/echo': async (_method, params) => params[0] ?? '' },
    });
  });
  afterAll(() => server.close());

  const open = (endpoints: Record<string, string>) => Session.open(
    { name: 'echo-target', url: server.url('/echo'), authorityDir: join(dir, 'authority'), caPaths: [caPath], endpoints },
    { ledgerPath: join(dir, 'ledger.json'), limits: { callTimeoutMs: 5000, maxResponseBytes: 1 << 20 } },
  );

  it('runs its cases at its own URL, with its own context, graded and reported under its name', async () => {
    const session = open({ echo: server.url('/echo') });
    try {
      const results = await runCasesInProcess(session, cases, { strict: false, seed: 1, caseTimeoutMs: 10_000 });
      expect(results.map((r) => [r.id, r.suite, r.outcome.kind])).toEqual([
        ['echo.basic.returns-argument', 'echo', 'pass'],
        ['echo.basic.uppercase', 'echo', 'fail'],
      ]);
      expect(results[0]!.exchanges[0]!.endpoint).toBe(server.url('/echo'));

      const junitPath = join(dir, 'junit.xml');
      const reporter = createJUnitReporter({ path: junitPath });
      for (const event of runEvents(results)) await reporter.onEvent(event);
      await reporter.close();
      const junit = readFileSync(junitPath, 'utf8');
      expect([...junit.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1])).toEqual(['echo']);
      expect(junit).toMatch(/classname="echo\.basic"/);
    } finally {
      session.close();
    }
  });

  it("gives checks the case's deadline (epoch ms), from the case's own timeout or the run's", async () => {
    const seen: Array<number | undefined> = [];
    const recordsDeadline: Check<CallResult> = (_res, ctx) => { seen.push(ctx.deadline); return []; };
    const timed = defineCases(echoSuite, { spec: ['am3/common#APIProtocols'] }, [
      { id: 'echo.deadline.run-timeout', title: 'Echo under the run timeout', requirement: 'r', async run(t) { t.verify(await t.echo('a'), [recordsDeadline]); } },
      { id: 'echo.deadline.own-timeout', title: 'Echo under its own timeout', requirement: 'r', timeoutMs: 500_000, async run(t) { t.verify(await t.echo('a'), [recordsDeadline]); } },
    ]);
    const session = open({ echo: server.url('/echo') });
    try {
      const before = Date.now();
      await runCasesInProcess(session, timed, { strict: false, seed: 1, caseTimeoutMs: 100_000 });
      const after = Date.now();
      expect(seen).toHaveLength(2);
      const [runDeadline, ownDeadline] = seen as [number, number];
      expect(runDeadline).toBeGreaterThanOrEqual(before + 100_000);
      expect(runDeadline).toBeLessThanOrEqual(after + 100_000);
      expect(ownDeadline).toBeGreaterThanOrEqual(before + 500_000);
      expect(ownDeadline).toBeLessThanOrEqual(after + 500_000);
    } finally {
      session.close();
    }
  });

  it('is left out when the target does not offer it, and is a configuration error when asked for by name', async () => {
    const session = open({});
    try {
      await expect(planSuites(session, cases)).rejects.toThrow(/offers none of the suites.*echo endpoint/);
      await expect(planSuites(session, cases, ['echo'])).rejects.toThrow(ConfigError);
      await expect(planSuites(session, cases, ['dynslice'])).rejects.toThrow(/no such suite/);
    } finally {
      session.close();
    }
  });
});

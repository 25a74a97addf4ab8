import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initAuthority, mintAmIdentity } from '../../src/credentials';
import { createReferenceAggregate, v1Dispatcher, v2Dispatcher, v3Dispatcher, V1_PATH, V2_PATH, V3_PATH } from '../../src/reference-am';
import { startXmlRpcHttpsServer, type RunningXmlRpcServer, type XmlRpcDispatcher } from '../../src/server';
import { probeCalls } from '../../src/runner/concurrency';
import { runCliAsync } from '../helpers/cli';

// `geni-harness run` opens one Session for the whole run, in the vitest worker that runs the cases: the target's
// GetVersion is read once per URL and shared, never again by the CLI (besides the probe of --concurrency auto). The aggregate here is the reference AM
// behind a server that counts the calls it receives (the CLI runs in another process, so it is asynchronous).
describe('one Session per run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gh-one-session-'));
  const getVersions: Record<string, number> = {};
  let server: RunningXmlRpcServer;
  let caPath: string;

  beforeAll(async () => {
    const { authority, caCertPath } = initAuthority(join(dir, 'authority'));
    caPath = caCertPath;
    const env = createReferenceAggregate({ authority });
    const counting = (path: string, dispatch: XmlRpcDispatcher): XmlRpcDispatcher => (method, params, ctx) => {
      if (method === 'GetVersion') getVersions[path] = (getVersions[path] ?? 0) + 1;
      return dispatch(method, params, ctx);
    };
    const identity = mintAmIdentity(authority, { hosts: ['127.0.0.1'] });
    const clock = () => new Date();
    server = await startXmlRpcHttpsServer({
      tls: { certPem: identity.certPem, keyPem: identity.keyPem, caPem: authority.trustedRootsPem },
      routes: {
        [V1_PATH]: counting(V1_PATH, v1Dispatcher(env, clock)),
        [V2_PATH]: counting(V2_PATH, v2Dispatcher(env, clock)),
        [V3_PATH]: counting(V3_PATH, v3Dispatcher(env, clock)),
      },
    });
    for (const [v, path] of [['1', V1_PATH], ['2', V2_PATH], ['3', V3_PATH]] as const) env.urls[v] = server.url(path);
  });
  afterAll(() => server.close());

  it('calls GetVersion once per URL besides the calls its cases make themselves', async () => {
    const reports = join(dir, 'reports');
    const run = await runCliAsync([
      'run', '--target', server.url(V3_PATH), '--authority', join(dir, 'authority'), '--ca', caPath,
      '--suite', 'am3', '--case', 'am3.describe.*', '--case', 'am3.getversion.*', '--reports', reports,
    ], dir, 300_000);
    expect(run.stdout, run.stderr).toMatch(/\d+ passed, 0 failed, 0 errors, \d+ warned, \d+ unsupported, \d+ skipped in [\d.]+ s\s*$/);
    const byCases = readdirSync(join(reports, 'cases'))
      .flatMap((f) => (JSON.parse(readFileSync(join(reports, 'cases', f), 'utf8')) as { exchanges: Array<{ method: string }> }).exchanges)
      .filter((x) => x.method === 'GetVersion').length;
    expect(byCases).toBeGreaterThan(10); // the GetVersion cases call it themselves
    // Besides them: the run's one read, and the probe of --concurrency auto (its choice is a note of the run).
    expect(run.stdout).toMatch(/note: concurrency: /);
    expect(getVersions).toEqual({ [V3_PATH]: byCases + 1 + probeCalls() });
  }, 300_000);
});

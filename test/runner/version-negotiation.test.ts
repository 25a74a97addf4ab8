import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initAuthority, mintAmIdentity } from '../../src/credentials';
import { startXmlRpcHttpsServer, type RunningXmlRpcServer } from '../../src/server';
import type { XmlRpcValue } from '../../src/xmlrpc';
import { Session } from '../../src/runner/session';

// Which suites run is read from the aggregate's GetVersion: every version in geni_api_versions, each at its own
// URL; an aggregate that lists none (v1 predates the field) is recognised by geni_api alone.
describe('version negotiation', () => {
  let server: RunningXmlRpcServer;
  const answers: Record<string, (url: (p: string) => string) => XmlRpcValue> = {
    '/v1-only': () => ({ geni_api: 1, ad_rspec_versions: [] }),
    '/v2-and-v3': (url) => ({ code: { geni_code: 0 }, geni_api: 2, value: { geni_api: 2, geni_api_versions: { 2: url('/v2-and-v3'), 3: url('/elsewhere/am3') } }, output: '' }),
    '/nothing': () => ({ code: { geni_code: 0 }, value: { geni_api: 7 }, output: '' }),
  };
  let dir: string;
  let caCertPath: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gh-neg-'));
    const init = initAuthority(join(dir, 'authority'));
    caCertPath = init.caCertPath;
    const identity = mintAmIdentity(init.authority, { hosts: ['127.0.0.1'] });
    const routes = Object.fromEntries(Object.entries(answers).map(([path, answer]) => [path, async () => answer((p) => server.url(p))]));
    server = await startXmlRpcHttpsServer({ tls: { certPem: identity.certPem, keyPem: identity.keyPem, caPem: init.authority.trustedRootsPem }, routes });
  });
  afterAll(() => server.close());

  const open = (path: string) => Session.open(
    { name: path, url: server.url(path), authorityDir: join(dir, 'authority'), caPaths: [caCertPath] },
    { ledgerPath: join(dir, 'ledger.json'), limits: { callTimeoutMs: 5000, maxResponseBytes: 1 << 20 } },
  );

  it('recognises a v1-only aggregate by geni_api: 1 and tests it at the given URL', async () => {
    const session = open('/v1-only');
    expect(await session.advertisedApis()).toEqual([1]);
    expect(await session.urlFor(1)).toBe(server.url('/v1-only'));
    expect(await session.urlFor(3)).toBeUndefined();
    session.close();
  });

  it('tests every advertised version at its advertised URL', async () => {
    const session = open('/v2-and-v3');
    expect(await session.advertisedApis()).toEqual([2, 3]);
    expect(await session.urlFor(3)).toBe(server.url('/elsewhere/am3'));
    expect(await session.urlFor(1)).toBeUndefined();
    session.close();
  });

  it('finds nothing to test when no known version is advertised', async () => {
    const session = open('/nothing');
    expect(await session.advertisedApis()).toEqual([]);
    session.close();
  });
});

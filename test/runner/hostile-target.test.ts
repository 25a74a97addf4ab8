import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initAuthority, mintAmIdentity } from '../../src/credentials';
import { RawHttpAnswer, startXmlRpcHttpsServer, type RunningXmlRpcServer } from '../../src/server';
import { Session } from '../../src/runner/session';
import { runCase } from '../../src/runner/engine';
import { defineCases } from '../../src/runner/define';
import { am3 } from '../../src/runner/am-suites';
import { geniCode } from '../../src/checks';
import { prepareRun, runCasesInProcess } from '../../src/runner/run';
import { summarize } from '../../src/runner/summary';
import { HOSTILE_VERSION_MODES, type HostileVersionMode } from '../helpers/hostile-aggregate';

// An aggregate that answers GetVersion properly and ListResources with something hostile. Whatever it sends, the
// case ends (errored or failed, never a crash or a hang), with a clear message and its transcript.
const HOSTILE: Record<string, () => RawHttpAnswer> = {
  html: () => new RawHttpAnswer('<html><body><h1>502 Bad Gateway</h1></body></html>', { status: 200, contentType: 'text/html' }),
  'http-503': () => new RawHttpAnswer('Service Unavailable', { status: 503, contentType: 'text/plain' }),
  xxe: () => new RawHttpAnswer('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><methodResponse><params><param><value>&x;</value></param></params></methodResponse>'),
  'entity-bomb': () => new RawHttpAnswer(`<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">${Array.from({ length: 9 }, (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`).join('')}]><methodResponse><params><param><value>&j;</value></param></params></methodResponse>`),
  truncated: () => new RawHttpAnswer('<?xml version="1.0"?><methodResponse><params><param><value><struct><member><name>code'),
  huge: () => new RawHttpAnswer(Buffer.alloc(8 * 1024 * 1024, 'a')),
  silent: () => new RawHttpAnswer('', { neverRespond: true }),
};

const [listResources] = defineCases(am3, { tags: ['listresources'], spec: ['am3#ListResources'] }, [{
  id: 'am3.test.hostile-listresources',
  title: 'ListResources against a hostile aggregate',
  requirement: 'any',
  async run(t) {
    const res = await t.am.ListResources(t.creds.user(), { geni_rspec_version: { type: 'GENI', version: '3' } });
    t.verify(res, [geniCode.success()]);
  },
}]);

let server: RunningXmlRpcServer;
let dir: string;
let caCertPath: string;
let versionMode: HostileVersionMode = 'hang';
let mode = 'html';

// One aggregate for both describes: /am/3 answers GetVersion properly and the rest as `mode` says; /gv/3's
// GetVersion itself (the session's first call) misbehaves as `versionMode` says.
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gh-hostile-'));
  const initialised = initAuthority(join(dir, 'authority'));
  const { authority } = initialised;
  caCertPath = initialised.caCertPath;
  const identity = mintAmIdentity(authority, { hosts: ['127.0.0.1'] });
  server = await startXmlRpcHttpsServer({
    tls: { certPem: identity.certPem, keyPem: identity.keyPem, caPem: authority.trustedRootsPem },
    routes: {
      '/gv/3': async () => HOSTILE_VERSION_MODES[versionMode](),
      '/am/3': async (method) => method === 'GetVersion'
        ? { code: { geni_code: 0 }, value: { geni_api: 3, geni_api_versions: { 3: server.url('/am/3') } }, output: '', geni_api: 3 }
        : HOSTILE[mode]!(),
    },
  });
});
afterAll(async () => server.close());

describe('hostile aggregate responses end as errored cases with their transcript', () => {
  let session: Session;

  beforeAll(() => {
    session = Session.open(
      { name: 'hostile', url: server.url('/am/3'), authorityDir: join(dir, 'authority'), caPaths: [caCertPath] },
      { ledgerPath: join(dir, 'ledger.json'), limits: { callTimeoutMs: 1500, maxResponseBytes: 1024 * 1024 } },
    );
  });
  afterAll(() => session.close());

  it.each([
    ['html', /not an XML-RPC response|text\/html/i],
    ['http-503', /503/],
    ['xxe', /DTD|DOCTYPE/i],
    ['entity-bomb', /DTD|DOCTYPE/i],
    ['truncated', /XML|truncat|well-formed|parse/i],
    ['huge', /1048576|1 MiB|larger than|too large|cap/i],
    // The call's limit (1.5 s) ends it, not the case's (10 s): the message names which.
    ['silent', /no complete response within 1500 ms/],
  ])('%s', async (name, message) => {
    mode = name;
    const result = await runCase(listResources!, am3, session, server.url('/am/3'), { strict: false, seed: 1, caseTimeoutMs: 10_000 });
    expect(result.outcome.kind).toBe('error');
    if (result.outcome.kind !== 'error') return;
    expect(result.outcome.message).toMatch(message);
    expect(result.outcome.message).not.toMatch(/root:x:0:0/);
    expect(result.outcome.exchangeIds.length).toBeGreaterThan(0);
    const recorded = result.exchanges.find((x) => x.method === 'ListResources' && result.outcome.kind === 'error' && result.outcome.exchangeIds.includes(x.id));
    expect(recorded, 'the exchange is in the transcript').toBeDefined();
    expect(JSON.stringify(result.exchanges)).not.toMatch(/root:x:0:0/);
  }, 20_000);
});

describe('a GetVersion that fails at the start of a run still gives every selected case a result', () => {
  it.each<[HostileVersionMode, RegExp]>([
    ['hang', /no complete response within 1500 ms/],
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
      { ledgerPath: join(dir, `ledger-${name}.json`), limits: { callTimeoutMs: 1500, maxResponseBytes: 16 * 1024 * 1024 } },
    );
    try {
      const run = await prepareRun(session, [listResources!], {});
      expect(run.suites.map((p) => [p.suite.name, p.blocked !== undefined])).toEqual([['am3', true]]);
      const results = await runCasesInProcess(session, [listResources!], { strict: false, seed: 1, caseTimeoutMs: 10_000 });
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
  }, 30_000);
});

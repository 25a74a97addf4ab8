/**
 * Generated calls per second against the embedded reference AM over mutual TLS: fast-check inputs drawn from the
 * generators (ListResources with generated option structs, Allocate of generated request RSpecs then Delete, raw
 * mutated XML-RPC bodies), against plain GetVersion calls as the baseline. Prints calls/s for each and the ratio
 * to the baseline, and, for ListResources and Allocate+Delete, the issue #11 goal of 200 calls/s. The aggregate
 * runs in this process: its CPU (credential verification above all) is in the figures, as is the machine's load.
 * `npx tsx bench/generated-calls.ts [N]` (N generated inputs per kind, default 300)
 */
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { amOptions, rawXmlRpcCall, requestRSpec } from '../generators';
import { startEmbeddedTarget } from '../src/cli/embedded-target';
import { Transcript } from '../src/client';
import { mintSliceCredential, sfaCredentialStruct, sliceUrn } from '../src/credentials';
import { v3Api } from '../src/geni/methods';
import { readAdvertisement, serializeRequest } from '../src/rspec';
import { Session } from '../src/runner/session';

const N = Number(process.argv[2] ?? 300);
const SEED = 42;

const target = await startEmbeddedTarget();
const session = Session.open(target.spec, {
  ledgerPath: join(mkdtempSync(join(tmpdir(), 'gh-bench-')), 'ledger.json'),
  limits: { callTimeoutMs: 30_000, maxResponseBytes: 64 * 1024 * 1024 },
});
// A fresh transcript per batch keeps memory flat; the client reuses one pooled TLS connection.
const client = () => session.client(target.spec.url, new Transcript());
const am = v3Api(client());
const userCreds = [sfaCredentialStruct(session.userCredentialXml)];
const GENI3 = { type: 'GENI', version: '3' };

async function timed(label: string, calls: () => Promise<number>): Promise<{ label: string; calls: number; perSecond: number }> {
  const started = performance.now();
  const n = await calls();
  const seconds = (performance.now() - started) / 1000;
  return { label, calls: n, perSecond: n / seconds };
}

// Slice credentials are signed before any call: minting is the harness's cost, not the calls' (and a long pause
// between calls would let the server close the kept-alive connection).
const slices = Array.from({ length: N }, (_, i) => {
  const urn = sliceUrn(session.authority!, `bench${i}`);
  return { urn, creds: [sfaCredentialStruct(mintSliceCredential(session.authority!, session.user.identity!, urn, { expires: new Date(Date.now() + 3_600_000) }))] };
});
const ad = readAdvertisement((await am.ListResources(userCreds, { geni_rspec_version: GENI3 })).envelope!.value as string);

const allocations = fc.sample(requestRSpec({ advertisement: ad, bound: true, capacity: 'fit', nodes: { min: 1, max: 4 } }), { numRuns: N, seed: SEED })
  .map((request, i) => ({ ...slices[i]!, xml: serializeRequest(request) }));

const results = [];
results.push(await timed('GetVersion (baseline)', async () => {
  const api = v3Api(client());
  for (let i = 0; i < N; i++) await api.GetVersion();
  return N;
}));

results.push(await timed('ListResources, generated options', async () => {
  const api = v3Api(client());
  const inputs = fc.sample(amOptions(3, { method: 'ListResources', rspecVersions: [GENI3] }), { numRuns: N, seed: SEED });
  for (const options of inputs) await api.ListResources(userCreds, options);
  return inputs.length;
}));

results.push(await timed('Allocate generated request + Delete', async () => {
  const api = v3Api(client());
  for (const { urn, creds, xml } of allocations) {
    await api.Allocate(urn, creds, xml, {});
    await api.Delete([urn], creds, {});
  }
  return allocations.length * 2;
}));

results.push(await timed('raw mutated ListResources bodies', async () => {
  const c = client();
  const inputs = fc.sample(rawXmlRpcCall('ListResources', [userCreds, { geni_rspec_version: GENI3 }], { hugeString: { min: 65_536, max: 131_072 } }), { numRuns: N, seed: SEED });
  for (const input of inputs) await c.callRaw('ListResources', input.body);
  return inputs.length;
}));

session.close();
await target.close();

const baseline = results[0]!.perSecond;
/** Issue #11: generated ListResources and Allocate+Delete calls at 200/s or more against the default reference. */
const GOAL_PER_SECOND = 200;
const withGoal = new Set(['ListResources, generated options', 'Allocate generated request + Delete']);
console.log(`generated calls against the embedded reference AM over mutual TLS (N = ${N} inputs per kind, seed ${SEED}; load average ${loadavg()[0]!.toFixed(1)})`);
for (const r of results) {
  const goal = withGoal.has(r.label) ? `  goal ≥ ${GOAL_PER_SECOND}/s: ${r.perSecond >= GOAL_PER_SECOND ? 'met' : 'NOT met'} (${(r.perSecond / GOAL_PER_SECOND).toFixed(2)})` : '';
  console.log(`${r.label.padEnd(40)} ${String(r.calls).padStart(5)} calls  ${r.perSecond.toFixed(0).padStart(6)} calls/s  ratio ${(r.perSecond / baseline).toFixed(2)}${goal}`);
}

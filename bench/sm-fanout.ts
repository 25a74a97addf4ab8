/**
 * One slice-manager call fanned out to 1, 10 and 50 peer aggregates, each answering after a fixed 100 ms (a slow
 * aggregate, as real ones are): wall time of ListResources (cached: false, so every peer is asked and every
 * advertisement merged) through the reference SM, the ratio 50 peers / 1 peer, and the SM's peak RSS. The SM runs in
 * its own process so its memory is its own; the peers (and the caller) run here.
 * Target: ratio ≤ 1.5, RSS ≤ 1 GiB.   `npx tsx bench/sm-fanout.ts [--calls N]`
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AmClient } from '../src/client';
import { initAuthority, loadAuthority, mintUser, mintUserCredential, sfaCredentialStruct } from '../src/credentials';
import { v3Api } from '../src/geni/methods';
import { startPeerAggregates } from '../src/peer-aggregates';
import { startReferenceSm, type AggregateEntry } from '../src/reference-sm';
import { HttpsTransport } from '../src/transport';

const { values } = parseArgs({ options: { child: { type: 'string' }, calls: { type: 'string', default: '5' } } });

if (values.child) {
  // The SM process: authority from disk, aggregates from the file, URL on stdout, until stdin closes.
  const { authorityDir, aggregates } = JSON.parse(readFileSync(values.child, 'utf8')) as { authorityDir: string; aggregates: AggregateEntry[] };
  const sm = await startReferenceSm({ authority: loadAuthority(authorityDir), aggregates, peerTimeoutMs: 30_000 });
  process.stdout.write(`${JSON.stringify({ url: sm.url })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void sm.close().then(() => process.exit(0)));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'gh-sm-bench-'));
  const { authority } = initAuthority(join(dir, 'authority'));
  const alice = mintUser(authority, 'alice');
  const credentials = [sfaCredentialStruct(mintUserCredential(authority, alice))];
  const calls = Number(values.calls);
  const rows: Array<{ peers: number; firstMs: number; medianMs: number; smPeakRssMb: number; nodes: number }> = [];

  for (const count of [1, 10, 50]) {
    const behaviours = Object.fromEntries(Array.from({ length: count }, (_, i) => [i, { delayMs: 100 }]));
    const peers = await startPeerAggregates({ authority, count, behaviours });
    const configPath = join(dir, `sm-${count}.json`);
    writeFileSync(configPath, JSON.stringify({ authorityDir: join(dir, 'authority'), aggregates: peers.peers.map((p) => ({ hrn: p.hrn, url: p.url, urn: p.urn })) }));
    const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, '--child', configPath], { stdio: ['pipe', 'pipe', 'inherit'] });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => resolve((JSON.parse(chunk.toString()) as { url: string }).url));
      child.once('exit', (code) => reject(new Error(`the SM process exited (${code})`)));
    });
    const transport = new HttpsTransport({ certPem: `${alice.certPem}${authority.sa.certPem}`, keyPem: alice.keyPem, caPem: authority.trustedRootsPem });
    const am = v3Api(new AmClient({ url, transport, timeoutMs: 120_000, maxResponseBytes: 256 * 1024 * 1024 }));
    const times: number[] = [];
    let nodes = 0;
    for (let i = 0; i < calls; i++) {
      const started = performance.now();
      const res = await am.ListResources(credentials, { geni_rspec_version: { type: 'GENI', version: '3' }, cached: false });
      times.push(performance.now() - started);
      if (res.envelope?.geniCode !== 0) throw new Error(`ListResources through the SM failed: ${JSON.stringify(res.envelope?.output)}`);
      nodes = (String(res.envelope.value).match(/<node /g) ?? []).length;
    }
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    transport.close();
    child.stdin.end();
    await new Promise((resolve) => child.once('exit', resolve));
    await peers.close();
    const sorted = [...times.slice(1)].sort((a, b) => a - b);
    rows.push({ peers: count, firstMs: times[0]!, medianMs: sorted[Math.floor(sorted.length / 2)] ?? times[0]!, smPeakRssMb: peakKb / 1024, nodes });
  }

  console.log('ListResources (cached: false) through the reference SM; every peer answers after 100 ms');
  console.log('peers  nodes merged  first call (TLS set-up) ms  median of the next ms  SM peak RSS MiB');
  for (const r of rows) {
    console.log(`${String(r.peers).padStart(5)}  ${String(r.nodes).padStart(12)}  ${r.firstMs.toFixed(0).padStart(26)}  ${r.medianMs.toFixed(0).padStart(21)}  ${r.smPeakRssMb.toFixed(0).padStart(15)}`);
  }
  const one = rows.find((r) => r.peers === 1)!;
  const fifty = rows.find((r) => r.peers === 50)!;
  const ratio = fifty.medianMs / one.medianMs;
  const maxRss = Math.max(...rows.map((r) => r.smPeakRssMb));
  console.log(`ratio 50 peers / 1 peer (median): ${ratio.toFixed(2)}  (target ≤ 1.5: ${ratio <= 1.5 ? 'met' : 'NOT met'})`);
  console.log(`ratio 50 peers / 1 peer (first call, with 50 TLS handshakes): ${(fifty.firstMs / one.firstMs).toFixed(2)}`);
  console.log(`SM peak RSS: ${maxRss.toFixed(0)} MiB  (target ≤ 1024: ${maxRss <= 1024 ? 'met' : 'NOT met'}); this process (peers + caller): ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB`);
}

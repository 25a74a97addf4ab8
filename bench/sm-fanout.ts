/**
 * One slice-manager call fanned out to 1, 10 and 50 peer aggregates, each answering after a fixed 100 ms (a slow
 * aggregate, as real ones are): wall time of ListResources (cached: false, so every peer is asked and every
 * advertisement merged) through the reference SM, the ratio 50 peers / 1 peer, and peak RSS. By default the SM, the
 * 50 peers and the caller share this process (RSS is then all of them: an upper bound for the SM's); with
 * --sm-process the SM runs in its own process and its own peak RSS is reported. Either way the 50 peers are 50
 * reference AMs sharing this machine's cores, which real aggregates do not: the columns "last peer reached" and
 * "last peer answered" show how much of the time is theirs.
 * Target: ratio ≤ 1.5, RSS ≤ 1 GiB.   `npx tsx bench/sm-fanout.ts [--calls N] [--sm-process]`
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AmClient } from '../src/client';
import { initAuthority, loadAuthority, mintUser, mintUserCredential, sfaCredentialStruct } from '../src/credentials';
import { v3Api } from '../src/geni/methods';
import { startPeerAggregates } from '../src/peer-aggregates';
import { startReferenceSm, type AggregateEntry } from '../src/reference-sm';
import { HttpsTransport } from '../src/transport';

const { values } = parseArgs({ options: { child: { type: 'string' }, calls: { type: 'string', default: '12' }, 'sm-process': { type: 'boolean', default: false } } });

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
  const rows: Array<{ peers: number; firstMs: number; medianMs: number; smPeakRssMb: number; nodes: number; lastArrivalMs: number; lastAnswerMs: number }> = [];

  for (const count of [1, 10, 50]) {
    const behaviours = Object.fromEntries(Array.from({ length: count }, (_, i) => [i, { delayMs: 100 }]));
    const peers = await startPeerAggregates({ authority, count, behaviours });
    const aggregates = peers.peers.map((p) => ({ hrn: p.hrn, url: p.url, urn: p.urn }));
    let url: string;
    let stop: () => Promise<unknown>;
    let smPeakKb: () => number;
    if (values['sm-process']) {
      const configPath = join(dir, `sm-${count}.json`);
      writeFileSync(configPath, JSON.stringify({ authorityDir: join(dir, 'authority'), aggregates }));
      // SM_BENCH_CPU_PROF=DIR writes a CPU profile of the SM process there (where its time goes).
      const profile = process.env.SM_BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SM_BENCH_CPU_PROF}`] : [];
      const child = spawn(process.execPath, [...profile, '--import', 'tsx', import.meta.filename, '--child', configPath], { stdio: ['pipe', 'pipe', 'inherit'] });
      url = await new Promise<string>((resolve, reject) => {
        child.stdout.once('data', (chunk: Buffer) => resolve((JSON.parse(chunk.toString()) as { url: string }).url));
        child.once('exit', (code) => reject(new Error(`the SM process exited (${code})`)));
      });
      smPeakKb = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
      stop = async () => {
        child.stdin.end();
        await new Promise((resolve) => child.once('exit', resolve));
      };
    } else {
      const sm = await startReferenceSm({ authority, aggregates, peerTimeoutMs: 30_000 });
      url = sm.url;
      // In one process with the peers and the caller: the peak RSS of all of it (an upper bound for the SM's).
      smPeakKb = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
      stop = () => sm.close();
    }
    const transport = new HttpsTransport({ certPem: `${alice.certPem}${authority.sa.certPem}`, keyPem: alice.keyPem, caPem: authority.trustedRootsPem });
    const am = v3Api(new AmClient({ url, transport, timeoutMs: 120_000, maxResponseBytes: 256 * 1024 * 1024 }));
    const times: number[] = [];
    const phases: Array<{ lastSent: number; lastAnswer: number; total: number }> = [];
    let nodes = 0;
    for (let i = 0; i < calls; i++) {
      const mark = await peers.mark();
      const wall = Date.now();
      const started = performance.now();
      const res = await am.ListResources(credentials, { geni_rspec_version: { type: 'GENI', version: '3' }, cached: false });
      times.push(performance.now() - started);
      const received = await peers.received(mark);
      phases.push({ lastSent: Math.max(...received.map((c) => c.receivedAt - wall)), lastAnswer: Math.max(...received.map((c) => (c.answeredAt ?? wall) - wall)), total: Date.now() - wall });
      if (res.envelope?.geniCode !== 0) throw new Error(`ListResources through the SM failed: ${JSON.stringify(res.envelope?.output)}`);
      nodes = (String(res.envelope.value).match(/<node /g) ?? []).length;
    }
    const peakKb = smPeakKb();
    transport.close();
    await stop();
    await peers.close();
    // The first calls warm up TLS sessions and the JIT; the median of the second half is the steady state.
    const sorted = [...times.slice(Math.floor(times.length / 2))].sort((a, b) => a - b);
    const steady = phases.slice(Math.floor(phases.length / 2));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    rows.push({
      peers: count, firstMs: times[0]!, medianMs: sorted[Math.floor(sorted.length / 2)] ?? times[0]!, smPeakRssMb: peakKb / 1024, nodes,
      lastArrivalMs: median(steady.map((p) => p.lastSent)), lastAnswerMs: median(steady.map((p) => p.lastAnswer)),
    });
  }

  console.log('ListResources (cached: false) through the reference SM; every peer answers after 100 ms');
  console.log('peers  nodes merged  first call (TLS set-up) ms  steady median ms  (last peer reached  last peer answered)  peak RSS MiB');
  for (const r of rows) {
    console.log(`${String(r.peers).padStart(5)}  ${String(r.nodes).padStart(12)}  ${r.firstMs.toFixed(0).padStart(26)}  ${r.medianMs.toFixed(0).padStart(16)}  (${String(r.lastArrivalMs).padStart(17)}  ${String(r.lastAnswerMs).padStart(18)})  ${r.smPeakRssMb.toFixed(0).padStart(15)}`);
  }
  console.log(`load average while measuring: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
  const one = rows.find((r) => r.peers === 1)!;
  const fifty = rows.find((r) => r.peers === 50)!;
  const ratio = fifty.medianMs / one.medianMs;
  const maxRss = Math.max(...rows.map((r) => r.smPeakRssMb));
  console.log(`ratio 50 peers / 1 peer (median): ${ratio.toFixed(2)}  (target ≤ 1.5: ${ratio <= 1.5 ? 'met' : 'NOT met'})`);
  console.log(`ratio 50 peers / 1 peer (first call, with 50 TLS handshakes): ${(fifty.firstMs / one.firstMs).toFixed(2)}`);
  const whose = values['sm-process'] ? 'the SM process' : 'SM, peers and caller in one process';
  console.log(`peak RSS (${whose}): ${maxRss.toFixed(0)} MiB  (target ≤ 1024: ${maxRss <= 1024 ? 'met' : 'NOT met'})`);
}

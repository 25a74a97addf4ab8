/**
 * One slice-manager call fanned out to 1, 10 and 50 peer aggregates, each answering after a fixed 100 ms (a slow
 * aggregate, as real ones are): wall time of ListResources (cached: false, so every peer is asked and every
 * advertisement merged) through the reference SM, the ratio 50 peers / 1 peer, the SM's CPU per call and its peak
 * RSS. Target: ratio ≤ 1.5, RSS ≤ 1 GiB.
 *
 * Layout. Real aggregates run on other machines; here they share this one's cores. By default each party has a
 * process of its own, as close to that as one machine gets: the 50 peers in one process, the SM in another, the
 * caller (this process) in a third; the SM's RSS and CPU are then its own. `--together` puts all three in this
 * process (the SM then also pays for the peers' work and the caller's decoding; RSS is all of it). Either way the
 * columns "last peer reached" and "last peer answered" show how much of the time is the peers', and the load
 * average says how much the machine was shared. The three sizes are set up first and called in turn, round by round,
 * so the 50/1 ratio is taken pair by pair (median and range over the steady rounds): a machine whose load drifts
 * moves both calls of a pair alike. The peers' CPU per call says how much of the wall time is theirs: all peers share
 * one process, so their work is serialised on one core, which real aggregates on their own machines are not.
 *
 *   `npx tsx bench/sm-fanout.ts [--calls N] [--together]`
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AmClient } from '../src/client';
import { initAuthority, loadAuthority, mintUser, mintUserCredential, sfaCredentialStruct } from '../src/credentials';
import { v3Api } from '../src/geni/methods';
import { connectPeerControl, servePeerControl, startPeerAggregates, type PeerControl } from '../src/peer-aggregates';
import { startReferenceSm, type AggregateEntry } from '../src/reference-sm';
import { HttpsTransport } from '../src/transport';

const { values } = parseArgs({
  options: {
    'child-sm': { type: 'string' }, 'child-peers': { type: 'string' },
    calls: { type: 'string', default: '12' }, together: { type: 'boolean', default: false },
  },
});
const DELAY_MS = 100;
type BenchChild = ChildProcessByStdio<Writable, Readable, null>;

/** A child process: reads its config file, prints one JSON line when ready, stops when stdin closes. */
async function child(start: () => Promise<{ ready: unknown; close: () => Promise<unknown> }>): Promise<void> {
  const { ready, close } = await start();
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void close().then(() => process.exit(0)));
}

function spawnChild(role: 'child-sm' | 'child-peers', configPath: string): Promise<{ child: BenchChild; ready: unknown }> {
  // SM_BENCH_CPU_PROF=DIR writes CPU profiles of the child processes there (where their time goes).
  const profile = process.env.SM_BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SM_BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', import.meta.filename, `--${role}`, configPath], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve({ child, ready: JSON.parse(chunk.toString()) as unknown }));
    child.once('exit', (code) => reject(new Error(`the ${role.slice(6)} process exited (${code})`)));
  });
}

async function stopChild(child: BenchChild): Promise<void> {
  child.stdin.end();
  await new Promise((resolve) => child.once('exit', resolve));
}

/** CPU time (user + system) a process has used so far, in ms (/proc clock ticks are 10 ms). */
function cpuMsOf(pid: number | 'self'): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function peakRssMbOf(pid: number | 'self'): number {
  return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

if (values['child-sm']) {
  const { authorityDir, aggregates } = JSON.parse(readFileSync(values['child-sm'], 'utf8')) as { authorityDir: string; aggregates: AggregateEntry[] };
  await child(async () => {
    const sm = await startReferenceSm({ authority: loadAuthority(authorityDir), aggregates, peerTimeoutMs: 30_000 });
    return { ready: { url: sm.url }, close: () => sm.close() };
  });
} else if (values['child-peers']) {
  const { authorityDir, count } = JSON.parse(readFileSync(values['child-peers'], 'utf8')) as { authorityDir: string; count: number };
  await child(async () => {
    const authority = loadAuthority(authorityDir);
    const behaviours = Object.fromEntries(Array.from({ length: count }, (_, i) => [i, { delayMs: DELAY_MS }]));
    const peers = await startPeerAggregates({ authority, count, behaviours });
    const control = await servePeerControl(peers, { authority });
    const aggregates = peers.peers.map((p) => ({ hrn: p.hrn, url: p.url, urn: p.urn }));
    return { ready: { aggregates, controlUrl: control.url }, close: async () => { await control.close(); await peers.close(); } };
  });
} else {
  const dir = mkdtempSync(join(tmpdir(), 'gh-sm-bench-'));
  const authorityDir = join(dir, 'authority');
  const { authority } = initAuthority(authorityDir);
  const alice = mintUser(authority, 'alice');
  const credentials = [sfaCredentialStruct(mintUserCredential(authority, alice))];
  const calls = Number(values.calls);
  const together = values.together;
  const transport = new HttpsTransport({ certPem: `${alice.certPem}${authority.sa.certPem}`, keyPem: alice.keyPem, caPem: authority.trustedRootsPem });
  const SIZES = [1, 10, 50];

  // Every size is set up first and stays up; then the calls go round by round (1, 10, 50 peers, again), so the
  // ratio 50 / 1 is taken pair by pair within a round: the load of whoever else shares the machine cancels out.
  interface Setup { peers: number; call: () => Promise<{ ms: number; nodes: number; lastSent: number; lastAnswer: number; smCpuMs: number; peersCpuMs: number }>; smPid: number | 'self'; peersPid: number | 'self'; closers: Array<() => Promise<unknown>> }
  const setups: Setup[] = [];
  for (const count of SIZES) {
    const closers: Array<() => Promise<unknown>> = [];
    let peers: PeerControl;
    let aggregates: AggregateEntry[];
    let peersPid: number | 'self' = 'self';
    if (together) {
      const behaviours = Object.fromEntries(Array.from({ length: count }, (_, i) => [i, { delayMs: DELAY_MS }]));
      const local = await startPeerAggregates({ authority, count, behaviours });
      closers.push(() => local.close());
      peers = local;
      aggregates = local.peers.map((p) => ({ hrn: p.hrn, url: p.url, urn: p.urn }));
    } else {
      const configPath = join(dir, `peers-${count}.json`);
      writeFileSync(configPath, JSON.stringify({ authorityDir, count }));
      const { child, ready } = await spawnChild('child-peers', configPath);
      closers.push(() => stopChild(child));
      peersPid = child.pid!;
      const started = ready as { aggregates: AggregateEntry[]; controlUrl: string };
      aggregates = started.aggregates;
      const control = new AmClient({ url: started.controlUrl, transport, timeoutMs: 60_000, maxResponseBytes: 256 * 1024 * 1024 });
      peers = await connectPeerControl(async (method, params) => {
        const answer = await control.call(method, params);
        if (answer.kind === 'fault') throw new Error(`peer control ${method}: ${answer.faultString}`);
        return answer.value;
      });
    }
    let url: string;
    let smPid: number | 'self';
    if (together) {
      const sm = await startReferenceSm({ authority, aggregates, peerTimeoutMs: 30_000 });
      closers.unshift(() => sm.close());
      url = sm.url;
      smPid = 'self';
    } else {
      const configPath = join(dir, `sm-${count}.json`);
      writeFileSync(configPath, JSON.stringify({ authorityDir, aggregates }));
      const { child, ready } = await spawnChild('child-sm', configPath);
      closers.unshift(() => stopChild(child));
      url = (ready as { url: string }).url;
      smPid = child.pid!;
    }
    const am = v3Api(new AmClient({ url, transport, timeoutMs: 120_000, maxResponseBytes: 256 * 1024 * 1024 }));
    const call = async () => {
      const mark = await peers.mark();
      // CPU is read around the SM call alone: the control calls (mark, and received, which sends back every call
      // with its credential and answer) are the bench's, not the fan-out's.
      const smBefore = cpuMsOf(smPid);
      const peersBefore = cpuMsOf(peersPid);
      const wall = Date.now();
      const started = performance.now();
      const res = await am.ListResources(credentials, { geni_rspec_version: { type: 'GENI', version: '3' }, cached: false });
      const ms = performance.now() - started;
      const smCpuMs = cpuMsOf(smPid) - smBefore;
      const peersCpuMs = cpuMsOf(peersPid) - peersBefore;
      const received = await peers.received(mark);
      if (res.envelope?.geniCode !== 0) throw new Error(`ListResources through the SM failed: ${JSON.stringify(res.envelope?.output)}`);
      return {
        ms, smCpuMs, peersCpuMs, nodes: (String(res.envelope.value).match(/<node /g) ?? []).length,
        lastSent: Math.max(...received.map((c) => c.receivedAt - wall)), lastAnswer: Math.max(...received.map((c) => (c.answeredAt ?? wall) - wall)),
      };
    };
    setups.push({ peers: count, call, smPid, peersPid, closers });
  }

  type Sample = { ms: number; smCpuMs: number; peersCpuMs: number; lastSent: number; lastAnswer: number; nodes: number };
  const samples = new Map<number, Sample[]>(SIZES.map((n) => [n, []]));
  for (let round = 0; round < calls; round++) {
    for (const setup of setups) samples.get(setup.peers)!.push(await setup.call());
  }
  const peaks = new Map(setups.map((s) => [s.peers, peakRssMbOf(s.smPid)]));
  for (const setup of setups) for (const close of setup.closers) await close();

  // The first rounds warm up TLS sessions and the JIT; the second half is the steady state.
  const steady = <T>(xs: T[]): T[] => xs.slice(Math.floor(xs.length / 2));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const rows = SIZES.map((n) => {
    const all = samples.get(n)!;
    const st = steady(all);
    return {
      peers: n, firstMs: all[0]!.ms, medianMs: median(st.map((x) => x.ms)), smCpuMs: mean(st.map((x) => x.smCpuMs)), peersCpuMs: mean(st.map((x) => x.peersCpuMs)),
      smPeakRssMb: peaks.get(n)!, nodes: all.at(-1)!.nodes, lastArrivalMs: median(st.map((x) => x.lastSent)), lastAnswerMs: median(st.map((x) => x.lastAnswer)),
    };
  });
  const pairRatios = steady(samples.get(50)!.map((x, i) => x.ms / samples.get(1)![i]!.ms));
  transport.close();

  const layout = together ? 'SM, peers and caller in this one process' : 'peers, SM and caller in three processes';
  console.log(`ListResources (cached: false) through the reference SM; every peer answers after ${DELAY_MS} ms; ${layout}; ${calls} rounds of 1, 10, 50 peers in turn`);
  // With --together the CPU and RSS columns are the whole process's (SM, peers and caller).
  console.log('peers  nodes merged  first call (TLS set-up) ms  steady median ms  (last peer reached  last peer answered)  SM CPU ms/call  peers CPU ms/call  SM peak RSS MiB');
  for (const r of rows) {
    console.log(`${String(r.peers).padStart(5)}  ${String(r.nodes).padStart(12)}  ${r.firstMs.toFixed(0).padStart(26)}  ${r.medianMs.toFixed(0).padStart(16)}  (${String(r.lastArrivalMs).padStart(17)}  ${String(r.lastAnswerMs).padStart(18)})  ${r.smCpuMs.toFixed(0).padStart(14)}  ${(together ? '-' : r.peersCpuMs.toFixed(0)).padStart(17)}  ${r.smPeakRssMb.toFixed(0).padStart(15)}`);
  }
  console.log(`load average while measuring: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
  const one = rows.find((r) => r.peers === 1)!;
  const fifty = rows.find((r) => r.peers === 50)!;
  const ratio = median(pairRatios);
  const maxRss = Math.max(...rows.map((r) => r.smPeakRssMb));
  console.log(`ratio 50 peers / 1 peer (wall, pair by pair within a round, median of ${pairRatios.length} steady rounds): ${ratio.toFixed(2)}  (range ${Math.min(...pairRatios).toFixed(2)}-${Math.max(...pairRatios).toFixed(2)}; target ≤ 1.5: ${ratio <= 1.5 ? 'met' : 'NOT met'})`);
  console.log(`ratio 50 peers / 1 peer (first call, with 50 TLS handshakes): ${(fifty.firstMs / one.firstMs).toFixed(2)}`);
  console.log(`${together ? 'CPU of this process (SM, peers and caller)' : 'SM CPU'} per call: ${one.smCpuMs.toFixed(0)} ms with 1 peer, ${fifty.smCpuMs.toFixed(0)} ms with 50 (${((fifty.smCpuMs - one.smCpuMs) / 49).toFixed(1)} ms per extra peer)`);
  if (!together) console.log(`peers' CPU per call (one process for all peers, so their work is serialised on one core): ${one.peersCpuMs.toFixed(0)} ms with 1 peer, ${fifty.peersCpuMs.toFixed(0)} ms with 50 (${((fifty.peersCpuMs - one.peersCpuMs) / 49).toFixed(1)} ms per extra peer)`);
  console.log(`peak RSS (${together ? 'all of this process' : 'the SM process'}): ${maxRss.toFixed(0)} MiB  (target ≤ 1024: ${maxRss <= 1024 ? 'met' : 'NOT met'})`);
}

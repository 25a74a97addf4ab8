/**
 * Developer tool: run selected cases in-process against the embedded reference AM (optionally with faults) and
 * print each outcome with its findings. `npx tsx scripts/run-cases.ts --case 'am3.getversion.*' [--suite am3] [--fault NAME] [--strict] [--peers N]`
 */
import { parseArgs } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedTarget } from '../src/cli/embedded-target';
import { loadCases, selectCases } from '../src/runner/registry';
import { Session } from '../src/runner/session';
import { runCasesInProcess } from '../src/runner/run';
import { formatValue } from '../src/core';
import { reportId } from '../src/runner/types';

const { values } = parseArgs({
  options: {
    case: { type: 'string', multiple: true },
    tag: { type: 'string', multiple: true },
    fault: { type: 'string', multiple: true },
    strict: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    suite: { type: 'string', multiple: true },
    peers: { type: 'string' },
  },
});

const selected = selectCases(await loadCases(), { cases: values.case, tags: values.tag });
// The reference slice manager and its peers start only when an sm case is selected.
const wantsSm = selected.some((c) => c.suites.some((s) => s.name === 'sm'));
const target = await startEmbeddedTarget({ faults: values.fault ?? [], ...(wantsSm && { sm: { peers: Number(values.peers ?? 3) } }) });
const session = Session.open(target.spec, {
  ledgerPath: join(tmpdir(), `geni-harness-dev-ledger-${process.pid}.json`),
  limits: { callTimeoutMs: 30_000, maxResponseBytes: 64 * 1024 * 1024 },
});
const cases = selected;
const counts: Record<string, number> = {};
try {
  await runCasesInProcess(session, cases, { strict: values.strict ?? false, seed: 1, caseTimeoutMs: 60_000, suites: values.suite, login: { enabled: true, waitMs: 5_000 } }, (e) => {
    if (e.type !== 'case-finished') return;
    const r = e.result;
    counts[r.outcome.kind] = (counts[r.outcome.kind] ?? 0) + 1;
    console.log(`${r.outcome.kind.padEnd(11)} ${reportId(r)}  (${r.durationMs} ms)`);
    const o = r.outcome;
    if (o.kind === 'fail' || o.kind === 'warn') {
      for (const f of o.findings) {
        console.log(`    - [${f.check}] ${f.title}${f.grade ? ' (strict-only)' : ''} at ${f.path ?? '-'}`);
        console.log(`      expected: ${f.expected.join(' | ')}`);
        console.log(`      actual:   ${f.actual}`);
      }
    } else if (o.kind === 'error') {
      console.log(`    error (${o.phase}): ${o.message}`);
    } else if (o.kind === 'skip' || o.kind === 'unsupported') {
      console.log(`    ${o.reason}`);
    }
    for (const n of r.notes) console.log(`    note: ${n}`);
    if (values.verbose || o.kind === 'error') {
      for (const x of r.exchanges) console.log(`    ${x.id} ${x.method} → ${x.response ? formatValue(x.response.body, 400) : x.error}`);
    }
  });
} finally {
  session.close();
  await target.close();
}
console.log(Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ') || 'no cases selected');

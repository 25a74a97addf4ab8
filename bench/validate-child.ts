/**
 * The in-process side of bench/validate-bench.ts, run as a compiled build (no tsx in the process): validates the
 * files given, after one warm-up document, and prints the time spent inside validateRSpecFile. With several files
 * it goes over them six times: the first pass is what a fresh process pays (V8 still compiling libxml2's hot
 * functions and ours with its optimising compilers, on background threads), the second what it pays next, and the
 * fourth to sixth (their mean) what a long-lived one does (a harness run, the sandbox's worker).
 * CPU time is given beside wall time: on a shared machine the wall figure measures the neighbours too.
 */
import { validateRSpecFile } from '../src/rspec/validate';

const [warmUp, ...files] = process.argv.slice(2);
validateRSpecFile(warmUp!); // compile the schemas and load the engine: the figure is the per-document cost

function pass(): { ms: number; cpuMs: number; invalid: number } {
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  let invalid = 0;
  for (const file of files) if (!validateRSpecFile(file).schemaValid) invalid += 1;
  const cpu = process.cpuUsage(cpuBefore);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, cpuMs: (cpu.user + cpu.system) / 1000, invalid };
}

const first = pass();
const again = files.length > 1 ? pass() : undefined;
let steady: { ms: number; cpuMs: number } | undefined;
if (again) {
  pass();
  const later = [pass(), pass(), pass()];
  steady = { ms: later.reduce((sum, p) => sum + p.ms, 0) / later.length, cpuMs: later.reduce((sum, p) => sum + p.cpuMs, 0) / later.length };
}
console.log(JSON.stringify({
  ...first, documents: files.length,
  ...(again && { againMs: again.ms, againCpuMs: again.cpuMs }),
  ...(steady && { steadyMs: steady.ms, steadyCpuMs: steady.cpuMs }),
}));
process.exitCode = first.invalid === 0 ? 0 : 1;

/**
 * The in-process side of bench/validate-bench.ts, run as a compiled build (no tsx in the process): validates the
 * files given, after one warm-up document, and prints the time spent inside validateRSpecFile.
 */
import { validateRSpecFile } from '../src/rspec/validate';

const [warmUp, ...files] = process.argv.slice(2);
validateRSpecFile(warmUp!); // compile the schemas and load the engine: the figure is the per-document cost
const started = process.hrtime.bigint();
const cpuBefore = process.cpuUsage();
let invalid = 0;
for (const file of files) if (!validateRSpecFile(file).schemaValid) invalid += 1;
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const cpu = process.cpuUsage(cpuBefore);
// CPU time as well as wall time: on a shared machine the wall figure measures the neighbours too.
const cpuMs = (cpu.user + cpu.system) / 1000;
console.log(JSON.stringify({ ms, cpuMs, documents: files.length, invalid }));
process.exitCode = invalid === 0 ? 0 : 1;

#!/usr/bin/env node
// Entry point. The commands run a compiled build (bin/compiled.mjs) when one can be made: `validate` its own
// command, so its start-up stays well under half a second; the others the CLI (src/cli/main.ts), so a `run` pays
// no loader hooks on the thousands of modules vitest and the harness import. The commands that load the case files
// (suites/*.cases.ts, TypeScript imported at run time) register tsx and run the sources as they are: cases and the
// runner that runs them must be one copy of the harness. Without a build (no esbuild, read-only tree) tsx serves all.
// A reader that goes away (`geni-harness list | head -1`) ends our output quietly, not with a stack trace; the
// command itself goes on (a run still finishes and cleans up at the aggregate).
import { setFlagsFromString } from 'node:v8';

// A small young generation (2 MB semi-spaces, V8's default is 16 MB): the process that hosts vitest then peaks
// about 100 MB lower (issue 9's 512 MB target, bench/hostile-rss.ts) for a few more, shorter scavenges.
setFlagsFromString('--max-semi-space-size=2');

for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
  });
}

/** The commands that import case files in this process (src/runner/registry.ts loadCases). */
const LOADS_CASES = new Set(['list', 'faults', 'coverage', 'replay']);

const { compiledEntry } = await import('./compiled.mjs');
if (process.argv[2] === 'validate') {
  const compiled = await compiledEntry('src/cli/validate-entry.ts');
  if (compiled) {
    await import(compiled);
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    await import('../src/cli/validate-entry.ts');
  }
} else {
  const compiled = LOADS_CASES.has(process.argv[2]) ? undefined : await compiledEntry('src/cli/main.ts', { split: true });
  if (!compiled) {
    const { register } = await import('tsx/esm/api');
    register();
  }
  const { main } = await import(compiled ?? '../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
}

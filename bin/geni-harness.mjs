#!/usr/bin/env node
// Entry point. `validate` runs a compiled build of its command (bin/compiled.mjs) when one can be made, so its
// start-up stays well under half a second; everything else registers tsx so the TypeScript sources run as they are.
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

if (process.argv[2] === 'validate') {
  const { compiledEntry } = await import('./compiled.mjs');
  const compiled = await compiledEntry('src/cli/validate-entry.ts');
  if (compiled) {
    await import(compiled);
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    await import('../src/cli/validate-entry.ts');
  }
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
}

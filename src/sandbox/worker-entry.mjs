// The sandbox worker's first module, plain JavaScript so that it runs whatever loaded the main thread (tsx,
// vitest, a compiled build). It caps the WebAssembly heap before any module exists in this thread, then loads the
// task runner: a compiled build when one can be made, else the TypeScript through tsx.
import { workerData } from 'node:worker_threads';

const ceiling = workerData.wasmCeilingBytes;
const grow = WebAssembly.Memory.prototype.grow;
// Emscripten grows its heap through Memory.grow and treats a throw as "no memory": malloc returns NULL and
// libxml2 reports a memory error, so a document too big for the budget becomes a finding, not a dead process.
WebAssembly.Memory.prototype.grow = function growWithinBudget(pages) {
  if (this.buffer.byteLength + pages * 65536 > ceiling) throw new RangeError('sandbox memory budget exhausted');
  return grow.call(this, pages);
};

const { compiledEntry } = await import(new URL('../../bin/compiled.mjs', import.meta.url).href);
const compiled = await compiledEntry('src/sandbox/worker.ts');
if (compiled) {
  await import(compiled);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('./worker.ts', import.meta.url).href);
}

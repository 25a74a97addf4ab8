/**
 * The compiled libxml2 WebAssembly module of this thread, once src/rspec/libxml2.ts has loaded it. A thread that
 * starts a worker hands it over (src/sandbox), and the worker instantiates it instead of compiling its own: V8
 * shares one compiled module between the threads of a process, so the worker skips decoding and compiling libxml2,
 * and the code either thread has optimised serves both. Kept apart from libxml2.ts so that asking costs nothing
 * in a thread that never loaded the engine.
 */

/** The parts of the WebAssembly JavaScript API used here (the project's TypeScript lib has no WebAssembly types). */
export interface WasmApi {
  Module: abstract new (bytes: Uint8Array) => CompiledEngine;
  Instance: new (module: CompiledEngine, imports: object) => object;
  instantiate: (...args: never[]) => Promise<unknown>;
}

/** A WebAssembly.Module. */
export type CompiledEngine = object;

export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: CompiledEngine | undefined;

export function engineModule(): CompiledEngine | undefined {
  return compiled;
}

export function setEngineModule(module: CompiledEngine): void {
  compiled = module;
}

/** The name under which a worker receives it in workerData. */
export const ENGINE_MODULE_KEY = 'libxml2Module';

import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { fromTransferable, XmlRpcDecodeError, type DecodedResponse, type DecodeLimits } from '../xmlrpc';
import type { SandboxInput, SandboxOutput, SandboxTaskName } from './tasks';
import { ENGINE_MODULE_KEY, engineModule } from '../rspec/engine-module';

export type { SandboxTaskName, SandboxInput, SandboxOutput, DecodedInSandbox } from './tasks';

/**
 * A worker thread that handles documents received from an aggregate (RSpecs today, XML-RPC answers next), so one
 * hostile document can never hold a run past its deadline or take the process's memory:
 *
 * - a deadline per task: past it the worker is terminated (WebAssembly is interruptible, so even a parse in
 *   progress stops) and the caller gets `{ status: 'timeout' }`; the next task starts a fresh worker;
 * - a memory budget: the worker's JavaScript heap is capped by resourceLimits and its WebAssembly heap (where
 *   libxml2 keeps the tree) by a ceiling on Memory.grow, past which the engine reports "out of memory" as a
 *   finding instead of crashing;
 * - a worker whose heap grew past `recycleAboveMb` is replaced after its task, returning the memory.
 *
 * `runSync` blocks the calling thread (Atomics.wait) so synchronous checks can use it; `run` is its promise form.
 * Calls to `run` wait their turn (one task at a time per worker; the deadline counts from the call). Do not mix
 * `runSync` and `run` on one sandbox: `runSync` refuses while a `run` task is in the worker.
 */
export interface SandboxLimits {
  /** Time a task may take when the caller names no deadline (ms). */
  deadlineMs: number;
  /** The worker's JavaScript heap (old generation), MB. */
  heapMb: number;
  /** Ceiling on the worker's WebAssembly heap, MB (libxml2-wasm cannot exceed 2048 anyway). */
  wasmMb: number;
  /** Replace the worker after a task that left its WebAssembly heap above this, MB. */
  recycleAboveMb: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = { deadlineMs: 60_000, heapMb: 256, wasmMb: 2048, recycleAboveMb: 512 };

export type SandboxOutcome<T> =
  | { status: 'done'; value: T; elapsedMs: number }
  | { status: 'timeout'; elapsedMs: number; message: string }
  | { status: 'failed'; elapsedMs: number; message: string };

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
  heapBytes: number;
}

interface LiveWorker {
  worker: Worker;
  port: MessagePort;
  signal: Int32Array;
  exited: boolean;
  exitReason?: string;
}

export class DocumentSandbox {
  private readonly limits: SandboxLimits;
  private live: LiveWorker | undefined;
  private nextId = 1;
  private busy = false;
  private queue: Promise<void> = Promise.resolve();
  /** `run` tasks in the worker or waiting for it. */
  private queued = 0;

  constructor(limits: Partial<SandboxLimits> = {}) {
    this.limits = { ...DEFAULT_SANDBOX_LIMITS, ...limits };
  }

  /** Runs `task` in the worker and waits for it, blocking this thread, at most `deadlineMs`. */
  runSync<N extends SandboxTaskName>(task: N, input: SandboxInput<N>, options: { deadlineMs?: number; transfer?: ArrayBuffer[] } = {}): SandboxOutcome<SandboxOutput<N>> {
    const started = Date.now();
    const deadline = started + (options.deadlineMs ?? this.limits.deadlineMs);
    const posted = this.post(task, input, options.transfer);
    if ('failed' in posted) return { status: 'failed', elapsedMs: Date.now() - started, message: posted.failed };
    const { live, id, previous } = posted;
    try {
      while (Atomics.load(live.signal, 0) !== id) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) return this.timedOut(started);
        Atomics.wait(live.signal, 0, previous, Math.min(remaining, 250));
        if (live.exited) return this.died(live, started);
      }
      return this.collect<SandboxOutput<N>>(live, started);
    } finally {
      this.busy = false;
    }
  }

  /** runSync without blocking: the promise settles when the task ends, its worker dies or its deadline passes. */
  async run<N extends SandboxTaskName>(task: N, input: SandboxInput<N>, options: { deadlineMs?: number; transfer?: ArrayBuffer[] } = {}): Promise<SandboxOutcome<SandboxOutput<N>>> {
    const deadline = Date.now() + (options.deadlineMs ?? this.limits.deadlineMs);
    const previous = this.queue;
    let done!: () => void;
    this.queue = new Promise<void>((resolve) => (done = resolve));
    this.queued += 1;
    try {
      // Nobody ahead: post now, in this tick (a runSync right after sees the worker busy, as it is).
      if (this.queued > 1) await previous;
      return await this.runNow(task, input, Math.max(1, deadline - Date.now()), options.transfer);
    } finally {
      this.queued -= 1;
      done();
    }
  }

  private async runNow<N extends SandboxTaskName>(task: N, input: SandboxInput<N>, deadlineMs: number, transfer?: ArrayBuffer[]): Promise<SandboxOutcome<SandboxOutput<N>>> {
    const started = Date.now();
    const posted = this.post(task, input, transfer);
    if ('failed' in posted) return { status: 'failed', elapsedMs: Date.now() - started, message: posted.failed };
    const { live } = posted;
    return new Promise((resolve) => {
      const finish = (outcome: SandboxOutcome<SandboxOutput<N>>): void => {
        clearTimeout(timer);
        live.port.off('message', onMessage);
        live.port.unref();
        live.worker.off('exit', onExit);
        this.busy = false;
        resolve(outcome);
      };
      const onMessage = (reply: Reply): void => finish(this.settle<SandboxOutput<N>>(reply, started));
      const onExit = (): void => finish(this.died(live, started));
      const timer = setTimeout(() => finish(this.timedOut(started)), deadlineMs);
      live.port.on('message', onMessage);
      live.worker.on('exit', onExit);
    });
  }

  /** Stops the worker (a later task starts a new one). */
  async close(): Promise<void> {
    const live = this.live;
    this.live = undefined;
    if (live && !live.exited) await live.worker.terminate();
  }

  private post(task: SandboxTaskName, input: unknown, transfer: ArrayBuffer[] = []): { live: LiveWorker; id: number; previous: number } | { failed: string } {
    if (this.busy) return { failed: 'the sandbox is already running a task (one at a time per sandbox)' };
    let live: LiveWorker;
    try {
      live = this.worker();
    } catch (err) {
      return { failed: `the sandbox worker could not start: ${err instanceof Error ? err.message : String(err)}` };
    }
    this.busy = true;
    const id = this.nextId++;
    const previous = Atomics.load(live.signal, 0);
    live.port.postMessage({ id, task, input }, transfer);
    return { live, id, previous };
  }

  private collect<T>(live: LiveWorker, started: number): SandboxOutcome<T> {
    const received = receiveMessageOnPort(live.port) as { message: Reply } | undefined;
    if (!received) return { status: 'failed', elapsedMs: Date.now() - started, message: 'the sandbox worker signalled an answer it did not send' };
    return this.settle<T>(received.message, started);
  }

  private settle<T>(reply: Reply, started: number): SandboxOutcome<T> {
    const elapsedMs = Date.now() - started;
    if (reply.heapBytes > this.limits.recycleAboveMb * 1024 * 1024) this.retire();
    return reply.ok ? { status: 'done', value: reply.value as T, elapsedMs } : { status: 'failed', elapsedMs, message: reply.error ?? 'unknown error' };
  }

  private timedOut(started: number): SandboxOutcome<never> {
    this.retire();
    const elapsedMs = Date.now() - started;
    return { status: 'timeout', elapsedMs, message: `the task did not finish within ${elapsedMs} ms; its worker was stopped` };
  }

  private died(live: LiveWorker, started: number): SandboxOutcome<never> {
    this.live = undefined;
    return { status: 'failed', elapsedMs: Date.now() - started, message: `the sandbox worker stopped: ${live.exitReason ?? 'unknown reason'}` };
  }

  private retire(): void {
    const live = this.live;
    this.live = undefined;
    if (live && !live.exited) void live.worker.terminate();
  }

  private worker(): LiveWorker {
    if (this.live && !this.live.exited) return this.live;
    const { port1, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(4));
    // The XML engine this thread compiled, if it did: the worker instantiates it instead of compiling its own.
    const engine = engineModule();
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
      workerData: { port: port2, signal, wasmCeilingBytes: this.limits.wasmMb * 1024 * 1024, ...(engine && { [ENGINE_MODULE_KEY]: engine }) },
      transferList: [port2],
      resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMb, maxYoungGenerationSizeMb: 32 },
      stdout: false,
      stderr: false,
    });
    const live: LiveWorker = { worker, port: port1, signal, exited: false };
    // Only seen between tasks or while run() awaits; runSync notices through `exited` on its next wake-up.
    worker.on('error', (err) => {
      live.exitReason = err.message;
    });
    worker.on('exit', (code) => {
      live.exited = true;
      live.exitReason ??= `exit code ${code}`;
    });
    worker.unref();
    port1.unref();
    this.live = live;
    return live;
  }
}

let shared: DocumentSandbox | undefined;

/** The process-wide sandbox the checks use (one worker, started on first use). */
export function sharedSandbox(): DocumentSandbox {
  shared ??= new DocumentSandbox();
  return shared;
}

/**
 * Limits of the sandbox that decodes aggregates' XML-RPC answers: the decoder is JavaScript (its tree and values
 * live on the worker's heap), WebAssembly is loaded but not used. With the decoder's own limits
 * (DEFAULT_DECODE_LIMITS: at most 500,000 elements, about 130 MB of heap) a document that still does not fit ends
 * the worker, never the process.
 */
export const DECODING_SANDBOX_LIMITS: Partial<SandboxLimits> = { heapMb: 256, wasmMb: 64 };

let decoding: DocumentSandbox | undefined;

/** The process-wide sandbox for XML-RPC answers (its own worker, so validation's runSync never waits on it). */
export function decodingSandbox(): DocumentSandbox {
  decoding ??= new DocumentSandbox(DECODING_SANDBOX_LIMITS);
  return decoding;
}

/** The sandbox could not give a verdict on a document: it ran out of time, or its worker stopped (memory). */
export class SandboxFailure extends Error {
  override readonly name = 'SandboxFailure';
  constructor(readonly kind: 'timeout' | 'failed', message: string) {
    super(message);
  }
}

/**
 * decodeMethodResponse in the decoding sandbox: the same answer or the same XmlRpcDecodeError as in process, or
 * a SandboxFailure when the deadline passed (the worker was stopped mid-decode) or the worker died.
 */
export async function decodeResponseInSandbox(
  body: Uint8Array, options: { deadlineMs: number; limits?: DecodeLimits; sandbox?: DocumentSandbox },
): Promise<DecodedResponse> {
  // A copy of our own to hand over: `body` may sit in Buffer's shared pool, which must never be transferred.
  const bytes = new Uint8Array(body);
  const outcome = await (options.sandbox ?? decodingSandbox()).run(
    'decode-xmlrpc-response', { bytes, ...(options.limits && { limits: options.limits }) },
    { deadlineMs: options.deadlineMs, transfer: [bytes.buffer] },
  );
  if (outcome.status !== 'done') throw new SandboxFailure(outcome.status, outcome.message);
  const result = outcome.value;
  if (!result.ok) throw new XmlRpcDecodeError(result.reason, result.message, result.line);
  return fromTransferable(result.response);
}

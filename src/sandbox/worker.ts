import { workerData, type MessagePort } from 'node:worker_threads';
import { wasmHeapBytes } from '../rspec/libxml2';
import { SANDBOX_TASKS, type SandboxTaskName } from './tasks';

/** One job from the main thread; the reply goes back on the same port, then the shared flag wakes a waiting caller. */
interface Job {
  id: number;
  task: SandboxTaskName;
  input: never;
}

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };

port.on('message', (job: Job) => {
  let reply: { id: number; ok: true; value: unknown; heapBytes: number } | { id: number; ok: false; error: string; heapBytes: number };
  try {
    const run = SANDBOX_TASKS[job.task] as ((input: never) => unknown) | undefined;
    if (!run) throw new Error(`unknown sandbox task ${JSON.stringify(job.task)}`);
    reply = { id: job.id, ok: true, value: run(job.input), heapBytes: wasmHeapBytes() };
  } catch (err) {
    reply = { id: job.id, ok: false, error: err instanceof Error ? err.message : String(err), heapBytes: wasmHeapBytes() };
  }
  port.postMessage(reply);
  Atomics.store(signal, 0, job.id);
  Atomics.notify(signal, 0);
});

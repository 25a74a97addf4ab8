import { readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { DocumentSandbox } from '../sandbox';
import { mergeSplit, splitValidation, validateRSpecFile, SPLIT_MIN_BYTES, type RSpecValidation, type ValidateOptions } from '../rspec/validate';

/** Below this many bytes in all, a second thread costs more than it saves. */
const PARALLEL_MIN_TOTAL_BYTES = 512 * 1024;

/**
 * What the worker's late start is worth in bytes. It begins its part about 0.25 s of CPU after this thread begins
 * its own (per-thread CPU from /proc, load 10-15: 0.14-0.24 s of Node start-up, loading the bundle and
 * instantiating libxml2 before the task, 0.06 s compiling the schemas in it), which is the time this thread takes
 * to parse and validate about 4 MB of a real-shaped advertisement (about 60 ns of CPU a byte).
 */
const WORKER_LAG_BYTES = 4 * 1024 * 1024;

/**
 * This thread's share of a split document (the head): half the bytes plus half the worker's lag, so that on an
 * idle machine both parts end together (with the old fixed 0.45 the head ended 0.4 s of CPU before the tail at
 * 50 MB); at most 0.8.
 */
export function headShareFor(size: number): number {
  return Math.min(0.8, 0.5 + WORKER_LAG_BYTES / (2 * Math.max(size, 1)));
}

/** Local files are the user's own: the deadline only bounds a worker that went wrong (the file is then validated here). */
const WORKER_DEADLINE_MS = 30 * 60_000;

export interface ValidateFilesOptions {
  /** Use a second thread (default: secondThreadHelps()). */
  parallel?: boolean;
  /** Size from which a lone file is validated in two parts (default SPLIT_MIN_BYTES). */
  splitMinBytes?: number;
  /**
   * The process ends once the verdicts are out (the CLI): the last tree each thread builds is left to the end of
   * the process instead of being freed node by node (EngineUse.lastDocument: 0.2 s of CPU at 50 MB).
   */
  processEndsAfter?: boolean;
}

/**
 * `validate`'s files, with the verdicts validateRSpecFile gives, in their order, on two threads when the machine
 * has a core to spare: several files are shared out between this thread and a worker (each takes the next file from one
 * counter), and a lone large advertisement is validated in two parts at once (splitValidation). Every verdict is
 * the one validateRSpecFile gives for that file: when a worker fails, or a split cannot be merged, the file is
 * validated here, whole.
 */
export async function validateFiles(files: string[], options: ValidateOptions, settings: ValidateFilesOptions = {}): Promise<RSpecValidation[]> {
  const parallel = settings.parallel ?? secondThreadHelps();
  const ends = settings.processEndsAfter ?? false;
  if (!parallel) return validateHere(files, options, ends);
  const sandbox = new DocumentSandbox({ deadlineMs: WORKER_DEADLINE_MS });
  try {
    if (files.length === 1) return [await validateInTwoParts(files[0]!, options, sandbox, settings.splitMinBytes ?? SPLIT_MIN_BYTES, ends)];
    const total = files.reduce((sum, file) => sum + statSync(file).size, 0);
    if (total < PARALLEL_MIN_TOTAL_BYTES) return validateHere(files, options, ends);
    return await shareOut(files, options, sandbox);
  } finally {
    await sandbox.close();
  }
}

/** The files one after the other in this thread. */
function validateHere(files: string[], options: ValidateOptions, processEndsAfter: boolean): RSpecValidation[] {
  return files.map((file, index) => validateRSpecFile(file, options, { lastDocument: processEndsAfter && index === files.length - 1 }));
}

/**
 * Whether a second thread can shorten the wall time: the machine has another core and it is free. On a busy
 * machine the kernel's autogroup scheduling gives the process one share of the cores however many threads it
 * runs, so a second thread only adds its own start-up (measured at load 12-15: 50 MB 2.15x xmllint's CPU on two
 * threads against 1.98x on one, 1,000 small files 7.3x against 5.9x, and no shorter wall time).
 *
 * "Free" is what the scheduler sees now: the tasks of other processes runnable at this moment (Linux's
 * /proc/loadavg counts every runnable task; this process's own, seen in /proc/self/task, are taken out: V8's
 * compiler and collector threads are often running at start-up) leave a core beside this thread. The load average
 * of the last minute is only the fallback (no /proc): it lags, and on an idle machine it counts this command's own
 * recent runs (a bench, a script validating file after file), which kept the second thread off when it would have
 * halved the wall time.
 */
export function secondThreadHelps(cores = availableParallelism(), othersRunnable = runnableElsewhere()): boolean {
  if (cores < 2) return false;
  if (othersRunnable !== undefined) return othersRunnable <= cores - 2;
  return (loadavg()[0] ?? 0) <= cores - 1;
}

/** Tasks of other processes runnable right now; undefined without /proc. */
function runnableElsewhere(): number | undefined {
  try {
    const running = Number(readFileSync('/proc/loadavg', 'latin1').split(' ')[3]?.split('/')[0]);
    if (!Number.isInteger(running)) return undefined;
    let own = 0;
    for (const task of readdirSync('/proc/self/task')) {
      try {
        const stat = readFileSync(`/proc/self/task/${task}/stat`, 'latin1');
        if (stat[stat.lastIndexOf(')') + 2] === 'R') own += 1;
      } catch {
        // the thread ended meanwhile
      }
    }
    return Math.max(0, running - Math.max(own, 1));
  } catch {
    return undefined;
  }
}

async function validateInTwoParts(file: string, options: ValidateOptions, sandbox: DocumentSandbox, minBytes: number, processEndsAfter: boolean): Promise<RSpecValidation> {
  // The worker is stopped after this document (sandbox.close), so its part's tree is never freed; this thread's
  // only when the process ends after it.
  const split = splitValidation(file, options, { minBytes, headShare: headShareFor(statSync(file).size), lastDocument: processEndsAfter });
  if (split !== undefined) split.tail.lastDocument = true;
  if (split === undefined) return validateRSpecFile(file, options, { lastDocument: processEndsAfter });
  // Posted before this thread starts on the head: the worker parses the tail meanwhile.
  const tail = sandbox.run('validate-rspec-tail', split.tail);
  const head = split.head();
  const outcome = await tail;
  const merged = mergeSplit(head, outcome.status === 'done' ? outcome.value : undefined);
  if (merged !== undefined) return merged;
  split.release();
  return validateRSpecFile(file, options, { lastDocument: processEndsAfter });
}

async function shareOut(files: string[], options: ValidateOptions, sandbox: DocumentSandbox): Promise<RSpecValidation[]> {
  const next = new Int32Array(new SharedArrayBuffer(4));
  const theirs = sandbox.run('validate-rspec-files', { files, options, next });
  const results = Array.from<RSpecValidation | undefined>({ length: files.length });
  for (let index = Atomics.add(next, 0, 1); index < files.length; index = Atomics.add(next, 0, 1)) {
    results[index] = validateRSpecFile(files[index]!, options);
  }
  // Every file is taken now. If the worker took none (it was still starting), it is not waited for.
  if (!results.includes(undefined)) return results as RSpecValidation[];
  const outcome = await theirs;
  if (outcome.status === 'done') for (const [index, result] of outcome.value) results[index] = result;
  return results.map((result, index) => result ?? validateRSpecFile(files[index]!, options));
}

/**
 * Cases at once (issue #11, `--concurrency N`): independent cases of a suite run concurrently, each on its own
 * slices, with the same verdicts as a serial run. Three rules keep them so:
 *
 * - A case that needs the aggregate to itself runs alone (nothing else in flight): it shuts slices down (tag
 *   'shutdown'), generates requests that fit the advertised capacity, takes a node's last capacity or judges what capacity a refusal left
 *   (tags 'property', 'fuzz', 'capacity'), or waits on the aggregate's clock (tag 'expiry').
 * - Cases sharing a fixture (CaseDefinition.needs) run one after another, never two at once.
 * - A case that did not pass while another case was in flight is run again alone, and that run's result is its
 *   result: another case's slivers may have taken the node it asked for, or shown up in the advertisement it
 *   judged. A case that passed with others in flight passes alone too: nothing another case does at the aggregate
 *   can make a wrong answer right for this one, since every case judges only its own slices.
 *
 * Cases start in plan order (first in, first out) and results are handed out per case, so a report lists them in
 * the order of a serial run. With concurrency 1 every case runs alone, exactly as before.
 */
import type { Session } from './session';
import type { CaseDefinition, CaseResult, SuiteDefinition, Tag } from './types';

/** Tags of the cases that run with nothing else in flight (see the module comment). */
export const RUNS_ALONE_TAGS: readonly Tag[] = ['shutdown', 'property', 'fuzz', 'capacity', 'expiry'];

export function runsAlone(def: { tags: readonly string[] }): boolean {
  return def.tags.some((t) => (RUNS_ALONE_TAGS as readonly string[]).includes(t));
}

/** One case to schedule. */
export interface ScheduledCase {
  /** Runs the case once; never throws (runCase does not). */
  run(): Promise<CaseResult>;
  /** It runs with nothing else in flight. */
  alone: boolean;
  /** Cases with the same key (their shared fixtures) never run at once; '' for none. */
  sharing: string;
  /** Called before a result obtained with other cases in flight is dropped for a run alone (undo its run-wide traces). */
  beforeRerun?(): void;
}

interface Task {
  spec: ScheduledCase;
  alone: boolean;
  /** Whether another task was in flight at any moment of this task's run. */
  overlapped: boolean;
  /** Set on the run again, alone, after a non-pass with others in flight: what that first run got. */
  first?: { kind: string; calls: number };
  settle(result: CaseResult): void;
}

/** Only a pass with others in flight stands; anything else (even 'unsupported': a login that timed out) is run again alone. */
const KEPT_WITH_OTHERS_IN_FLIGHT = new Set(['pass']);

export class CaseScheduler {
  private readonly queue: Task[] = [];
  private readonly running = new Set<Task>();
  private readonly busySharing = new Set<string>();
  /** Cases run again alone after a non-pass with others in flight (for notes, benches and tests). */
  readonly reruns: string[] = [];

  constructor(readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }

  /** Queues a case; the promise is its final result (after a run alone, when one was needed). */
  submit(spec: ScheduledCase): Promise<CaseResult> {
    return new Promise<CaseResult>((settle) => {
      this.queue.push({ spec, alone: spec.alone || this.concurrency === 1, overlapped: false, settle });
      this.pump();
    });
  }

  /** Starts what may start now, strictly in queue order. */
  private pump(): void {
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if ([...this.running].some((t) => t.alone)) return;
      if (next.alone && this.running.size > 0) return;
      if (this.running.size >= this.concurrency) return;
      if (next.spec.sharing !== '' && this.busySharing.has(next.spec.sharing)) return;
      this.queue.shift();
      this.start(next);
    }
  }

  private start(task: Task): void {
    if (this.running.size > 0) {
      task.overlapped = true;
      for (const other of this.running) other.overlapped = true;
    }
    this.running.add(task);
    if (task.spec.sharing !== '') this.busySharing.add(task.spec.sharing);
    void task.spec.run().then((result) => {
      this.running.delete(task);
      if (task.spec.sharing !== '') this.busySharing.delete(task.spec.sharing);
      if (task.overlapped && !task.first && !KEPT_WITH_OTHERS_IN_FLIGHT.has(result.outcome.kind)) {
        // Run it again alone, next: the result with others in flight may be their doing.
        this.reruns.push(result.variant ? `${result.id} (${result.variant})` : result.id);
        task.spec.beforeRerun?.();
        this.queue.unshift({ ...task, alone: true, overlapped: false, first: { kind: result.outcome.kind, calls: result.calls ?? 0 } });
      } else if (task.first) {
        // Its calls count both runs: the aggregate answered them all.
        const { kind, calls } = task.first;
        task.settle({
          ...result, calls: (result.calls ?? 0) + calls,
          notes: [...result.notes, `run again alone: with other cases in flight it ended ${kind} (${calls} calls, counted in this case's calls; their exchanges are not in this transcript)`],
        });
      } else {
        task.settle(result);
      }
      this.pump();
    });
  }
}

/** The scheduler of one suite's cases: `concurrency` at once where the suite allows it, else one at a time. */
export function suiteScheduler(suite: Pick<SuiteDefinition<unknown>, 'concurrent'>, concurrency = 1): CaseScheduler {
  return new CaseScheduler(suite.concurrent === true ? Math.max(1, concurrency) : 1);
}

/** A case of a suite as the scheduler sees it; `run` runs it once (runCase). */
export function scheduledCase(def: CaseDefinition<unknown>, suite: SuiteDefinition<unknown>, session: Session, run: () => Promise<CaseResult>): ScheduledCase {
  return {
    run,
    alone: runsAlone(def),
    sharing: [...(def.needs ?? [])].sort().join(','),
    beforeRerun() {
      // A capacity loss seen with others in flight may be theirs: the run alone says again whether it is real.
      for (let i = session.capacityLosses.length - 1; i >= 0; i--) {
        const loss = session.capacityLosses[i]!;
        if (loss.caseId === def.id && loss.suite === suite.name) session.capacityLosses.splice(i, 1);
      }
    },
  };
}

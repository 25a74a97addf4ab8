import type { Reporter as VitestReporter, TestCase, TestModule } from 'vitest/node';
import type { HarnessEvent } from '../runner/events';
import type { CaseResult } from '../runner/types';

/**
 * A vitest reporter that forwards the case results recorded in task.meta to the harness's own event stream.
 * Anything vitest reports that is not a case result (a host file that failed to load, an unhandled error) is
 * collected as a harness error: it must end the run with exit code 2, never pass silently.
 */
export class VitestBridge implements VitestReporter {
  readonly results: CaseResult[] = [];
  readonly harnessErrors: string[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly emit: (event: HarnessEvent) => void | Promise<void>) {}

  private push(event: HarnessEvent): void {
    this.chain = this.chain.then(() => this.emit(event));
  }

  onTestCaseResult(testCase: TestCase): void {
    const result = testCase.meta().geniResult;
    if (result) {
      this.results.push(result);
      this.push({ type: 'case-finished', result });
      return;
    }
    const errors = testCase.result().errors ?? [];
    this.harnessErrors.push(`${testCase.name}: ${errors.map((e) => e.message).join('; ') || 'no result recorded'}`);
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<{ message?: string }>): void {
    for (const m of testModules) {
      for (const e of m.errors()) this.harnessErrors.push(`${m.moduleId}: ${e.message}`);
    }
    for (const e of unhandledErrors) this.harnessErrors.push(`unhandled: ${e.message ?? String(e)}`);
  }

  /** Waits until every forwarded event has been consumed. */
  flush(): Promise<void> {
    return this.chain;
  }
}

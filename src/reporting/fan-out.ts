import type { HarnessEvent, Reporter } from '../runner/events';

/**
 * One reporter that hands each event to every reporter, in order, awaiting each before the next. A reporter that
 * throws does not keep the event (or close) from the others; the failure is rethrown once all have had their turn.
 */
export function fanOut(reporters: Reporter[]): Reporter {
  return {
    async onEvent(event: HarnessEvent) {
      await callEach(reporters, (reporter) => reporter.onEvent(event));
    },
    async close() {
      await callEach(reporters, (reporter) => reporter.close());
    },
  };
}

async function callEach(reporters: Reporter[], call: (reporter: Reporter) => void | Promise<void>): Promise<void> {
  const failures: unknown[] = [];
  for (const reporter of reporters) {
    try {
      await call(reporter);
    } catch (err) {
      failures.push(err);
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `${failures.length} reporters failed`);
}

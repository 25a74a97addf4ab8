import { describe, expect, it } from 'vitest';
import { fanOut } from '../../src/reporting';
import type { HarnessEvent, Reporter } from '../../src/runner/events';
import { runEvents } from './fixtures';

function recorder(name: string, log: string[], options: { delayMs?: number; failOn?: HarnessEvent['type'] } = {}): Reporter {
  return {
    async onEvent(event) {
      log.push(`${name} start ${event.type}`);
      await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 0));
      if (event.type === options.failOn) throw new Error(`${name} failed on ${event.type}`);
      log.push(`${name} end ${event.type}`);
    },
    async close() {
      log.push(`${name} close`);
    },
  };
}

describe('fanOut', () => {
  it('hands each event to every reporter in order, awaiting each before the next', async () => {
    const log: string[] = [];
    const reporter = fanOut([recorder('a', log, { delayMs: 5 }), recorder('b', log)]);
    const [started] = runEvents([]);
    await reporter.onEvent(started!);
    await reporter.close();
    expect(log).toEqual(['a start run-started', 'a end run-started', 'b start run-started', 'b end run-started', 'a close', 'b close']);
  });

  it('still delivers to the others when one reporter throws, then rethrows', async () => {
    const log: string[] = [];
    const reporter = fanOut([recorder('a', log, { failOn: 'run-started' }), recorder('b', log)]);
    const [started] = runEvents([]);
    await expect(reporter.onEvent(started!)).rejects.toThrow('a failed on run-started');
    expect(log).toContain('b end run-started');
  });

  it('reports every failure when several reporters throw', async () => {
    const reporter = fanOut([recorder('a', [], { failOn: 'run-started' }), recorder('b', [], { failOn: 'run-started' })]);
    const [started] = runEvents([]);
    await expect(reporter.onEvent(started!)).rejects.toBeInstanceOf(AggregateError);
  });
});

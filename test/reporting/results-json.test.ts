import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createResultsJsonReporter } from '../../src/reporting';
import { FAILED, PASSED, TARGET, feed, runEvents } from './fixtures';

async function resultsFor(events: Parameters<typeof feed>[1]): Promise<Record<string, unknown>> {
  const path = join(mkdtempSync(join(tmpdir(), 'results-')), 'results.json');
  await feed(createResultsJsonReporter({ path }), events);
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

describe('createResultsJsonReporter', () => {
  it('writes the run header, summary and one entry per case pointing at its transcript', async () => {
    const doc = await resultsFor(runEvents([PASSED, FAILED]));
    expect(Object.keys(doc)).toEqual(['runId', 'startedAt', 'target', 'seed', 'strict', 'selection', 'summary', 'cases']);
    expect(doc.runId).toBe('2024-05-02T10-11-09Z');
    expect(doc.target).toEqual(TARGET);
    expect(doc.seed).toBe(1934221);
    expect(doc.summary).toMatchObject({ total: 2, byKind: { pass: 1, fail: 1 }, exitCode: 1 });
    const cases = doc.cases as Array<Record<string, unknown>>;
    expect(cases.map((c) => c.id)).toEqual([PASSED.id, FAILED.id]);
    expect(cases[1]).toEqual({
      id: FAILED.id,
      title: FAILED.title,
      requirement: FAILED.requirement,
      level: 'MUST',
      spec: ['am3#Allocate'],
      suite: 'am3',
      api: 3,
      tags: ['allocate', 'rspec'],
      outcome: FAILED.outcome,
      durationMs: 230.4,
      notes: [],
      transcript: 'cases/am3.allocate.rejects-dup-client-id.json',
    });
  });

  it('leaves exchange bodies to the transcripts', async () => {
    const text = JSON.stringify(await resultsFor(runEvents([FAILED])));
    expect(text).not.toContain('methodCall');
    expect(text).not.toContain('exchanges');
  });

  it('writes an interrupted run with a null summary on close', async () => {
    const doc = await resultsFor(runEvents([PASSED], { finish: false }));
    expect(doc.summary).toBeNull();
    expect(doc.cases).toHaveLength(1);
  });

  it('writes nothing when no run started', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'results-')), 'results.json');
    await feed(createResultsJsonReporter({ path }), []);
    expect(existsSync(path)).toBe(false);
  });
});

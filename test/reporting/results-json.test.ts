import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { createResultsJsonReporter } from '../../src/reporting';
import { ALL_RESULTS, FAILED, PASSED, TARGET, feed, runEvents } from './fixtures';

async function resultsFor(events: Parameters<typeof feed>[1]): Promise<Record<string, unknown>> {
  const path = join(mkdtempSync(join(tmpdir(), 'results-')), 'results.json');
  await feed(createResultsJsonReporter({ path }), events);
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

describe('createResultsJsonReporter', () => {
  it('writes the run header, summary and one entry per case pointing at its transcript', async () => {
    const doc = await resultsFor(runEvents([PASSED, FAILED]));
    expect(Object.keys(doc)).toEqual(['format', 'formatVersion', 'runId', 'startedAt', 'target', 'seed', 'strict', 'selection', 'summary', 'cases']);
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

describe('results.json schema (schemas/reports/results.schema.json)', () => {
  const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'schemas', 'reports', 'results.schema.json'), 'utf8')) as object;
  const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);

  it('describes what the reporter writes, finished, strict or interrupted', async () => {
    for (const events of [runEvents(), runEvents(ALL_RESULTS, { strict: true }), runEvents(ALL_RESULTS, { finish: false })]) {
      const doc = await resultsFor(events);
      expect(doc).toMatchObject({ format: 'geni-harness/results', formatVersion: 1 });
      expect(validate(doc), ajv.errorsText(validate.errors)).toBe(true);
    }
  });

  it('is exact: a member the schema does not know, or a wrong type, is refused', async () => {
    const doc = await resultsFor(runEvents([FAILED]));
    const cases = doc.cases as Array<Record<string, unknown>>;
    expect(validate({ ...doc, surprise: 1 })).toBe(false);
    expect(validate({ ...doc, cases: [{ ...cases[0], level: 'MAY' }] })).toBe(false);
    expect(validate({ ...doc, formatVersion: 2 })).toBe(false);
  });

  it('knows every member of the run header\'s target (read from TargetInfo: a member added there must be added here)', () => {
    const source = readFileSync(join(import.meta.dirname, '..', '..', 'src', 'runner', 'events.ts'), 'utf8');
    const start = source.indexOf('export interface TargetInfo {');
    const keys = [...source.slice(start, source.indexOf('\n}\n', start)).matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1]!);
    expect(keys).toContain('personality');
    const target = (schema as { definitions: { target: { properties: Record<string, unknown> } } }).definitions.target;
    expect(keys.filter((key) => !(key in target.properties))).toEqual([]);
  });
});

import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTranscriptReporter, transcriptPathFor } from '../../src/reporting';
import { ALL_RESULTS, FAILED, PASSED, feed, runEvents } from './fixtures';

describe('createTranscriptReporter', () => {
  it('writes cases/<case id>.json per case with the case record, outcome, findings and exchanges', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'transcripts-'));
    await feed(createTranscriptReporter({ dir }), runEvents());
    expect(readdirSync(join(dir, 'cases')).sort()).toEqual(ALL_RESULTS.map((r) => `${r.id}.json`).sort());

    const transcript = JSON.parse(readFileSync(join(dir, 'cases', `${FAILED.id}.json`), 'utf8'));
    expect(transcript.case).toEqual({
      id: FAILED.id, title: FAILED.title, requirement: FAILED.requirement, level: 'MUST',
      spec: FAILED.spec, suite: 'am3', api: 3, tags: FAILED.tags,
    });
    expect(transcript.outcome).toEqual(FAILED.outcome);
    expect(transcript.findings).toHaveLength(2);
    expect(transcript.exchanges).toEqual(FAILED.exchanges);
    expect(transcript.run).toMatchObject({ runId: '2024-05-02T10-11-09Z', seed: 1934221, strict: false });
  });

  it('writes each transcript as its case finishes, before the run ends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'transcripts-'));
    const reporter = createTranscriptReporter({ dir });
    const [started, , finished] = runEvents([PASSED]);
    await reporter.onEvent(started!);
    await reporter.onEvent(finished!);
    expect(readdirSync(join(dir, 'cases'))).toEqual([`${PASSED.id}.json`]);
  });

  it('keeps a malformed case id inside the cases directory', () => {
    expect(transcriptPathFor('am3.getversion.envelope')).toBe('cases/am3.getversion.envelope.json');
    expect(transcriptPathFor('../../etc/passwd')).toBe('cases/___.._etc_passwd.json');
    expect(transcriptPathFor('.hidden')).toBe('cases/_hidden.json');
  });
});

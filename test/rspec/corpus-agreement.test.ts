import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareRow, readVerdicts } from '../../scripts/corpus-agreement';
import { CORPUS_DIR } from './helpers';

describe('XSD verdicts agree with the reference verdicts on the shared corpus', () => {
  it('finds the corpus', () => {
    expect(existsSync(CORPUS_DIR), `shared corpus missing: ${CORPUS_DIR} should hold VERDICTS.tsv (see the project brief)`).toBe(true);
  });

  const rows = existsSync(CORPUS_DIR) ? readVerdicts(CORPUS_DIR) : [];

  it('has rows of both verdicts to compare', () => {
    expect(rows.filter((row) => row.verdict === 'valid').length).toBeGreaterThan(0);
    expect(rows.filter((row) => row.verdict === 'invalid').length).toBeGreaterThan(0);
  });

  it.each(rows.map((row) => [row.file, row] as const))('%s', (_file, row) => {
    const agreement = compareRow(CORPUS_DIR, row);
    expect(agreement.ours, agreement.firstFinding ?? `reference says: ${row.firstError}`).toBe(row.verdict);
  });
});

describe('`geni-harness validate --json` agrees with the reference verdicts on every corpus file', () => {
  it('reports `valid` (the schema verdict) equal to VERDICTS.tsv for all files at once', async () => {
    const { validateCommand } = await import('../../src/cli/commands/validate');
    const rows = readVerdicts(CORPUS_DIR);
    let stdout = '';
    await validateCommand(['--json', ...rows.map((r) => `${CORPUS_DIR}/${r.file}`)], { stdout: (s) => { stdout += s; }, stderr: () => {} });
    const results = JSON.parse(stdout) as Array<{ file: string; valid: boolean }>;
    const disagreements = rows.filter((row, i) => (results[i]!.valid ? 'valid' : 'invalid') !== row.verdict).map((r) => r.file);
    expect(disagreements).toEqual([]);
    expect(results.length).toBe(rows.length);
  }, 120_000);
});

import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';
import { FAILED, PASSED, writeRunDir } from './reporting/fixtures';

async function merge(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['merge', ...args], { stdout: (t) => (out += `${t}\n`), stderr: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

describe('geni-harness merge', () => {
  it('merges runs into --out, prints the files and exits 1 when a run failed', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'merge-cli-'));
    const a = await writeRunDir(parent, 'a', 'am-a', [PASSED]);
    const b = await writeRunDir(parent, 'b', 'am-b', [PASSED, FAILED]);
    const r = await merge([a, b, '--out', join(parent, 'all'), '--junit-flavor', 'jenkins']);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toContain('merged 2 run(s) into 2 column(s): am-a, am-b');
    for (const file of ['junit.xml', 'results.json', 'index.html']) expect(existsSync(join(parent, 'all', file))).toBe(true);
    expect((await merge([a, '--out', join(parent, 'only-a')])).code).toBe(0);
  });

  it('says what is wrong in one line and exits 2', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'merge-cli-'));
    const a = await writeRunDir(parent, 'a', 'am-a', [PASSED]);
    const cases: Array<[string[], RegExp]> = [
      [[], /needs the reports directories/],
      [[a, '--out', a], /is the reports directory of a run being merged/],
      [[a, '--junit-flavor', 'x', '--out', join(parent, 'o')], /--junit-flavor must be one of default, jenkins/],
      [[join(parent, 'nothing'), '--out', join(parent, 'o')], /holds no results.json/],
    ];
    for (const [args, message] of cases) {
      const r = await merge(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(message);
    }
    const help = await merge(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^usage: geni-harness merge DIR/);
  });
});

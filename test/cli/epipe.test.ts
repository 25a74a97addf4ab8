import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI_BIN as BIN } from '../helpers/cli';

describe('a reader that goes away', () => {
  it('list | head -1 ends quietly (no EPIPE stack trace)', () => {
    const r = spawnSync('/bin/sh', ['-c', `"${process.execPath}" "${BIN}" list | head -1`], { encoding: 'utf8', timeout: 300_000, env: { ...process.env, FORCE_COLOR: '0' } });
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toBe('');
  }, 300_000);
});

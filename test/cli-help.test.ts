import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { colorWanted } from '../src/cli/args';
import { validateCommand } from '../src/cli/commands/validate';
import { runCliInProcess as cli } from './helpers/cli';

const COMMANDS = ['run', 'list', 'faults', 'serve', 'validate', 'cleanup', 'authority', 'replay', 'merge'];

describe('help and version', () => {
  it.each(COMMANDS)('%s --help and -h print its usage and exit 0; help %s prints the same', async (command) => {
    const long = await cli([command, '--help']);
    expect(long.status).toBe(0);
    expect(long.stderr).toBe('');
    expect(long.stdout).toMatch(new RegExp(`^usage: geni-harness ${command}\\b`));
    expect(await cli([command, '-h'])).toEqual(long);
    expect(await cli(['help', command])).toEqual(long);
  });

  it('a subcommand takes --help too (authority init --help), whatever else is on the line', async () => {
    const r = await cli(['authority', 'init', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: geni-harness authority init/);
    expect((await cli(['run', '--seed', 'abc', '--help'])).status).toBe(0);
  });

  it('validate answers --help itself (bin runs it without main)', async () => {
    let out = '';
    expect(await validateCommand(['--help'], { stdout: (t) => (out += t), stderr: () => {} })).toBe(0);
    expect(out).toMatch(/^usage: geni-harness validate FILE/);
  });

  it('--help and help list every command; no command at all is a usage error', async () => {
    const r = await cli(['--help']);
    expect(r.status).toBe(0);
    for (const command of COMMANDS) expect(r.stdout).toContain(`\n  ${command} `);
    expect((await cli(['help'])).status).toBe(0);
    expect((await cli([])).status).toBe(2);
    const unknown = await cli(['help', 'frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--version prints the package version', async () => {
    const r = await cli(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^geni-harness \d+\.\d+\.\d+\n$/);
  });
});

describe('every bad value is exit 2 with one line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gh-bad-'));
  const notPem = join(dir, 'not-a-cert.pem');
  writeFileSync(notPem, 'hello\n');
  const cases: Array<[string[], RegExp]> = [
    [['run', '--seed', '99999999999999999999999'], /--seed must be an integer, but received "99999999999999999999999"/],
    [['run', '--shard', '4/3'], /--shard must be I\/N/],
    [['run', '--junit-flavor', 'surefire'], /--junit-flavor must be one of default, jenkins/],
    [['run', '--target-name', '../up'], /--target-name must be/],
    [['run', '--target', 'https://127.0.0.1:9/am/3', '--ca', notPem, '--insecure'], /CA bundle .*not-a-cert\.pem holds no PEM certificate/],
    [['run', '--target', 'https://127.0.0.1:9/am/3', '--cert', notPem, '--key', notPem], /--cert .* is not a PEM file/],
    [['serve', '--port', '99999'], /--port must be between 0 and 65535, but received 99999/],
    [['serve', '--port', '1e3'], /--port must be an integer/],
    [['serve', '--fault', 'no-such-fault'], /no-such-fault/],
    [['serve', '--allocate', 'some'], /--allocate must be one of/],
    [['replay'], /replay takes exactly one replay file/],
    [['authority', 'frob'], /expected 'init'/],
  ];
  it.each(cases)('%j', async (args, message) => {
    const r = await cli(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
    expect(r.stderr).not.toMatch(/internal error/);
  }, 60_000);
});

describe('colours', () => {
  it('follow the terminal, NO_COLOR turns them off, FORCE_COLOR on (or off with 0)', () => {
    expect(colorWanted({}, true)).toBe(true);
    expect(colorWanted({}, false)).toBe(false);
    expect(colorWanted({ NO_COLOR: '1' }, true)).toBe(false);
    expect(colorWanted({ NO_COLOR: '' }, true)).toBe(true);
    expect(colorWanted({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(colorWanted({ FORCE_COLOR: '0' }, true)).toBe(false);
    expect(colorWanted({ FORCE_COLOR: '1', NO_COLOR: '1' }, false)).toBe(true);
  });
});

import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureWritableDir, parseInteger } from '../src/cli/args';
import { ConfigError } from '../src/core';
import { readCaBundle } from '../src/runner/session';
import { mintCa } from './helpers/tls';

describe('ensureWritableDir (--reports)', () => {
  it('makes missing parents and accepts a writable directory', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'gh-dir-')), 'a', 'b');
    ensureWritableDir(dir, 'reports directory');
    expect(existsSync(dir)).toBe(true);
  });

  it('refuses a path under /proc at once, in one line (recursive mkdir spins there forever)', () => {
    expect(() => ensureWritableDir('/proc/geni-harness-x/reports', 'reports directory')).toThrow(ConfigError);
    expect(() => ensureWritableDir('/proc/geni-harness-x/reports', 'reports directory')).toThrow(/^reports directory \/proc\/geni-harness-x\/reports cannot be written: [^\n]+$/);
  });

  it('refuses a path that runs through a file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gh-dir-')), 'plain');
    writeFileSync(file, '');
    expect(() => ensureWritableDir(join(file, 'reports'), 'reports directory')).toThrow(/is not a directory/);
  });
});

describe('parseInteger', () => {
  it('rejects what is not a safe integer', () => {
    expect(parseInteger('12', '--max-bytes')).toBe(12);
    expect(() => parseInteger('99999999999999999999', '--max-bytes')).toThrow(/must be an integer/);
    expect(() => parseInteger('1e3', '--max-bytes')).toThrow(/must be an integer/);
  });
});

describe('readCaBundle (--ca)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gh-ca-'));
  it('accepts PEM certificates and refuses a file without one, or with one that does not parse', () => {
    const good = join(dir, 'good.pem');
    const ca = mintCa('geni-harness test CA');
    writeFileSync(good, ca.certPem);
    expect(readCaBundle(good)).toContain('BEGIN CERTIFICATE');
    const key = join(dir, 'key.pem');
    writeFileSync(key, ca.keyPem); // a key minted for this run: a PEM file, but not a certificate
    expect(() => readCaBundle(key)).toThrow(/holds no PEM certificate/);
    const broken = join(dir, 'broken.pem');
    writeFileSync(broken, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    expect(() => readCaBundle(broken)).toThrow(/certificate 1 of 1 does not parse/);
  });
});

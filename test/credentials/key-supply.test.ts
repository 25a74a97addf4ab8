import { spawnSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateRsaKeyPem, PRESET_RSA_KEY_SUPPLY, useRsaKeySupply, type RsaKeySupply } from '../../src/credentials';
import { RsaKeyPool } from '../helpers/key-pool.mjs';

// The test processes' RSA keys come from the run's pool (test/helpers/test-process-setup.ts); this file installs its
// own supplies, then puts the process's pool back.
const processPool = (globalThis as { geniHarnessRsaKeyPool?: RsaKeyPool }).geniHarnessRsaKeyPool;
afterEach(() => useRsaKeySupply(processPool));

describe('generateRsaKeyPem with a key supply', () => {
  it('hands out a supplied key first, and offers the keys it generates to the supply', () => {
    const offered: string[] = [];
    const supply: RsaKeySupply = { take: () => (offered.length === 0 ? undefined : 'SUPPLIED'), add: (pem) => offered.push(pem) };
    useRsaKeySupply(supply);
    const generated = generateRsaKeyPem();
    // A real RSA private key (parsed, not matched by its PEM header).
    expect(createPrivateKey(generated).asymmetricKeyType).toBe('rsa');
    expect(offered).toEqual([generated]);
    expect(generateRsaKeyPem()).toBe('SUPPLIED');
  });
});

describe('the test run\'s RsaKeyPool', () => {
  it('never hands a process the same key twice; a second process draws the first one\'s keys in order, then adds its own', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'gh-key-pool-')), 'keys');
    const first = new RsaKeyPool(dir);
    useRsaKeySupply(first);
    const firstKeys = [generateRsaKeyPem(), generateRsaKeyPem()];
    expect(new Set(firstKeys).size).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(['key-0.pem', 'key-1.pem']);

    useRsaKeySupply(new RsaKeyPool(dir));
    const secondKeys = [generateRsaKeyPem(), generateRsaKeyPem(), generateRsaKeyPem()];
    expect(secondKeys.slice(0, 2)).toEqual(firstKeys);
    expect(firstKeys).not.toContain(secondKeys[2]);
    expect(readdirSync(dir).sort()).toEqual(['key-0.pem', 'key-1.pem', 'key-2.pem']);
  });

  it('keeps the key another process published first, and moves past it', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'gh-key-pool-')), 'keys');
    const a = new RsaKeyPool(dir);
    const b = new RsaKeyPool(dir);
    // Both found no key 0 and generated one; a published first.
    expect(a.take()).toBeUndefined();
    expect(b.take()).toBeUndefined();
    a.add('A0');
    b.add('B0');
    expect(new RsaKeyPool(dir).take()).toBe('A0');
    // b goes on at index 1.
    b.add('B1');
    expect(readdirSync(dir).sort()).toEqual(['key-0.pem', 'key-1.pem']);
  });
});

describe('the key supply of the Node processes a test starts', () => {
  it('is preset on the global object, and generateRsaKeyPem draws from it while none is installed', () => {
    const holder = globalThis as { [PRESET_RSA_KEY_SUPPLY]?: RsaKeySupply };
    expect(holder[PRESET_RSA_KEY_SUPPLY]).toBeUndefined();
    useRsaKeySupply(undefined);
    holder[PRESET_RSA_KEY_SUPPLY] = { take: () => 'PRESET', add: () => {} };
    try {
      expect(generateRsaKeyPem()).toBe('PRESET');
    } finally {
      delete holder[PRESET_RSA_KEY_SUPPLY];
    }
  });

  it('a child process preloads the run\'s pool of CLI keys, in another directory than this process\'s', () => {
    const probe = "const s = globalThis[Symbol.for('geni-harness.rsa-key-supply')]; process.stdout.write(JSON.stringify({ dir: s?.dir, take: typeof s?.take }));";
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(0);
    const seen = JSON.parse(child.stdout) as { dir?: string; take: string };
    expect(seen.take).toBe('function');
    expect(seen.dir).toBe(process.env.GENI_HARNESS_TEST_CLI_KEYS);
    expect(seen.dir).not.toBe(processPool?.dir);
  });
});

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEARTBEAT_STALE_MS, Ledger, THIS_PROCESS, entryOwnerIsGone, ownerIsGone, type LedgerEntry } from '../../src/runner/ledger';
import { HarnessError } from '../../src/core';

const entry = (sliceUrn: string, extra: Partial<LedgerEntry> = {}): LedgerEntry => ({
  url: 'https://127.0.0.1:1/am/3', api: 3, sliceUrn, sliceCredentialXml: '<signed-credential/>', caseId: 'am3.x.y',
  runId: 'r1', createdAt: '2026-01-01T00:00:00Z', ...extra,
});

describe('cleanup ledger', () => {
  const fresh = () => new Ledger(join(mkdtempSync(join(tmpdir(), 'ledger-')), 'sub', 'ledger.json'));

  it('starts empty and keeps what is added, across instances (it is on disk)', () => {
    const ledger = fresh();
    expect(ledger.read()).toEqual([]);
    ledger.add(entry('urn:a'));
    ledger.add(entry('urn:b'));
    expect(new Ledger(ledger.path).read().map((e) => e.sliceUrn)).toEqual(['urn:a', 'urn:b']);
  });

  it('is private to the user, since it holds slice credentials', () => {
    const ledger = fresh();
    ledger.add(entry('urn:a'));
    expect(statSync(ledger.path).mode & 0o777).toBe(0o600);
  });

  it('removes and updates one slice at one aggregate only', () => {
    const ledger = fresh();
    ledger.add(entry('urn:a'));
    ledger.add(entry('urn:a', { url: 'https://other/am/3' }));
    ledger.update('https://127.0.0.1:1/am/3', 'urn:a', { lastError: 'geni_code 11' });
    ledger.remove('https://other/am/3', 'urn:a');
    expect(ledger.read()).toEqual([{ ...entry('urn:a'), lastError: 'geni_code 11' }]);
  });

  it('forgets slices of embedded aggregates that are gone, keeps live and remote ones', () => {
    const ledger = fresh();
    ledger.add(entry('urn:gone', { embeddedInstance: 'old' }));
    ledger.add(entry('urn:live', { embeddedInstance: 'now' }));
    ledger.add(entry('urn:remote'));
    expect(ledger.dropGoneEmbedded(['now'])).toBe(1);
    expect(ledger.read().map((e) => e.sliceUrn)).toEqual(['urn:live', 'urn:remote']);
  });

  it('refuses to guess when the file is corrupt, naming the file', () => {
    const ledger = fresh();
    ledger.add(entry('urn:a'));
    writeFileSync(ledger.path, '{ not json');
    expect(() => ledger.read()).toThrow(HarnessError);
    expect(() => ledger.read()).toThrow(ledger.path);
    expect(readFileSync(ledger.path, 'utf8')).toBe('{ not json');
  });

  it.each([
    ['{"entries": {"a": 1}}', /has "entries" that is not a list/],
    ['{"entries": [null]}', /has an entry 0 that is null, not an object/],
    ['{"entries": [{"url": "u"}]}', /has an entry 0 that has no string sliceUrn/],
    ['[1, 2]', /is not a JSON object with "entries"/],
    ['{ not json', /is not readable JSON/],
  ])('reports %s in one line naming the file, and leaves it untouched (also when asked to write)', (text, why) => {
    const ledger = fresh();
    ledger.add(entry('urn:a'));
    writeFileSync(ledger.path, text);
    for (const act of [() => ledger.read(), () => ledger.add(entry('urn:b')), () => ledger.remove('x', 'y')]) {
      let message = '';
      try {
        act();
      } catch (err) {
        expect(err).toBeInstanceOf(HarnessError);
        message = (err as Error).message;
      }
      expect(message).toMatch(why);
      expect(message).toContain(ledger.path);
      expect(message).not.toContain('\n');
    }
    expect(readFileSync(ledger.path, 'utf8')).toBe(text);
  });
});

describe('a ledger shared by several runs', () => {
  const fresh = () => new Ledger(join(mkdtempSync(join(tmpdir(), 'ledger-')), 'ledger.json'));

  it('tells a live owner from a gone one: this process and its parent live; a dead pid, or a reused one, is gone', async () => {
    expect(ownerIsGone(THIS_PROCESS)).toBe(false);
    expect(ownerIsGone(undefined)).toBe(true);
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    expect(ownerIsGone({ ...THIS_PROCESS, pid: Number(child.stdout) })).toBe(true);
    expect(ownerIsGone({ ...THIS_PROCESS, startedAt: '2000-01-01T00:00:00.000Z' })).toBe(true);
    expect(ownerIsGone({ ...THIS_PROCESS, host: 'elsewhere.example.net', pid: 1 })).toBe(false);
  });

  it('loses no update when several processes write at once (a lock serialises them)', async () => {
    const ledger = fresh();
    const writers = 4;
    const each = 25;
    const script = `
      import { Ledger } from ${JSON.stringify(join(__dirname, '../../src/runner/ledger.ts'))};
      const ledger = new Ledger(process.argv.at(-2));
      const me = process.argv.at(-1);
      for (let i = 0; i < ${each}; i++) {
        ledger.add({ url: 'https://am/' + me, api: 3, sliceUrn: 'urn:' + me + ':' + i, sliceCredentialXml: '', caseId: 'c', runId: me, createdAt: '' });
        if (i % 5 === 4) ledger.remove('https://am/' + me, 'urn:' + me + ':' + (i - 1));
      }`;
    const tsx = join(__dirname, '../../node_modules/tsx/dist/cli.mjs');
    const results = await Promise.all(Array.from({ length: writers }, (_, w) => new Promise<number | null>((done) => {
      const child = spawn(process.execPath, [tsx, '--input-type=module', '-e', script, ledger.path, `w${w}`], { stdio: ['ignore', 'ignore', 'inherit'] });
      child.on('close', done);
    })));
    expect(results).toEqual(Array(writers).fill(0));
    const held = ledger.read();
    expect(held).toHaveLength(writers * (each - each / 5));
    expect(new Set(held.map((e) => e.sliceUrn)).size).toBe(held.length);
    expect(existsSync(`${ledger.path}.lock`)).toBe(false);
  }, 120_000);

  it("judges a run on another host by its heartbeat: gone once it is older than the stale limit, never without one", () => {
    const elsewhere = { ...THIS_PROCESS, host: 'elsewhere.example.net', pid: 1 };
    const now = Date.parse('2026-11-29T12:00:00Z');
    const beatAgo = (ms: number) => new Date(now - ms).toISOString();
    expect(entryOwnerIsGone({ owner: elsewhere, heartbeatAt: beatAgo(60_000) }, now)).toBe(false);
    expect(entryOwnerIsGone({ owner: elsewhere, heartbeatAt: beatAgo(HEARTBEAT_STALE_MS - 1) }, now)).toBe(false);
    expect(entryOwnerIsGone({ owner: elsewhere, heartbeatAt: beatAgo(HEARTBEAT_STALE_MS + 1) }, now)).toBe(true);
    // Written before heartbeats, or garbled: that host's run cannot be judged from here.
    expect(entryOwnerIsGone({ owner: elsewhere }, now)).toBe(false);
    expect(entryOwnerIsGone({ owner: elsewhere, heartbeatAt: 'yesterday' }, now)).toBe(false);
    // On this host the process itself says, whatever the heartbeat.
    expect(entryOwnerIsGone({ owner: THIS_PROCESS, heartbeatAt: beatAgo(HEARTBEAT_STALE_MS * 10) }, now)).toBe(false);
    expect(entryOwnerIsGone({ owner: { ...THIS_PROCESS, startedAt: '2000-01-01T00:00:00.000Z' }, heartbeatAt: beatAgo(0) }, now)).toBe(true);
  });

  it("refreshes the heartbeat of this run's entries only, and writes nothing when it holds none", () => {
    const ledger = fresh();
    const other = { ...THIS_PROCESS, host: 'elsewhere.example.net' };
    const old = '2026-01-01T00:00:00.000Z';
    ledger.add(entry('urn:other', { owner: other, heartbeatAt: old }));
    const before = readFileSync(ledger.path, 'utf8');
    ledger.beat(THIS_PROCESS, new Date('2026-11-29T12:00:00Z'));
    expect(readFileSync(ledger.path, 'utf8'), 'no entry of ours: the file is not rewritten').toBe(before);
    ledger.add(entry('urn:mine', { owner: THIS_PROCESS, heartbeatAt: old }));
    ledger.beat(THIS_PROCESS, new Date('2026-11-29T12:00:00Z'));
    expect(Object.fromEntries(ledger.read().map((e) => [e.sliceUrn, e.heartbeatAt]))).toEqual({ 'urn:other': old, 'urn:mine': '2026-11-29T12:00:00.000Z' });
  });

  it('breaks a lock whose holder is gone', () => {
    const ledger = fresh();
    ledger.add(entry('urn:a'));
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${ledger.path}.lock`, JSON.stringify({ ...THIS_PROCESS, pid: Number(child.stdout) }));
    ledger.add(entry('urn:b'));
    expect(ledger.read().map((e) => e.sliceUrn)).toEqual(['urn:a', 'urn:b']);
  });
});

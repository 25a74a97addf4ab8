import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ledger, type LedgerEntry } from '../../src/runner/ledger';
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
});

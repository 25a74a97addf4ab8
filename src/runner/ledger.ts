import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { HarnessError } from '../core';

/**
 * The cleanup ledger: every slice in which the harness may ask for slivers is written here, on disk, BEFORE the
 * first call that could allocate, and removed only once the aggregate confirms nothing is left. A crash therefore
 * leaves a record, and the next run (or `geni-harness cleanup`) deletes what it names.
 *
 * The file holds slice credentials (needed to delete), so it is written with mode 0600 and never copied into reports.
 */
export interface LedgerEntry {
  /** The aggregate URL the slice was used at. */
  url: string;
  /** API version spoken at that URL. */
  api: number;
  sliceUrn: string;
  /** Slice credential XML, to be able to Delete after a crash. */
  sliceCredentialXml: string;
  caseId: string;
  runId: string;
  createdAt: string;
  /**
   * For the embedded reference AM: the id of the AM instance. Its state dies with the process, so entries of a
   * gone instance are simply dropped.
   */
  embeddedInstance?: string;
  /** Why the last cleanup attempt did not remove the entry. */
  lastError?: string;
}

export class Ledger {
  constructor(readonly path: string) {}

  read(): LedgerEntry[] {
    if (!existsSync(this.path)) return [];
    try {
      const data = JSON.parse(readFileSync(this.path, 'utf8')) as { entries?: LedgerEntry[] };
      return Array.isArray(data.entries) ? data.entries : [];
    } catch (err) {
      throw new HarnessError('config', `cleanup ledger ${this.path} is not readable JSON (${(err as Error).message}); fix or remove it`);
    }
  }

  private write(entries: LedgerEntry[]): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify({ entries }, null, 2), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.path); // atomic: a crash mid-write never loses the ledger
  }

  add(entry: LedgerEntry): void {
    const entries = this.read().filter((e) => !(e.url === entry.url && e.sliceUrn === entry.sliceUrn));
    entries.push(entry);
    this.write(entries);
  }

  remove(url: string, sliceUrn: string): void {
    this.write(this.read().filter((e) => !(e.url === url && e.sliceUrn === sliceUrn)));
  }

  update(url: string, sliceUrn: string, patch: Partial<LedgerEntry>): void {
    this.write(this.read().map((e) => (e.url === url && e.sliceUrn === sliceUrn ? { ...e, ...patch } : e)));
  }

  /** Drops entries of embedded aggregates other than the live ones (their state died with them). */
  dropGoneEmbedded(liveInstances: string[]): number {
    const entries = this.read();
    const kept = entries.filter((e) => !e.embeddedInstance || liveInstances.includes(e.embeddedInstance));
    if (kept.length !== entries.length) this.write(kept);
    return entries.length - kept.length;
  }
}

import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { HarnessError } from '../core';

/** The process that holds a run's session (the vitest worker, or the process of an in-process run). */
export interface RunOwner {
  host: string;
  pid: number;
  /** When that process started (ISO): with the pid, it tells a live run from a new process that reuses the pid. */
  startedAt: string;
}

/** This process, as ledger entries and run directories name their owner. */
export const THIS_PROCESS: RunOwner = {
  host: hostname(), pid: process.pid, startedAt: new Date(Math.round(Date.now() - process.uptime() * 1000)).toISOString(),
};

/** Start time of process `pid` on this host from /proc (Linux), in epoch ms; undefined where /proc cannot say. */
function processStartMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]); // field 22 of the whole line: starttime, in clock ticks since boot
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    if (!Number.isFinite(ticks) || !Number.isFinite(btime)) return undefined;
    return btime * 1000 + (ticks / 100) * 1000; // USER_HZ is 100 on every Linux Node runs on
  } catch {
    return undefined;
  }
}

/** How often a live run refreshes the heartbeat of the ledger entries it owns. */
export const HEARTBEAT_INTERVAL_MS = 60_000;
/**
 * A run on another host whose entries' heartbeat is older than this is judged gone (ten missed beats: a run
 * whose worker is merely busy or whose disk is slow still beats far more often).
 */
export const HEARTBEAT_STALE_MS = 10 * HEARTBEAT_INTERVAL_MS;

function sameOwner(a: RunOwner | undefined, b: RunOwner): boolean {
  return a !== undefined && a.host === b.host && a.pid === b.pid && a.startedAt === b.startedAt;
}

/**
 * Whether the run that owns a ledger entry is certainly over. On this host the process itself says (ownerIsGone);
 * a run on another host (a ledger on a shared disk) cannot be asked, so its heartbeat says: gone once it is older
 * than HEARTBEAT_STALE_MS. An entry of another host with no heartbeat (written before heartbeats) is never judged
 * gone: it waits for `geni-harness cleanup` on that host.
 */
export function entryOwnerIsGone(entry: Pick<LedgerEntry, 'owner' | 'heartbeatAt'>, now = Date.now()): boolean {
  if (entry.owner && entry.owner.host !== THIS_PROCESS.host) {
    const beat = entry.heartbeatAt === undefined ? Number.NaN : Date.parse(entry.heartbeatAt);
    return Number.isFinite(beat) && now - beat > HEARTBEAT_STALE_MS;
  }
  return ownerIsGone(entry.owner);
}

/**
 * Whether the run that owns something is certainly over: a process of this host that no longer exists (or whose pid
 * now belongs to a process started later). A run on another host is never judged gone here (see entryOwnerIsGone,
 * which reads its heartbeat).
 */
export function ownerIsGone(owner: RunOwner | undefined): boolean {
  if (!owner) return true; // entries written before owners were recorded: no run can still be using them
  if (owner.host !== THIS_PROCESS.host) return false;
  if (owner.pid === THIS_PROCESS.pid) return owner.startedAt !== THIS_PROCESS.startedAt;
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
  const started = processStartMs(owner.pid);
  return started !== undefined && Math.abs(started - Date.parse(owner.startedAt)) > 5_000;
}

const LOCK_STALE_MS = 30_000;
const LOCK_WAIT_MS = 20_000;

/** Blocks the thread for `ms` (the ledger's lock is taken by synchronous code). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

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
  /**
   * For a slice used through a slice manager (a server acting for the caller): the URLs of the aggregates behind it,
   * where its slivers are. Cleanup deletes there, with the slice credential alone: the slice manager may be what
   * crashed, and what it would forward needs a credential delegated to it, which a later run does not have.
   */
  aggregates?: string[];
  /** Why the last cleanup attempt did not remove the entry. */
  lastError?: string;
  /** The run that may still be using the slice: start-up cleanup leaves it alone while that run is alive. */
  owner?: RunOwner;
  /** When the owning run last said it is alive (ISO; every HEARTBEAT_INTERVAL_MS while it runs). */
  heartbeatAt?: string;
}

/** Why `value` is not a ledger entry, or undefined when it is one. */
function entryProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}, not an object`;
  const e = value as Record<string, unknown>;
  for (const key of ['url', 'sliceUrn', 'sliceCredentialXml'] as const) {
    if (typeof e[key] !== 'string') return `has no string ${key}`;
  }
  if (typeof e.api !== 'number') return 'has no numeric api';
  if (e.aggregates !== undefined && !(Array.isArray(e.aggregates) && e.aggregates.every((a) => typeof a === 'string'))) return 'has aggregates that are not a list of URLs';
  return undefined;
}

export class Ledger {
  constructor(readonly path: string) {}

  /**
   * The entries on disk. A file that is not a ledger is never guessed at nor replaced: a one-line error names it and
   * what is wrong, and the file is left as it is for a person to look at.
   */
  read(): LedgerEntry[] {
    if (!existsSync(this.path)) return [];
    const invalid = (why: string) => new HarnessError('config', `cleanup ledger ${this.path} ${why}; it was left untouched: fix or remove it`);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch (err) {
      throw invalid(`is not readable JSON (${(err as Error).message.split('\n')[0]})`);
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw invalid('is not a JSON object with "entries"');
    const entries = (data as { entries?: unknown }).entries;
    if (entries === undefined) return [];
    if (!Array.isArray(entries)) throw invalid('has "entries" that is not a list');
    for (const [i, e] of entries.entries()) {
      const problem = entryProblem(e);
      if (problem) throw invalid(`has an entry ${i} that ${problem}`);
    }
    return entries as LedgerEntry[];
  }

  private write(entries: LedgerEntry[]): void {
    const tmp = `${this.path}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify({ entries }, null, 2), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.path); // atomic: a crash mid-write never loses the ledger
  }

  /**
   * Read, change, write, with the ledger's lock held: runs of several processes sharing one ledger never lose each
   * other's updates. The lock is a file made with O_EXCL naming its holder; one whose holder is gone, or that is
   * older than any update takes, is broken.
   */
  private change(edit: (entries: LedgerEntry[]) => LedgerEntry[] | undefined): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const lock = `${this.path}.lock`;
    const until = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        const fd = openSync(lock, 'wx', 0o600);
        writeSync(fd, JSON.stringify(THIS_PROCESS));
        closeSync(fd);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new HarnessError('config', `cleanup ledger lock ${lock} cannot be made: ${(err as Error).message}`);
        if (this.lockIsStale(lock)) {
          rmSync(lock, { force: true });
          continue;
        }
        if (Date.now() > until) throw new HarnessError('config', `cleanup ledger lock ${lock} has been held for over ${LOCK_WAIT_MS / 1000} s by another process; remove it if no run is active`);
        sleepSync(10 + Math.floor(Math.random() * 20));
      }
    }
    try {
      const next = edit(this.read());
      if (next) this.write(next);
    } finally {
      rmSync(lock, { force: true });
    }
  }

  /**
   * Whether the lock is left over from a process that died holding it. A lock that vanished meanwhile is not stale
   * (the next attempt may take it): removing it then could remove a lock another process has just taken.
   */
  private lockIsStale(lock: string): boolean {
    let text: string;
    let ageMs: number;
    try {
      text = readFileSync(lock, 'utf8');
      ageMs = Date.now() - statSync(lock).mtimeMs;
    } catch {
      return false;
    }
    try {
      if (ownerIsGone(JSON.parse(text) as RunOwner)) return true;
    } catch {
      // Being written right now, or garbage: judged by its age alone.
    }
    return ageMs > LOCK_STALE_MS;
  }

  add(entry: LedgerEntry): void {
    this.change((entries) => [...entries.filter((e) => !(e.url === entry.url && e.sliceUrn === entry.sliceUrn)), entry]);
  }

  remove(url: string, sliceUrn: string): void {
    this.change((entries) => entries.filter((e) => !(e.url === url && e.sliceUrn === sliceUrn)));
  }

  update(url: string, sliceUrn: string, patch: Partial<LedgerEntry>): void {
    this.change((entries) => entries.map((e) => (e.url === url && e.sliceUrn === sliceUrn ? { ...e, ...patch } : e)));
  }

  /**
   * Refreshes the heartbeat of the entries `owner` holds; writes nothing when it holds none (read without the lock
   * first: the file is replaced atomically, so a read never sees half a write).
   */
  beat(owner: RunOwner = THIS_PROCESS, now = new Date()): void {
    if (!this.read().some((e) => sameOwner(e.owner, owner))) return;
    const heartbeatAt = now.toISOString();
    this.change((entries) => entries.map((e) => (sameOwner(e.owner, owner) ? { ...e, heartbeatAt } : e)));
  }

  /** Drops entries of embedded aggregates other than the live ones (their state died with them). */
  dropGoneEmbedded(liveInstances: string[]): number {
    let dropped = 0;
    this.change((entries) => {
      // An embedded AM of another run that is still going is alive too (its run owns the entry).
      const kept = entries.filter((e) => !e.embeddedInstance || liveInstances.includes(e.embeddedInstance) || (e.owner !== undefined && !ownerIsGone(e.owner)));
      dropped = entries.length - kept.length;
      return dropped > 0 ? kept : undefined;
    });
    return dropped;
  }
}

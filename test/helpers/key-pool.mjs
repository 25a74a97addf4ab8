import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Plain JavaScript (types in key-pool.d.mts): the CLI processes a test starts load it before anything else, with no
// TypeScript loader (test/helpers/cli-key-supply.mjs).

/**
 * The RSA keys of one test run, shared by its test processes: key-0.pem, key-1.pem… in the run's scratch directory. Each
 * process draws them in order, so within a process every key is new (every authority, user and aggregate a test
 * mints has a key of its own, as in a real run), while the run as a whole generates about as many keys as its
 * hungriest test file needs, not the sum over files. A process that runs past the last key generates one and adds it.
 * The CLI processes tests start draw from a pool of their own (another directory: cli-key-supply.mjs), so keys
 * never match across a test and the run it watches.
 */
export class RsaKeyPool {
  next = 0;

  /** @param {string} dir */
  constructor(dir) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /** @returns {string | undefined} */
  take() {
    try {
      const keyPem = readFileSync(this.file(this.next), 'utf8');
      this.next += 1;
      return keyPem;
    } catch {
      return undefined;
    }
  }

  /** @param {string} keyPem */
  add(keyPem) {
    const file = this.file(this.next);
    this.next += 1;
    // Published whole or not at all (a link never replaces a file): if another process published this index first,
    // this process keeps its own key and moves on.
    const scratch = `${file}.${process.pid}.tmp`;
    try {
      writeFileSync(scratch, keyPem, { mode: 0o600 });
      linkSync(scratch, file);
    } catch {
      // the other process's key stays the pool's; ours was handed out already
    } finally {
      rmSync(scratch, { force: true });
    }
  }

  /** @param {number} index */
  file(index) {
    return join(this.dir, `key-${index}.pem`);
  }
}

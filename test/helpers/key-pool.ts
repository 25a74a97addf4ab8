import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RsaKeySupply } from '../../src/credentials';

/**
 * The RSA keys of one test run, shared by its test processes: key-0.pem, key-1.pem… in the run's scratch directory. Each
 * process draws them in order, so within a process every key is new (every authority, user and aggregate a test
 * mints has a key of its own, as in a real run), while the run as a whole generates about as many keys as its
 * hungriest test file needs, not the sum over files. A process that runs past the last key generates one and adds it.
 * The CLI processes tests start do not draw from it (nothing installs it there): keys never match across a
 * test and the run it watches.
 */
export class RsaKeyPool implements RsaKeySupply {
  private next = 0;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  take(): string | undefined {
    try {
      const keyPem = readFileSync(this.file(this.next), 'utf8');
      this.next += 1;
      return keyPem;
    } catch {
      return undefined;
    }
  }

  add(keyPem: string): void {
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

  private file(index: number): string {
    return join(this.dir, `key-${index}.pem`);
  }
}

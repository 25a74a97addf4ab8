import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';

/** Runs the real CLI in a scratch working directory (ledger, authority and replay files stay there). */
export function cli(args: string[], cwd = mkdtempSync(join(tmpdir(), 'gh-prop-'))) {
  return { ...runCli(args, cwd), cwd };
}

export const scratch = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

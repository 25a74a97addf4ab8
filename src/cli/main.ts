import { ConfigError, HarnessError, errorMessage } from '../core';
import type { Io } from './args';
import { runCommand } from './commands/run';
import { listCommand } from './commands/list';
import { faultsCommand } from './commands/faults';
import { serveCommand } from './commands/serve';
import { cleanupCommand } from './commands/cleanup';
import { authorityCommand } from './commands/authority';
import { validateCommand } from './commands/validate';
import { replayCommand } from './commands/replay';
import { mergeCommand } from './commands/merge';

const USAGE = `usage: geni-harness <command> [options]

commands:
  run        run the conformance suites (default target: the embedded reference AM); reports in reports/
  list       list the cases (--json)
  faults     list the deliberate faults of the reference AM and SM and the cases that catch them (--json)
  serve      run the embedded reference AM alone and print its URL and credentials;
             serve --aggregates N [--sm]: peer aggregates the harness controls (and the reference SM) for suite sm
  validate   validate RSpec files: validate FILE... [--type ad|request|manifest] [--expect geni3|pgv2] [--max-bytes N] [--json]
  cleanup    delete slivers the harness left behind (from the ledger)
  authority  authority init [--dir D]: create the test authority an aggregate can trust
  replay     replay FILE [--raw]: re-run (or re-send) a failing property from its replay file
  merge      merge DIR... [--out DIR]: combine runs (CI jobs, aggregates) into one junit.xml, results.json and matrix

'geni-harness <command> --help' describes a command's options.`;

const COMMANDS: Record<string, (args: string[], io: Io) => Promise<number>> = {
  run: runCommand,
  list: listCommand,
  faults: faultsCommand,
  serve: serveCommand,
  validate: (args, io) => validateCommand(args, { stdout: io.stdout, stderr: io.stderr }),
  cleanup: cleanupCommand,
  authority: authorityCommand,
  replay: replayCommand,
  merge: mergeCommand,
};

export async function main(argv: string[], io: Io = {
  stdout: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  stderr: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
}): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`geni-harness: unknown command ${JSON.stringify(name)}\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (err) {
    // Configuration and harness problems: one line naming the problem, exit 2. Never a stack trace for those.
    if (err instanceof ConfigError || err instanceof HarnessError) {
      io.stderr(`geni-harness ${name}: ${err.message}`);
      return 2;
    }
    io.stderr(`geni-harness ${name}: internal error: ${errorMessage(err)}`);
    if (process.env.GENI_HARNESS_DEBUG) io.stderr(String((err as Error).stack));
    return 2;
  }
}

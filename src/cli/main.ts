import { readFileSync } from 'node:fs';
import { ConfigError, HarnessError, errorMessage } from '../core';
import type { Io } from './args';
import { HELP as RUN_HELP, runCommand } from './commands/run';
import { HELP as LIST_HELP, listCommand } from './commands/list';
import { HELP as FAULTS_HELP, faultsCommand } from './commands/faults';
import { HELP as SERVE_HELP, serveCommand } from './commands/serve';
import { HELP as CLEANUP_HELP, cleanupCommand } from './commands/cleanup';
import { HELP as AUTHORITY_HELP, authorityCommand } from './commands/authority';
import { USAGE as VALIDATE_HELP, validateCommand } from './commands/validate';
import { HELP as REPLAY_HELP, replayCommand } from './commands/replay';
import { HELP as MERGE_HELP, mergeCommand } from './commands/merge';

interface Command {
  /** One line for the command list. */
  summary: string;
  /** What `geni-harness CMD --help` and `geni-harness help CMD` print. */
  help: string;
  run(args: string[], io: Io): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  run: { summary: 'run the conformance suites (default target: the embedded reference AM); reports in reports/', help: RUN_HELP, run: runCommand },
  list: { summary: 'list the cases (--json)', help: LIST_HELP, run: listCommand },
  faults: { summary: 'list the deliberate faults of the reference peers (AM with its dynslice server, SM, dynslice client endpoint) and the cases and checks that catch them (--json)', help: FAULTS_HELP, run: faultsCommand },
  serve: { summary: 'run the embedded reference AM (with its dynslice server) and a reference dynslice client endpoint; print URLs and credentials', help: SERVE_HELP, run: serveCommand },
  validate: { summary: 'validate RSpec files: validate FILE... [--type ad|request|manifest] [--expect geni3|pgv2] [--json]', help: VALIDATE_HELP, run: (args, io) => validateCommand(args, { stdout: io.stdout, stderr: io.stderr }) },
  cleanup: { summary: 'delete slivers the harness left behind (from the ledger)', help: CLEANUP_HELP, run: cleanupCommand },
  authority: { summary: 'authority init [--dir D]: create the test authority an aggregate can trust', help: AUTHORITY_HELP, run: authorityCommand },
  replay: { summary: 'replay FILE [--raw]: re-run (or re-send) a failing property from its replay file', help: REPLAY_HELP, run: replayCommand },
  merge: { summary: 'merge DIR... [--out DIR]: combine runs (CI jobs, aggregates) into one junit.xml, results.json and matrix', help: MERGE_HELP, run: mergeCommand },
};

const USAGE = `usage: geni-harness <command> [options]

commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`).join('\n')}

'geni-harness <command> --help' or 'geni-harness help <command>' describes a command's options;
'geni-harness --version' prints the version.`;

/** The package's version, from package.json beside src/. */
export function harnessVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const wantsHelp = (args: string[]): boolean => args.includes('--help') || args.includes('-h');

export async function main(argv: string[], io: Io = {
  stdout: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  stderr: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
}): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(USAGE);
    return 2;
  }
  if (name === '--help' || name === '-h') {
    io.stdout(USAGE);
    return 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout(`geni-harness ${harnessVersion()}`);
    return 0;
  }
  if (name === 'help') {
    const topic = rest[0];
    if (topic === undefined) {
      io.stdout(USAGE);
      return 0;
    }
    const command = COMMANDS[topic];
    if (command === undefined) {
      io.stderr(`geni-harness help: unknown command ${JSON.stringify(topic)} (commands: ${Object.keys(COMMANDS).join(', ')})`);
      return 2;
    }
    io.stdout(command.help);
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr(`geni-harness: unknown command ${JSON.stringify(name)} (commands: ${Object.keys(COMMANDS).join(', ')}; see geni-harness --help)`);
    return 2;
  }
  // --help / -h anywhere among a command's (or a subcommand's) arguments: its help, whatever else is there.
  if (wantsHelp(rest)) {
    io.stdout(command.help);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    // Configuration and harness problems: one line naming the problem, exit 2. Never a stack trace for those.
    if (err instanceof ConfigError || err instanceof HarnessError) {
      io.stderr(`geni-harness ${name}: ${firstLine(err.message)}`);
      return 2;
    }
    io.stderr(`geni-harness ${name}: internal error: ${firstLine(errorMessage(err))}`);
    if (process.env.GENI_HARNESS_DEBUG) io.stderr(String((err as Error).stack));
    return 2;
  }
}

/** Error messages are one line: anything after the first (a usage block, a library's detail) is left to --help. */
function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

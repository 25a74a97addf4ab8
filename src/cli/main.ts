import { readFileSync } from 'node:fs';
import { ConfigError, HarnessError, errorMessage } from '../core';
import type { Io } from './args';
interface Command {
  /** One line for the command list. */
  summary: string;
  /**
   * The command's module, loaded only when the command (or its help) is asked for: a run against a remote aggregate
   * then never holds the reference AM, the RSpec validator or the SM testbed in the process that hosts vitest
   * (peak RSS, bench/hostile-rss.ts).
   */
  load(): Promise<{
    /** What `geni-harness CMD --help` and `geni-harness help CMD` print. */
    help: string;
    run(args: string[], io: Io): Promise<number>;
  }>;
}

const COMMANDS: Record<string, Command> = {
  run: { summary: 'run the conformance suites (default target: the embedded reference AM); reports in reports/', load: async () => { const m = await import('./commands/run'); return { help: m.HELP, run: m.runCommand }; } },
  list: { summary: 'list the cases (--json)', load: async () => { const m = await import('./commands/list'); return { help: m.HELP, run: m.listCommand }; } },
  faults: { summary: 'list the deliberate faults of the reference peers (AM with its dynslice server, SM, dynslice client endpoint) and the cases and checks that catch them (--json)', load: async () => { const m = await import('./commands/faults'); return { help: m.HELP, run: m.faultsCommand }; } },
  coverage: { summary: 'the requirements catalogue: the cases that check each statement, the uncovered ones and why (--json)', load: async () => { const m = await import('./commands/coverage'); return { help: m.HELP, run: m.coverageCommand }; } },
  serve: { summary: 'run the embedded reference AM (with its dynslice server) and a reference dynslice client endpoint; print URLs and credentials', load: async () => { const m = await import('./commands/serve'); return { help: m.HELP, run: m.serveCommand }; } },
  validate: { summary: 'validate RSpec files: validate FILE... [--type ad|request|manifest] [--expect geni3|pgv2] [--json]', load: async () => { const m = await import('./commands/validate'); return { help: m.USAGE, run: (args, io) => m.validateCommand(args, { stdout: io.stdout, stderr: io.stderr }) }; } },
  cleanup: { summary: 'delete slivers the harness left behind (from the ledger)', load: async () => { const m = await import('./commands/cleanup'); return { help: m.HELP, run: m.cleanupCommand }; } },
  authority: { summary: 'authority init [--dir D]: create the test authority an aggregate can trust', load: async () => { const m = await import('./commands/authority'); return { help: m.HELP, run: m.authorityCommand }; } },
  replay: { summary: 'replay FILE [--raw]: re-run (or re-send) a failing property from its replay file', load: async () => { const m = await import('./commands/replay'); return { help: m.HELP, run: m.replayCommand }; } },
  merge: { summary: 'merge DIR... [--out DIR]: combine runs (CI jobs, aggregates) into one junit.xml, results.json and matrix', load: async () => { const m = await import('./commands/merge'); return { help: m.HELP, run: m.mergeCommand }; } },
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
    io.stdout((await command.load()).help);
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr(`geni-harness: unknown command ${JSON.stringify(name)} (commands: ${Object.keys(COMMANDS).join(', ')}; see geni-harness --help)`);
    return 2;
  }
  try {
    const { help, run } = await command.load();
    // --help / -h anywhere among a command's (or a subcommand's) arguments: its help, whatever else is there.
    if (wantsHelp(rest)) {
      io.stdout(help);
      return 0;
    }
    return await run(rest, io);
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

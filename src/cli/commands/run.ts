import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../core';
import { federationTargets, OVERRIDES, overridesFromFlags, overridesHelp, resolveConfig } from '../../config';
import { colorWanted, ensureWritableDir, loadConfigFile, parseFlags, type Io } from '../args';
import { runFederation } from '../federation';
import { withOmniConfig } from '../omni';
import { openTarget } from '../target';
import HarnessReporter, { SUITES_PROJECT } from '../vitest-reporter';

const PROJECT_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export const HELP = `usage: geni-harness run [options]
${overridesHelp()}
  --config FILE           configuration file (default ./harness.config.ts)

With a configuration that lists targets (\`targets: [{ name, target, … }]\`), run runs every one (each into
REPORTS/targets/NAME, at once where they are different aggregates, up to --jobs) and merges them into REPORTS: one
junit.xml keeping each target's suites (NAME/am3), one results.json and a compliance matrix. --target-name NAME
runs that entry alone; --target URL ignores the list.

The same run as \`npx vitest run suites/\` (configured by harness.config.ts and GENI_HARNESS_* variables).`;

const OPTIONS = {
  ...Object.fromEntries(OVERRIDES.map((o) => [o.flag, { ...(o.kind === 'boolean' ? { type: 'boolean' } : { type: 'string', multiple: true }), ...(o.short !== undefined && { short: o.short }) }])),
  config: { type: 'string' }, help: { type: 'boolean' },
} as const satisfies Parameters<typeof parseFlags>[1];

/**
 * `geni-harness run`: resolves the configuration, opens the target (the embedded reference AM unless --target),
 * and runs the conformance suites through vitest (project `suites`, the same path as `npx vitest run suites/`),
 * with the harness's own console report. Exit 0 when every MUST case passed, 1 when a case failed, 2 on a
 * harness or configuration error.
 */
export async function runCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS, 'run');
  if (values.help === true) {
    io.stdout(HELP);
    return 0;
  }
  if (positionals.length > 0) throw new ConfigError(`run takes no positional arguments (got ${positionals.join(' ')}); see --help`);
  const configArg = typeof values.config === 'string' ? values.config : undefined;
  const { file, overrides } = withOmniConfig(await loadConfigFile(configArg), overridesFromFlags(values));
  if (federationTargets(file, overrides) !== undefined) {
    return runFederation({ configPath: resolve(configArg ?? 'harness.config.ts'), file, overrides, args, io });
  }
  const config = resolveConfig(file, overrides);
  // Before anything starts: a run whose reports cannot be written is a configuration error, at once.
  ensureWritableDir(config.reportsDir, 'reports directory');
  const target = await openTarget(config);
  try {
    const terminal = process.stdout.isTTY === true;
    const reporter = new HarnessReporter({ console: {
      // The progress line is rewritten in place, so on a terminal the text goes out as it is (io.stdout ends lines).
      write: terminal ? (t) => { process.stdout.write(t); } : (t) => io.stdout(t),
      color: colorWanted(process.env, terminal), progress: terminal,
    } });
    const { startVitest } = await import('vitest/node');
    const vitest = await startVitest('test', [], {
      root: PROJECT_ROOT,
      project: [SUITES_PROJECT],
      reporters: [reporter],
      watch: false,
      provide: { geniConfig: config, geniTarget: target.spec },
    });
    await vitest.close();
    for (const problem of reporter.harnessErrors) io.stderr(`geni-harness run: ${problem}`);
    return reporter.exitCode;
  } finally {
    await target.close();
  }
}

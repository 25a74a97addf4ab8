import { resolve } from 'node:path';
import { ConfigError } from '../../core';
import { JUNIT_FLAVOR_SETTINGS, type JUnitFlavorSetting } from '../../config';
import { SPEC } from '../../geni/spec-anchors';
import { loadRun, mergeRuns } from '../../reporting';
import { parseFlags, type Io } from '../args';

export const HELP = `usage: geni-harness merge DIR... [--out DIR] [--junit-flavor default|jenkins]

Combines the reports directories of several runs (CI jobs, one per aggregate or shards of one) into one
junit.xml (each run's suites named LABEL/SUITE), one results.json and an HTML compliance matrix (case x aggregate)
in --out (default ./reports). Runs with the same --target-name are shards of one target and share a column.

  --out DIR                where the merged files go (default reports; never one of the runs' own directories)
  --junit-flavor FLAVOR    default, or jenkins (valid against the xUnit plugin's junit-10.xsd)

Exit 0 when every run passed, 1 when a case failed in any run, 2 when a run had an error or did not finish,
or on bad input.`;

/** `geni-harness merge DIR...`: see HELP. */
export async function mergeCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(args, { out: { type: 'string' }, 'junit-flavor': { type: 'string' }, help: { type: 'boolean', short: 'h' } }, 'merge');
  if (values.help === true) {
    io.stdout(HELP);
    return 0;
  }
  if (positionals.length === 0) throw new ConfigError('merge needs the reports directories of the runs to merge (see --help)');
  const flavor = values['junit-flavor'] ?? 'default';
  if (!(JUNIT_FLAVOR_SETTINGS as readonly string[]).includes(flavor)) {
    throw new ConfigError(`--junit-flavor must be one of ${JUNIT_FLAVOR_SETTINGS.join(', ')}, but received ${JSON.stringify(flavor)}`);
  }
  const outDir = resolve(values.out ?? 'reports');
  const clash = positionals.find((dir) => resolve(dir) === outDir);
  if (clash !== undefined) throw new ConfigError(`--out ${outDir} is the reports directory of a run being merged (${clash}); choose another --out`);
  const merged = await mergeRuns(positionals.map(loadRun), {
    outDir,
    flavor: flavor as JUnitFlavorSetting,
    specLink: (anchor) => (SPEC as Record<string, { url: string } | undefined>)[anchor]?.url,
  });
  const k = merged.summary.byKind;
  io.stdout(`merged ${positionals.length} run(s) into ${merged.columns.length} column(s): ${merged.columns.join(', ')}`);
  for (const file of merged.files) io.stdout(`  ${file}`);
  io.stdout(`${k.pass} passed, ${k.fail} failed, ${k.error} errors, ${k.warn} warned, ${k.unsupported} unsupported, ${k.skip} skipped`);
  return merged.summary.exitCode;
}

/**
 * A federation in one run: a configuration listing several targets (`targets: [{ name, target, … }]`) runs each as
 * its own `geni-harness run --target-name NAME` (a child process: its own session, embedded AM or identity, vitest,
 * ledger entries), into DIR/targets/NAME, and merges them into DIR as `geni-harness merge` does for CI jobs: one
 * junit.xml whose suites keep their targets (NAME/am3), one results.json and a compliance matrix (index.html).
 * Different aggregates run at once (up to --jobs); entries that name the same aggregate (host and port), or whose
 * callback endpoints would listen on the same fixed port, run one after the other.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, errorMessage } from '../core';
import { aggregateKey, resolveConfig, type HarnessConfig, type TargetEntry } from '../config';
import { initAuthority } from '../credentials';
import { SPEC } from '../geni/spec-anchors';
import { loadRun, mergeRuns, type LoadedRun } from '../reporting';
import type { Io } from './args';
import { remoteTarget } from './target';

const BIN = fileURLToPath(new URL('../../bin/geni-harness.mjs', import.meta.url));

/** The directory a target's own run writes into, under the federation's reports directory. */
export function targetReportsDir(reportsDir: string, name: string): string {
  return join(reportsDir, 'targets', name);
}

/**
 * The targets in groups that may run at the same time, in the configuration's order. One group per aggregate (an
 * https target's host and port; every embedded reference AM is its own): the harness never competes with itself for
 * one aggregate's resources. Entries whose callback endpoints (the dynslice suites') listen on the same fixed port
 * are in one group too: two runs cannot listen on one port, and a port forwarded to the harness through NAT reaches
 * only one of them. Entries of one group run one after the other. `callbackPort` gives an entry's port as its run
 * resolves it (its own, or the shared setting); 0 or none is a port the OS picks, which collides with nothing.
 */
export function aggregateGroups(targets: readonly TargetEntry[], callbackPort: (entry: TargetEntry) => number | undefined = (entry) => entry.callbackPort): TargetEntry[][] {
  const groups: Array<{ keys: Set<string>; entries: TargetEntry[] }> = [];
  for (const entry of targets) {
    const port = callbackPort(entry);
    const keys = [aggregateKey(entry), ...(port ? [`callback port ${port}`] : [])];
    const joined = groups.filter((g) => keys.some((k) => g.keys.has(k)));
    const group = joined[0] ?? { keys: new Set<string>(), entries: [] };
    if (joined.length === 0) groups.push(group);
    for (const other of joined.slice(1)) {
      // An entry that shares one group's aggregate and another's port joins them: all of them, one at a time.
      for (const k of other.keys) group.keys.add(k);
      group.entries.push(...other.entries);
      groups.splice(groups.indexOf(other), 1);
    }
    for (const k of keys) group.keys.add(k);
    group.entries.push(entry);
  }
  const order = new Map(targets.map((t, i) => [t, i]));
  return groups.map((g) => g.entries.sort((a, b) => order.get(a)! - order.get(b)!));
}

/**
 * What the operator should know about the plan: entries of different aggregates that wait for each other because
 * they share a fixed callback port (with --jobs 1 nothing runs at once, so nothing is said).
 */
export function sharedPortNotes(targets: readonly TargetEntry[], callbackPort: (entry: TargetEntry) => number | undefined, jobs: number): string[] {
  if (jobs < 2) return [];
  const byPort = new Map<number, TargetEntry[]>();
  for (const entry of targets) {
    const port = callbackPort(entry);
    if (port) byPort.set(port, [...(byPort.get(port) ?? []), entry]);
  }
  return [...byPort].filter(([, entries]) => new Set(entries.map(aggregateKey)).size > 1).map(([port, entries]) =>
    `${entries.map((e) => e.name).join(', ')} share callback port ${port} (callbackPort): they run one after the other; give each entry its own callbackPort to run them at once`);
}

/** One target's run as it ended. */
export interface TargetRun {
  name: string;
  /** The child's exit code; null when a signal ended it. */
  exitCode: number | null;
  reportsDir: string;
  /** Its console output (the child's stdout and stderr). */
  log: string;
}

export interface FederationOptions {
  /** The configuration file (absolute), which every child loads again and picks its entry from. */
  configPath: string;
  file: HarnessConfig;
  /** The command line's overrides (besides --config), resolved as the children will resolve them. */
  overrides: HarnessConfig;
  /** The command line's own arguments, given again to every child (which picks its entry by --target-name). */
  args: string[];
  io: Io;
}

/**
 * Checks every entry as its own run would (a bad entry is one line, exit 2, before anything starts), runs them, and
 * merges what they wrote. Exit code: the merged one (0 every target passed, 1 a case failed somewhere, 2 a run had
 * an error); 2 as well when a target's run ended without results.json.
 */
export async function runFederation(options: FederationOptions): Promise<number> {
  const { file, overrides, io } = options;
  const targets = file.targets ?? [];
  if (overrides.expectations !== undefined || overrides.writeExpectations !== undefined) {
    throw new ConfigError('--expectations and --write-expectations name one target\'s file: give `expectations` per target in the configuration\'s targets, or run one target with --target-name NAME');
  }
  // One seed for every target, drawn here when none is given: the federation's run is repeatable as a whole.
  const seed = overrides.seed ?? file.seed ?? Math.floor(Math.random() * (2 ** 31 - 1));
  const configs = targets.map((entry) => resolveConfig(file, { ...overrides, targetName: entry.name, seed }));
  for (const config of configs) if (config.target !== 'reference') remoteTarget(config, config.target); // identity files exist and are PEM
  // What every entry shares: where the merged reports go, their JUnit flavour, how many run at once.
  const { reportsDir, junitFlavor, jobs } = resolveConfig({ ...file, targets: undefined }, { ...overrides, seed });
  // Embedded targets share the persistent test authority: made once here, not by several children at once.
  for (const config of configs) if (config.target === 'reference') initAuthority(config.embeddedAuthorityDir);

  const portOf = (entry: TargetEntry) => configs[targets.indexOf(entry)]!.dynslice.callbackPort;
  io.stdout(`federation: ${targets.length} targets (${targets.map((t) => t.name).join(', ')}), seed ${seed}, up to ${jobs} at once`);
  for (const note of sharedPortNotes(targets, portOf, jobs)) io.stdout(`  ${note}`);
  const runs = await runGroups(aggregateGroups(targets, portOf), jobs, (entry) => {
    const dir = targetReportsDir(reportsDir, entry.name);
    return runTarget(entry.name, dir, [...options.args, '--config', options.configPath, '--target-name', entry.name, '--reports', dir, '--seed', String(seed)], io);
  });

  const loaded: LoadedRun[] = [];
  let missing = false;
  for (const run of runs) {
    const shown = relative(process.cwd(), run.reportsDir) || '.';
    try {
      loaded.push(loadRun(run.reportsDir));
      io.stdout(`  ${run.name}: ${lastLine(run.log)} (exit ${run.exitCode ?? 'signal'}; ${shown})`);
    } catch (err) {
      missing = true;
      io.stdout(`  ${run.name}: no results (exit ${run.exitCode ?? 'signal'}): ${lastLine(run.log) || errorMessage(err)}`);
    }
  }
  if (loaded.length === 0) return 2;
  const merged = await mergeRuns(loaded, {
    outDir: reportsDir,
    flavor: junitFlavor,
    specLink: (anchor) => (SPEC as Record<string, { url: string } | undefined>)[anchor]?.url,
  });
  const k = merged.summary.byKind;
  io.stdout(`federation of ${merged.columns.length}: ${k.pass} passed, ${k.fail} failed, ${k.error} errors, ${k.warn} warned, ${k.unsupported} unsupported, ${k.skip} skipped`);
  for (const path of merged.files) io.stdout(`  ${relative(process.cwd(), path) || path}`);
  return missing ? 2 : merged.summary.exitCode;
}

/** Runs the groups concurrently (at most `jobs` at once), each group's entries in order; results in config order. */
async function runGroups(groups: TargetEntry[][], jobs: number, run: (entry: TargetEntry) => Promise<TargetRun>): Promise<TargetRun[]> {
  const results = new Map<string, TargetRun>();
  const queue = [...groups];
  const worker = async (): Promise<void> => {
    for (let group = queue.shift(); group !== undefined; group = queue.shift()) {
      for (const entry of group) results.set(entry.name, await run(entry));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, groups.length)) }, worker));
  return groups.flat().map((entry) => results.get(entry.name)!);
}

/**
 * One target's run: `geni-harness run` in a child process whose output goes to DIR.log (beside its reports, which
 * the run itself manages). SIGINT and SIGTERM to this process are passed on, so each child cleans up its slivers.
 */
function runTarget(name: string, dir: string, args: string[], io: Io): Promise<TargetRun> {
  mkdirSync(dir, { recursive: true });
  const logPath = `${dir}.log`;
  rmSync(join(dir, 'results.json'), { force: true }); // an earlier run's results must not pass for this one's
  const out = openSync(logPath, 'w');
  io.stdout(`  ${name}: started`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, 'run', ...args], { stdio: ['ignore', out, out] });
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    child.on('error', (err) => {
      closeSync(out);
      reject(err);
    });
    child.on('close', (code) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      closeSync(out);
      resolvePromise({ name, exitCode: code, reportsDir: dir, log: existsSync(logPath) ? readFileSync(logPath, 'utf8') : '' });
    });
  });
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.replace(/^geni-harness run: /, '') ?? '';
}

import { mkdirSync, mkdtempSync, rmSync, accessSync, constants } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomInt, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ConfigError, errorMessage } from '../../core';
import { DEFAULT_CONFIG, type HarnessConfig, type ResolvedConfig } from '../../config';
import { expandHome, loadConfigFile, parseFlags, parseInteger, type Io } from '../args';
import { startEmbeddedTarget, type EmbeddedTarget } from '../embedded-target';
import { VitestBridge } from '../vitest-bridge';
import { cleanupLedger } from '../../runner/engine';
import { Session, type TargetSpec } from '../../runner/session';
import { PLAN_ENV, writePlan, type RunPlan } from '../../runner/plan';
import { loadCases, selectCases } from '../../runner/registry';
import { summarize } from '../../runner/summary';
import type { HarnessEvent, Reporter } from '../../runner/events';
import type { ApiVersion } from '../../runner/types';
import { DEFAULT_FUZZ, type FuzzBudget } from '../../runner/property';
import {
  createConsoleReporter, createJUnitReporter, createResultsJsonReporter, createTranscriptReporter, fanOut,
} from '../../reporting';

const PROJECT_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

const HELP = `usage: geni-harness run [options]
  --target reference|URL   the aggregate (default: the embedded reference AM)
  --case GLOB              select cases by id (repeatable), e.g. 'am3.allocate.*'
  --tag TAG                select cases by tag (repeatable)
  --api N                  only API version N (repeatable)
  --strict                 SHOULD cases and preferred error codes count as failures
  --fault NAME             switch on a reference-AM fault (repeatable; embedded target only)
  --seed N                 seed for everything random (default: random, printed)
  --reports DIR            where reports go (default reports/)
  --config FILE            configuration file (default ./harness.config.ts)
  --cert FILE --key FILE   client certificate and key (PEM) for a remote aggregate
  --ca FILE                CA bundle for the aggregate's server certificate (repeatable)
  --user-cred FILE         user credential (XML or omni's JSON)
  --slice-cred FILE        credential of an existing slice to use when no authority can make slices (repeatable)
  --authority DIR          test authority the aggregate trusts: mint users, slices and credentials from it
  --insecure               do not verify the aggregate's server certificate (marked in every report)
  --call-timeout MS        upper bound on every call (default 60000)
  --fuzz-runs N            generated inputs per property case (default 20; nightly: 500 or more)
  --fuzz-time S            stop generating inputs for a property after S seconds`;

const OPTIONS = {
  target: { type: 'string' }, case: { type: 'string', multiple: true }, tag: { type: 'string', multiple: true },
  api: { type: 'string', multiple: true }, strict: { type: 'boolean' }, fault: { type: 'string', multiple: true },
  seed: { type: 'string' }, reports: { type: 'string' }, config: { type: 'string' }, cert: { type: 'string' },
  key: { type: 'string' }, ca: { type: 'string', multiple: true }, 'user-cred': { type: 'string' },
  authority: { type: 'string' }, insecure: { type: 'boolean' }, 'call-timeout': { type: 'string' }, help: { type: 'boolean' },
  'slice-cred': { type: 'string', multiple: true },
  'fuzz-runs': { type: 'string' }, 'fuzz-time': { type: 'string' },
} as const;

export async function runCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS, 'run');
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (positionals.length > 0) throw new ConfigError(`run takes no positional arguments (got ${positionals.join(' ')}); see --help`);
  const file = await loadConfigFile(values.config);
  const config: ResolvedConfig = {
    ...DEFAULT_CONFIG, ...file,
    ...(values.target !== undefined && { target: values.target }),
    ...(values.strict !== undefined && { strict: values.strict }),
    ...(values.reports !== undefined && { reportsDir: values.reports }),
    ...(values.cert !== undefined && { cert: values.cert }),
    ...(values.key !== undefined && { key: values.key }),
    ...(values.ca !== undefined && { ca: values.ca }),
    ...(values['user-cred'] !== undefined && { userCredential: values['user-cred'] }),
    ...(values['slice-cred'] !== undefined && { sliceCredentials: values['slice-cred'] }),
    ...(values.authority !== undefined && { authorityDir: values.authority }),
    ...(values.insecure !== undefined && { insecure: values.insecure }),
  };
  const seed = parseInteger(values.seed, '--seed') ?? config.seed ?? randomInt(0, 2 ** 31 - 1);
  const callTimeoutMs = parseInteger(values['call-timeout'], '--call-timeout') ?? config.callTimeoutMs;
  if (callTimeoutMs <= 0) throw new ConfigError(`--call-timeout must be a positive number of milliseconds, but received ${callTimeoutMs}`);
  const apis = (values.api ?? []).map((a) => {
    const n = parseInteger(a, '--api');
    if (n !== 1 && n !== 2 && n !== 3) throw new ConfigError(`--api must be 1, 2 or 3, but received ${a}`);
    return n as ApiVersion;
  });
  const fuzzRuns = parseInteger(values['fuzz-runs'], '--fuzz-runs') ?? config.fuzzRuns ?? DEFAULT_FUZZ.runs;
  if (fuzzRuns < 1) throw new ConfigError(`--fuzz-runs must be a positive integer, but received ${fuzzRuns}`);
  const fuzzSeconds = parseInteger(values['fuzz-time'], '--fuzz-time') ?? config.fuzzTimeSeconds;
  if (fuzzSeconds !== undefined && fuzzSeconds < 1) throw new ConfigError(`--fuzz-time must be a positive number of seconds, but received ${fuzzSeconds}`);
  const fuzz: FuzzBudget = { runs: fuzzRuns, ...(fuzzSeconds !== undefined && { timeLimitMs: fuzzSeconds * 1000 }) };
  const faults = values.fault ?? [];
  const isEmbedded = config.target === 'reference';
  if (!isEmbedded && faults.length > 0) throw new ConfigError('--fault switches faults of the embedded reference AM; it cannot be used with a remote --target');

  const reportsDir = resolve(config.reportsDir);
  prepareReportsDir(reportsDir);
  const selection = { cases: values.case ?? config.cases ?? [], tags: values.tag ?? config.tags ?? [], api: apis.length ? apis : undefined };
  const selected = selectCases(await loadCases(), selection);
  if (selected.length === 0) throw new ConfigError(`no case matches the selection (cases: ${selection.cases.join(', ') || '*'}; tags: ${selection.tags.join(', ') || '*'})`);

  let embedded: EmbeddedTarget | undefined;
  mkdirSync(resolve('.geni-harness'), { recursive: true });
  const workDir = mkdtempSync(join(resolve('.geni-harness'), 'run-'));
  try {
    embedded = isEmbedded
      ? await startEmbeddedTarget({ faults, baseDir: workDir, am: config.reference, authorityDir: resolve(config.authorityDir ?? '.geni-harness/authority') })
      : undefined;
    const target: TargetSpec = embedded?.spec ?? remoteTarget(config);
    const runId = randomUUID();
    const limits = { callTimeoutMs, maxResponseBytes: config.maxResponseBytes ?? DEFAULT_CONFIG.maxResponseBytes };
    const ledgerPath = resolve(config.ledgerPath);
    const session = Session.open(target, { ledgerPath, limits, runId });
    let exitCode: number;
    try {
      const advertised = await session.advertisedApis();
      const unadvertised = apis.filter((a) => !advertised.includes(a));
      if (unadvertised.length > 0) throw new ConfigError(`--api ${unadvertised.join(', ')}: ${target.url} does not advertise that AM API version (it advertises ${advertised.join(', ') || 'none'})`);
      const testable = apis.length ? apis : advertised;
      if (testable.length === 0) throw new ConfigError(`${target.url} advertises no AM API version this harness tests (1, 2 or 3) in GetVersion`);
      exitCode = await runWithVitest({ session, target, selection, apis: testable, seed, strict: config.strict, config, reportsDir, workDir, runId, ledgerPath, limits, selectedCount: selected.reduce((n, c) => n + c.api.filter((a) => testable.includes(a)).length, 0), io, fuzz, replayDir: resolve(config.replayDir ?? '.geni-harness/replays') });
    } finally {
      session.close();
    }
    return exitCode;
  } finally {
    await embedded?.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

function remoteTarget(config: HarnessConfig): TargetSpec {
  const url = config.target!;
  if (!/^https:\/\//i.test(url)) throw new ConfigError(`--target must be 'reference' or an https:// URL, got ${JSON.stringify(url)}`);
  return {
    name: url, url,
    certPath: config.cert && expandHome(config.cert), keyPath: config.key && expandHome(config.key),
    caPaths: config.ca?.map(expandHome), insecure: config.insecure,
    authorityDir: config.authorityDir && expandHome(config.authorityDir),
    userCredentialPath: config.userCredential && expandHome(config.userCredential),
    sliceCredentialPaths: config.sliceCredentials?.map(expandHome),
  };
}

function prepareReportsDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new ConfigError(`reports directory ${dir} is not writable: ${errorMessage(err)}`);
  }
  // Transcripts of an earlier run must not be mistaken for this run's.
  rmSync(join(dir, 'cases'), { recursive: true, force: true });
}

interface RunContext {
  session: Session; target: TargetSpec; selection: RunPlan['selection']; apis: ApiVersion[]; seed: number; strict: boolean;
  config: ResolvedConfig; reportsDir: string; workDir: string; runId: string; ledgerPath: string;
  limits: RunPlan['limits']; selectedCount: number; io: Io; fuzz: FuzzBudget; replayDir: string;
}

async function runWithVitest(ctx: RunContext): Promise<number> {
  const { session, io } = ctx;
  const reporters: Reporter[] = [
    createConsoleReporter({ write: (t) => io.stdout(t), color: process.stdout.isTTY === true }),
    createJUnitReporter({ path: join(ctx.reportsDir, 'junit.xml') }),
    createResultsJsonReporter({ path: join(ctx.reportsDir, 'results.json') }),
    createTranscriptReporter({ dir: ctx.reportsDir }),
  ];
  const reporter = fanOut(reporters);
  const emit = (e: HarnessEvent) => reporter.onEvent(e);

  // Leftovers of an earlier crashed run at this aggregate go first (gone embedded AMs are simply forgotten).
  session.ledger.dropGoneEmbedded(ctx.target.embeddedInstance ? [ctx.target.embeddedInstance] : []);
  if (!ctx.target.embeddedInstance) {
    const leftovers = await cleanupLedger(session);
    for (const s of leftovers.deleted) await emit({ type: 'run-note', message: `cleanup: deleted ${s} left by an earlier run` });
    for (const k of leftovers.kept) await emit({ type: 'run-note', message: `cleanup: ${k.sliceUrn} at ${k.url} could not be deleted (${k.why})` });
  }

  const urls: Partial<Record<ApiVersion, string>> = {};
  for (const api of ctx.apis) {
    const url = await session.urlFor(api);
    if (url) urls[api] = url;
  }
  const info = await session.versionAt(ctx.target.url);
  const started = Date.now();
  await emit({
    type: 'run-started', runId: ctx.runId, startedAt: new Date(started).toISOString(),
    target: session.targetInfo(urls, info.amUrn, info.amType), seed: ctx.seed, strict: ctx.strict,
    selection: { cases: ctx.selection.cases ?? [], tags: ctx.selection.tags ?? [] }, caseCount: ctx.selectedCount,
  });

  const planPath = join(ctx.workDir, 'plan.json');
  writePlan(planPath, {
    runId: ctx.runId, target: ctx.target, selection: ctx.selection, apis: ctx.apis, strict: ctx.strict, seed: ctx.seed,
    caseTimeoutMs: ctx.config.caseTimeoutMs, limits: ctx.limits, ledgerPath: ctx.ledgerPath, fuzz: ctx.fuzz, replayDir: ctx.replayDir,
  });
  process.env[PLAN_ENV] = planPath;
  const bridge = new VitestBridge(emit);
  const { startVitest } = await import('vitest/node');
  const vitest = await startVitest('test', [], {
    root: PROJECT_ROOT,
    config: false,
    include: ['suites/conformance.test.ts'],
    reporters: [bridge],
    watch: false,
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: ctx.config.caseTimeoutMs + 60_000,
    hookTimeout: 120_000,
    sequence: { shuffle: false },
  } as never, {}, { stdout: process.stdout, stderr: process.stderr } as never);
  await vitest.close();
  await bridge.flush();
  for (const problem of bridge.harnessErrors) {
    await emit({ type: 'run-note', message: `harness error: ${problem}` });
  }
  const summary = summarize(bridge.results, Date.now() - started);
  if (bridge.harnessErrors.length > 0) summary.exitCode = 2;
  await emit({ type: 'run-finished', summary });
  await reporter.close();
  return summary.exitCode;
}

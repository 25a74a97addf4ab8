import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, clipText, errorMessage } from '../../core';
import { OVERRIDES, overridesFromFlags, resolveConfig, resolveConfigFor } from '../../config';
import { Transcript } from '../../client';
import { toAmResponse } from '../../geni/methods';
import { loadConfigFile, parseFlags, type Io } from '../args';
import { withOmniConfig } from '../omni';
import { openTarget } from '../target';
import { loadCases } from '../../runner/registry';
import { Session } from '../../runner/session';
import { runCase } from '../../runner/engine';
import type { ReplayFile } from '../../runner/property';
import { formatFailure } from '../../reporting';

export const HELP = `usage: geni-harness replay FILE [--raw] [--target URL] [--cert F --key F --ca F --authority DIR] [--omni-config F [-a NICK|URL]] [--config F]
  Re-runs a failing property from its replay file: the same case, seed and path, so the shrunk counterexample
  is tried again at once (exit 1: reproduced; 0: it now passes; 2: harness error).
  --raw   re-send the recorded request bytes in order instead, printing each answer
  The aggregate is the one the file recorded (or --target, or -a with --omni-config), with the identity
  configured for runs (a configuration listing targets: that of the entry at that aggregate).
  A replay recorded against the embedded reference AM starts a new one with the same faults.`;

function readReplay(path: string): ReplayFile {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`cannot read replay file ${path}: ${errorMessage(err)}`);
  }
  const r = data as Partial<ReplayFile>;
  if (r.format !== 'geni-harness-replay/2' || typeof r.caseId !== 'string' || typeof r.suite !== 'string' || !Array.isArray(r.requests)) {
    throw new ConfigError(`${path} is not a geni-harness replay file (format geni-harness-replay/2)`);
  }
  return r as ReplayFile;
}

const IDENTITY_FLAGS = ['cert', 'key', 'ca', 'authority', 'insecure', 'user-cred', 'omni-config', 'aggregate'];

export async function replayCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    ...Object.fromEntries(OVERRIDES.filter((o) => IDENTITY_FLAGS.includes(o.flag)).map((o) => [o.flag, {
      ...(o.kind === 'boolean' ? { type: 'boolean' } : { type: 'string', multiple: true }), ...(o.short !== undefined && { short: o.short }),
    }])),
    raw: { type: 'boolean' }, target: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean' },
  } as const satisfies Parameters<typeof parseFlags>[1], 'replay');
  if (values.help === true) {
    io.stdout(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new ConfigError(`replay takes exactly one replay file\n${HELP}`);
  const replay = readReplay(positionals[0]!);
  const { file, overrides } = withOmniConfig(await loadConfigFile(typeof values.config === 'string' ? values.config : undefined), {
    ...overridesFromFlags(values), ...(typeof values.target === 'string' && { target: values.target }),
  }, { run: false });
  const embedded = replay.target.embedded && overrides.target === undefined;
  const work = mkdtempSync(join(tmpdir(), 'gh-replay-'));
  const replayOverrides = {
    ...overrides,
    faults: embedded ? replay.target.faults : [],
    replayDir: join(work, 'replays'), // the original file stays as it was
    seed: replay.seed,
  };
  // A replay recorded against the embedded reference AM starts a new one with the same faults.
  const config = embedded
    ? resolveConfig(file, { ...replayOverrides, target: 'reference' })
    : resolveConfigFor(overrides.target ?? replay.target.url, file, replayOverrides);
  const target = await openTarget(config);
  try {
    const session = Session.open(target.spec, { ledgerPath: config.ledgerPath, limits: { callTimeoutMs: config.callTimeoutMs, maxResponseBytes: config.maxResponseBytes } });
    try {
      await session.ready();
      const def = (await loadCases(config.caseDirs)).find((c) => c.id === replay.caseId);
      if (!def) throw new ConfigError(`replay file names case ${replay.caseId}, which this harness does not have`);
      const suite = def.suites.find((s) => s.name === replay.suite);
      if (!suite) throw new ConfigError(`replay file names suite ${replay.suite}, in which case ${replay.caseId} does not run`);
      const location = await suite.locate(session);
      const url = 'url' in location ? location.url : target.spec.url;
      if (values.raw === true) return await resend(replay, session, url, io);
      io.stdout(`replaying ${replay.caseId} (seed ${replay.seed}, path "${replay.path}") against ${target.spec.name}${replay.target.faults.length ? ` with faults ${replay.target.faults.join(', ')}` : ''}`);
      io.stdout(`recorded counterexample: ${replay.counterexample}`);
      const result = await runCase(def, suite, session, url, {
        strict: false, seed: replay.seed, caseTimeoutMs: config.caseTimeoutMs,
        fuzz: { runs: replay.numRuns, replay: { seed: replay.seed, path: replay.path } },
        replayDir: config.replayDir,
      });
      if (result.outcome.kind === 'fail' || result.outcome.kind === 'warn' || result.outcome.kind === 'error') {
        io.stdout(formatFailure(result));
      }
      io.stdout(result.outcome.kind === 'fail' ? 'reproduced: the property fails again' : `not reproduced: ${result.outcome.kind}`);
      return result.outcome.kind === 'fail' ? 1 : result.outcome.kind === 'error' ? 2 : 0;
    } finally {
      session.close();
    }
  } finally {
    await target.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Re-sends the recorded bytes in order to the same path at the target; prints each answer briefly. */
async function resend(replay: ReplayFile, session: Session, url: string, io: Io): Promise<number> {
  const origin = new URL(url).origin;
  const client = session.client(url, new Transcript());
  for (const [i, request] of replay.requests.entries()) {
    const endpoint = `${origin}${new URL(request.endpoint).pathname}`;
    try {
      const res = toAmResponse(request.method, await client.withUrl(endpoint).callRaw(request.method, request.body));
      const answer = res.fault ? `Fault ${res.fault.faultCode}: ${clipText(res.fault.faultString)}`
        : res.envelope ? `geni_code ${String(res.envelope.geniCode)}${typeof res.envelope.output === 'string' && res.envelope.output ? ` (${res.envelope.output.slice(0, 120)})` : ''}`
          : `value ${JSON.stringify(res.raw)?.slice(0, 120)}`;
      io.stdout(`${i + 1}. ${request.method} → ${answer}`);
    } catch (err) {
      io.stdout(`${i + 1}. ${request.method} → ${errorMessage(err)}`);
    }
  }
  return 0;
}

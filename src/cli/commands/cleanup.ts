import { OVERRIDES, overridesFromFlags, resolveConfig, resolveConfigFor } from '../../config';
import { loadConfigFile, parseFlags, type Io } from '../args';
import { withOmniConfig } from '../omni';
import { remoteTarget } from '../target';
import { Ledger } from '../../runner/ledger';
import { Session } from '../../runner/session';
import { cleanupLedger } from '../../runner/cleanup';

/**
 * `geni-harness cleanup`: deletes every slice the ledger names (at each aggregate it was used at). The identity
 * used is the one configured for runs (--cert/--key, --omni-config or --authority; with a list of targets, the
 * identity of the entry at that aggregate); each Delete carries the slice's own credential.
 */
export const HELP = `usage: geni-harness cleanup [--ledger FILE] [--config FILE] [--cert F --key F | --omni-config F] [--ca F]... [--authority DIR] [--user-cred F] [--insecure]
  Deletes every slice the cleanup ledger (default .geni-harness/ledger.json) names, at each aggregate it was
  used at, with the identity configured for runs (a configuration listing targets: the identity of the entry
  at that aggregate). Exit 0 when everything was deleted, 1 when something is left.`;

const IDENTITY_FLAGS = ['cert', 'key', 'ca', 'authority', 'insecure', 'user-cred', 'omni-config'];

export async function cleanupCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseFlags(args, {
    ...Object.fromEntries(OVERRIDES.filter((o) => IDENTITY_FLAGS.includes(o.flag)).map((o) => [o.flag, o.kind === 'boolean' ? { type: 'boolean' } : { type: 'string', multiple: true }])),
    config: { type: 'string' }, ledger: { type: 'string' },
  } as const satisfies Parameters<typeof parseFlags>[1], 'cleanup');
  const { file, overrides } = withOmniConfig(await loadConfigFile(typeof values.config === 'string' ? values.config : undefined), {
    ...overridesFromFlags(values), ...(typeof values.ledger === 'string' && { ledgerPath: values.ledger }),
  }, { run: false });
  // What every aggregate shares (the ledger, the limits); the identity is each aggregate's own (resolveConfigFor).
  const config = resolveConfig({ ...file, targets: undefined }, overrides);
  const ledger = new Ledger(config.ledgerPath);
  const dropped = ledger.dropGoneEmbedded([]);
  const entries = ledger.read();
  if (dropped > 0) io.stdout(`forgot ${dropped} slice(s) of embedded reference AMs that are no longer running`);
  if (entries.length === 0) {
    io.stdout(`nothing to clean up (${config.ledgerPath})`);
    return 0;
  }
  let failed = 0;
  for (const url of [...new Set(entries.map((e) => e.url))]) {
    const session = Session.open(remoteTarget(resolveConfigFor(url, file, overrides), url), {
      ledgerPath: config.ledgerPath, limits: { callTimeoutMs: config.callTimeoutMs, maxResponseBytes: config.maxResponseBytes }, sliceCredentialsOnly: true,
    });
    try {
      const report = await cleanupLedger(session, { url });
      for (const s of report.deleted) io.stdout(`deleted ${s} at ${url}`);
      for (const k of report.kept) io.stderr(`could not delete ${k.sliceUrn} at ${k.url}: ${k.why}`);
      for (const s of report.inUse) io.stdout(`left ${s} at ${url}: its run is still going`);
      failed += report.kept.length;
    } finally {
      session.close();
    }
  }
  return failed > 0 ? 1 : 0;
}

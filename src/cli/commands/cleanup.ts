import { resolve } from 'node:path';
import { DEFAULT_CONFIG } from '../../config';
import { expandHome, loadConfigFile, parseFlags, type Io } from '../args';
import { Ledger } from '../../runner/ledger';
import { Session } from '../../runner/session';
import { cleanupLedger } from '../../runner/engine';

/**
 * `geni-harness cleanup`: deletes every slice the ledger names (at each aggregate it was used at). The identity
 * used is the one configured for runs (--cert/--key or --authority); each Delete carries the slice's own credential.
 */
export async function cleanupCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseFlags(args, {
    config: { type: 'string' }, ledger: { type: 'string' }, cert: { type: 'string' }, key: { type: 'string' },
    ca: { type: 'string', multiple: true }, authority: { type: 'string' }, insecure: { type: 'boolean' },
  }, 'cleanup');
  const file = await loadConfigFile(values.config);
  const ledgerPath = resolve(values.ledger ?? file.ledgerPath ?? DEFAULT_CONFIG.ledgerPath);
  const ledger = new Ledger(ledgerPath);
  const dropped = ledger.dropGoneEmbedded([]);
  const entries = ledger.read();
  if (dropped > 0) io.stdout(`forgot ${dropped} slice(s) of embedded reference AMs that are no longer running`);
  if (entries.length === 0) {
    io.stdout(`nothing to clean up (${ledgerPath})`);
    return 0;
  }
  let failed = 0;
  for (const url of [...new Set(entries.map((e) => e.url))]) {
    const session = Session.open({
      name: url, url,
      certPath: (values.cert ?? file.cert) && expandHome((values.cert ?? file.cert)!),
      keyPath: (values.key ?? file.key) && expandHome((values.key ?? file.key)!),
      caPaths: (values.ca ?? file.ca)?.map(expandHome), insecure: values.insecure ?? file.insecure,
      authorityDir: (values.authority ?? file.authorityDir) && expandHome((values.authority ?? file.authorityDir)!),
      userCredentialPath: file.userCredential && expandHome(file.userCredential),
    }, { ledgerPath, limits: { callTimeoutMs: file.callTimeoutMs ?? DEFAULT_CONFIG.callTimeoutMs, maxResponseBytes: DEFAULT_CONFIG.maxResponseBytes } });
    try {
      const report = await cleanupLedger(session, { url });
      for (const s of report.deleted) io.stdout(`deleted ${s} at ${url}`);
      for (const k of report.kept) io.stderr(`could not delete ${k.sliceUrn} at ${k.url}: ${k.why}`);
      failed += report.kept.length;
    } finally {
      session.close();
    }
  }
  return failed > 0 ? 1 : 0;
}

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import type { ResolvedConfig } from '../config';
import { ConfigError } from '../core';
import { readCaBundle, type TargetSpec } from '../runner/session';
import { THIS_PROCESS, ownerIsGone, type RunOwner } from '../runner/ledger';

export interface OpenTarget {
  spec: TargetSpec;
  close(): Promise<void>;
}

/**
 * The target of a run as the configuration names it: the embedded reference AM (started here, on 127.0.0.1, with
 * the configured faults and its persistent test authority) or a remote aggregate reached with the configured
 * identity. The one place that turns configuration into a TargetSpec; `run`, the vitest setup, `replay` and
 * `cleanup` all come here.
 */
export async function openTarget(config: ResolvedConfig): Promise<OpenTarget> {
  const label = config.targetName === undefined ? {} : { label: config.targetName };
  if (config.target !== 'reference') return { spec: { ...remoteTarget(config, config.target), ...label }, close: async () => {} };
  // Loaded only for the embedded target: a remote run's process never holds the reference AM (peak RSS).
  const [{ personalityNamed }, { splitReferenceFaults }, { startEmbeddedTarget }] = await Promise.all([
    import('../reference-am'), import('./reference-faults'), import('./embedded-target'),
  ]);
  splitReferenceFaults(config.faults); // an unknown fault name is a configuration error before anything starts
  // The reference slice manager and its peers (suite sm) start when the run may want them.
  // Not when the selection leaves suite sm out (by suite, or by case ids none of which can be sm.*), nor when the
  // configuration names another slice manager (--endpoint sm=URL, e.g. one that serve --aggregates N feeds).
  const { suites, cases } = config.selection;
  // ('!GLOB' leaves cases out: only the other globs select.)
  const selecting = cases.filter((glob) => !glob.startsWith('!'));
  const wantsSm = (suites.length === 0 || suites.includes('sm')) && (selecting.length === 0 || selecting.some((glob) => /^(sm\b|\*)/.test(glob))) && !config.endpoints.sm;
  personalityNamed(config.personality); // an unknown personality is a configuration error too
  const work = join(dirname(config.ledgerPath), 'run');
  mkdirSync(work, { recursive: true });
  removeDeadRunDirs(work);
  const dir = mkdtempSync(join(work, 'embedded-'));
  writeFileSync(join(dir, OWNER_FILE), JSON.stringify(THIS_PROCESS));
  const embedded = await startEmbeddedTarget({
    faults: config.faults, baseDir: dir, am: { ...config.reference, ...(config.personality !== undefined && { personality: config.personality }) }, authorityDir: config.embeddedAuthorityDir, ...(wantsSm && { sm: { peers: config.peers } }),
  });
  return {
    // --endpoint replaces an embedded peer (test your own client endpoint against the harness playing the server).
    spec: {
      ...embedded.spec,
      ...label,
      endpoints: { ...embedded.spec.endpoints, ...config.endpoints },
      dynslice: { ...embedded.spec.dynslice, ...config.dynslice },
      ...(config.identity.ca && { caPaths: [...(embedded.spec.caPaths ?? []), ...config.identity.ca] }),
      ...(config.identity.insecure && { insecure: true }),
    },
    async close() {
      await embedded.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const OWNER_FILE = 'owner.json';
/** A directory without an owner file (an older harness wrote it) is removed once it is this old. */
const UNOWNED_DIR_AGE_MS = 24 * 3600_000;

/**
 * Removes the work directories of embedded targets whose run is over: a run killed with -9 cannot remove its own.
 * A directory whose run is alive (another run on this host right now) is left alone.
 */
export function removeDeadRunDirs(work: string): void {
  for (const name of readdirSync(work)) {
    const dir = join(work, name);
    try {
      const ownerFile = join(dir, OWNER_FILE);
      const gone = existsSync(ownerFile)
        ? ownerIsGone(JSON.parse(readFileSync(ownerFile, 'utf8')) as RunOwner)
        : Date.now() - statSync(dir).mtimeMs > UNOWNED_DIR_AGE_MS;
      if (gone) rmSync(dir, { recursive: true, force: true });
    } catch {
      // Half-written or vanished meanwhile: the next run looks again.
    }
  }
}

/** Whether a PEM file has a `-----BEGIN … <block>-----` line (any key label for PRIVATE KEY). */
function pemHolds(file: string, block: string): boolean {
  try {
    return new RegExp(`-----BEGIN [A-Z0-9 ]*${block}-----`).test(readFileSync(file, 'latin1'));
  } catch {
    return false;
  }
}

/** A remote aggregate at `url` with the configured identity; files must exist (a one-line error names the missing one). */
export function remoteTarget(config: ResolvedConfig, url: string): TargetSpec {
  const id = config.identity;
  for (const [flag, file] of [['--cert', id.cert], ['--key', id.key], ['--user-cred', id.userCredential], ...(id.ca ?? []).map((f) => ['--ca', f]), ...(id.sliceCredentials ?? []).map((f) => ['--slice-cred', f])] as Array<[string, string | undefined]>) {
    if (file !== undefined && !existsSync(file)) throw new ConfigError(`${flag} ${file} does not exist`);
  }
  for (const file of id.ca ?? []) readCaBundle(file); // a CA file without a certificate fails here, in one line
  // So does a certificate or key file of the wrong kind, not later as a TLS failure at every case.
  for (const [flag, file, block] of [['--cert', id.cert, 'CERTIFICATE'], ['--key', id.key, 'PRIVATE KEY']] as Array<[string, string | undefined, string]>) {
    if (file !== undefined && !pemHolds(file, block)) throw new ConfigError(`${flag} ${file} is not a PEM file with a ${block} block`);
  }

  return {
    name: url, url,
    certPath: id.cert, keyPath: id.key, caPaths: id.ca, insecure: id.insecure,
    authorityDir: id.authorityDir, userCredentialPath: id.userCredential, sliceCredentialPaths: id.sliceCredentials,
    ...(id.sliceAuthority !== undefined && { sliceAuthority: id.sliceAuthority }),
    endpoints: config.endpoints,
    dynslice: config.dynslice,
  };
}

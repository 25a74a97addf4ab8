import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { initAuthority } from '../credentials';
import { personalityNamed, startReferenceAm, type ReferenceAm, type ReferenceAmOptions } from '../reference-am';
import { SM_FAULTS } from '../reference-sm';
import type { TargetSpec } from '../runner/session';
import { SM_ENDPOINT, SM_PEERS_ENDPOINT } from '../runner/sm-suite';
import { startSmTestbed, type SmTestbed } from './sm-testbed';

export interface EmbeddedTarget {
  spec: TargetSpec;
  am: ReferenceAm;
  /** The reference slice manager and its peers, when asked for (suite sm). */
  sm?: SmTestbed;
  /** Directory holding the run's throwaway authority (CA, SA) and the AM's CA bundle. */
  dir: string;
  close(): Promise<void>;
}

/**
 * Starts the embedded reference AM on 127.0.0.1 with a throwaway test authority, and describes it as a target
 * like any other: the harness then reaches it over real HTTPS with client certificates.
 */
export async function startEmbeddedTarget(options: {
  faults?: string[];
  baseDir?: string;
  /**
   * A persistent test authority (the CLI uses .geni-harness/authority): credentials in replay files then stay
   * valid for the next embedded AM. Without it the authority is throwaway, like the AM.
   */
  authorityDir?: string;
  am?: Partial<Omit<ReferenceAmOptions, 'authority' | 'faults'>>;
  /**
   * Also start the reference slice manager in front of `peers` peer aggregates (suite sm), with the SM faults
   * among `faults`. Its per-aggregate deadline grows with the peers (all of them share this process's CPU).
   */
  sm?: { peers: number };
} = {}): Promise<EmbeddedTarget> {
  const base = options.baseDir ?? tmpdir();
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, 'geni-harness-embedded-'));
  const authorityDir = options.authorityDir ?? join(dir, 'authority');
  const { authority } = initAuthority(authorityDir);
  const smFaultNames = new Set(SM_FAULTS.map((f) => f.name));
  const amFaults = (options.faults ?? []).filter((f) => !smFaultNames.has(f));
  const smFaults = (options.faults ?? []).filter((f) => smFaultNames.has(f));
  // The embedded AM offers the draft UpdateSliver unless told otherwise, so the default run exercises it.
  const updateSliver = personalityNamed(options.am?.personality).settings.updateSliver ?? true;
  const am = await startReferenceAm({ updateSliver, ...options.am, authority, faults: amFaults });
  let sm: SmTestbed | undefined;
  try {
    sm = options.sm
      ? await startSmTestbed({ authority, peers: options.sm.peers, smFaults, control: true, peerTimeoutMs: 3000 + 100 * options.sm.peers })
      : undefined;
  } catch (err) {
    await am.close();
    throw err;
  }
  const caPath = join(dir, 'ca-bundle.pem');
  writeFileSync(caPath, authority.trustedRootsPem.join('\n'));
  const instance = randomUUID();
  const spec: TargetSpec = {
    name: 'reference',
    // The highest version the personality speaks: its GetVersion names the others.
    url: am.url,
    caPaths: [caPath],
    authorityDir,
    faults: [...am.faults, ...(sm?.sm?.faults ?? [])],
    personality: am.personality,
    embeddedInstance: instance,
    amUrn: am.urn,
    ...(sm?.sm && sm.controlUrl && { endpoints: { [SM_ENDPOINT]: sm.sm.url, [SM_PEERS_ENDPOINT]: sm.controlUrl } }),
  };
  return {
    spec, am, dir, ...(sm && { sm }),
    async close() {
      await sm?.close();
      await am.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

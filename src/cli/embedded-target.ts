import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { initAuthority, mintEndpointIdentity } from '../credentials';
import { personalityNamed, startReferenceAm, type ReferenceAm, type ReferenceAmOptions } from '../reference-am';
import { startReferenceClientEndpoint, type ReferenceClientEndpoint } from '../reference-dynslice-client';
import type { TargetSpec } from '../runner/session';
import { SM_ENDPOINT, SM_PEERS_ENDPOINT } from '../runner/sm-suite';
import { splitReferenceFaults } from './reference-faults';
import { startSmTestbed, type SmTestbed } from './sm-testbed';

/**
 * The embedded dynslice server counts down every 0.2 s (the spec's default is a minute), so a countdown case takes
 * about a second; maxwaittime stays small for the same reason.
 */
export const EMBEDDED_DYNSLICE = { tickSeconds: 0.2, maxWaitSeconds: 10 } as const;

export interface EmbeddedTarget {
  spec: TargetSpec;
  am: ReferenceAm;
  /** The reference slice manager and its peers, when asked for (suite sm). */
  sm?: SmTestbed;
  /** The reference dynslice client endpoint (suite dynslice-client). */
  clientEndpoint: ReferenceClientEndpoint;
  /** Directory holding the run's throwaway authority (CA, SA) and the AM's CA bundle. */
  dir: string;
  close(): Promise<void>;
}

/**
 * Starts the embedded reference AM (with its dynslice server) and a reference dynslice client endpoint on
 * 127.0.0.1 with a throwaway test authority, and describes them as a target like any other: the harness then
 * reaches them over real HTTPS with client certificates. `faults` may name faults of either peer.
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
  const faults = splitReferenceFaults(options.faults ?? []);
  // The embedded AM offers the draft UpdateSliver unless told otherwise, so the default run exercises it.
  const personality = personalityNamed(options.am?.personality);
  const updateSliver = personality.settings.updateSliver ?? true;
  const am = await startReferenceAm({
    updateSliver, ...options.am, dynslice: { ...EMBEDDED_DYNSLICE, ...options.am?.dynslice }, authority, faults: faults.am,
  });
  let sm: SmTestbed | undefined;
  let clientEndpoint: ReferenceClientEndpoint;
  try {
    sm = options.sm
      ? await startSmTestbed({ authority, peers: options.sm.peers, smFaults: faults.sm, control: true, peerTimeoutMs: 3000 + 100 * options.sm.peers })
      : undefined;
    const clientIdentity = mintEndpointIdentity(authority, { hosts: ['127.0.0.1'], service: 'dynslice-client' });
    clientEndpoint = await startReferenceClientEndpoint({ tls: { ...clientIdentity, caPem: authority.trustedRootsPem }, faults: faults.clientEndpoint });
  } catch (err) {
    await sm?.close();
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
    faults: [...am.faults, ...(sm?.sm?.faults ?? []), ...clientEndpoint.faults],
    personality: am.personality,
    embeddedInstance: instance,
    amUrn: am.urn,
    endpoints: {
      // An aggregate without a dynslice server (the gcf personality) offers no dynslice suite.
      ...(personality.settings.dynslice !== false && { dynslice: am.dynsliceUrl }), 'dynslice-client': clientEndpoint.url,
      ...(sm?.sm && sm.controlUrl && { [SM_ENDPOINT]: sm.sm.url, [SM_PEERS_ENDPOINT]: sm.controlUrl }),
    },
  };
  return {
    spec, am, clientEndpoint, dir, ...(sm && { sm }),
    async close() {
      await sm?.close();
      await clientEndpoint.close();
      await am.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

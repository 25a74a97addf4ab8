import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { initAuthority } from '../credentials';
import { startReferenceAm, type ReferenceAm, type ReferenceAmOptions } from '../reference-am';
import type { TargetSpec } from '../runner/session';

export interface EmbeddedTarget {
  spec: TargetSpec;
  am: ReferenceAm;
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
} = {}): Promise<EmbeddedTarget> {
  const base = options.baseDir ?? tmpdir();
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, 'geni-harness-embedded-'));
  const authorityDir = options.authorityDir ?? join(dir, 'authority');
  const { authority } = initAuthority(authorityDir);
  // The embedded AM offers the draft UpdateSliver unless told otherwise, so the default run exercises it.
  const am = await startReferenceAm({ updateSliver: true, ...options.am, authority, faults: options.faults ?? [] });
  const caPath = join(dir, 'ca-bundle.pem');
  writeFileSync(caPath, authority.trustedRootsPem.join('\n'));
  const instance = randomUUID();
  const spec: TargetSpec = {
    name: 'reference',
    url: am.urls['3']!,
    caPaths: [caPath],
    authorityDir,
    faults: am.faults,
    embeddedInstance: instance,
    amUrn: am.urn,
  };
  return {
    spec, am, dir,
    async close() {
      await am.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

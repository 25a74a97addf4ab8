/**
 * The harness configuration (harness.config.ts at the project root, or --config FILE). Every field has a
 * command-line flag that overrides it; defaults are chosen so `geni-harness run` works on a fresh machine.
 */
export interface HarnessConfig {
  /** 'reference' (the embedded reference AM, the default) or the https URL of an aggregate. */
  target?: string;
  /** Client certificate and key (PEM) for a remote aggregate, as omni users have them. */
  cert?: string;
  key?: string;
  /** CA bundle(s) the aggregate's server certificate must chain to. */
  ca?: string[];
  /** The user credential as omni saves it. */
  userCredential?: string;
  /** Credentials of existing slices, for runs without an authority that can make slices. */
  sliceCredentials?: string[];
  /** A test authority (geni-harness authority init) that the remote aggregate trusts. */
  authorityDir?: string;
  /** Switch off TLS server verification; every report then says so. */
  insecure?: boolean;
  reportsDir?: string;
  /** SHOULD-level cases and preferred error codes become failures. */
  strict?: boolean;
  seed?: number;
  cases?: string[];
  tags?: string[];
  /** Upper bound on every XML-RPC call. */
  callTimeoutMs?: number;
  /** Upper bound on a whole case (all its calls and cleanup). */
  caseTimeoutMs?: number;
  /** Responses larger than this end the call (memory stays bounded whatever the aggregate sends). */
  maxResponseBytes?: number;
  /** The cleanup ledger (slices the harness may have left at aggregates). */
  ledgerPath?: string;
  /** Generated inputs per property case (default 20); `--fuzz-runs`. */
  fuzzRuns?: number;
  /** Time budget per property case, in seconds; `--fuzz-time`. */
  fuzzTimeSeconds?: number;
  /** Where failing properties write replay files (they hold credentials: never under reports/). */
  replayDir?: string;
  /** Settings of the embedded reference AM. */
  reference?: { allocate?: 'geni_single' | 'geni_disjoint' | 'geni_many'; singleAllocation?: boolean; updateSliver?: boolean };
}

export type ResolvedConfig = HarnessConfig &
  Required<Pick<HarnessConfig, 'target' | 'reportsDir' | 'strict' | 'callTimeoutMs' | 'caseTimeoutMs' | 'maxResponseBytes' | 'ledgerPath'>>;

export const DEFAULT_CONFIG: ResolvedConfig = {
  target: 'reference',
  reportsDir: 'reports',
  strict: false,
  callTimeoutMs: 60_000,
  caseTimeoutMs: 300_000,
  maxResponseBytes: 64 * 1024 * 1024,
  ledgerPath: '.geni-harness/ledger.json',
};

export function defineConfig(config: HarnessConfig): HarnessConfig {
  return config;
}

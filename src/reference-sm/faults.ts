import { ConfigError } from '../core';

/** One deliberate deviation of the reference slice manager, modelled on real SFA slice-manager behaviour. */
export interface SmFaultDefinition {
  name: string;
  /** What the slice manager does wrong, as an operator would put it. */
  description: string;
}

/*
 * Most come from the SFA slice manager's move from AM API v2 to v3 (seed 000) and the v2 code it replaced:
 * Renew AND-ing values and keeping the last non-zero code, tracebacks written into <statistics>, Status and
 * Describe skipping the loop check, call_id dropped for aggregates whose version string looked old, the cache
 * consulted whatever `cached` said, plain-http geni_api_versions, ad/request RSpec versions dropped from GetVersion,
 * PerformOperationalAction returning 1.
 */
const DEFINITIONS = [
  { name: 'renew-value-boolean', description: 'Renew returns the AND of the aggregates\' values (a boolean) instead of the merged geni_slivers list' },
  { name: 'renew-last-nonzero-code', description: 'The combined Renew geni_code is the last non-zero code in the order the aggregates happened to answer, so it changes with timing' },
  { name: 'renew-ignores-peer-failure', description: 'Renew drops the results of aggregates that failed and reports success for the others' },
  { name: 'statistics-stack-trace', description: 'A failed aggregate\'s <statistics> entry carries the stack trace (<exc_info> with <tb_frame> elements)' },
  { name: 'statistics-omit-failed-peer', description: 'An aggregate that failed is left out of <statistics>: its failure is swallowed without a trace' },
  { name: 'repeated-call-id-allocates-again', description: 'Allocate does not check call_id, so a repeated call allocates again at every aggregate' },
  { name: 'call-id-not-forwarded', description: 'call_id is removed from the options forwarded to aggregates (as the v2 code did for aggregates it thought too old)' },
  { name: 'cache-shared-across-versions', description: 'The advertisement cache is keyed without the RSpec version: a ProtoGENI v2 request can get the cached GENI v3 document' },
  { name: 'cache-ignores-cached-false', description: 'ListResources answers from the cache even when the caller sends cached: false' },
  { name: 'status-describe-loop-back', description: 'Status and Describe skip the loop check and forward a peered slice manager\'s call back to its own aggregate' },
  { name: 'forwards-back-to-caller', description: 'No loop avoidance at all: a peered slice manager\'s call is forwarded back to its own aggregate' },
  { name: 'forwards-caller-credentials', description: 'The caller\'s own credentials are forwarded to the aggregates instead of the one delegated to the slice manager' },
  { name: 'no-peer-deadline', description: 'No per-aggregate deadline: one aggregate that never answers holds the whole call until the transport gives up' },
  { name: 'merge-keeps-last-slivers', description: 'Merging keeps the geni_slivers of the last aggregate to answer instead of concatenating them all' },
  { name: 'sequential-fan-out', description: 'Aggregates are called one after another instead of in parallel' },
  { name: 'transport-failure-code-minus-one', description: 'An aggregate that gives no usable answer counts as geni_code -1, which is no GENI code, and that is what Renew reports' },
  { name: 'getversion-plain-http-api-versions', description: 'GetVersion lists its own URL in geni_api_versions as http:// although it only speaks HTTPS' },
  { name: 'getversion-omits-rspec-versions', description: 'GetVersion leaves out geni_ad_rspec_versions and geni_request_rspec_versions' },
  { name: 'poa-returns-one', description: 'PerformOperationalAction returns the integer 1 instead of the merged sliver list' },
] as const satisfies readonly SmFaultDefinition[];

export type SmFaultName = (typeof DEFINITIONS)[number]['name'];

export const SM_FAULTS: readonly SmFaultDefinition[] = Object.freeze(DEFINITIONS.map((d) => Object.freeze({ ...d })));

export class SmFaultSet {
  private readonly enabled: ReadonlySet<string>;

  constructor(names: readonly string[] = []) {
    const known = new Set(SM_FAULTS.map((f) => f.name));
    const unknown = names.filter((n) => !known.has(n));
    if (unknown.length > 0) {
      throw new ConfigError(`unknown reference SM fault${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => JSON.stringify(n)).join(', ')}; valid names are: ${[...known].join(', ')}`);
    }
    this.enabled = new Set(names);
  }

  has(name: SmFaultName): boolean {
    return this.enabled.has(name);
  }

  get names(): string[] {
    return [...this.enabled];
  }
}

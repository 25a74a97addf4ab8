import { randomUUID } from 'node:crypto';
import { errorMessage } from '../core';
import type { ParsedCredential, VerificationCache } from '../credentials';
import { GENI_CODES } from '../geni/error-codes';
import { urnToHrn } from '../geni/hrn';
import { parseUrn } from '../geni/urn';
import { encodeCompressedRSpec, readRequest } from '../rspec';
import { isStruct, type XmlRpcValue } from '../xmlrpc';
import type { AdvertisementCache } from './ad-cache';
import type { AggregateEntry } from './aggregates-config';
import type { CallIds } from './call-ids';
import { SmError, checkCaller, delegatedToUs, type SmOperation } from './caller-credentials';
import { fanOut, type FanOutOptions, type PeerResult } from './fan-out';
import type { SmFaultSet } from './faults';
import { MergedRSpec, UnreadableRSpec, type MergedKind, type StatisticsEntry } from './rspec-merge';
import type { HttpsTransport } from '../transport';

/**
 * The slice manager's AM API v3 methods. Each one checks the caller, answers a repeated call_id with SFA's empty
 * value, picks the aggregates (never back to a peered slice manager that is calling), forwards the credential the
 * caller delegated to us, calls every aggregate at once with a deadline each, and combines what came back.
 */

export interface SmEnv {
  /** Our GID: the client certificate we present to aggregates, and whom callers delegate to. */
  gid: { certPem: string; keyPem: string; urn: string };
  hrn: string;
  /** What we forward when a caller delegated nothing to us. */
  ownCredentialXml: string;
  aggregates: AggregateEntry[];
  transport: HttpsTransport;
  faults: SmFaultSet;
  /** Per-aggregate deadline. */
  deadlineMs: number;
  maxResponseBytes: number;
  callIds: CallIds;
  cache: AdvertisementCache;
  verified: VerificationCache;
  trustedRootsPem: string[];
  /** Our own URL per API version (GetVersion's geni_api_versions). */
  urls: Record<string, string>;
  codeVersion: string;
}

export interface SmCall {
  clientCertPem?: string;
  now: Date;
}

type Options = Record<string, XmlRpcValue>;

/** What a method produced: the v3 return struct's value, code and output. */
interface SmAnswer {
  code: number;
  value: XmlRpcValue;
  output: string;
}

const GENI3 = { type: 'GENI', version: '3' };
const AD_VERSIONS = [
  { type: 'GENI', version: '3', schema: 'http://www.geni.net/resources/rspec/3/ad.xsd', namespace: 'http://www.geni.net/resources/rspec/3', extensions: [] },
  { type: 'ProtoGENI', version: '2', schema: 'http://www.protogeni.net/resources/rspec/2/ad.xsd', namespace: 'http://www.protogeni.net/resources/rspec/2', extensions: [] },
];
const REQUEST_VERSIONS = [AD_VERSIONS[0]!].map((v) => ({ ...v, schema: 'http://www.geni.net/resources/rspec/3/request.xsd' }));

/**
 * SFA's empty answers for a call_id already handled (seed 000): '' for ListResources, Allocate, Provision and
 * Delete, true for Renew, {} for Status and Describe.
 */
export const REPEATED_CALL_VALUES: Record<string, XmlRpcValue> = {
  ListResources: '', Allocate: '', Provision: '', Delete: '', Renew: true, Status: {}, Describe: {},
};

const LONG_WAIT_MS = 10 * 60 * 1000;

export class SliceManager {
  constructor(private readonly env: SmEnv) {}

  GetVersion(): SmAnswer {
    const { env } = this;
    const ownUrl = env.urls['3'] ?? '';
    const peers: Record<string, XmlRpcValue> = {};
    for (const a of env.aggregates) if (a.hrn !== env.hrn) peers[a.hrn] = a.url;
    const value: Record<string, XmlRpcValue> = {
      geni_api: 3,
      geni_api_versions: { '3': env.faults.has('getversion-plain-http-api-versions') ? ownUrl.replace(/^https:/, 'http:') : ownUrl },
      interface: 'slicemgr',
      sfa: 2,
      hrn: env.hrn,
      urn: env.gid.urn,
      peers,
      geni_single_allocation: false,
      geni_allocate: 'geni_many',
      geni_credential_types: [{ geni_type: 'geni_sfa', geni_version: '2' }, { geni_type: 'geni_sfa', geni_version: '3' }],
      geni_am_type: 'geni-harness-reference-sm',
      geni_am_code: env.codeVersion,
      // Not in the AM API: who to delegate to, and how long we wait for each aggregate.
      gid: env.gid.certPem,
      peer_timeout: env.deadlineMs / 1000,
    };
    if (!env.faults.has('getversion-omits-rspec-versions')) {
      value.geni_request_rspec_versions = REQUEST_VERSIONS;
      value.geni_ad_rspec_versions = AD_VERSIONS;
    }
    return { code: 0, value, output: '' };
  }

  async ListResources(credentials: XmlRpcValue, options: Options, call: SmCall): Promise<SmAnswer> {
    const caller = this.caller(credentials, 'list', undefined, call);
    const version = requestedAdVersion(options);
    if (this.repeated(options)) return repeatedAnswer('ListResources');
    const compressed = options.geni_compressed === true;
    const available = options.geni_available === true;
    const cacheKey = this.env.faults.has('cache-shared-across-versions') ? `rspec/${available}` : `rspec/${version.format}/${available}`;
    const useCache = options.cached !== false || this.env.faults.has('cache-ignores-cached-false');
    const cached = useCache ? this.env.cache.get(cacheKey) : undefined;
    if (cached !== undefined) return { code: 0, value: compressed ? encodeCompressedRSpec(cached) : cached, output: '' };

    const targets = this.targets(caller, 'ListResources');
    const forwarded = this.forwardOptions(options, { geni_rspec_version: GENI3 });
    // We compress the merged document ourselves (SFA deletes geni_compressed before forwarding, too).
    delete forwarded.geni_compressed;
    const creds = this.forwardCredentials(credentials);
    const rspecOf = (v: XmlRpcValue) => (typeof v === 'string' ? v : undefined);
    const rspec = new MergedRSpec('advertisement', new Date());
    // Each advertisement is read as it arrives, while the slower aggregates are still being waited for.
    const results = await this.fanOut(targets.selected, 'ListResources', [creds, forwarded], (index, outcome) => {
      const xml = outcome.code === 0 ? rspecOf(outcome.value) : undefined;
      if (xml !== undefined) rspec.prepare(index, xml);
    });
    const merged = this.merge('advertisement', 'ListResources', results, rspecOf, rspec);
    const xml = merged.rspec.toXml(version.format);
    if (merged.failures.length === 0 && targets.skipped.length === 0) this.env.cache.put(cacheKey, xml);
    if (merged.successes === 0 && results.length > 0) return this.failure(merged.failures, xml);
    return { code: 0, value: compressed ? encodeCompressedRSpec(xml) : xml, output: describeFailures(merged.failures) };
  }

  async Allocate(sliceUrn: string, credentials: XmlRpcValue, rspec: string, options: Options, call: SmCall): Promise<SmAnswer> {
    const caller = this.caller(credentials, 'change', sliceUrn, call);
    if (!this.env.faults.has('repeated-call-id-allocates-again') && this.repeated(options)) return repeatedAnswer('Allocate');
    const named = this.aggregatesNamedIn(rspec);
    const targets = this.targets(caller, 'Allocate', named.length > 0 ? named : undefined);
    const creds = this.forwardCredentials(credentials, sliceUrn);
    const forwarded = this.forwardOptions(options);
    const results = await this.fanOut(targets.selected, 'Allocate', [sliceUrn, creds, rspec, forwarded]);
    return this.manifestAnswer('Allocate', sliceUrn, results);
  }

  async Provision(urns: XmlRpcValue, credentials: XmlRpcValue, options: Options, call: SmCall): Promise<SmAnswer> {
    return this.manifestCall('Provision', urns, credentials, options, call, 'change');
  }

  async Describe(urns: XmlRpcValue, credentials: XmlRpcValue, options: Options, call: SmCall): Promise<SmAnswer> {
    return this.manifestCall('Describe', urns, credentials, options, call, 'look');
  }

  /**
   * Provision and Describe: geni_rspec_version is required (AM API v3) and must be one we write; manifests are merged
   * as GENI v3, so that is what every aggregate is asked for, uncompressed; the merged manifest is compressed here
   * when the caller asked for it.
   */
  private manifestCall(method: 'Provision' | 'Describe', urns: XmlRpcValue, credentials: XmlRpcValue, options: Options, call: SmCall, operation: SmOperation): Promise<SmAnswer> {
    const version = requestedAdVersion(options, method);
    const compressed = options.geni_compressed === true;
    const forward = (u: string[], c: XmlRpcValue[], o: Options): XmlRpcValue[] => {
      const { geni_compressed: _compressed, ...rest } = o;
      return [u, c, { ...rest, geni_rspec_version: GENI3 }];
    };
    return this.sliverCall(method, urns, credentials, options, call, operation, forward, (s, r) => {
      const answer = this.manifestAnswer(method, s, r, version.format);
      if (!compressed || answer.code !== 0 || !isStruct(answer.value) || typeof answer.value.geni_rspec !== 'string') return answer;
      return { ...answer, value: { ...answer.value, geni_rspec: encodeCompressedRSpec(answer.value.geni_rspec) } };
    });
  }

  async Status(urns: XmlRpcValue, credentials: XmlRpcValue, options: Options, call: SmCall): Promise<SmAnswer> {
    return this.sliverCall('Status', urns, credentials, options, call, 'look', (u, c, o) => [u, c, o], (sliceUrn, results) => {
      const combined = this.combineLists(results, (value) => (isStruct(value) ? value.geni_slivers : undefined));
      if (combined.answered === 0) return this.nothingAnswered(combined.failures);
      return { code: 0, value: { geni_urn: sliceUrn ?? '', geni_slivers: combined.slivers }, output: describeFailures(combined.failures) };
    });
  }

  async Renew(urns: XmlRpcValue, credentials: XmlRpcValue, expiration: XmlRpcValue, options: Options, call: SmCall): Promise<SmAnswer> {
    return this.sliverCall('Renew', urns, credentials, options, call, 'change', (u, c, o) => [u, c, expiration, o], (_, results) => this.renewAnswer(results));
  }

  async PerformOperationalAction(urns: XmlRpcValue, credentials: XmlRpcValue, action: XmlRpcValue, options: Options, call: SmCall): Promise<SmAnswer> {
    return this.sliverCall('PerformOperationalAction', urns, credentials, options, call, 'change', (u, c, o) => [u, c, action, o], (_, results) => {
      const answer = this.allOrError(results);
      return this.env.faults.has('poa-returns-one') && answer.code === 0 ? { ...answer, value: 1 } : answer;
    });
  }

  async Delete(urns: XmlRpcValue, credentials: XmlRpcValue, options: Options, call: SmCall): Promise<SmAnswer> {
    return this.sliverCall('Delete', urns, credentials, options, call, 'change', (u, c, o) => [u, c, o], (_, results) => this.allOrError(results));
  }

  async Shutdown(sliceUrn: string, credentials: XmlRpcValue, options: Options, call: SmCall): Promise<SmAnswer> {
    const caller = this.caller(credentials, 'change', sliceUrn, call);
    const targets = this.targets(caller, 'Shutdown');
    const creds = this.forwardCredentials(credentials, sliceUrn);
    const results = await this.fanOut(targets.selected, 'Shutdown', [sliceUrn, creds, this.forwardOptions(options)]);
    // An aggregate that holds nothing of the slice (SEARCHFAILED) has nothing to shut down: no failure, unless none holds any.
    const failures = results.flatMap((r) => peerFailure(r, true));
    if (failures.length > 0) return this.failure(failures, false);
    if (results.length > 0 && results.every((r) => r.outcome.status === 'answered' && r.outcome.code === GENI_CODES.SEARCHFAILED)) return this.nothingAnswered([]);
    return { code: 0, value: true, output: '' };
  }

  // ── the shared steps ──────────────────────────────────────────────────────────────────────────────────────────

  private caller(credentials: XmlRpcValue, operation: SmOperation, sliceUrn: string | undefined, call: SmCall): ParsedCredential {
    return checkCaller({ credentials, clientCertPem: call.clientCertPem, operation, sliceUrn, trustedRootsPem: this.env.trustedRootsPem, now: call.now, cache: this.env.verified });
  }

  private repeated(options: Options): boolean {
    return this.env.callIds.alreadyHandled(options.call_id);
  }

  /**
   * Every aggregate, except the one a peered slice manager calling us speaks for (SFA: skip when the caller's hrn
   * is the aggregate's and it is not our own), and, when `only` is given, except those it leaves out.
   */
  private targets(caller: ParsedCredential, method: string, only?: AggregateEntry[]): { selected: Array<{ aggregate: AggregateEntry; index: number }>; skipped: AggregateEntry[] } {
    const callerHrn = urnToHrn(caller.ownerUrn);
    const loopCheck = !this.env.faults.has('forwards-back-to-caller') && !((method === 'Status' || method === 'Describe') && this.env.faults.has('status-describe-loop-back'));
    const selected: Array<{ aggregate: AggregateEntry; index: number }> = [];
    const skipped: AggregateEntry[] = [];
    this.env.aggregates.forEach((aggregate, index) => {
      if (only && !only.includes(aggregate)) return;
      if (loopCheck && aggregate.hrn === callerHrn && aggregate.hrn !== this.env.hrn) skipped.push(aggregate);
      else selected.push({ aggregate, index });
    });
    return { selected, skipped };
  }

  /** The caller's options, call_id included (one is made up when the caller sent none, so peered SMs can break loops). */
  private forwardOptions(options: Options, overrides: Options = {}): Options {
    const forwarded: Options = { ...options, ...overrides };
    if (this.env.faults.has('call-id-not-forwarded')) delete forwarded.call_id;
    else if (typeof forwarded.call_id !== 'string' || forwarded.call_id === '') forwarded.call_id = randomUUID();
    return forwarded;
  }

  /** What the aggregates get: the credential the caller delegated to us, else our own. */
  private forwardCredentials(credentials: XmlRpcValue, sliceUrn?: string): XmlRpcValue[] {
    if (this.env.faults.has('forwards-caller-credentials')) return Array.isArray(credentials) ? credentials : [];
    const xml = delegatedToUs(credentials, this.env.gid.certPem, sliceUrn) ?? this.env.ownCredentialXml;
    return [{ geni_type: 'geni_sfa', geni_version: '3', geni_value: xml }];
  }

  private fanOut(
    targets: Array<{ aggregate: AggregateEntry; index: number }>, method: string, params: XmlRpcValue[] | ((a: AggregateEntry) => XmlRpcValue[]),
    onAnswer?: FanOutOptions['onAnswer'],
  ): Promise<PeerResult[]> {
    return fanOut(targets, method, params, {
      onAnswer,
      transport: this.env.transport,
      deadlineMs: this.env.faults.has('no-peer-deadline') ? LONG_WAIT_MS : this.env.deadlineMs,
      maxResponseBytes: this.env.maxResponseBytes,
      sequential: this.env.faults.has('sequential-fan-out'),
    });
  }

  /** The aggregates whose URN a request RSpec names as component_manager_id. */
  private aggregatesNamedIn(rspec: string): AggregateEntry[] {
    let managers: string[];
    try {
      const request = readRequest(rspec);
      managers = [...request.nodes.map((n) => n.componentManagerId), ...request.links.flatMap((l) => l.componentManagerIds ?? [])].filter((m): m is string => !!m);
    } catch (err) {
      throw new SmError(GENI_CODES.BADARGS, `the request RSpec cannot be read: ${errorMessage(err)}`);
    }
    const wanted = new Set(managers.map((m) => m.toLowerCase()));
    return this.env.aggregates.filter((a) => a.urn !== undefined && wanted.has(a.urn.toLowerCase()));
  }

  /**
   * Methods on slivers: the slice URN goes to every aggregate, each sliver URN only to the aggregate whose
   * authority made it (an aggregate only knows its own slivers).
   */
  private async sliverCall(
    method: string, urns: XmlRpcValue, credentials: XmlRpcValue, options: Options, call: SmCall, operation: SmOperation,
    params: (urns: string[], creds: XmlRpcValue[], options: Options) => XmlRpcValue[],
    combine: (sliceUrn: string | undefined, results: PeerResult[]) => SmAnswer,
  ): Promise<SmAnswer> {
    if (!Array.isArray(urns) || urns.length === 0 || !urns.every((u): u is string => typeof u === 'string')) {
      throw new SmError(GENI_CODES.BADARGS, `${method}: urns must be a non-empty array of slice or sliver URN strings`);
    }
    const sliceUrn = urns.find((u) => parseUrn(u)?.type.toLowerCase() === 'slice');
    const caller = this.caller(credentials, operation, sliceUrn, call);
    if (method in REPEATED_CALL_VALUES && this.repeated(options)) return repeatedAnswer(method);
    const routed = this.route(urns);
    const targets = this.targets(caller, method, [...routed.keys()]);
    const creds = this.forwardCredentials(credentials, sliceUrn);
    const forwarded = this.forwardOptions(options);
    const results = await this.fanOut(targets.selected, method, (a) => params(routed.get(a) ?? [], creds, forwarded));
    // SEARCHFAILED means "nothing of this slice here" only for an aggregate asked about the slice; one asked about
    // sliver URNs of its own that it does not know failed to find them.
    return combine(sliceUrn, sliceUrn === undefined ? results.map(searchFailedAsFailure) : results);
  }

  private route(urns: string[]): Map<AggregateEntry, string[]> {
    const routed = new Map<AggregateEntry, string[]>();
    const add = (a: AggregateEntry, urn: string) => routed.set(a, [...(routed.get(a) ?? []), urn]);
    for (const urn of urns) {
      const parsed = parseUrn(urn);
      if (parsed?.type.toLowerCase() === 'slice') {
        for (const a of this.env.aggregates) add(a, urn);
        continue;
      }
      const owner = this.env.aggregates.find((a) => a.urn !== undefined && parseUrn(a.urn)?.authority.toLowerCase() === parsed?.authority.toLowerCase());
      if (!owner) throw new SmError(GENI_CODES.SEARCHFAILED, `${urn} belongs to no aggregate this slice manager knows`);
      add(owner, urn);
    }
    return routed;
  }

  /** Allocate, Provision, Describe: one manifest merged from all, geni_slivers concatenated, statistics per aggregate. */
  private manifestAnswer(method: string, sliceUrn: string | undefined, results: PeerResult[], format: 'geni3' | 'pgv2' = 'geni3'): SmAnswer {
    const merged = this.merge('manifest', method, results, (value) => (isStruct(value) && typeof value.geni_rspec === 'string' ? value.geni_rspec : undefined));
    const lists = this.combineLists(results, (value) => (isStruct(value) ? value.geni_slivers : undefined));
    const manifest = merged.rspec.toXml(format);
    const failures = [...merged.failures, ...lists.failures.filter((f) => !merged.failures.some((m) => m.aggregate === f.aggregate))];
    if (merged.successes === 0 && failures.length > 0) return this.failure(failures, '');
    return { code: 0, value: { geni_rspec: manifest, geni_slivers: lists.slivers, ...(sliceUrn !== undefined && { geni_urn: sliceUrn }) }, output: describeFailures(failures) };
  }

  /** Renew: the merged sliver list when every aggregate renewed; otherwise a well-defined failure. */
  private renewAnswer(results: PeerResult[]): SmAnswer {
    const { faults } = this.env;
    if (faults.has('renew-value-boolean') || faults.has('renew-last-nonzero-code') || faults.has('transport-failure-code-minus-one')) {
      return this.sfaRenew(results);
    }
    const combined = this.combineLists(results, (value) => value);
    const failures = faults.has('renew-ignores-peer-failure') ? [] : combined.failures;
    if (failures.length > 0) return this.failure(failures, combined.slivers);
    if (combined.answered === 0) return this.nothingAnswered([]);
    return { code: 0, value: combined.slivers, output: '' };
  }

  /**
   * The SFA combination (seed 000), as far as the switched-on faults reach: values AND-ed (renew-value-boolean),
   * the last non-zero code in the order of answers (renew-last-nonzero-code), -1 for an aggregate that gave no
   * usable answer (transport-failure-code-minus-one). Without those, the well-defined rule applies.
   */
  private sfaRenew(results: PeerResult[]): SmAnswer {
    const { faults } = this.env;
    const codeOf = (r: PeerResult): number => {
      const o = r.outcome;
      if (o.status === 'failed') return faults.has('transport-failure-code-minus-one') ? -1 : o.failure.geniCode;
      return o.code === GENI_CODES.SEARCHFAILED ? 0 : o.code;
    };
    const order = faults.has('renew-last-nonzero-code') ? [...results].sort((a, b) => b.completedAs - a.completedAs) : [...results].sort((a, b) => a.index - b.index);
    const code = order.map(codeOf).find((c) => c !== 0) ?? 0;
    const slivers: XmlRpcValue[] = [];
    for (const r of [...results].sort((a, b) => a.index - b.index)) {
      if (r.outcome.status === 'answered' && r.outcome.code === 0 && Array.isArray(r.outcome.value)) slivers.push(...r.outcome.value);
    }
    const allTrue = results.every((r) => codeOf(r) === 0);
    const outputs = results.map((r) => (r.outcome.status === 'failed' ? `${r.aggregate.hrn}: ${r.outcome.failure.message}` : r.outcome.output));
    return { code, value: faults.has('renew-value-boolean') ? allTrue : slivers, output: outputs.filter(Boolean).join(',') };
  }

  /** Delete, PerformOperationalAction: every aggregate must succeed; the lists are concatenated. */
  private allOrError(results: PeerResult[]): SmAnswer {
    const combined = this.combineLists(results, (value) => value);
    if (combined.failures.length > 0) return this.failure(combined.failures, combined.slivers);
    if (combined.answered === 0) return this.nothingAnswered([]);
    return { code: 0, value: combined.slivers, output: '' };
  }

  /** The sliver lists of the aggregates that answered (concatenated, or the last one under a fault) and who failed. */
  private combineLists(results: PeerResult[], listOf: (value: XmlRpcValue) => XmlRpcValue | undefined): { slivers: XmlRpcValue[]; failures: Failure[]; answered: number } {
    let slivers: XmlRpcValue[] = [];
    const failures: Failure[] = [];
    let answered = 0;
    const byCompletion = [...results].sort((a, b) => a.completedAs - b.completedAs);
    for (const r of byCompletion) {
      const problem = peerFailure(r, true);
      if (problem.length > 0) {
        failures.push(...problem);
        continue;
      }
      if (r.outcome.status !== 'answered' || r.outcome.code !== 0) continue; // nothing of this slice there
      const list = listOf(r.outcome.value);
      if (!Array.isArray(list)) {
        failures.push({ aggregate: r.aggregate, index: r.index, geniCode: GENI_CODES.RPCERROR, message: 'its answer holds no sliver list' });
        continue;
      }
      answered += 1;
      slivers = this.env.faults.has('merge-keeps-last-slivers') ? [...list] : [...slivers, ...list];
    }
    failures.sort((a, b) => a.index - b.index);
    return { slivers, failures, answered };
  }

  /** Merges each answering aggregate's RSpec; statistics name every aggregate called. */
  private merge(
    kind: MergedKind, call: string, results: PeerResult[], rspecOf: (value: XmlRpcValue) => string | undefined, rspec = new MergedRSpec(kind, new Date()),
  ): { rspec: MergedRSpec; failures: Failure[]; successes: number } {
    const failures: Failure[] = [];
    const statistics: StatisticsEntry[] = [];
    let successes = 0;
    for (const r of results) {
      const failure = peerFailure(r, true)[0];
      const outcome = r.outcome;
      let problem = failure;
      if (!problem && outcome.status === 'answered' && outcome.code === 0) {
        const xml = rspecOf(outcome.value);
        try {
          if (xml === undefined) throw new UnreadableRSpec('its answer holds no RSpec');
          rspec.add(xml, r.index);
          successes += 1;
        } catch (err) {
          problem = { aggregate: r.aggregate, index: r.index, geniCode: GENI_CODES.RPCERROR, message: errorMessage(err), stack: err instanceof Error ? err.stack : undefined };
        }
      }
      if (problem) failures.push(problem);
      if (problem && this.env.faults.has('statistics-omit-failed-peer')) continue;
      statistics.push({
        name: r.aggregate.hrn,
        elapsed: r.elapsed,
        status: problem ? 'exception' : 'success',
        ...(problem && { reason: `${problem.geniCode === GENI_CODES.TIMEDOUT ? 'TIMEDOUT' : `geni_code ${problem.geniCode}`}: ${problem.message}` }),
        ...(problem && this.env.faults.has('statistics-stack-trace') && { stack: problem.stack ?? new Error(problem.message).stack }),
      });
    }
    rspec.addStatistics(call, statistics);
    return { rspec, failures, successes };
  }

  /** The error answer: the geni_code of the first failing aggregate in configuration order, every failure in output. */
  private failure(failures: Failure[], value: XmlRpcValue): SmAnswer {
    const first = [...failures].sort((a, b) => a.index - b.index)[0]!;
    return { code: first.geniCode, value, output: describeFailures(failures) };
  }

  private nothingAnswered(failures: Failure[]): SmAnswer {
    if (failures.length > 0) return this.failure(failures, '');
    return { code: GENI_CODES.SEARCHFAILED, value: '', output: 'no aggregate knows these slivers' };
  }
}

interface Failure {
  aggregate: AggregateEntry;
  index: number;
  geniCode: number;
  message: string;
  stack?: string;
}

/**
 * The aggregate's failure, if it failed. With `searchFailedIsEmpty`, SEARCHFAILED means "nothing of this slice
 * here", which for a slice fanned out to every aggregate is no failure.
 */
function peerFailure(r: PeerResult, searchFailedIsEmpty: boolean): Failure[] {
  const o = r.outcome;
  if (o.status === 'failed') return [{ aggregate: r.aggregate, index: r.index, geniCode: o.failure.geniCode, message: o.failure.message, stack: o.failure.stack }];
  if (o.code === 0 || (searchFailedIsEmpty && o.code === GENI_CODES.SEARCHFAILED)) return [];
  return [{ aggregate: r.aggregate, index: r.index, geniCode: o.code, message: `geni_code ${o.code}${o.output ? `: ${o.output}` : ''}` }];
}

function describeFailures(failures: Failure[]): string {
  return failures.map((f) => `${f.aggregate.hrn}: ${f.message}`).join('; ');
}

function repeatedAnswer(method: string): SmAnswer {
  return { code: 0, value: REPEATED_CALL_VALUES[method] ?? '', output: 'call_id already handled' };
}

/** An aggregate asked about sliver URNs of its own answered SEARCHFAILED: it does not know them, a failure. */
function searchFailedAsFailure(r: PeerResult): PeerResult {
  const o = r.outcome;
  if (o.status !== 'answered' || o.code !== GENI_CODES.SEARCHFAILED) return r;
  return { ...r, outcome: { status: 'failed', failure: { geniCode: o.code, message: `geni_code ${o.code}${o.output ? `: ${o.output}` : ''}` } } };
}

/** geni_rspec_version is required; GENI 3 is native, ProtoGENI 2 is converted. */
function requestedAdVersion(options: Options, method = 'ListResources'): { format: 'geni3' | 'pgv2' } {
  const v = options.geni_rspec_version;
  if (!isStruct(v) || typeof v.type !== 'string' || typeof v.version !== 'string') {
    throw new SmError(GENI_CODES.BADARGS, `${method} needs option geni_rspec_version, a struct { type, version }`);
  }
  const type = v.type.toLowerCase();
  if (type === 'geni' && v.version === '3') return { format: 'geni3' };
  if (type === 'protogeni' && v.version === '2') return { format: 'pgv2' };
  throw new SmError(GENI_CODES.BADVERSION, `RSpec version ${v.type} ${v.version} is not offered (GENI 3, ProtoGENI 2)`);
}


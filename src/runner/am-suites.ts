/**
 * The AM API suites am1, am2 and am3: one per API version, each at the URL the aggregate's GetVersion advertises
 * for it, all with the same case context (typed calls for every version, the version-neutral life cycle, slices
 * and credentials from the run's identity, properties).
 */
import { DEFAULT_CONFIG } from '../config';
import { HarnessError } from '../core';
import type { AmClient } from '../client';
import { LIFECYCLES, type Lifecycle } from '../geni/lifecycle';
import { malformedFaultFindings, v1Api, v2Api, v3Api, type ApiVersion, type V1Api, type V2Api, type V3Api } from '../geni/methods';
import type { GetVersionInfo } from '../geni/version-info';
import type { Advertisement } from '../rspec';
import { CaseFixtures, readRunAdvertisement, type RequestRSpecOptions } from './fixtures';
import type { CredentialKit, SharedFixtureName, SharedSlice, SliceFixture } from './fixtures-types';
import { ownFixture, sharedFixtures, undeclaredNeed } from './shared-fixtures';
import { DEFAULT_LOGIN, loginKit, type LoginKit } from './login-kit';

export type { LoginKit } from './login-kit';
export type { LoginAttempt, LoginKeyPair, LoginTarget } from '../login';
import { runProperty, type PropertySpec } from './property';
import { CHECK_CAPACITY, capacityLossNote } from './capacity';
import { CaseSignal } from './signals';
import type { CommonCaseContext, FuzzBudget, SuiteDefinition } from './types';

export interface AmCaseContext extends CommonCaseContext {
  readonly api: ApiVersion;
  /** The life cycle of this version over a connection that presents no client certificate (same transcript). */
  withoutClientCertificate(): Lifecycle;
  /** Typed AM API v3 calls (each returns an AmResponse, recorded in this case's transcript). */
  readonly am: V3Api;
  /** Typed AM API v2 calls, for v2 cases. */
  readonly v2: V2Api;
  /** Typed AM API v1 calls, for v1 cases. */
  readonly v1: V1Api;
  /**
   * The version-neutral life cycle (reserve, status, manifest, renew, release) for this case's API version: what
   * a case stating one requirement for several versions calls, so its body has no version branches.
   */
  readonly lifecycle: Lifecycle;
  /** GetVersion at this suite's URL, read once per run (its exchange is in the run transcript). */
  readonly version: GetVersionInfo;
  /** Credentials: the user's, and mutations of them for negative tests. */
  readonly creds: CredentialKit;
  /** A fresh slice (URN + slice credential), registered for cleanup. */
  newSlice(opts?: { name?: string; expiresInSeconds?: number }): Promise<SliceFixture>;
  /**
   * A slice the case shares with the run's other cases that declare the same `needs` (src/runner/shared-fixtures.ts):
   * only read it. Its making is a precondition, as for a slice of the case's own (a skip with the reason).
   */
  sharedSlice(name: SharedFixtureName): Promise<SharedSlice>;
  /**
   * The target's advertisement (the full one, or with `available` only what is free), read into the model: one read
   * per run shared by the cases that start holding nothing (as request RSpecs are built), else a fresh one. A skip
   * when it cannot be had (a precondition).
   */
  advertisement(opts?: { available?: boolean }): Promise<Advertisement>;
  /**
   * A request RSpec built from the target's advertisement (bound to available nodes unless unbound), asking no node
   * for more slivers than the advertisement promises (a skip when it promises too little), unless `beyondCapacity`.
   */
  requestRSpec(opts?: RequestRSpecOptions): Promise<string>;
  /** The generated-input budget for property cases (--fuzz-runs, --fuzz-time). */
  readonly fuzz: FuzzBudget;
  /**
   * Checks a property over generated inputs (fast-check, seeded by this case's seed). Findings of the shrunk
   * counterexample are recorded, with a replay file; nothing is recorded when the property holds.
   */
  property<T>(spec: PropertySpec<T>): Promise<void>;
  /** SSH logins to the nodes the case provisioned, with key pairs minted for this run (tag 'login'). */
  readonly login: LoginKit;
}

function amSuite(api: ApiVersion): SuiteDefinition<AmCaseContext> {
  return {
    name: `am${api}`,
    title: `GENI AM API v${api}`,
    api,
    concurrent: true,
    async beforeCasesAtOnce(session, url) {
      // Cases in flight together hold slices, so none of them could make the run's advertisement read (see
      // CaseFixtures.advertisement): it is made now, while the run holds nothing, and they use it.
      const version = await session.versionAt(url).catch(() => undefined);
      if (version) await readRunAdvertisement(session, url, api, version);
    },
    async locate(session) {
      const url = await session.urlFor(api);
      return url ? { url } : { unavailable: `the aggregate does not advertise AM API v${api}` };
    },
    async open(common, env) {
      const { session, options } = env;
      // The run-wide GetVersion of this URL; when it failed, its exchanges are the proof, so they go first.
      const version = await session.versionAt(env.url).catch((err: unknown) => {
        env.transcript.entries.unshift(...session.versionTranscript.entries);
        throw err instanceof HarnessError ? err : new HarnessError('fixture', String(err));
      });
      const share = options.shareFixtures ?? true;
      const fixtures = new CaseFixtures(session, env.caseId, env.url, api, version, env.tags.includes('shutdown'), share ? env.transcript : undefined);
      // The case's calls go past the capacity watch: a refused reservation is audited after the cleanup.
      const client: AmClient = common.client.withCallObserver(fixtures.capacity.observe);
      const lifecycle = LIFECYCLES[api](client, { ad: fixtures.adFormat.version, manifest: fixtures.requestFormat.version });
      const creds = fixtures.credentialKit();
      const fuzz = options.fuzz ?? { runs: DEFAULT_CONFIG.fuzzRuns };
      const context: AmCaseContext = {
        ...common,
        // An answer whose Fault breaks XML-RPC (a text faultCode) fails the case with that finding, whatever it checks.
        verify: (observed, checks) => {
          const malformed = malformedFaultFindings(observed);
          if (malformed.length > 0) common.report(malformed);
          return [...malformed, ...common.verify(observed, checks)];
        },
        client, api, version, lifecycle, creds, fuzz,
        withoutClientCertificate: () => LIFECYCLES[api](session.clientWithoutCertificate(env.url, env.transcript), lifecycle.formats),
        am: v3Api(client), v2: v2Api(client), v1: v1Api(client),
        login: loginKit(session, env.transcript, options.login ?? DEFAULT_LOGIN),
        newSlice: (opts) => fixtures.newSlice(opts),
        async sharedSlice(name) {
          if (!env.needs.includes(name)) throw undeclaredNeed(env.caseId, name);
          const request = () => fixtures.requestRSpec(lifecycle, { nodes: 1 });
          if (!share) return ownFixture({ name, lifecycle, request }, fixtures);
          return sharedFixtures(session).take({ name, caseId: env.caseId, url: env.url, api, version, lifecycle, transcript: env.transcript, request });
        },
        requestRSpec: (opts) => fixtures.requestRSpec(lifecycle, opts),
        advertisement: (opts) => fixtures.currentAdvertisement(lifecycle, { available: opts?.available ?? false }),
        async property(spec) {
          const found = await runProperty({
            caseId: env.caseId, suite: common.suite, seed: common.seed, fuzz, client, transcript: env.transcript, lifecycle, fixtures, creds,
            note: (text) => common.note(text),
            reportInputs: (stats) => common.reportInputs(stats),
            replayDir: options.replayDir ?? DEFAULT_CONFIG.replayDir,
            target: { name: session.spec.name, url: env.url, faults: session.spec.faults ?? [], embedded: session.spec.embeddedInstance !== undefined },
          }, spec).catch((err: unknown) => {
            // A precondition that failed inside the property: an earlier capacity loss may be why (no node was free).
            const note = capacityLossNote(session.capacityLosses);
            throw err instanceof CaseSignal && err.signal === 'skip' && note !== '' && !err.reason.includes(CHECK_CAPACITY) ? new CaseSignal('skip', `${err.reason}${note}`) : err;
          });
          common.report(found);
        },
      };
      return {
        context,
        async release() {
          // Shared fixtures first: whether this case changed one is judged by its calls before its own cleanup.
          const shared = await sharedFixtures(session).finished(env.caseId, env.url, env.transcript);
          return [...shared, ...(await fixtures.releaseAll(env.transcript))];
        },
        audit: () => fixtures.auditCapacity(env.transcript, { caseId: env.caseId, suite: common.suite }),
      };
    },
  };
}

export const am1 = amSuite(1);
export const am2 = amSuite(2);
export const am3 = amSuite(3);
/** The AM suites by API version. */
export const AM_SUITES: Readonly<Record<ApiVersion, SuiteDefinition<AmCaseContext>>> = { 1: am1, 2: am2, 3: am3 };

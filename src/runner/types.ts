import type { Finding, Level, Outcome } from '../core';
import type { AmResponse, V1Api, V2Api, V3Api } from '../geni/methods';
import type { Lifecycle } from '../geni/lifecycle';
import type { AmClient, Exchange } from '../client/am-client';
import type { GetVersionInfo } from '../geni/version-info';
import type { CredentialKit, SliceFixture } from './fixtures-types';
import type { FuzzBudget, PropertySpec } from './property';

export type ApiVersion = 1 | 2 | 3;

/** Closed vocabulary of tags (a typo is a compile error). */
export const TAGS = [
  'smoke', 'envelope', 'getversion', 'listresources', 'describe', 'allocate', 'renew', 'provision', 'status',
  'poa', 'delete', 'shutdown', 'lifecycle', 'options', 'compression', 'auth', 'credentials', 'rspec',
  'destructive', 'slow', 'single-sliver', 'errors', 'expiry', 'property', 'fuzz',
] as const;
export type Tag = (typeof TAGS)[number];

/** `am<api>.<method-or-area>.<kebab-slug>`; never positional, never reused. */
export type CaseId = string;

/** What a check sees besides the observed value. */
export interface CheckContext {
  /** Default spec anchor for findings that do not name their own (the case's first anchor). */
  spec?: string;
  strict: boolean;
  /** Say something worth knowing that is not a finding (e.g. extension namespaces no schema validated). */
  note?: (text: string) => void;
}

/** A check is a small pure function: observed value in, findings out. It never throws for a conformance problem. */
export type Check<T> = (observed: T, ctx: CheckContext) => Finding[];

/** Signals a body may throw through the context (never constructed by case authors directly). */
export class CaseSignal extends Error {
  constructor(readonly signal: 'unsupported' | 'skip', readonly reason: string) {
    super(reason);
  }
}

/** Options a case needs from the reference aggregate (ignored, and reported, against remote targets). */
export interface ReferenceNeeds {
  /** Reference AM configuration for this case, e.g. { singleAllocation: true }. */
  config?: Record<string, unknown>;
}

export interface CaseDefinition {
  id: CaseId;
  /** The stimulus, e.g. 'GetVersion with no options'. */
  title: string;
  /** A paraphrase of what the specification demands. */
  requirement: string;
  level: Level;
  /** Spec anchor ids (keys of SPEC in src/geni/spec-anchors.ts). */
  spec: string[];
  api: ApiVersion[];
  tags: Tag[];
  /** Per-case time limit; the default is the run's caseTimeoutMs. */
  timeoutMs?: number;
  /**
   * Reference-AM faults (names from REFERENCE_FAULTS) this case is expected to catch: with any of them switched
   * on, the case must fail. The suite-sensitivity test and `geni-harness faults` read this.
   */
  detects?: string[];
  /** The body only acts and verifies. */
  run(t: CaseContext): Promise<void>;
}

export interface CaseContext {
  readonly caseId: CaseId;
  readonly api: ApiVersion;
  readonly strict: boolean;
  /** Seed for anything random in this case (derived from the run seed and the case id). */
  readonly seed: number;
  /** The aggregate's URL for this API version. */
  readonly url: string;
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
  /** The underlying client: arbitrary method names and raw bodies. */
  readonly client: AmClient;
  /** GetVersion of the target, fetched once per run (its exchange is in the run transcript). */
  readonly version: GetVersionInfo;
  /** Credentials: the user's, and mutations of them for negative tests. */
  readonly creds: CredentialKit;
  /** A fresh slice (URN + slice credential), registered for cleanup. */
  newSlice(opts?: { name?: string; expiresInSeconds?: number }): Promise<SliceFixture>;
  /** A request RSpec built from the target's advertisement (bound to available nodes unless unbound). */
  requestRSpec(opts?: { nodes?: number; unbound?: boolean; links?: number; sliverType?: string }): Promise<string>;
  /** The generated-input budget for property cases (--fuzz-runs, --fuzz-time). */
  readonly fuzz: FuzzBudget;
  /**
   * Checks a property over generated inputs (fast-check, seeded by this case's seed). Findings of the shrunk
   * counterexample are recorded, with a replay file; nothing is recorded when the property holds.
   */
  property<T>(spec: PropertySpec<T>): Promise<void>;
  /** Record findings produced by checks on an observed value. */
  verify<T>(observed: T, checks: Array<Check<T>>): Finding[];
  /** Record findings computed elsewhere. */
  report(findings: Finding[]): void;
  /** The feature is optional and the aggregate properly said it does not offer it. */
  unsupported(reason: string): never;
  /** A precondition does not hold (not a verdict on the aggregate). */
  skip(reason: string): never;
  note(text: string): void;
}

export interface CaseResult {
  id: CaseId;
  /**
   * Set when the case applies to several API versions ('v2'): each version's run is reported separately as
   * `<id>@<variant>` (see reportId), so names and transcript files stay distinct and stable.
   */
  variant?: string;
  title: string;
  requirement: string;
  level: Level;
  spec: string[];
  api: ApiVersion;
  tags: Tag[];
  outcome: Outcome;
  durationMs: number;
  exchanges: Exchange[];
  notes: string[];
  /** Path of the transcript file, relative to the reports directory. */
  transcriptPath?: string;
}

export type { AmResponse };

/** How a result is named in reports: its case id, plus `@v<api>` for a case run under several versions. */
export function reportId(result: Pick<CaseResult, 'id' | 'variant'>): string {
  return result.variant ? `${result.id}@${result.variant}` : result.id;
}

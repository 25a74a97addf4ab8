import type { TestAuthority } from '../credentials';
import type { XmlRpcValue } from '../xmlrpc';
import { AmError, CredentialRefusal, GENI_CODE } from './am-error';
import { authorize, type Operation } from './credential-gate';
import type { FaultSet } from './faults';
import type { AggregateModel, SliceRecord } from './model';
import type { LoginDirectory } from './node-logins/node-login-host';
import type { Personality } from './personalities';
import type { CallPace } from './pace';
import type { AmPolicy } from './policy';

export type AllocateMode = 'geni_single' | 'geni_disjoint' | 'geni_many';

/** Everything a method handler needs about the aggregate; one per running AM. */
export interface AggregateEnv {
  /** The kind of aggregate it is (inventory, formats, versions, how malformed calls are answered). */
  personality: Personality;
  model: AggregateModel;
  faults: FaultSet;
  policy: AmPolicy;
  authority: Pick<TestAuthority, 'name' | 'trustedRootsPem'>;
  amUrn: string;
  /** Filled in once the server listens: GetVersion's geni_api_versions. */
  urls: Record<string, string>;
  allocateMode: AllocateMode;
  singleAllocation: boolean;
  /** The code version GetVersion reports as geni_am_code. */
  amCodeVersion: string;
  /** Whether the v2 endpoint offers the draft UpdateSliver (change set C). */
  updateSliver: boolean;
  /** Whether the fails-at-Provision disk image (failure-injection.ts) is honoured and advertised. */
  failureInjection: boolean;
  /**
   * How a credential's GIDs must reach the trusted roots: through any certificate the credential carries, or only
   * through the issuers inside each GID, as SFA and gcf verify them (VerifyOptions.gidChains).
   */
  gidChains: 'credential' | 'own';
  /** How fast it answers (serialised, delayed per credential: the slow personality); applied around its endpoints. */
  pace?: CallPace;
  /** The nodes' SSH servers, when the aggregate runs on the network (node-logins/); absent in-process. */
  logins?: LoginDirectory;
  /** Filled in once the server listens: where the dynslice server is (GetVersion advertises it). */
  dynsliceUrl?: string;
}

/** One call: the caller's certificate and the instant the call is judged at (the clock is read once per call). */
export interface CallContext {
  clientCertPem?: string;
  now: Date;
}

/** What a handler produced on success. */
export interface HandlerResult {
  value: XmlRpcValue;
  /** Human-readable notes, e.g. that geni_extend_alap shortened a renewal (a string; a date only for fault v2-renewsliver-output-date). */
  output?: string | Date;
  /** Extra top-level members of the return struct (GetVersion's geni_api). */
  topLevel?: Record<string, XmlRpcValue>;
}

export type MethodHandler = (env: AggregateEnv, params: XmlRpcValue[], call: CallContext) => HandlerResult;

export function authorizeCall(env: AggregateEnv, call: CallContext, credentials: XmlRpcValue | undefined, operation: Operation, sliceUrn?: string) {
  try {
    return authorizeWith(env, call, credentials, operation, sliceUrn);
  } catch (err) {
    throw err instanceof AmError ? new CredentialRefusal(err) : err;
  }
}

function authorizeWith(env: AggregateEnv, call: CallContext, credentials: XmlRpcValue | undefined, operation: Operation, sliceUrn?: string) {
  return authorize({
    credentials,
    operation,
    sliceUrn,
    clientCertPem: call.clientCertPem,
    trustedRootsPem: env.authority.trustedRootsPem,
    now: call.now,
    faults: env.faults,
    gidChains: env.gidChains,
  });
}

/**
 * A shut-down slice refuses anything that would change it (gcf answers REFUSED); Status, Describe and Delete stay
 * allowed so operators and experimenters can still look and clean up.
 */
export function refuseIfShutDown(env: AggregateEnv, slice: SliceRecord | undefined, method: string): void {
  if (slice?.shutdown && !env.faults.has('shutdown-not-enforced')) {
    throw new AmError(GENI_CODE.REFUSED, `${method} refused: slice ${slice.urn} has been shut down by the aggregate operator`);
  }
}

import type { ParsedCredential } from '../../credentials';
import type { XmlRpcValue } from '../../xmlrpc';
import { AmError, GENI_CODE } from '../am-error';
import type { Operation } from '../credential-gate';
import { authorizeCall, type AggregateEnv, type CallContext } from '../env';
import type { Sliver } from '../model';
import { selectSlivers, type SliverSelection } from '../sliver-selection';

/**
 * The common start of every method taking `urns`: resolve them (BADARGS / SEARCHFAILED), then check the
 * credentials against the slice they belong to.
 */
export function openSliverCall(
  env: AggregateEnv,
  call: CallContext,
  urns: XmlRpcValue | undefined,
  credentials: XmlRpcValue | undefined,
  operation: Operation,
  options: { emptySliceIsOk?: boolean } = {},
): { selection: SliverSelection; credential: ParsedCredential } {
  const selection = selectSlivers(env.model, urns, {
    emptySliceIsOk: options.emptySliceIsOk ?? false,
    dropUnknown: env.faults.has('searchfailed-as-empty-success'),
    malformedCode: env.personality.v3?.malformedUrns === 'error' ? GENI_CODE.ERROR : GENI_CODE.BADARGS,
  });
  // gcf resolves the URNs before anything else and refuses a shut-down slice there, whatever the method.
  if (selection.slice?.shutdown && env.personality.v3?.shutDownRefuses === 'everything' && !env.faults.has('shutdown-not-enforced')) {
    throw new AmError(GENI_CODE.REFUSED, `Refused: slice ${selection.slice.urn} is shut down.`);
  }
  const credential = authorizeCall(env, call, credentials, operation, selection.sliceUrn);
  return { selection, credential };
}

export interface SliverVerdict {
  sliver: Sliver;
  problem?: AmError;
}

/**
 * geni_best_effort: false (the default) means all or nothing, so the first sliver's problem fails the call before
 * anything changes; true means the call goes ahead and each failed sliver reports its problem in geni_error.
 */
export function judgeSlivers(slivers: Sliver[], bestEffort: boolean, check: (sliver: Sliver) => AmError | undefined): SliverVerdict[] {
  const verdicts = slivers.map((sliver) => ({ sliver, problem: check(sliver) }));
  const firstProblem = verdicts.find((v) => v.problem)?.problem;
  if (firstProblem && !bestEffort) throw firstProblem;
  return verdicts;
}

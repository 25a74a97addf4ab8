import type { XmlRpcValue } from '../../xmlrpc';
import { AmError, GENI_CODE } from '../am-error';
import { manifestXml } from '../documents';
import { manifestLogins } from '../node-logins/manifest-logins';
import { refuseIfShutDown, type AggregateEnv, type CallContext, type HandlerResult } from '../env';
import { readFlag, readOptions, readTimeOption, readUsers, requireRSpecVersion } from '../options';
import { failsAtProvision } from '../failure-injection';
import { provisionExpiry } from '../policy';
import { sliverEntry } from '../sliver-report';
import { requireWholeStates } from '../sliver-selection';
import { judgeSlivers, openSliverCall } from './sliver-call';

/**
 * Provision(urns, credentials, options): allocated → provisioned (operational state geni_notready), expiring at
 * the earliest of policy, the slice credential and geni_end_time. Naming the slice provisions its allocated slivers.
 */
export function provision(env: AggregateEnv, params: XmlRpcValue[], call: CallContext): HandlerResult {
  const options = readOptions(params[2], 'Provision', env.faults);
  const { selection, credential } = openSliverCall(env, call, params[0], params[1], 'provision');
  const format = requireRSpecVersion(options, env.personality.rspec.request, env.faults);
  const users = readUsers(options);
  const requestedEnd = readTimeOption(options, 'geni_end_time');
  refuseIfShutDown(env, selection.slice, 'Provision');
  if (env.singleAllocation) requireWholeStates(selection, 'Provision');

  const targets = selection.namedSlice ? selection.slivers.filter((s) => s.allocation === 'geni_allocated') : selection.slivers;
  if (selection.namedSlice && selection.slivers.length > 0 && targets.length === 0) {
    throw new AmError(GENI_CODE.UNSUPPORTED, `slice ${selection.sliceUrn} has no allocated slivers left to provision`);
  }
  const verdicts = judgeSlivers(targets, readFlag(options, 'geni_best_effort'), (sliver) => {
    if (sliver.allocation !== 'geni_allocated') {
      return new AmError(GENI_CODE.UNSUPPORTED, `sliver ${sliver.urn} is ${sliver.allocation}; only geni_allocated slivers can be provisioned`);
    }
    if (env.failureInjection && failsAtProvision(sliver.node?.diskImage)) {
      return new AmError(GENI_CODE.ERROR, `sliver ${sliver.urn} (${sliver.clientId}) failed to provision: its disk image ${sliver.node!.diskImage} is the failure-injection image`);
    }
    return undefined;
  });
  const provisioned = verdicts.filter((v) => !v.problem).map((v) => v.sliver);
  for (const sliver of provisioned) {
    const expires = provisionExpiry(env.policy, call.now, credential.expires, requestedEnd ?? sliver.requestedEnd);
    env.model.provision([sliver], expires, users, call.now);
  }
  return {
    value: {
      geni_rspec: manifestXml(env.model, provisioned, env.faults, manifestLogins(env, 'provisioned'), format.writer),
      geni_slivers: verdicts.map((v) => sliverEntry(v.sliver, env.faults, 'full', v.problem?.message ?? '')),
    },
  };
}

import type { XmlRpcValue } from '../../xmlrpc';
import { AmError, GENI_CODE, badArgs } from '../am-error';
import { refuseIfShutDown, type AggregateEnv, type CallContext, type HandlerResult } from '../env';
import type { OperationalState, Sliver } from '../model';
import { actionFrom, offersAction } from '../own-states';
import { readFlag, readOptions, readUsers } from '../options';
import { sliverEntry } from '../sliver-report';
import { judgeSlivers, openSliverCall } from './sliver-call';
import { stringParam } from './params';

/** The actions this aggregate offers: from which operational state each is legal, and where it leads (as gcf). */
const ACTIONS: Record<string, { from: OperationalState; to: OperationalState }> = {
  geni_start: { from: 'geni_notready', to: 'geni_ready' },
  geni_stop: { from: 'geni_ready', to: 'geni_notready' },
  geni_restart: { from: 'geni_ready', to: 'geni_ready' },
  geni_update_users: { from: 'geni_ready', to: 'geni_ready' },
};

/**
 * PerformOperationalAction(urns, credentials, action, options). An action we do not offer, or one not legal for
 * the sliver's current state, is UNSUPPORTED: the spec's "SHOULD return 13 (UNSUPPORTED) if they do not support a
 * given action for a given resource" and DETAILS' "in their current state". geni_update_users in the wrong state
 * is REFUSED, as its draft specifies.
 */
export function performOperationalAction(env: AggregateEnv, params: XmlRpcValue[], call: CallContext): HandlerResult {
  const action = stringParam(params, 2, 'action');
  const options = readOptions(params[3], 'PerformOperationalAction', env.faults);
  const { selection } = openSliverCall(env, call, params[0], params[1], 'operate');
  refuseIfShutDown(env, selection.slice, 'PerformOperationalAction');
  const transition = ACTIONS[action];
  if (!transition && !env.model.ownStates.some((own) => offersAction(own, action))) {
    if (env.faults.has('poa-accepts-unknown-action')) {
      return { value: selection.slivers.map((s) => sliverEntry(s, env.faults, 'full')) };
    }
    throw new AmError(GENI_CODE.UNSUPPORTED, `action ${JSON.stringify(action)} is not supported; this aggregate offers ${Object.keys(ACTIONS).join(', ')}`);
  }
  const users = action === 'geni_update_users' ? requiredUsers(options) : undefined;
  // A sliver the aggregate's own machine governs goes where that machine says (as its advertisement declares it).
  const next = (sliver: Sliver): OperationalState | undefined => {
    const own = env.model.ownMachineOf(sliver);
    if (own) return actionFrom(own, sliver.operational, action);
    return transition && sliver.operational === transition.from ? transition.to : undefined;
  };
  const verdicts = judgeSlivers(selection.slivers, readFlag(options, 'geni_best_effort'), (sliver) => refusal(sliver, action, next(sliver), legalFrom(env, sliver, action, transition?.from)));
  for (const { sliver, problem } of verdicts) {
    if (problem) continue;
    if (env.model.ownMachineOf(sliver)) env.model.enterOwnState(sliver, next(sliver)!, call.now);
    else sliver.operational = transition!.to;
    // The update-users-ignored fault: the action is acknowledged, the nodes' accounts stay as they were.
    if (users && !env.faults.has('update-users-ignored')) sliver.users = mergeUsers(sliver.users, users);
  }
  return { value: verdicts.map((v) => sliverEntry(v.sliver, env.faults, 'full', v.problem?.message ?? '')) };
}

function refusal(sliver: Sliver, action: string, next: OperationalState | undefined, from: string): AmError | undefined {
  if (sliver.allocation !== 'geni_provisioned') {
    return new AmError(GENI_CODE.UNSUPPORTED, `${action} needs a provisioned sliver; ${sliver.urn} is ${sliver.allocation}`);
  }
  if (next !== undefined) return undefined;
  const code = action === 'geni_update_users' ? GENI_CODE.REFUSED : GENI_CODE.UNSUPPORTED;
  return new AmError(code, `${action} is only possible from ${from}; ${sliver.urn} is ${sliver.operational}`);
}

/** The states `action` is legal from for this sliver, for a refusal's message. */
function legalFrom(env: AggregateEnv, sliver: Sliver, action: string, standardFrom: string | undefined): string {
  const own = env.model.ownMachineOf(sliver);
  const states = own ? own.machine.states.filter((s) => s.actions.some((a) => a.name === action)).map((s) => s.name) : standardFrom ? [standardFrom] : [];
  return states.length > 0 ? states.join(' or ') : 'no state of this sliver';
}

function requiredUsers(options: Record<string, XmlRpcValue>) {
  if (options.geni_users === undefined) throw badArgs('geni_update_users needs the geni_users option');
  return readUsers(options);
}

/** geni_update_users: new users are added, mentioned users get their key set replaced, others stay. */
function mergeUsers(current: Sliver['users'], updates: Sliver['users']): Sliver['users'] {
  const merged = new Map(current.map((u) => [u.urn, u]));
  for (const u of updates) merged.set(u.urn, { urn: u.urn, keys: [...u.keys] });
  return [...merged.values()];
}

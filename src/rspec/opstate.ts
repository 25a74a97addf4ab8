/**
 * Questions about the operational state machines an advertisement declares (the opstate extension, read into
 * Advertisement.operationalStates): which states a sliver of a type may show, which of them are wait states, and
 * where an action leads. Pure functions of the model; an empty list of machines answers "nothing advertised".
 */
import type { OperationalStateMachine } from './model';

/** A wait that ends in failure: its next state is where an action failed, not where it leads. */
const FAILURE_WAIT = 'geni_failure';

/**
 * The machines that govern slivers of `sliverType`: those that list it, and those that list no sliver type (they
 * speak for every type). Every machine when the type is not known (a sliver the harness cannot tie to a manifest node).
 */
export function machinesFor(machines: readonly OperationalStateMachine[], sliverType?: string): OperationalStateMachine[] {
  if (sliverType === undefined) return [...machines];
  return machines.filter((m) => m.sliverTypes.length === 0 || m.sliverTypes.includes(sliverType));
}

/**
 * Every state the machines name: declared states, their start state, and the states their actions and waits lead to
 * (a `next` is the advertisement saying slivers may be in that state).
 */
export function advertisedStateNames(machines: readonly OperationalStateMachine[]): Set<string> {
  const names = new Set<string>();
  for (const machine of machines) {
    if (machine.start) names.add(machine.start);
    for (const state of machine.states) {
      names.add(state.name);
      for (const step of [...state.actions, ...state.waits]) if (step.next) names.add(step.next);
    }
  }
  return names;
}

/** The declared states that carry a `<wait>`: transient, they end by themselves. */
export function advertisedWaitStates(machines: readonly OperationalStateMachine[]): Set<string> {
  return new Set(machines.flatMap((m) => m.states.filter((s) => s.waits.length > 0).map((s) => s.name)));
}

/**
 * Where `action` leads by the machines: `reached`, the states its `next` names and those their waits lead to when
 * they end as they should (every wait but geni_failure); `resting`, those of them that are not wait states (where the
 * slivers settle). Both empty when no state advertises the action.
 */
export function statesAfterAction(machines: readonly OperationalStateMachine[], action: string): { reached: Set<string>; resting: Set<string> } {
  const waitsOf = new Map<string, string[]>();
  for (const state of machines.flatMap((m) => m.states)) {
    const onward = state.waits.filter((w) => w.type !== FAILURE_WAIT && w.next).map((w) => w.next!);
    if (state.waits.length > 0) waitsOf.set(state.name, [...(waitsOf.get(state.name) ?? []), ...onward]);
  }
  const reached = new Set<string>();
  const pending = machines.flatMap((m) => m.states.flatMap((s) => s.actions.filter((a) => a.name === action && a.next).map((a) => a.next!)));
  while (pending.length > 0) {
    const state = pending.pop()!;
    if (reached.has(state)) continue;
    reached.add(state);
    pending.push(...(waitsOf.get(state) ?? []));
  }
  return { reached, resting: new Set([...reached].filter((s) => !waitsOf.has(s))) };
}

/** The machines in a line a finding can quote: which sliver types, the start state, each state with its actions and waits. */
export function describeMachines(machines: readonly OperationalStateMachine[]): string {
  if (machines.length === 0) return 'the advertisement declares no operational state machine (opstate extension)';
  return machines.map((m) => {
    const states = m.states.map((s) => {
      const steps = [...s.actions.map((a) => `${a.name} → ${a.next ?? '?'}`), ...s.waits.map((w) => `wait ${w.type} → ${w.next ?? '?'}`)];
      return steps.length > 0 ? `${s.name} (${steps.join(', ')})` : s.name;
    });
    const types = m.sliverTypes.length > 0 ? `sliver types ${m.sliverTypes.join(', ')}` : 'every sliver type';
    return `opstate machine of ${m.aggregateManagerId ?? 'the aggregate'} for ${types}${m.start ? `, start ${m.start}` : ''}: ${states.join('; ')}`;
  }).join(' | ');
}

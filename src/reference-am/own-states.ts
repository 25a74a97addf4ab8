import type { OperationalStateMachine } from '../rspec';
import { DEFAULT_VM, RAW_PC } from './inventory';

/**
 * An operational state machine of the aggregate's own, for some node sliver types. CommonConcepts: "AMs may have their
 * own operational states/state-machine internally. AMs are required to advertise such states and actions that
 * experimenters may see or use, by using Ad RSpec extensions": the advertisement declares `machine` (the opstate
 * extension), and its slivers of those types take its states instead of the standard ones (links keep the standard
 * ones). A personality trait; none by default.
 */
export interface OwnOperationalStates {
  /** As the advertisement declares it: the sliver types it governs, the state Provision leaves them in, states, actions, waits. */
  readonly machine: Omit<OperationalStateMachine, 'aggregateManagerId'> & { readonly start: string };
  /** The states in which a node runs: its SSH server takes logins. */
  readonly running: readonly string[];
}

/** How long the aggregate stays in a wait state of its own before the wait's geni_success is taken. */
export const OWN_WAIT_MS = 300;

/** The machine of `sliverType` among `machines` (one that lists it, or lists no type), if any. */
export function ownMachineFor(machines: readonly OwnOperationalStates[], sliverType: string): OwnOperationalStates | undefined {
  return machines.find((m) => m.machine.sliverTypes.length === 0 || m.machine.sliverTypes.includes(sliverType));
}

/** Where a state of `own` goes by itself: its geni_success wait (undefined for a resting state). */
export function successOf(own: OwnOperationalStates, state: string): string | undefined {
  return own.machine.states.find((s) => s.name === state)?.waits.find((w) => w.type === 'geni_success')?.next;
}

/** Where `action` leads from `state` by `own` (undefined when that state does not offer it). */
export function actionFrom(own: OwnOperationalStates, state: string, action: string): string | undefined {
  return own.machine.states.find((s) => s.name === state)?.actions.find((a) => a.name === action)?.next;
}

/** Whether any state of `own` offers `action`. */
export function offersAction(own: OwnOperationalStates, action: string): boolean {
  return own.machine.states.some((s) => s.actions.some((a) => a.name === action));
}

/**
 * The `own-states` personality's machines, shaped like a rack's (InstaGENI publishes one rspec_opstate for its PC and
 * VM sliver types, with a wait state while a node boots or stops) but with state names of its own: bare-metal PCs are
 * powered off after Provision, boot and shut down through wait states; VMs boot through a wait state and stop at once.
 */
export const RACK_OWN_STATES: readonly OwnOperationalStates[] = [
  {
    machine: {
      start: 'pc_off',
      sliverTypes: [RAW_PC],
      states: [
        { name: 'pc_off', actions: [{ name: 'geni_start', next: 'pc_booting' }], waits: [], description: 'Provisioned PCs are imaged and powered off; start them to boot.' },
        { name: 'pc_booting', actions: [], waits: [{ type: 'geni_success', next: 'pc_up' }, { type: 'geni_failure', next: 'geni_failed' }], description: 'The PC is booting its image.' },
        {
          name: 'pc_up',
          actions: [{ name: 'geni_restart', next: 'pc_booting' }, { name: 'geni_stop', next: 'pc_shutting_down' }, { name: 'geni_update_users', next: 'pc_updating_keys' }],
          waits: [], description: 'The PC is up and takes logins.',
        },
        { name: 'pc_shutting_down', actions: [], waits: [{ type: 'geni_success', next: 'pc_off' }, { type: 'geni_failure', next: 'geni_failed' }], description: 'The PC is powering off.' },
        { name: 'pc_updating_keys', actions: [], waits: [{ type: 'geni_success', next: 'pc_up' }], description: 'New users and keys are being installed.' },
        { name: 'geni_failed', actions: [], waits: [], description: 'The PC needs an operator.' },
      ],
    },
    running: ['pc_up'],
  },
  {
    machine: {
      start: 'vm_stopped',
      sliverTypes: [DEFAULT_VM],
      states: [
        { name: 'vm_stopped', actions: [{ name: 'geni_start', next: 'vm_booting' }], waits: [], description: 'The VM is defined but not running.' },
        { name: 'vm_booting', actions: [], waits: [{ type: 'geni_success', next: 'vm_running' }, { type: 'geni_failure', next: 'vm_broken' }], description: 'The VM is booting.' },
        {
          name: 'vm_running',
          actions: [{ name: 'geni_restart', next: 'vm_booting' }, { name: 'geni_stop', next: 'vm_stopped' }, { name: 'geni_update_users', next: 'vm_updating_users' }],
          waits: [], description: 'The VM runs and takes logins.',
        },
        { name: 'vm_updating_users', actions: [], waits: [{ type: 'geni_success', next: 'vm_running' }], description: 'New users and keys are being installed.' },
        { name: 'vm_broken', actions: [], waits: [], description: 'The VM did not boot; delete it.' },
      ],
    },
    running: ['vm_running'],
  },
];

import { errorMessage } from '../../core';
import { XmlRpcFault, type XmlRpcDispatcher } from '../../server';
import { isStruct, type XmlRpcValue } from '../../xmlrpc';
import { AmError, GENI_CODE } from '../am-error';
import { authorize } from '../credential-gate';
import type { AggregateEnv } from '../env';
import type { CallbackSender } from './callbacks';
import { Countdown, realScheduler, type Scheduler } from './countdown';
import { SteppedScheduler } from './stepped-clock';
import { POLICIES, chooseVictims, effectiveValues, isPolicy, type Policy } from './policies';
import { sliceNodes, stillHeld, type DynsliceNode } from './slice-nodes';
import { DynsliceError, PG_CODE, namedArguments, pgError, pgSuccess, requireArray, requireString } from './wire';

/** The dynslice API version GetVersion reports. */
export const DYNSLICE_API_VERSION = 1;
/** The reference's test hook: start a reclaim now instead of waiting for pressure (advertised in GetServerDefaults). */
export const RECLAIM_HOOK_METHOD = 'GeniHarnessReclaim';
/**
 * The reference's other test hook: a reclaim started with `stepped: true` runs on a clock the caller moves one tick
 * per call of this method, which answers once the callbacks of that tick were answered. The countdown a client sees
 * is then the same sequence under any load, and takes no longer than the calls.
 */
export const STEP_HOOK_METHOD = 'GeniHarnessTick';
export const TEST_HOOKS_FIELD = 'geniharness_test_hooks';

export interface DynsliceSettings {
  /** Seconds between NotifyDeletePending calls ("by default it gets called every minute"). @defaultValue 60 */
  tickSeconds: number;
  /** GetServerDefaults maxwaittime: the longest defwaittime a slice may ask for. @defaultValue 600 */
  maxWaitSeconds: number;
  /** GetServerDefaults policy. @defaultValue 'LIFO' (the server page's example) */
  defaultPolicy: Policy;
  /** Advertise and honour the reclaim hook. @defaultValue true */
  testHooks: boolean;
  /** With testHooks: advertise and honour the step hook (stepped reclaims). @defaultValue true */
  steppedClock: boolean;
}

export const DEFAULT_DYNSLICE_SETTINGS: DynsliceSettings = { tickSeconds: 60, maxWaitSeconds: 600, defaultPolicy: 'LIFO', testHooks: true, steppedClock: true };

interface Registration {
  sliceUrn: string;
  url: string;
  policy: Policy;
  defwaittime: number;
}

const sliceKey = (urn: string): string => urn.toLowerCase();

/** The client-side value range (seed 002: "the range of supported values is between 0.0 and 1.0"). */
const inRange = (v: number): boolean => Number.isFinite(v) && v >= 0 && v <= 1;

/**
 * The reference dynslice server (seed 002): it shares the aggregate's slices and inventory, keeps one client
 * endpoint registration per slice, values the slice's nodes by the slice's policy, and reclaims nodes with the
 * NotifyDeletePending countdown (seed 003) when asked to (the test hook, or `serve`'s pressure option).
 */
export class DynsliceServer {
  readonly settings: DynsliceSettings;
  private readonly registrations = new Map<string, Registration>();
  /** Client-set values per slice, by sliver URN: kept whether or not an endpoint is registered. */
  private readonly clientValues = new Map<string, Map<string, number>>();
  private readonly countdowns = new Set<Countdown>();
  /** Reclaims on a stepped clock, by slice: the step hook moves their clocks. */
  private readonly stepped = new Map<string, Map<Countdown, SteppedScheduler>>();
  private closed = false;

  constructor(
    private readonly env: AggregateEnv,
    private readonly send: CallbackSender,
    settings: Partial<DynsliceSettings> = {},
    private readonly clock: () => Date = () => new Date(),
    private readonly scheduler: Scheduler = realScheduler,
  ) {
    this.settings = { ...DEFAULT_DYNSLICE_SETTINGS, ...settings };
  }

  dispatcher(): XmlRpcDispatcher {
    return async (method, params, ctx) => this.handle(method, params, ctx.peer.certPem);
  }

  /** One call of any method, the test hooks included (they answer once the callbacks they set off were answered). */
  async handle(method: string, params: XmlRpcValue[], clientCertPem: string | undefined): Promise<XmlRpcValue> {
    const hook = Object.hasOwn(this.hooks, method) ? this.hooks[method] : undefined;
    if (!hook) return this.call(method, params, clientCertPem);
    try {
      return await hook(params, { clientCertPem, now: this.clock() });
    } catch (err) {
      return this.failure(err);
    }
  }

  /** One call of an API method; everything but an unknown method is answered `{ code, value, output }`. */
  call(method: string, params: XmlRpcValue[], clientCertPem: string | undefined): XmlRpcValue {
    const handler = Object.hasOwn(this.handlers, method) ? this.handlers[method] : undefined;
    if (!handler) throw new XmlRpcFault(-32601, `method ${JSON.stringify(method)} is not a dynslice server method`);
    try {
      const now = this.clock();
      this.env.model.settle(now);
      return handler(params, { clientCertPem, now });
    } catch (err) {
      return this.failure(err);
    }
  }

  private failure(err: unknown): XmlRpcValue {
    if (err instanceof DynsliceError) return pgError(err);
    if (err instanceof XmlRpcFault) throw err;
    return pgError(new DynsliceError(PG_CODE.SERVERERROR, `internal error in the reference dynslice server: ${errorMessage(err)}`));
  }

  /**
   * Starts a reclaim of `count` nodes (or the named ones) of a slice: the countdown when an endpoint is registered,
   * otherwise the nodes are simply taken. Returns the chosen nodes' node_ids.
   */
  reclaim(sliceUrn: string, options: { count?: number; nodeIds?: string[] } = {}): string[] {
    return this.startReclaim(sliceUrn, options).victims.map((v) => v.node_id);
  }

  /** A reclaim; `stepped`: its countdown runs on a clock only the step hook moves. */
  private startReclaim(sliceUrn: string, options: { count?: number; nodeIds?: string[]; stepped?: boolean }): { victims: DynsliceNode[]; countdown?: Countdown } {
    // Nodes already counting down are not chosen again.
    const counting = new Set([...this.countdowns].flatMap((c) => c.victims.map((v) => v.sliver.urn)));
    const nodes = sliceNodes(this.env.model, sliceUrn).filter((n) => !counting.has(n.sliver.urn));
    const registration = this.registrations.get(sliceKey(sliceUrn));
    let victims: DynsliceNode[];
    if (options.nodeIds && options.nodeIds.length > 0) {
      const unknown = options.nodeIds.filter((id) => !nodes.some((n) => n.node_id === id));
      if (unknown.length > 0) throw new DynsliceError(PG_CODE.SEARCHFAILED, `node ${unknown.join(', ')} is not in slice ${sliceUrn}`);
      victims = nodes.filter((n) => options.nodeIds!.includes(n.node_id));
    } else {
      const values = effectiveValues(nodes, registration?.policy ?? this.settings.defaultPolicy, this.valuesOf(sliceUrn), this.env.faults);
      victims = chooseVictims(nodes, values, options.count ?? 1);
    }
    if (victims.length === 0) throw new DynsliceError(PG_CODE.SEARCHFAILED, `slice ${sliceUrn} holds no nodes at this aggregate`);
    if (!registration) {
      this.env.model.remove(victims.map((v) => v.sliver));
      return { victims };
    }
    const stepper = options.stepped ? new SteppedScheduler(this.scheduler.now()) : undefined;
    const countdown: Countdown = new Countdown({
      endpoint: () => this.registrations.get(sliceKey(sliceUrn))?.url,
      victims,
      waitSeconds: registration.defwaittime,
      maxWaitSeconds: this.settings.maxWaitSeconds,
      tickMs: this.settings.tickSeconds * 1000,
      faults: this.env.faults,
      scheduler: stepper ?? this.scheduler,
      send: this.send,
      held: (node) => stillHeld(this.env.model, node),
      take: (taken) => this.env.model.remove(taken.map((n) => n.sliver)),
      onFinished: () => {
        this.countdowns.delete(countdown);
        this.stepped.get(sliceKey(sliceUrn))?.delete(countdown);
      },
    });
    this.countdowns.add(countdown);
    if (stepper) {
      const bySlice = this.stepped.get(sliceKey(sliceUrn)) ?? new Map<Countdown, SteppedScheduler>();
      bySlice.set(countdown, stepper);
      this.stepped.set(sliceKey(sliceUrn), bySlice);
    }
    countdown.start();
    return { victims, countdown };
  }

  /** Reclaims one node of every slice that has a registered endpoint and a node (`serve --reclaim-every`). */
  reclaimFromEverySlice(): void {
    for (const registration of this.registrations.values()) {
      if (sliceNodes(this.env.model, registration.sliceUrn).length === 0) continue;
      try {
        this.reclaim(registration.sliceUrn);
      } catch {
        // A slice whose nodes went away meanwhile: nothing to take.
      }
    }
  }

  /** Slices with a registered client endpoint (for `serve`'s status line and tests). */
  get registeredSlices(): string[] {
    return [...this.registrations.values()].map((r) => r.sliceUrn);
  }

  close(): void {
    this.closed = true;
    for (const countdown of [...this.countdowns]) countdown.cancel();
  }

  private readonly handlers: Record<string, (params: XmlRpcValue[], call: { clientCertPem?: string; now: Date }) => XmlRpcValue> = {
    GetVersion: (params) => {
      namedArguments(params, []);
      return pgSuccess(this.env.faults.has('dynslice-getversion-struct') ? { version: DYNSLICE_API_VERSION } : DYNSLICE_API_VERSION);
    },

    GetServerDefaults: (params) => {
      namedArguments(params, []);
      const defaults: Record<string, XmlRpcValue> = {
        maxwaittime: this.env.faults.has('dynslice-maxwaittime-as-string') ? String(this.settings.maxWaitSeconds) : this.settings.maxWaitSeconds,
        policy: this.env.faults.has('dynslice-default-policy-lowercase') ? this.settings.defaultPolicy.toLowerCase() : this.settings.defaultPolicy,
      };
      if (this.settings.testHooks) {
        defaults[TEST_HOOKS_FIELD] = { reclaim: RECLAIM_HOOK_METHOD, tick: this.settings.tickSeconds, ...(this.settings.steppedClock && { step: STEP_HOOK_METHOD }) };
      }
      return pgSuccess(defaults);
    },

    ListSliceResourceValuePolicies: (params) => {
      namedArguments(params, []);
      const listed = this.env.faults.has('dynslice-lists-client-only') ? POLICIES.filter(([name]) => name === 'CLIENT') : POLICIES;
      if (this.env.faults.has('dynslice-policies-names-only')) return pgSuccess(listed.map(([name]) => name));
      return pgSuccess(listed.map(([name, description]) => [name, description]));
    },

    SetSliceClientEndpoint: (params, call) => {
      const args = namedArguments(params, ['slice_urn', 'url', 'credentials', 'policy', 'defwaittime']);
      const sliceUrn = requireString(args, 'slice_urn');
      const url = requireString(args, 'url');
      this.authorize(args, sliceUrn, call);
      if (this.env.faults.has('dynslice-register-requires-policy') && (args.policy === undefined || args.defwaittime === undefined)) {
        throw new DynsliceError(PG_CODE.BADARGS, 'missing argument policy or defwaittime');
      }
      if (!/^https?:\/\/[^\s/]+/i.test(url) || !URL.canParse(url)) throw new DynsliceError(PG_CODE.BADARGS, `url ${JSON.stringify(url)} is not an http(s) URL`);
      const policy = this.policyArg(args) ?? this.settings.defaultPolicy;
      const defwaittime = this.waitArg(args, !this.env.faults.has('dynslice-defwaittime-over-max')) ?? this.settings.maxWaitSeconds;
      const registration: Registration = { sliceUrn, url, policy, defwaittime };
      this.registrations.set(sliceKey(sliceUrn), registration);
      this.announceValues(registration);
      return pgSuccess(0);
    },

    RemoveSliceClientEndpoint: (params, call) => {
      const args = namedArguments(params, ['slice_urn', 'credentials']);
      const sliceUrn = requireString(args, 'slice_urn');
      this.authorize(args, sliceUrn, call);
      if (this.env.faults.has('dynslice-remove-twice-crashes') && !this.registrations.has(sliceKey(sliceUrn))) {
        throw new XmlRpcFault(-32500, `KeyError: '${sliceUrn}'`);
      }
      // Removing what is not there is no error: the slice is in the state the caller asked for.
      if (!this.env.faults.has('dynslice-notifies-after-remove')) this.registrations.delete(sliceKey(sliceUrn));
      return pgSuccess(0);
    },

    SetSliceClientOptions: (params, call) => {
      const args = namedArguments(params, ['slice_urn', 'credentials', 'policy', 'defwaittime']);
      const sliceUrn = requireString(args, 'slice_urn');
      this.authorize(args, sliceUrn, call);
      const registration = this.registrations.get(sliceKey(sliceUrn));
      if (!registration && this.env.faults.has('dynslice-options-without-registration')) return pgSuccess(0);
      if (!registration) throw new DynsliceError(PG_CODE.SEARCHFAILED, `slice ${sliceUrn} has no client endpoint; call SetSliceClientEndpoint first`);
      const policy = this.policyArg(args);
      const defwaittime = this.waitArg(args, !this.env.faults.has('dynslice-options-skip-bound'));
      if (policy === undefined && defwaittime === undefined && this.env.faults.has('dynslice-options-neither-refused')) {
        throw new DynsliceError(PG_CODE.BADARGS, 'nothing to change: give policy or defwaittime');
      }
      if (defwaittime !== undefined) registration.defwaittime = defwaittime;
      if (policy !== undefined && policy !== registration.policy) {
        registration.policy = policy;
        this.announceValues(registration);
      }
      return pgSuccess(0);
    },

    SetSliceResourceValues: (params, call) => {
      const args = namedArguments(params, ['slice_urn', 'credentials', 'values']);
      const sliceUrn = requireString(args, 'slice_urn');
      const entries = requireArray(args, 'values');
      this.authorize(args, sliceUrn, call);
      const nodes = sliceNodes(this.env.model, sliceUrn);
      // All or nothing: every entry is checked before any value is kept.
      const assignments = entries.map((item, i) => this.resolveValue(item, i, nodes, sliceUrn));
      const kept = this.valuesOf(sliceUrn);
      for (const { targets, value } of assignments) for (const node of targets) kept.set(node.sliver.urn, value);
      const registration = this.registrations.get(sliceKey(sliceUrn));
      if (registration?.policy === 'CLIENT') this.announceValues(registration);
      return pgSuccess(0);
    },

  };

  /**
   * The test hooks: answered once the callbacks they set off on a stepped clock were answered, so they run apart
   * from the synchronous API methods.
   */
  private readonly hooks: Record<string, (params: XmlRpcValue[], call: { clientCertPem?: string; now: Date }) => Promise<XmlRpcValue>> = {
    [RECLAIM_HOOK_METHOD]: async (params, call) => {
      if (!this.settings.testHooks) throw new XmlRpcFault(-32601, `method ${RECLAIM_HOOK_METHOD} is not offered by this server`);
      const args = namedArguments(params, ['slice_urn', 'credentials', 'count', 'node_ids', 'stepped']);
      const sliceUrn = requireString(args, 'slice_urn');
      this.env.model.settle(call.now);
      this.authorize(args, sliceUrn, call);
      const count = args.count;
      if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 1)) {
        throw new DynsliceError(PG_CODE.BADARGS, `count must be a positive integer, got ${JSON.stringify(count)}`);
      }
      const nodeIds = args.node_ids;
      if (nodeIds !== undefined && (!Array.isArray(nodeIds) || !nodeIds.every((id) => typeof id === 'string'))) {
        throw new DynsliceError(PG_CODE.BADARGS, 'node_ids must be a list of node_id strings');
      }
      const stepped = args.stepped;
      if (stepped !== undefined && typeof stepped !== 'boolean') throw new DynsliceError(PG_CODE.BADARGS, 'stepped must be a boolean');
      if (stepped && !this.settings.steppedClock) throw new DynsliceError(PG_CODE.BADARGS, 'this server does not offer stepped reclaims');
      const started = this.startReclaim(sliceUrn, { count: count as number | undefined, nodeIds: nodeIds as string[] | undefined, stepped: stepped === true });
      // Stepped: the first notice (tick 0) has been answered before the hook answers.
      if (stepped) await started.countdown?.idle();
      return pgSuccess({ node_ids: started.victims.map((v) => v.node_id) });
    },

    [STEP_HOOK_METHOD]: async (params, call) => {
      if (!this.settings.testHooks || !this.settings.steppedClock) throw new XmlRpcFault(-32601, `method ${STEP_HOOK_METHOD} is not offered by this server`);
      const args = namedArguments(params, ['slice_urn', 'credentials']);
      const sliceUrn = requireString(args, 'slice_urn');
      this.env.model.settle(call.now);
      this.authorize(args, sliceUrn, call);
      // Every stepped countdown of the slice moves one tick; the answer says which nodes are still counting down.
      const running = [...(this.stepped.get(sliceKey(sliceUrn)) ?? new Map<Countdown, SteppedScheduler>())];
      for (const [countdown, stepper] of running) await stepper.advance(this.settings.tickSeconds * 1000, () => countdown.idle());
      return pgSuccess({ counting: running.flatMap(([countdown]) => countdown.counting.map((n) => n.node_id)) });
    },
  };

  private valuesOf(sliceUrn: string): Map<string, number> {
    let values = this.clientValues.get(sliceKey(sliceUrn));
    if (!values) {
      values = new Map();
      this.clientValues.set(sliceKey(sliceUrn), values);
    }
    return values;
  }

  /** Credentials are checked exactly as the aggregate checks them; any refusal is ProtoGENI's FORBIDDEN. */
  private authorize(args: Record<string, XmlRpcValue>, sliceUrn: string, call: { clientCertPem?: string; now: Date }): void {
    const credentials = args.credentials;
    if (!Array.isArray(credentials)) throw new DynsliceError(PG_CODE.BADARGS, 'missing argument credentials (a list)');
    try {
      authorize({
        credentials,
        operation: 'operate',
        // dynslice-skips-slice-check: the target of the credential is never compared with the slice.
        sliceUrn: this.env.faults.has('dynslice-skips-slice-check') ? undefined : sliceUrn,
        clientCertPem: call.clientCertPem,
        trustedRootsPem: this.env.authority.trustedRootsPem,
        now: call.now,
        faults: this.env.faults,
        gidChains: this.env.gidChains,
      });
    } catch (err) {
      if (err instanceof AmError) {
        throw new DynsliceError(err.geniCode === GENI_CODE.BADARGS ? PG_CODE.BADARGS : PG_CODE.FORBIDDEN, err.message);
      }
      throw err;
    }
  }

  private policyArg(args: Record<string, XmlRpcValue>): Policy | undefined {
    const policy = args.policy;
    if (policy === undefined) return undefined;
    if (isPolicy(policy)) return policy;
    if (this.env.faults.has('dynslice-unknown-policy-accepted') && typeof policy === 'string') return this.settings.defaultPolicy;
    throw new DynsliceError(PG_CODE.BADARGS, `policy ${JSON.stringify(policy)} is not one of ${POLICIES.map(([p]) => p).join(', ')}`);
  }

  /** defwaittime: whole seconds, 0 ≤ defwaittime ≤ maxwaittime ("should only fail if … longer than maxwaittime"). */
  private waitArg(args: Record<string, XmlRpcValue>, enforceBound: boolean): number | undefined {
    const wait = args.defwaittime;
    if (wait === undefined) return undefined;
    if (typeof wait !== 'number' || !Number.isFinite(wait) || wait < 0) {
      throw new DynsliceError(PG_CODE.BADARGS, `defwaittime must be a non-negative number of seconds, got ${JSON.stringify(wait)}`);
    }
    const over = this.env.faults.has('dynslice-defwaittime-at-max-refused') ? wait >= this.settings.maxWaitSeconds : wait > this.settings.maxWaitSeconds;
    if (enforceBound && over) {
      throw new DynsliceError(PG_CODE.BADARGS, `defwaittime ${wait} is longer than this server's maxwaittime ${this.settings.maxWaitSeconds}`);
    }
    return wait;
  }

  /** One SetSliceResourceValues entry: its value, and the node(s) its first identifier (in the page's order) names. */
  private resolveValue(item: XmlRpcValue, index: number, nodes: DynsliceNode[], sliceUrn: string): { targets: DynsliceNode[]; value: number } {
    const where = `values[${index}]`;
    if (!isStruct(item)) throw new DynsliceError(PG_CODE.BADARGS, `${where} is not a struct`);
    const value = item.value;
    if (typeof value !== 'number') throw new DynsliceError(PG_CODE.BADARGS, `${where}.value must be a number between 0.0 and 1.0, got ${JSON.stringify(value)}`);
    if (!inRange(value) && !this.env.faults.has('dynslice-values-out-of-range')) {
      throw new DynsliceError(PG_CODE.BADARGS, `${where}.value ${value} is outside the supported range 0.0 to 1.0`);
    }
    const order = this.env.faults.has('dynslice-client-id-before-node-id')
      ? (['client_id', 'node_id', 'vname', 'component_urn'] as const)
      : (['node_id', 'vname', 'component_urn', 'client_id'] as const);
    for (const key of order) {
      const wanted = item[key];
      if (wanted === undefined) continue;
      if (typeof wanted !== 'string') throw new DynsliceError(PG_CODE.BADARGS, `${where}.${key} must be a string`);
      const targets = nodes.filter((n) => matches(n, key, wanted));
      if (targets.length === 0 && !this.env.faults.has('dynslice-accepts-non-member')) {
        throw new DynsliceError(PG_CODE.SEARCHFAILED, `${where}: ${key} ${JSON.stringify(wanted)} names no node of slice ${sliceUrn}`);
      }
      return { targets, value };
    }
    throw new DynsliceError(PG_CODE.BADARGS, `${where} names no node: give node_id, vname, component_urn or client_id`);
  }

  /** Tells the endpoint the values the server holds for the slice's nodes (seed 003 SetResourceValues). */
  private announceValues(registration: Registration): void {
    if (this.closed) return;
    const nodes = sliceNodes(this.env.model, registration.sliceUrn);
    if (nodes.length === 0) return;
    const values = effectiveValues(nodes, registration.policy, this.valuesOf(registration.sliceUrn), this.env.faults);
    const nodelist = nodes.map((n) => ({ node_id: n.node_id, client_id: n.client_id, component_urn: n.component_urn, value: values.get(n.sliver.urn) ?? 1 }));
    void this.send(registration.url, 'SetResourceValues', [{ nodelist }]);
  }
}

function matches(node: DynsliceNode, key: 'node_id' | 'vname' | 'component_urn' | 'client_id', wanted: string): boolean {
  switch (key) {
    case 'node_id':
      return node.node_id === wanted;
    case 'vname':
    case 'client_id':
      return node.client_id === wanted;
    case 'component_urn':
      // URNs compare case-insensitively (GeniApiIdentifiers).
      return node.component_urn.toLowerCase() === wanted.toLowerCase();
  }
}

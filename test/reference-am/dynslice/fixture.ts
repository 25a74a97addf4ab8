import { DynsliceServer, type DynsliceSettings } from '../../../src/reference-am';
import type { CallbackAnswer } from '../../../src/reference-am/dynslice/callbacks';
import { SteppedScheduler } from '../../../src/reference-am/dynslice/stepped-clock';
import { isStruct, type XmlRpcValue } from '../../../src/xmlrpc';
import { AggregateUnderTest, geniCode, requestXml, type Identities } from '../aggregate-fixture';

/** Time that only moves when the test says so: the reference's own stepped clock, settled after every timer. */
export class ManualScheduler extends SteppedScheduler {
  constructor() {
    super(0);
  }

  /** Moves time forward by `ms`; work started before time moves (the first call of a countdown) completes first. */
  override async advance(ms: number): Promise<void> {
    await super.advance(ms, settle);
    await settle();
  }
}

export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export interface SentCall {
  at: number;
  url: string;
  method: string;
  nodelist: Array<Record<string, XmlRpcValue>>;
}

/** A client endpoint in memory: records what the server sends and answers as the test says. */
export class RecordingClient {
  readonly sent: SentCall[] = [];
  answer: (call: SentCall) => CallbackAnswer = () => ({ kind: 'answered', value: { code: 0, value: 0, output: '' } });

  constructor(private readonly clock: () => number) {}

  readonly send = async (url: string, method: string, params: XmlRpcValue[]): Promise<CallbackAnswer> => {
    const first = params[0];
    const nodelist = isStruct(first) && Array.isArray(first.nodelist) ? first.nodelist.filter(isStruct) : [];
    const call = { at: this.clock(), url, method, nodelist };
    this.sent.push(call);
    return this.answer(call);
  };

  of(method: string): SentCall[] {
    return this.sent.filter((c) => c.method === method);
  }

  /** Answer NotifyDeletePending by releasing these node_ids (the same list, max_wait_time 0 on them). */
  release(nodeIds: string[]): void {
    this.answer = (call) => ({
      kind: 'answered',
      value: call.method === 'NotifyDeletePending'
        ? { code: 0, value: call.nodelist.map((e) => (nodeIds.includes(e.node_id as string) ? { ...e, max_wait_time: 0 } : e)), output: '' }
        : { code: 0, value: 0, output: '' },
    });
  }
}

export const ENDPOINT = 'https://127.0.0.1:9/client';

/** An aggregate, its dynslice server on a manual clock, and a recording client endpoint. */
export class DynsliceUnderTest {
  readonly am: AggregateUnderTest;
  readonly scheduler = new ManualScheduler();
  readonly client = new RecordingClient(() => this.scheduler.now());
  readonly server: DynsliceServer;

  constructor(ids: Identities, options: { faults?: string[]; settings?: Partial<DynsliceSettings> } = {}) {
    this.am = new AggregateUnderTest(ids, { faults: options.faults });
    this.server = new DynsliceServer(this.am.env, this.client.send, { tickSeconds: 10, maxWaitSeconds: 60, ...options.settings }, () => this.am.now, this.scheduler);
  }

  call(method: string, args?: Record<string, XmlRpcValue>): Record<string, XmlRpcValue> {
    const answer = this.server.call(method, args === undefined ? [] : [args], this.am.caller.certPem);
    if (!isStruct(answer)) throw new Error(`${method} answered a non-struct: ${JSON.stringify(answer)}`);
    return answer;
  }

  /** A test hook (GeniHarnessReclaim, GeniHarnessTick) with the slice credential filled in; resolves with its answer. */
  async hook(method: string, args: Record<string, XmlRpcValue> = {}): Promise<Record<string, XmlRpcValue>> {
    const answer = await this.server.handle(method, [{ slice_urn: this.am.ids.slice, credentials: this.sliceCredential(), ...args }], this.am.caller.certPem);
    if (!isStruct(answer)) throw new Error(`${method} answered a non-struct: ${JSON.stringify(answer)}`);
    return answer;
  }

  private credential?: XmlRpcValue[];

  /** The slice credential, minted once (signing is the slow part of these tests). */
  sliceCredential(): XmlRpcValue[] {
    this.credential ??= this.am.sliceCredential();
    return this.credential;
  }

  /** A slice call with the slice credential filled in. */
  sliceCall(method: string, args: Record<string, XmlRpcValue> = {}): Record<string, XmlRpcValue> {
    return this.call(method, { slice_urn: this.am.ids.slice, credentials: this.sliceCredential(), ...args });
  }

  register(args: Record<string, XmlRpcValue> = {}): Record<string, XmlRpcValue> {
    return this.sliceCall('SetSliceClientEndpoint', { url: ENDPOINT, ...args });
  }

  /** Allocates one node per client_id (one Allocate call each, so allocation order is the argument order). */
  allocate(clientIds: string[], sliverType = 'raw-pc'): void {
    for (const clientId of clientIds) {
      const answer = this.am.call('Allocate', [this.am.ids.slice, this.sliceCredential(), requestXml([{ clientId, sliverType: { name: sliverType } }]), {}]);
      if (geniCode(answer) !== 0) throw new Error(`Allocate ${clientId}: ${JSON.stringify(answer)}`);
    }
  }

  /** The slice's nodes by client_id → node_id, as the dynslice API names them. */
  nodeIds(): Map<string, string> {
    const slice = this.am.env.model.findSlice(this.am.ids.slice);
    const map = new Map<string, string>();
    for (const sliver of slice?.slivers.values() ?? []) {
      if (sliver.node) map.set(sliver.clientId, sliver.node.exclusive ? sliver.node.componentName : `${sliver.node.componentName}-vm${sliver.allocationOrder}`);
    }
    return map;
  }

  heldClientIds(): string[] {
    return [...(this.am.env.model.findSlice(this.am.ids.slice)?.slivers.values() ?? [])].map((s) => s.clientId).sort();
  }
}

export const codeOfAnswer = (answer: Record<string, XmlRpcValue>): unknown => answer.code;

export function waits(calls: SentCall[]): number[][] {
  return calls.map((c) => c.nodelist.map((e) => e.max_wait_time as number));
}

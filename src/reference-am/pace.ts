import type { XmlRpcDispatcher } from '../server';
import { isStruct, type XmlRpcValue } from '../xmlrpc';
import type { ReferenceApi } from './personalities';

/** What the aggregate's pace did so far: tests read it to prove calls were serialised and delayed. */
export interface PaceStats {
  /** Calls answered (or refused) so far. */
  calls: number;
  /** The most calls that were being handled at one instant: 1 for a single-threaded aggregate. */
  maxInFlight: number;
  /** Credentials the aggregate spent time verifying (one per credential a call carried). */
  credentialChecks: number;
  /** Milliseconds it waited on purpose, summed over all calls. */
  delayedMs: number;
}

export interface PaceSettings {
  /** One call at a time, in order of arrival (a single-threaded server): a call waits for the one before it to be answered. */
  serial: boolean;
  /** Time spent per credential a call carries, as an aggregate that starts a signature-verification process for each. */
  credentialCheckMs: number;
  /** Any further delay before a call is handled (Personality.callDelayMs). */
  callDelayMs?: (method: string, api: ReferenceApi) => number;
  /** For tests; a timer by default. */
  sleep?: (ms: number) => Promise<void>;
}

const timer = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/**
 * How fast the reference aggregate answers: as fast as it can by default; a slow personality is single-threaded
 * and verifies every credential at a cost (gcf-style aggregates on SimpleXMLRPCServer run xmlsec1 once per
 * credential). One pace per aggregate, shared by its v1, v2 and v3 endpoints (one process serves them all).
 */
export class CallPace {
  readonly stats: PaceStats = { calls: 0, maxInFlight: 0, credentialChecks: 0, delayedMs: 0 };
  private inFlight = 0;
  /** The tail of the queue of calls (serial pace): each call starts when the one before it has been answered. */
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly settings: PaceSettings) {}

  /** True when the aggregate answers at full speed: no queue, no delay (the default reference aggregate). */
  get immediate(): boolean {
    return !this.settings.serial && this.settings.credentialCheckMs <= 0 && !this.settings.callDelayMs;
  }

  /** The dispatcher of one API version's endpoint, paced. */
  around(api: ReferenceApi, dispatcher: XmlRpcDispatcher): XmlRpcDispatcher {
    return (method, params, ctx) => {
      const handle = () => this.handle(api, method, params, () => dispatcher(method, params, ctx));
      if (!this.settings.serial) return handle();
      const answered = this.tail.then(handle);
      // The next call waits for this one whatever its outcome.
      this.tail = answered.then(() => undefined, () => undefined);
      return answered;
    };
  }

  private async handle<T>(api: ReferenceApi, method: string, params: XmlRpcValue[], dispatch: () => Promise<T>): Promise<T> {
    this.inFlight += 1;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.inFlight);
    try {
      const credentials = credentialCount(params);
      this.stats.credentialChecks += credentials;
      const ms = credentials * this.settings.credentialCheckMs + (this.settings.callDelayMs?.(method, api) ?? 0);
      if (ms > 0) {
        this.stats.delayedMs += ms;
        await (this.settings.sleep ?? timer)(ms);
      }
      return await dispatch();
    } finally {
      this.inFlight -= 1;
      this.stats.calls += 1;
    }
  }
}

/**
 * The credentials a call carries, each of which such an aggregate verifies: the members of a credentials list
 * (v3: `{geni_type, geni_value}` structs; v1/v2: credential strings, well-formed or not). The other list parameters
 * (v3 URN lists, the users structs of CreateSliver) are not credentials.
 */
export function credentialCount(params: readonly XmlRpcValue[]): number {
  let count = 0;
  for (const param of params) {
    if (!Array.isArray(param)) continue;
    for (const item of param) {
      if (isStruct(item) && 'geni_type' in item && 'geni_value' in item) count += 1;
      else if (typeof item === 'string' && !/^urn:/i.test(item.trim())) count += 1;
    }
  }
  return count;
}

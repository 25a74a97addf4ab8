/**
 * One request/response pair as recorded for reports and replay. Bodies are redacted before they get here. An SSH
 * login (src/login) is recorded the same way, as text, with httpStatus 0.
 */
export interface Exchange {
  /** 'x1', 'x2', … unique within its Transcript. */
  id: string;
  /**
   * 'inbound' for a call someone made to the harness (a dynslice server calling the callback endpoint the harness
   * hosts); absent for the harness's own calls.
   */
  direction?: 'inbound';
  /** XML-RPC method name (or the label given to callRaw). */
  method: string;
  /** The URL called: the target's for our calls, our own endpoint's for inbound ones. */
  endpoint: string;
  /** Inbound calls: who called (the TLS peer's URN or address). */
  peer?: string;
  /** ISO time, with milliseconds: when our request left, or when an inbound request arrived. */
  startedAt: string;
  durationMs: number;
  request: { bytes: number; body: string };
  response?: { httpStatus: number; contentType?: string; bytes: number; body: string };
  /** One line: the transport or decode problem. */
  error?: string;
}

/** The byMethod key of raw calls (no XML-RPC method name is empty). */
const OPAQUE = '';

/** The exchanges of one case (or one run), in order. */
export class Transcript {
  readonly entries: Exchange[] = [];
  private issued = 0;
  private callsMade = 0;
  /** Calls by XML-RPC method name; calls whose method the harness cannot vouch for (raw bodies) under OPAQUE. */
  private readonly byMethod = new Map<string, number>();

  /**
   * Calls made to the target (XML-RPC exchanges, not SSH logins), counting those retainRange dropped: what the
   * case cost the aggregate.
   */
  get calls(): number {
    return this.callsMade;
  }

  /**
   * Calls made so far (dropped ones too) whose method `counts`: a raw body (AmClient.callRaw) is passed as
   * `undefined`, since its label need not name the method the bytes call.
   */
  callsWhere(counts: (method: string | undefined) => boolean): number {
    let n = 0;
    for (const [method, calls] of this.byMethod) if (counts(method === OPAQUE ? undefined : method)) n += calls;
    return n;
  }

  /** `opaque`: the label is not known to be the method the request calls (a raw body). */
  add(entry: Omit<Exchange, 'id'>, options: { opaque?: boolean } = {}): Exchange {
    this.issued += 1;
    if (!entry.endpoint.startsWith('ssh:')) {
      this.callsMade += 1;
      const key = options.opaque ? OPAQUE : entry.method;
      this.byMethod.set(key, (this.byMethod.get(key) ?? 0) + 1);
    }
    const recorded: Exchange = { id: `x${this.issued}`, ...entry };
    this.entries.push(recorded);
    return recorded;
  }

  /**
   * Keeps only the entries from index `from` to `to` (exclusive). Ids are never reused, so findings that cite
   * a kept entry still point at it. Property cases use this to keep the counterexample's exchanges, not every
   * generated run's.
   */
  retainRange(from: number, to: number = this.entries.length): void {
    const kept = this.entries.slice(from, to);
    this.entries.splice(0, this.entries.length, ...kept);
  }
}

/** One request/response pair as recorded for reports and replay. Bodies are redacted before they get here. */
export interface Exchange {
  /** 'x1', 'x2', … unique within its Transcript. */
  id: string;
  /** XML-RPC method name (or the label given to callRaw). */
  method: string;
  endpoint: string;
  /** ISO time. */
  startedAt: string;
  durationMs: number;
  request: { bytes: number; body: string };
  response?: { httpStatus: number; contentType?: string; bytes: number; body: string };
  /** One line: the transport or decode problem. */
  error?: string;
}

/** The exchanges of one case (or one run), in order. */
export class Transcript {
  readonly entries: Exchange[] = [];

  add(entry: Omit<Exchange, 'id'>): Exchange {
    const recorded: Exchange = { id: `x${this.entries.length + 1}`, ...entry };
    this.entries.push(recorded);
    return recorded;
  }
}

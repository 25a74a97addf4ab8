import { performance } from 'node:perf_hooks';
import { HarnessError, errorMessage, redactText } from '../core';
import { type HttpsTransport, TransportError, formatBytes, type RawHttpResponse } from '../transport';
import { decodeMethodResponse, encodeMethodCall, XmlRpcDecodeError, type DecodedResponse, type DecodeLimits, type WireTypeIndex, type XmlRpcValue } from '../xmlrpc';
import { Transcript, type Exchange } from './transcript';

// Other modules import these from here (src/runner/types.ts, src/geni/methods.ts).
export { Transcript, type Exchange };

export type CallResult =
  | { kind: 'value'; exchangeId: string; value: XmlRpcValue; wireTypes: WireTypeIndex; durationMs: number }
  /** `problem`: the Fault broke the XML-RPC rule that faultCode is an int (see DecodedResponse). */
  | { kind: 'fault'; exchangeId: string; faultCode: number | string; faultString: string; problem?: string; durationMs: number };

export interface AmClientOptions {
  url: string;
  transport: HttpsTransport;
  transcript?: Transcript;
  /** Whole-exchange limit. @defaultValue 60000 */
  timeoutMs?: number;
  /** @defaultValue 64 MiB */
  maxResponseBytes?: number;
  /**
   * How answers are decoded. The default decodes in this thread; a run decodes aggregates' answers in the
   * document sandbox (src/sandbox), where a deadline stops the work and a memory budget bounds it.
   */
  decoder?: ResponseDecoder;
  /**
   * When the case this client works for must end (epoch ms): no call outlives it (a call's own timeout is cut to
   * it, and a call after it fails at once). Absent for work that must run past it, such as cleanup.
   */
  deadline?: number;
  /**
   * Sees every request body exactly as sent, before redaction. Only for replay files (which are local state,
   * mode 0600, never written under reports/): transcripts keep redacted bodies.
   */
  requestTap?: RequestTap;
  /** Sees every call made with `call` and its result (not `callRaw`): what a case reserved, for the capacity watch. */
  callObserver?: CallObserver;
}

export type CallObserver = (call: { method: string; params: readonly XmlRpcValue[]; result: CallResult }) => void;

export type RequestTap = (sent: { method: string; endpoint: string; body: string }) => void;

/**
 * Decodes one answer within `deadlineMs`. Throws XmlRpcDecodeError for a body that is not a decodable XML-RPC
 * response, and anything else (with a message) when it could not decide in time or within its memory.
 */
export type ResponseDecoder = (body: Buffer, options: { deadlineMs: number; limits: DecodeLimits }) => Promise<DecodedResponse>;

/** Decodes in this thread (tests, tools, the reference side): synchronous work, no deadline. */
export const decodeInThread: ResponseDecoder = async (body, { limits }) => decodeMethodResponse(body, limits);

/** Decoding always gets this long, even when the transport used up most of the call's time. */
const MIN_DECODE_MS = 5_000;

/** Bodies kept in an Exchange are cut here; the marker says how much was left out. */
export const TRANSCRIPT_BODY_LIMIT = 256 * 1024;
const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/**
 * The AM client: codec + transport + transcript. Every exchange is recorded (redacted) before the call
 * returns or throws, so a harness error can always point at what was actually on the wire.
 */
export class AmClient {
  readonly url: string;
  readonly transcript: Transcript;
  private readonly transport: HttpsTransport;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly requestTap?: RequestTap;
  private readonly callObserver?: CallObserver;
  private readonly decoder: ResponseDecoder;
  private readonly deadline?: number;

  constructor(options: AmClientOptions) {
    this.url = options.url;
    this.transport = options.transport;
    this.transcript = options.transcript ?? new Transcript();
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.requestTap = options.requestTap;
    this.callObserver = options.callObserver;
    this.decoder = options.decoder ?? decodeInThread;
    this.deadline = options.deadline;
  }

  /** Same connection and transcript; every request body is also handed to `tap` exactly as sent. */
  withRequestTap(tap: RequestTap): AmClient {
    return new AmClient({ ...this.options(), requestTap: tap });
  }

  /** Same transport (and pooled connection), another transcript: one per case. */
  withTranscript(transcript: Transcript): AmClient {
    return new AmClient({ ...this.options(), transcript });
  }

  /** Same connection and transcript; every `call` and its result is also handed to `observer`. */
  withCallObserver(observer: CallObserver): AmClient {
    return new AmClient({ ...this.options(), callObserver: observer });
  }

  withUrl(url: string): AmClient {
    return new AmClient({ ...this.options(), url });
  }

  async call(method: string, params: XmlRpcValue[]): Promise<CallResult> {
    let body: string;
    try {
      body = encodeMethodCall(method, params);
    } catch (err) {
      throw new HarnessError('internal', `${method} at ${this.url}: cannot encode the parameters: ${errorMessage(err)}`, { cause: err });
    }
    const result = await this.exchange(method, body, false);
    this.callObserver?.({ method, params, result });
    return result;
  }

  /** Send the bytes exactly as given (malformed bodies for fuzzing); `label` names the exchange. */
  async callRaw(label: string, body: string | Buffer): Promise<CallResult> {
    return this.exchange(label, body, true);
  }

  private options(): AmClientOptions {
    return {
      url: this.url, transport: this.transport, transcript: this.transcript, timeoutMs: this.timeoutMs,
      maxResponseBytes: this.maxResponseBytes, requestTap: this.requestTap, callObserver: this.callObserver, decoder: this.decoder, deadline: this.deadline,
    };
  }

  /** `opaque`: `label` is only a name for a raw body, not known to be the method it calls. */
  private async exchange(label: string, body: string | Buffer, opaque: boolean): Promise<CallResult> {
    const where = `${label} at ${this.url}`;
    const requestBytes = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
    const request = { bytes: requestBytes, body: transcriptBody(typeof body === 'string' ? body : body.toString('utf8')) };
    this.requestTap?.({ method: label, endpoint: this.url, body: typeof body === 'string' ? body : body.toString('utf8') });
    const startedAt = new Date().toISOString();
    const started = performance.now();

    // The call's own limit as configured (its message then names it: "within 1500 ms", not the 1499 ms left a moment
    // later), or what is left of the case's time when that ends first.
    const sentAt = Date.now();
    const timeoutMs = Math.min(this.timeoutMs, this.deadline === undefined ? Infinity : this.deadline - sentAt);
    const callEnd = sentAt + timeoutMs;
    let raw: RawHttpResponse;
    try {
      if (timeoutMs <= 0) throw new TransportError('timeout', `${this.url}: not sent: the case reached its time limit before this call`);
      raw = await this.transport.post(this.url, body, { timeoutMs, maxResponseBytes: this.maxResponseBytes });
    } catch (err) {
      const problem = err instanceof TransportError ? withoutUrlPrefix(err.message, this.url) : errorMessage(err);
      const entry = this.transcript.add({
        method: label, endpoint: this.url, startedAt, durationMs: elapsed(started), request, error: oneLine(problem),
      }, { opaque });
      throw new HarnessError('transport', oneLine(`${where}: ${problem}`), { cause: err, exchangeIds: [entry.id], origin: err instanceof HarnessError ? err.origin : 'harness' });
    }

    const contentType = raw.headers['content-type'];
    const response: NonNullable<Exchange['response']> = {
      httpStatus: raw.status,
      ...(contentType !== undefined ? { contentType } : {}),
      bytes: raw.body.length,
      body: transcriptBody(raw.body.toString('utf8')),
    };
    const record = (error?: string): Exchange =>
      this.transcript.add({
        method: label, endpoint: this.url, startedAt, durationMs: raw.durationMs, request, response,
        ...(error !== undefined ? { error: oneLine(error) } : {}),
      }, { opaque });

    if (raw.status < 200 || raw.status > 299) {
      const problem = describeHttpStatus(raw);
      const entry = record(problem);
      throw new HarnessError('transport', oneLine(`${where}: ${problem}`), { exchangeIds: [entry.id], origin: 'target' });
    }

    let decoded: DecodedResponse;
    try {
      const deadlineMs = Math.min(Math.max(callEnd - Date.now(), MIN_DECODE_MS), (this.deadline ?? Infinity) - Date.now());
      decoded = await this.decoder(raw.body, { deadlineMs: Math.max(1, deadlineMs), limits: { maxStringLength: this.maxResponseBytes } });
    } catch (err) {
      const problem = describeDecodeFailure(raw, err);
      const entry = record(problem);
      throw new HarnessError('decode', oneLine(`${where}: ${problem}`), { cause: err, exchangeIds: [entry.id], origin: 'target' });
    }
    const entry = record();
    return decoded.kind === 'fault'
      ? { kind: 'fault', exchangeId: entry.id, faultCode: decoded.faultCode, faultString: decoded.faultString, ...(decoded.problem !== undefined && { problem: decoded.problem }), durationMs: raw.durationMs }
      : { kind: 'value', exchangeId: entry.id, value: decoded.value, wireTypes: decoded.wireTypes, durationMs: raw.durationMs };
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function withoutUrlPrefix(message: string, url: string): string {
  return message.startsWith(`${url}: `) ? message.slice(url.length + 2) : message;
}

function bodyDescription(raw: RawHttpResponse): string {
  const type = raw.headers['content-type']?.split(';')[0]?.trim() || 'untyped';
  return raw.body.length === 0 ? 'an empty body' : `a ${type} body (${formatBytes(raw.body.length)})`;
}

function describeHttpStatus(raw: RawHttpResponse): string {
  if (raw.status >= 300 && raw.status < 400) {
    const location = raw.headers['location'];
    return `HTTP ${raw.status} redirect${location ? ` to ${location}` : ''} (redirects are not followed), not an XML-RPC response`;
  }
  return `HTTP ${raw.status} with ${bodyDescription(raw)}, not an XML-RPC response`;
}

function describeDecodeFailure(raw: RawHttpResponse, err: unknown): string {
  if (err instanceof XmlRpcDecodeError && (err.reason === 'not-xml' || err.reason === 'not-xmlrpc')) {
    return `HTTP ${raw.status} with ${bodyDescription(raw)}, not an XML-RPC response (${err.message})`;
  }
  if (err instanceof XmlRpcDecodeError && (err.reason === 'too-large' || err.reason === 'too-deep')) {
    // Our limit, not the aggregate's malformed XML: say so.
    return `the harness did not decode ${bodyDescription(raw)}: it is past a decoding limit (${err.message})`;
  }
  if (err instanceof XmlRpcDecodeError) return `undecodable XML-RPC response (${err.reason}): ${err.message}`;
  return `${bodyDescription(raw)} could not be decoded: ${errorMessage(err)}`;
}

/**
 * Redact first, then cut: cutting first could split a private key so that redaction no longer recognises it.
 */
export function transcriptBody(text: string, limit = TRANSCRIPT_BODY_LIMIT): string {
  const redacted = redactText(text);
  const bytes = Buffer.byteLength(redacted, 'utf8');
  if (bytes <= limit) return redacted;
  // Cut on a character boundary: decode the first `limit` bytes and drop a trailing partial character.
  const kept = Buffer.from(redacted, 'utf8').subarray(0, limit).toString('utf8').replace(/\uFFFD$/, '');
  const more = bytes - Buffer.byteLength(kept, 'utf8');
  return `${kept}«… ${more} bytes more»`;
}

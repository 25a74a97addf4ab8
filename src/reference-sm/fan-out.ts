import { performance } from 'node:perf_hooks';
import { errorMessage } from '../core';
import { GENI_CODES } from '../geni/error-codes';
import { TransportError, type HttpsTransport } from '../transport';
import { decodeMethodResponse, encodeMethodCall, isStruct, XmlRpcDecodeError, type XmlRpcValue } from '../xmlrpc';
import type { AggregateEntry } from './aggregates-config';

/**
 * Calling the aggregates: one XML-RPC call per aggregate, all at once, each with its own deadline, each outcome
 * kept with how long it took and in which order it came back. Nothing here throws for an aggregate's failure.
 */

/** Why an aggregate's answer could not be used, as a GENI code the slice manager can report. */
export interface PeerFailure {
  geniCode: number;
  message: string;
  /** The JavaScript stack where the failure surfaced (only the stack-trace fault ever shows it). */
  stack?: string;
}

export type PeerOutcome =
  | { status: 'answered'; code: number; value: XmlRpcValue; output: string; answer: Record<string, XmlRpcValue> }
  | { status: 'failed'; failure: PeerFailure };

export interface PeerResult {
  aggregate: AggregateEntry;
  /** Position in the configuration (aggregates.xml order). */
  index: number;
  /** Seconds from sending to the outcome. */
  elapsed: number;
  /** 1 for the first aggregate to come back, 2 for the next, … */
  completedAs: number;
  outcome: PeerOutcome;
}

export interface FanOutOptions {
  transport: HttpsTransport;
  /** Per-aggregate deadline for the whole exchange. */
  deadlineMs: number;
  maxResponseBytes: number;
  /** Call one aggregate after the other (the sequential-fan-out fault). */
  sequential?: boolean;
  /** Told of each answer as it arrives (position in the configuration), e.g. to read its RSpec while others are awaited. */
  onAnswer?: (index: number, outcome: Extract<PeerOutcome, { status: 'answered' }>) => void;
}

/** One call to one aggregate; never throws. */
async function callAggregate(aggregate: AggregateEntry, method: string, body: Buffer | Error, options: FanOutOptions): Promise<PeerOutcome> {
  if (body instanceof Error) return failed(GENI_CODES.SERVERERROR, `cannot encode ${method} for ${aggregate.hrn}: ${body.message}`, body);
  let raw;
  try {
    raw = await options.transport.post(aggregate.url, body, { timeoutMs: options.deadlineMs, maxResponseBytes: options.maxResponseBytes });
  } catch (err) {
    if (err instanceof TransportError && err.failure === 'timeout') return failed(GENI_CODES.TIMEDOUT, `no answer within ${options.deadlineMs} ms`, err);
    return failed(GENI_CODES.RPCERROR, err instanceof TransportError ? err.message.replace(`${aggregate.url}: `, '') : errorMessage(err), err);
  }
  if (raw.status < 200 || raw.status > 299) return failed(GENI_CODES.RPCERROR, `HTTP ${raw.status} instead of an XML-RPC answer`);
  let decoded;
  try {
    decoded = decodeMethodResponse(raw.body);
  } catch (err) {
    const reason = err instanceof XmlRpcDecodeError ? err.message : errorMessage(err);
    return failed(GENI_CODES.RPCERROR, `not an XML-RPC answer: ${reason}`, err);
  }
  if (decoded.kind === 'fault') return failed(GENI_CODES.RPCERROR, `XML-RPC Fault ${decoded.faultCode}: ${decoded.faultString}`);
  const answer = decoded.value;
  if (!isStruct(answer) || !isStruct(answer.code) || typeof answer.code.geni_code !== 'number') {
    return failed(GENI_CODES.RPCERROR, 'the answer is not an AM API v3 return struct (no code.geni_code)');
  }
  return { status: 'answered', code: answer.code.geni_code, value: answer.value ?? '', output: typeof answer.output === 'string' ? answer.output : '', answer };
}

function failed(geniCode: number, message: string, err?: unknown): PeerOutcome {
  const stack = err instanceof Error ? err.stack : new Error(message).stack;
  return { status: 'failed', failure: { geniCode, message, ...(stack && { stack }) } };
}

/** The call's bytes (UTF-8, what the transport sends), or why it cannot be encoded. */
function encode(method: string, params: XmlRpcValue[]): Buffer | Error {
  try {
    return Buffer.from(encodeMethodCall(method, params), 'utf8');
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

/**
 * Calls `method` at every aggregate with `params` (the same for all: encoded once, to bytes once, which matters
 * with fifty aggregates and a credential in every call) or the parameters a function builds per aggregate. Results come in
 * configuration order.
 */
export async function fanOut(
  aggregates: Array<{ aggregate: AggregateEntry; index: number }>,
  method: string,
  params: XmlRpcValue[] | ((aggregate: AggregateEntry) => XmlRpcValue[]),
  options: FanOutOptions,
): Promise<PeerResult[]> {
  let completed = 0;
  const shared = Array.isArray(params) ? encode(method, params) : undefined;
  const one = async ({ aggregate, index }: { aggregate: AggregateEntry; index: number }): Promise<PeerResult> => {
    const started = performance.now();
    const body = shared ?? encode(method, (params as (a: AggregateEntry) => XmlRpcValue[])(aggregate));
    const outcome = await callAggregate(aggregate, method, body, options);
    if (outcome.status === 'answered') options.onAnswer?.(index, outcome);
    return { aggregate, index, elapsed: Math.round(performance.now() - started) / 1000, completedAs: ++completed, outcome };
  };
  if (options.sequential) {
    const results: PeerResult[] = [];
    for (const target of aggregates) results.push(await one(target));
    return results;
  }
  return Promise.all(aggregates.map(one));
}

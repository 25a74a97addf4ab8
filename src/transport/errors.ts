import { HarnessError } from '../core';

/**
 * What went wrong on the wire: 'timeout' (the whole exchange took too long), 'tls' (handshake or certificate),
 * 'connect' (no connection), 'too-large' (response over the cap), 'protocol' (broken HTTP, connection closed
 * mid-answer), 'config' (our own options: bad URL, unreadable PEM).
 */
export type TransportFailure = 'timeout' | 'tls' | 'connect' | 'too-large' | 'protocol' | 'config';

/** Failures that say something about the aggregate; 'tls' and 'config' are most often our own configuration. */
const TARGET_FAILURES: ReadonlySet<TransportFailure> = new Set(['timeout', 'connect', 'too-large', 'protocol']);

export class TransportError extends HarnessError {
  constructor(
    readonly failure: TransportFailure,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super('transport', message, { ...options, origin: TARGET_FAILURES.has(failure) ? 'target' : 'harness' });
  }
}

/**
 * A harness error is a problem on our side of the wire (configuration, transport, a fixture we could not build,
 * our own bug). It is never a conformance failure: JUnit reports it as <error>, never <failure>.
 */
export type HarnessErrorPhase = 'config' | 'transport' | 'decode' | 'fixture' | 'internal';

/**
 * What a harness error points at. 'target': what the aggregate did or sent (no answer in time, a connection it
 * broke, an answer that does not decode or is past the harness's limits): the harness could not judge the case,
 * and a run against that aggregate exits 1, as for a failure. 'harness': our side or its configuration (exit 2).
 */
export type ErrorOrigin = 'target' | 'harness';

export class HarnessError extends Error {
  override readonly name = 'HarnessError';
  /** Transcript entries that show the problem, when there were any. */
  readonly exchangeIds: string[];
  readonly origin: ErrorOrigin;
  constructor(
    readonly phase: HarnessErrorPhase,
    message: string,
    options: { cause?: unknown; exchangeIds?: string[]; origin?: ErrorOrigin } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.exchangeIds = options.exchangeIds ?? [];
    this.origin = options.origin ?? 'harness';
  }
}

/** A configuration problem: the CLI prints its message on one line and exits 2. */
export class ConfigError extends HarnessError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('config', message, options);
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

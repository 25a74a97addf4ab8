/**
 * A harness error is a problem on our side of the wire (configuration, transport, a fixture we could not build,
 * our own bug). It is never a conformance failure: JUnit reports it as <error>, never <failure>.
 */
export type HarnessErrorPhase = 'config' | 'transport' | 'decode' | 'fixture' | 'internal';

export class HarnessError extends Error {
  override readonly name = 'HarnessError';
  /** Transcript entries that show the problem, when there were any. */
  readonly exchangeIds: string[];
  constructor(
    readonly phase: HarnessErrorPhase,
    message: string,
    options: { cause?: unknown; exchangeIds?: string[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.exchangeIds = options.exchangeIds ?? [];
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

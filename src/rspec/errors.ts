/**
 * Why an RSpec could not be taken apart. This is a finding about the document (usually the peer's fault),
 * not a harness error: callers turn it into a conformance finding.
 */
export type RSpecParseRule =
  | 'dtd-forbidden'
  | 'not-well-formed'
  | 'not-compressed'
  | 'wrong-root'
  | 'wrong-type'
  | 'missing-attribute'
  | 'bad-value';

export class RSpecParseError extends Error {
  override readonly name = 'RSpecParseError';
  constructor(
    readonly rule: RSpecParseRule,
    message: string,
    readonly line?: number,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

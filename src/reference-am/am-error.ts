/**
 * The geni_code values the reference AM answers with (GAPI_AM_API_V3/CommonConcepts geni-error-codes.xml).
 * Only the codes this aggregate actually uses are listed.
 */
export const GENI_CODE = {
  SUCCESS: 0,
  BADARGS: 1,
  ERROR: 2,
  FORBIDDEN: 3,
  BADVERSION: 4,
  SERVERERROR: 5,
  REFUSED: 7,
  SEARCHFAILED: 12,
  UNSUPPORTED: 13,
  OUTOFRANGE: 19,
  CREDENTIAL_INVALID: 20,
  CREDENTIAL_EXPIRED: 21,
  CREDENTIAL_MISMATCH: 22,
  CREDENTIAL_SIGNER_UNTRUSTED: 23,
  INSUFFICIENT_NODES: 26,
} as const;

export type GeniCode = (typeof GENI_CODE)[keyof typeof GENI_CODE];

/**
 * An application-level refusal. Handlers throw it; the dispatcher turns it into the v3 error struct
 * `{ code: { geni_code }, value: hint, output: message }`.
 */
export class AmError extends Error {
  override readonly name = 'AmError';
  constructor(
    readonly geniCode: GeniCode,
    message: string,
    /** Goes into `value`, e.g. the latest allowed renew time; '' when there is nothing to hint. */
    readonly hint: string = '',
  ) {
    super(message);
  }
}

export const badArgs = (message: string): AmError => new AmError(GENI_CODE.BADARGS, message);

import { GENI_CODES } from '../geni/error-codes';

/** The geni_code table (GAPI_AM_API_V3/CommonConcepts geni-error-codes.xml), shared with the rest of the harness. */
export const GENI_CODE = GENI_CODES;

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

/**
 * A call with the wrong number of parameters for its method: BADARGS, or an XML-RPC Fault where the personality
 * answers malformed calls that way (see Personality), as Python SimpleXMLRPCServer-based aggregates do before the
 * method runs. A parameter of the wrong type reaches the method and stays BADARGS.
 */
export class MalformedCall extends AmError {
  constructor(message: string) {
    super(GENI_CODE.BADARGS, message);
  }
}

export const malformed = (message: string): AmError => new MalformedCall(message);

/**
 * A credential the credential gate refused, with the code the spec names for its defect; a personality may answer
 * it otherwise (Personality.v3.credentialRefusal).
 */
export class CredentialRefusal extends AmError {
  constructor(refused: AmError) {
    super(refused.geniCode, refused.message, refused.hint);
  }
}

/** XML-RPC "server error: invalid method parameters" (specification for fault code interoperability). */
export const FAULT_INVALID_PARAMS = -32602;

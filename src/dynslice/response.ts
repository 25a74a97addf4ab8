import type { CallResult } from '../client/am-client';
import { isStruct, type WireTypeIndex, type XmlRpcValue } from '../xmlrpc';

/**
 * One observed ProtoGENI-style answer, normalised: `{code, value, output}` with `code` a bare integer (the
 * ProtoGENI response codes, which the GENI AM table later took over: 0 SUCCESS, 1 BADARGS, 2 ERROR,
 * 3 FORBIDDEN, … 12 SEARCHFAILED …).
 */
export interface PgResponse {
  exchangeId: string;
  method: string;
  fault?: { faultCode: number | string; faultString: string };
  /**
   * No XML-RPC answer at all: the connection dropped, timed out, or the body was not XML-RPC. Only the client
   * endpoint calls report this (a client endpoint that drops a call is what those cases judge); elsewhere such a
   * call is a harness error.
   */
  failure?: { phase: string; message: string };
  /** The decoded return value, whatever it was. */
  raw?: XmlRpcValue;
  wireTypes?: WireTypeIndex;
  /** Present when the return is a struct with a `code` member. */
  envelope?: {
    code: XmlRpcValue;
    /** `code` when it is an integer. */
    codeNumber?: number;
    value?: XmlRpcValue;
    output?: XmlRpcValue;
  };
}

export function toPgResponse(method: string, result: CallResult): PgResponse {
  if (result.kind === 'fault') {
    return { exchangeId: result.exchangeId, method, fault: { faultCode: result.faultCode, faultString: result.faultString } };
  }
  const raw = result.value;
  const res: PgResponse = { exchangeId: result.exchangeId, method, raw, wireTypes: result.wireTypes };
  // A decoded struct has no undefined members: a present `code` is a value.
  const code = isStruct(raw) ? raw.code : undefined;
  if (isStruct(raw) && code !== undefined) {
    res.envelope = {
      code,
      ...(typeof code === 'number' && Number.isInteger(code) ? { codeNumber: code } : {}),
      value: raw.value,
      output: raw.output,
    };
  }
  return res;
}

/** Whether the answer is a ProtoGENI success (code 0). */
export function pgSucceeded(res: PgResponse): boolean {
  return res.envelope?.codeNumber === 0;
}

/** Whether the answer is a refusal: a non-zero code, or an XML-RPC Fault. */
export function pgRefused(res: PgResponse): boolean {
  return res.fault !== undefined || (res.envelope?.codeNumber !== undefined && res.envelope.codeNumber !== 0);
}

/**
 * GENI AM API return codes (code.geni_code), as published in GAPI_AM_API_V3/CommonConcepts/geni-error-codes.xml
 * and mirrored by gcf's error_util.py. Codes 18–23 and 26 are later additions to the original table; SERVERBUSY is
 * negative because it belongs to the XML-RPC layer although it is returned in the struct.
 */
export const GENI_CODES = {
  SUCCESS: 0,
  BADARGS: 1,
  ERROR: 2,
  FORBIDDEN: 3,
  BADVERSION: 4,
  SERVERERROR: 5,
  TOOBIG: 6,
  REFUSED: 7,
  TIMEDOUT: 8,
  DBERROR: 9,
  RPCERROR: 10,
  UNAVAILABLE: 11,
  SEARCHFAILED: 12,
  UNSUPPORTED: 13,
  BUSY: 14,
  EXPIRED: 15,
  INPROGRESS: 16,
  ALREADYEXISTS: 17,
  MISSINGARGS: 18,
  OUTOFRANGE: 19,
  CREDENTIAL_INVALID: 20,
  CREDENTIAL_EXPIRED: 21,
  CREDENTIAL_MISMATCH: 22,
  CREDENTIAL_SIGNER_UNTRUSTED: 23,
  VLAN_UNAVAILABLE: 24,
  INSUFFICIENT_BANDWIDTH: 25,
  INSUFFICIENT_NODES: 26,
  SERVERBUSY: -32001,
} as const;

export type GeniCodeName = keyof typeof GENI_CODES;

const NAME_BY_CODE = new Map<number, GeniCodeName>(
  (Object.entries(GENI_CODES) as Array<[GeniCodeName, number]>).map(([name, code]) => [code, name]),
);

/** The registered name of a code, or undefined for a code outside the table (e.g. gcf's 102). */
export function geniCodeName(code: number): GeniCodeName | undefined {
  return NAME_BY_CODE.get(code);
}

/** 'BADARGS (1)' for a name or a number; an unregistered number reads 'unregistered (102)'. */
export function formatCode(code: number | GeniCodeName): string {
  if (typeof code === 'string') return `${code} (${GENI_CODES[code]})`;
  return `${geniCodeName(code) ?? 'unregistered'} (${code})`;
}

import { parseCredential, sameCertificate, verifyCredential, type ParsedCredential, type VerificationCache } from '../credentials';
import { GENI_CODES } from '../geni/error-codes';
import { isStruct, type XmlRpcValue } from '../xmlrpc';

/**
 * The slice manager's own credential checks (SFA's checkCredentials) and its choice of what to forward
 * (getDelegatedCredential): a caller's credential must verify, be owned by the caller's client certificate, be over
 * the slice the call names and grant the operation; what goes to the aggregates is the credential the caller
 * delegated to the slice manager's GID, or else the slice manager's own.
 */

export class SmError extends Error {
  constructor(
    readonly geniCode: number,
    message: string,
  ) {
    super(message);
  }
}

export type SmOperation = 'list' | 'look' | 'change';

/** SFA privilege names and what they allow at a slice manager ('*' allows everything). */
const GRANTS: Record<string, readonly SmOperation[]> = {
  refresh: ['list', 'change'],
  resolve: ['list'],
  info: ['list', 'look'],
  bind: ['list', 'look', 'change'],
  embed: ['list', 'look', 'change'],
  control: ['list', 'look', 'change'],
  instantiate: ['list', 'look', 'change'],
  operator: ['list', 'look', 'change'],
  pi: ['list', 'look', 'change'],
};

const grants = (credential: ParsedCredential, operation: SmOperation): boolean =>
  credential.privileges.some(({ name }) => name === '*' || (GRANTS[name.toLowerCase()]?.includes(operation) ?? false));

/** The geni_sfa credential documents in a v3 credentials argument (others are ignored, as GeniApiCredentials asks). */
export function credentialTexts(credentials: XmlRpcValue): string[] {
  if (!Array.isArray(credentials)) throw new SmError(GENI_CODES.BADARGS, 'credentials must be an array of { geni_type, geni_version, geni_value } structs');
  return credentials.flatMap((item) => {
    if (typeof item === 'string') return [item];
    if (isStruct(item) && typeof item.geni_type === 'string' && item.geni_type.toLowerCase() === 'geni_sfa' && typeof item.geni_value === 'string') return [item.geni_value];
    return [];
  });
}

export interface CallerRequest {
  credentials: XmlRpcValue;
  clientCertPem?: string;
  operation: SmOperation;
  /** The slice the call is about (undefined for ListResources). */
  sliceUrn?: string;
  trustedRootsPem: string[];
  now: Date;
  /** Credentials verified before (the same caller sends the same credential on every call). */
  cache?: VerificationCache;
}

/** The caller's credential that authorises the call; SmError (with the GENI code) when none does. */
export function checkCaller(request: CallerRequest): ParsedCredential {
  const texts = credentialTexts(request.credentials);
  let first: SmError | undefined;
  for (const [i, xml] of texts.entries()) {
    const where = `credential ${i + 1}`;
    const verdict = verifyCredential(xml, { trustedRootsPem: request.trustedRootsPem, now: request.now, cache: request.cache });
    let problem: SmError | undefined;
    if (!verdict.ok) {
      const code = verdict.problem === 'expired' ? GENI_CODES.CREDENTIAL_EXPIRED : verdict.problem === 'untrusted-signer' ? GENI_CODES.CREDENTIAL_SIGNER_UNTRUSTED : GENI_CODES.CREDENTIAL_INVALID;
      problem = new SmError(code, `${where}: ${verdict.message}`);
    } else if (!request.clientCertPem || !sameCertificate(verdict.credential.ownerGidPem, request.clientCertPem)) {
      problem = new SmError(GENI_CODES.CREDENTIAL_MISMATCH, `${where} is owned by ${verdict.credential.ownerUrn}, not by the caller's client certificate`);
    } else if (request.sliceUrn !== undefined && verdict.credential.targetUrn.toLowerCase() !== request.sliceUrn.toLowerCase()) {
      problem = new SmError(GENI_CODES.CREDENTIAL_MISMATCH, `${where} is for ${verdict.credential.targetUrn}, not for slice ${request.sliceUrn}`);
    } else if (!grants(verdict.credential, request.operation)) {
      problem = new SmError(GENI_CODES.FORBIDDEN, `${where} does not grant this operation (privileges: ${verdict.credential.privileges.map((p) => p.name).join(', ') || 'none'})`);
    }
    if (!problem && verdict.ok) return verdict.credential;
    first ??= problem;
  }
  throw first ?? new SmError(GENI_CODES.FORBIDDEN, 'no usable credential: this slice manager accepts geni_sfa credentials, version 2 or 3');
}

/**
 * The first credential the caller delegated to us (its owner is our GID), for `sliceUrn` when the call names one.
 * It is not verified here: the aggregates verify it, and they are the ones it must convince.
 */
export function delegatedToUs(credentials: XmlRpcValue, ourCertPem: string, sliceUrn?: string): string | undefined {
  for (const xml of credentialTexts(credentials)) {
    try {
      const parsed = parseCredential(xml);
      if (!sameCertificate(parsed.ownerGidPem, ourCertPem)) continue;
      if (sliceUrn !== undefined && parsed.targetUrn.toLowerCase() !== sliceUrn.toLowerCase()) continue;
      return xml;
    } catch {
      // Not ours to judge: the caller's other credentials were checked by checkCaller.
    }
  }
  return undefined;
}

import { CredentialFormatError, VerificationCache, parseCredential, sameCertificate, verifyCredential, type ParsedCredential } from '../credentials';
import { isStruct, type XmlRpcValue } from '../xmlrpc';
import { AmError, GENI_CODE, badArgs } from './am-error';
import { waivedDelegationRules } from './delegation-faults';
import type { FaultSet } from './faults';

/** The operations a credential can grant, named after what the caller wants done. */
export type Operation = 'listresources' | 'allocate' | 'provision' | 'status' | 'describe' | 'renew' | 'operate' | 'delete' | 'shutdown';

/**
 * SFA privilege names and the operations they grant (after gcf's rights table, reduced to v3 methods).
 * '*' grants everything.
 */
const PRIVILEGE_GRANTS: Record<string, readonly Operation[]> = {
  refresh: ['listresources', 'renew'],
  resolve: ['listresources'],
  info: ['listresources', 'status', 'describe'],
  embed: ['listresources', 'allocate', 'provision', 'renew', 'delete', 'status', 'describe'],
  bind: ['listresources', 'allocate', 'provision', 'status', 'describe'],
  control: ['listresources', 'allocate', 'provision', 'renew', 'operate', 'delete', 'status', 'describe', 'shutdown'],
  instantiate: ['listresources', 'allocate', 'provision', 'renew', 'operate', 'delete', 'status', 'describe'],
  operator: ['listresources', 'status', 'describe', 'delete', 'shutdown'],
  pi: ['listresources', 'allocate', 'provision', 'renew', 'operate', 'delete', 'status', 'describe', 'shutdown'],
};

export function privilegesGrant(privileges: ReadonlyArray<{ name: string }>, operation: Operation): boolean {
  return privileges.some(({ name }) => {
    const lower = name.toLowerCase();
    return lower === '*' || (PRIVILEGE_GRANTS[lower]?.includes(operation) ?? false);
  });
}

export interface AuthorizationRequest {
  /** The credentials argument as received. */
  credentials: XmlRpcValue | undefined;
  operation: Operation;
  /** The slice the call is about; undefined for ListResources (any credential of the caller will do). */
  sliceUrn?: string;
  /** The TLS client certificate; without one nobody can own a credential. */
  clientCertPem?: string;
  trustedRootsPem: string[];
  now: Date;
  faults: FaultSet;
  /** How a GID reaches a trusted root (VerifyOptions.gidChains). @defaultValue 'credential' */
  gidChains?: 'credential' | 'own';
}

/**
 * Picks out the geni_sfa (version 2 or 3) credentials and ignores the rest, as GeniApiCredentials asks.
 * A bare string is taken as an SFA credential, as gcf does for pre-v3 clients.
 */
export function sfaCredentialTexts(credentials: XmlRpcValue | undefined): string[] {
  if (!Array.isArray(credentials)) throw badArgs('credentials must be an array of { geni_type, geni_version, geni_value } structs');
  const texts: string[] = [];
  for (const item of credentials) {
    if (typeof item === 'string') texts.push(item);
    else if (isStruct(item) && typeof item.geni_type === 'string' && item.geni_type.toLowerCase() === 'geni_sfa') {
      const version = String(item.geni_version);
      if ((version === '2' || version === '3') && typeof item.geni_value === 'string') texts.push(item.geni_value);
    }
  }
  return texts;
}

/**
 * The credential gate. The call is authorised when ANY ONE credential passes every check (gcf semantics);
 * otherwise the first credential's problem is the answer. Returns the credential that authorised the call, whose
 * expiry bounds every sliver lifetime.
 */
export function authorize(request: AuthorizationRequest): ParsedCredential {
  const texts = sfaCredentialTexts(request.credentials);
  if (texts.length === 0) {
    throw new AmError(GENI_CODE.FORBIDDEN, 'no usable credential: this aggregate accepts geni_sfa credentials, version 2 or 3');
  }
  let firstProblem: AmError | undefined;
  for (const [i, xml] of texts.entries()) {
    const outcome = checkOne(xml, i, request);
    if (!(outcome instanceof AmError)) return outcome;
    firstProblem ??= outcome;
  }
  throw firstProblem ?? new AmError(GENI_CODE.FORBIDDEN, 'no credential authorises this call');
}

function checkOne(xml: string, index: number, request: AuthorizationRequest): ParsedCredential | AmError {
  const where = `credential ${index + 1}`;
  const credential = verified(xml, where, request);
  if (credential instanceof AmError) return credential;

  // client-certificate-optional: the owner is compared with the client certificate only when there is one.
  const noCertificateToCompare = !request.clientCertPem && request.faults.has('client-certificate-optional');
  if (!request.faults.has('accepts-other-owner') && !noCertificateToCompare) {
    if (!request.clientCertPem || !sameCertificate(credential.ownerGidPem, request.clientCertPem)) {
      return new AmError(GENI_CODE.CREDENTIAL_MISMATCH, `${where} is owned by ${credential.ownerUrn}, not by the caller's client certificate`);
    }
  }
  if (request.sliceUrn !== undefined && !request.faults.has('accepts-wrong-slice-credential')) {
    if (credential.targetUrn.toLowerCase() !== request.sliceUrn.toLowerCase()) {
      return new AmError(GENI_CODE.CREDENTIAL_MISMATCH, `${where} is for ${credential.targetUrn}, not for slice ${request.sliceUrn}`);
    }
  }
  if (!privilegesGrant(credential.privileges, request.operation)) {
    const held = credential.privileges.map((p) => p.name).join(', ') || 'none';
    return new AmError(GENI_CODE.FORBIDDEN, `${where} does not grant ${request.operation} (privileges: ${held})`);
  }
  return credential;
}

/**
 * verifyCredential, with the faults that each skip exactly one check: an expired credential is re-verified as of
 * just before it expired (so its signature and signer are still checked); an untrusted or altered one is taken at
 * its word, parsed and then only its expiry checked.
 */
/**
 * Credentials that verified, per document and trust roots (a caller sends the same credential on every call; XML
 * signature checks are the costly part). Only successes are kept, each for as long as it holds.
 */
const VERIFIED = new VerificationCache(2000);

function verified(xml: string, where: string, request: AuthorizationRequest): ParsedCredential | AmError {
  const { trustedRootsPem, now, faults, gidChains } = request;
  const waive = waivedDelegationRules(faults);
  const lenientUrns = faults.has('accepts-malformed-credential-urns');
  let verdict = verifyCredential(xml, { trustedRootsPem, now, waive, lenientUrns, gidChains, cache: VERIFIED });
  if (verdict.ok) return verdict.credential;
  const parsed = parseLeniently(xml);
  if (parsed && verdict.problem === 'expired' && faults.has('accepts-expired-credential')) {
    const before = new Date(Math.min(now.getTime(), parsed.expires.getTime() - 1000));
    verdict = verifyCredential(xml, { trustedRootsPem, now: before, waive, lenientUrns, gidChains });
    // Still 'expired' means a certificate's validity, not the credential's, is the issue: the fault accepts that too.
    if (verdict.ok || verdict.problem === 'expired') return parsed;
  }
  const takenAtItsWord =
    (verdict.problem === 'untrusted-signer' && faults.has('accepts-untrusted-signer')) ||
    (verdict.problem === 'bad-signature' && faults.has('accepts-altered-credential'));
  if (parsed && takenAtItsWord) {
    if (parsed.expires.getTime() >= now.getTime() || faults.has('accepts-expired-credential')) return parsed;
    return new AmError(GENI_CODE.CREDENTIAL_EXPIRED, `${where} expired at ${parsed.expires.toISOString()}`);
  }
  switch (verdict.problem) {
    case 'expired':
      return new AmError(GENI_CODE.CREDENTIAL_EXPIRED, `${where}: ${verdict.message}`);
    case 'untrusted-signer':
      return new AmError(GENI_CODE.CREDENTIAL_SIGNER_UNTRUSTED, `${where}: ${verdict.message}`);
    default:
      return new AmError(GENI_CODE.CREDENTIAL_INVALID, `${where}: ${verdict.message}`);
  }
}

function parseLeniently(xml: string): ParsedCredential | undefined {
  try {
    return parseCredential(xml);
  } catch (err) {
    if (err instanceof CredentialFormatError) return undefined;
    throw err;
  }
}

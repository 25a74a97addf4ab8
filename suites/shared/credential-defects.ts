/**
 * The credential defects the harness tries, one table for every protocol that takes GENI credentials: the AM API in
 * every version (suites/shared/credentials.cases.ts, over the life cycle) and the dynslice server, which checks them
 * as the aggregate does (suites/dynslice/credentials.cases.ts). A defect says what is sent and how to build it from a
 * valid credential, the catalogued requirements its refusal enforces, the GENI code the spec names for it, and the
 * reference-AM credential faults it exposes (as the AM suites see them: a `geni-code` finding).
 */
import type { Detection } from '../../src/core';
import type { GeniCodeName } from '../../src/geni/error-codes';
import type { RequirementId } from '../../src/geni/requirements';
import type { CredentialKit, Credentials, SliceFixture } from '../../src/runner/fixtures-types';
import type { Tag } from '../../src/runner/types';

/** Privileges that grant neither status nor changes (SFA 'refresh' renews, 'resolve' looks up). */
const PRIVILEGES_WITHOUT_INFO = ['refresh', 'resolve'];

export interface CredentialDefect {
  /** Kebab-case; the second half of the case id. */
  slug: string;
  /** What is sent, completing "<call> with …". */
  what: string;
  requirement: string;
  /** The catalogued requirements the refusal enforces. */
  requirements: RequirementId[];
  preferred: GeniCodeName;
  /** The bad credentials, built from a valid one (the slice's, or the user's when `slice` is absent). */
  credentials(creds: CredentialKit, slice?: SliceFixture): Credentials | Promise<Credentials>;
  spec?: string[];
  tags?: Tag[];
  /** Reference-AM faults the defect exposes (the fault-sensitivity test runs a case in its fault's versions). */
  detects?: Detection[];
  /** The bad credential is about a slice (another owner's, another slice's, a narrowed one): one is made for it. */
  needsSlice?: boolean;
}

export const CREDENTIAL_DEFECTS: Readonly<Record<string, CredentialDefect>> = {
  malformed: {
    slug: 'malformed', what: 'a credential that is not a signed-credential document', preferred: 'CREDENTIAL_INVALID',
    requirement: 'A credential that does not parse or validate against its schema is refused (CREDENTIAL_INVALID)',
    requirements: ['cred.validation.schema', 'v3c.credentials.valid'],
    credentials: (c, s) => c.malformed(s),
  },
  altered: {
    slug: 'altered', what: 'a credential altered after signing', preferred: 'CREDENTIAL_INVALID',
    requirement: 'A credential whose XML signature does not verify is refused (CREDENTIAL_INVALID)',
    requirements: ['cred.validation.signature', 'v3c.credentials.valid'],
    credentials: (c, s) => c.altered(s), detects: [{ fault: 'accepts-altered-credential', check: 'geni-code' }],
  },
  'untrusted-signer': {
    slug: 'untrusted-signer', what: 'a credential signed by an untrusted authority', preferred: 'CREDENTIAL_SIGNER_UNTRUSTED',
    requirement: 'Every certificate in the credential chains to a trusted root, or the credential is refused (CREDENTIAL_SIGNER_UNTRUSTED)',
    requirements: ['cred.validation.trusted-chain', 'v3c.credentials.valid', 'cert.validation.all-certificates'],
    credentials: (c, s) => c.untrustedSigner(s), detects: [{ fault: 'accepts-untrusted-signer', check: 'geni-code' }],
  },
  expired: {
    slug: 'expired', what: 'an expired credential', preferred: 'CREDENTIAL_EXPIRED',
    requirement: 'The credential and all embedded certificates are unexpired, or it is refused (CREDENTIAL_EXPIRED)',
    requirements: ['cred.validation.unexpired', 'v3c.credentials.valid', 'cert.validation.all-certificates'],
    credentials: (c, s) => c.expired(s), spec: ['credentials#Expiry'], tags: ['expiry'], detects: [{ fault: 'accepts-expired-credential', check: 'geni-code' }],
  },
  'malformed-signer-urn': {
    slug: 'malformed-signer-urn', what: 'a credential whose signer certificate names it by a URN with whitespace', preferred: 'CREDENTIAL_INVALID',
    requirement: 'Every URN a credential contains follows the GENI URN rules, or it is refused (CREDENTIAL_INVALID): here the signer chains to a trusted root and has authority over the target, and only its URN is malformed',
    requirements: ['cred.validation.urns', 'v3c.credentials.valid'],
    credentials: (c, s) => c.malformedSignerUrn(s), detects: [{ fault: 'accepts-malformed-credential-urns', check: 'geni-code' }],
  },
  'unknown-type': {
    slug: 'unknown-type', what: 'only a credential of a type the aggregate does not know', preferred: 'FORBIDDEN',
    requirement: 'Credentials the aggregate does not understand are skipped (v3: an unknown geni_type; v1/v2: a struct where an XML string belongs); with nothing usable left the call is refused (FORBIDDEN)',
    requirements: ['cred.list.semantics', 'v3c.credentials.privileges'],
    credentials: (c, s) => c.unknownType(s),
  },
  'empty-list': {
    slug: 'empty-list', what: 'an empty credentials list', preferred: 'FORBIDDEN',
    requirement: 'Without a credential of the caller the call is refused (FORBIDDEN)',
    requirements: ['v3c.credentials.privileges'],
    credentials: () => [],
  },
  'other-owner': {
    slug: 'other-owner', what: 'a credential owned by someone other than the caller', preferred: 'CREDENTIAL_MISMATCH',
    requirement: 'The credential owner must match the SSL client certificate, or it is refused (CREDENTIAL_MISMATCH)',
    requirements: ['v3c.credentials.valid'],
    credentials: (c, s) => c.otherOwner(s!), detects: [{ fault: 'accepts-other-owner', check: 'geni-code' }], needsSlice: true,
  },
  'other-slice': {
    slug: 'other-slice', what: "another slice's credential", preferred: 'CREDENTIAL_MISMATCH',
    requirement: 'Slice operations need a credential whose target is that slice; another target is refused (CREDENTIAL_MISMATCH)',
    requirements: ['v3c.credentials.slice-credential-authorizes'],
    credentials: (c, s) => c.otherSlice(s!), detects: [{ fault: 'accepts-wrong-slice-credential', check: 'geni-code' }], needsSlice: true,
  },
  'user-credential': {
    slug: 'user-credential', what: 'the user credential instead of a slice credential', preferred: 'CREDENTIAL_MISMATCH',
    requirement: 'Methods naming a slice need a slice credential over that slice; a user credential is refused (CREDENTIAL_MISMATCH)',
    requirements: ['v3c.credentials.slice-credential-authorizes'],
    credentials: (c) => c.user(), detects: [{ fault: 'accepts-wrong-slice-credential', check: 'geni-code' }],
  },
  'insufficient-privileges': {
    slug: 'insufficient-privileges', what: 'a slice credential granting only refresh and resolve', preferred: 'FORBIDDEN',
    requirement: 'A credential lacking the privileges the operation needs is refused (FORBIDDEN)',
    requirements: ['v3c.credentials.privileges'],
    credentials: (c, s) => c.withoutPrivileges(s!, PRIVILEGES_WITHOUT_INFO), spec: ['credentials#Privileges'], needsSlice: true,
  },
};

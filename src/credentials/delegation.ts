import { randomUUID } from 'node:crypto';
import { makeUrn, parseUrn } from '../geni/urn';
import { mintUser, sliceCertificate, type TestAuthority, type UserIdentity } from './authority';
import { issueCertificate, type KeyPair } from './certificates';
import { credentialMutations } from './mutations';
import { mintCredential, mintSliceCredential, USER_CREDENTIAL_PRIVILEGES, type Privilege } from './mint';
import { parseCredential } from './parse';
import type { DelegationRule } from './verify';

/**
 * SFA delegation as slice managers use it (GeniApiCredentials "Delegation"; sfi's `delegate`): the owner of a
 * credential re-signs it for a new owner, for the same target, with the same or fewer privileges, expiring no later,
 * the original kept in <parent>. A slice manager acting for a caller forwards such a credential, delegated by the
 * caller to the slice manager's own GID, so that every aggregate can see both who asked and who is asking.
 */

/** Who delegates: the parent credential's owner, with the certificates a verifier needs to trust theirs. */
export interface Delegator extends KeyPair {
  urn: string;
  /** Intermediate certificates after the delegator's own (for a minted user: the SA certificate). */
  chainPem?: string[];
}

/** Who receives: the new owner (a slice manager's GID, or another user). */
export interface Delegate {
  certPem: string;
  urn: string;
}

/**
 * Delegate `parentXml` to `delegate`, signed by `delegator` (who must own it for any aggregate to accept it).
 * Another `targetUrn` than the parent's needs its `targetCertPem` (a GID its authority signed).
 * @defaultValue privileges: the parent's delegatable privileges, kept as they are (not re-delegatable); expires: the parent's expiry
 */
export function delegateTo(parentXml: string, delegator: Delegator, delegate: Delegate, options: { privileges?: Privilege[]; expires?: Date; targetUrn?: string; targetCertPem?: string } = {}): string {
  const parent = parseCredential(parentXml);
  const privileges = options.privileges ?? parent.privileges.filter((p) => p.canDelegate).map((p) => ({ name: p.name, canDelegate: false }));
  const targetUrn = options.targetUrn ?? parent.targetUrn;
  return mintCredential({
    owner: delegate,
    target: { urn: targetUrn, certPem: options.targetCertPem ?? (targetUrn === parent.targetUrn ? parent.targetGidPem : undefined) },
    privileges,
    expires: options.expires ?? parent.expires,
    signer: delegator,
    signerChainPem: delegator.chainPem,
    parentXml,
  });
}

/** The harness's own minted user as a delegator: the SA certificate lets a verifier chain the user to the CA. */
export function userAsDelegator(authority: TestAuthority, user: UserIdentity): Delegator {
  return { certPem: user.certPem, keyPem: user.keyPem, urn: user.urn, chainPem: [authority.sa.certPem] };
}

/** A delegation that keeps every rule ('valid'), or breaks exactly the named one. */
export type DelegationVariant = 'valid' | DelegationRule;

export interface DelegationVariantRequest {
  /** The slice the delegated credential is for (the call's slice). */
  sliceUrn: string;
  /** The slice credential's expiry; the parent expires then (or within a day, whichever is sooner). */
  sliceExpires: Date;
  /** The new owner: whoever will present the delegated credential with its own client certificate. */
  delegate: Delegate;
  /** The parent's owner, who delegates (another user of the authority). */
  owner: UserIdentity;
  /** A third user, who signs the delegation it does not own (signed-by-parent-owner). */
  stranger: UserIdentity;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/**
 * A slice credential for `sliceUrn` owned by `owner`, delegated to `delegate`, built so that it breaks exactly one
 * delegation rule (or none). Every variant grants what Describe and Status need ('info' at least) when its broken
 * rule is ignored, so an aggregate that ignores the rule authorises the call, and one that checks it refuses.
 */
export function mintDelegationVariant(authority: TestAuthority, variant: DelegationVariant, request: DelegationVariantRequest): string {
  const { owner, delegate, stranger, sliceUrn } = request;
  const parentExpires = new Date(Math.min(request.sliceExpires.getTime(), Date.now() + DAY_MS));
  parentExpires.setMilliseconds(0);
  const parent = (privileges: Privilege[] = [{ name: '*', canDelegate: true }], urn = sliceUrn): string =>
    mintSliceCredential(authority, owner, urn, { expires: parentExpires, privileges });
  const info: Privilege[] = [{ name: 'info', canDelegate: false }];
  const byOwner = userAsDelegator(authority, owner);
  switch (variant) {
    case 'valid':
      return delegateTo(parent(), byOwner, delegate, { privileges: [{ name: '*', canDelegate: false }] });
    case 'parent-signature':
      // The parent is altered after the SA signed it; the delegation's own signature is made over the altered copy.
      return delegateTo(credentialMutations.alteredObject(parent()), byOwner, delegate, { privileges: info });
    case 'signed-by-parent-owner':
      return delegateTo(parent(), userAsDelegator(authority, stranger), delegate, { privileges: info });
    case 'same-target':
      return delegateTo(parent(undefined, otherSliceUrn(sliceUrn)), byOwner, delegate, { privileges: info, targetUrn: sliceUrn, targetCertPem: `${sliceCertificate(authority.sa, sliceUrn).trim()}\n${authority.sa.certPem.trim()}` });
    case 'no-wider-privileges':
      // 'resolve' alone grants no look at a slice; 'info' does.
      return delegateTo(parent([{ name: 'resolve', canDelegate: true }]), byOwner, delegate, { privileges: info });
    case 'privileges-delegatable':
      return delegateTo(parent([{ name: '*', canDelegate: false }]), byOwner, delegate, { privileges: info });
    case 'expires-within-parent':
      return delegateTo(parent(), byOwner, delegate, { privileges: info, expires: new Date(parentExpires.getTime() + HOUR_MS) });
  }
}

/** Another slice of the same authority, for a parent credential over the wrong target. */
function otherSliceUrn(sliceUrn: string): string {
  const parsed = parseUrn(sliceUrn);
  const name = parsed?.name ?? 'slice';
  return makeUrn(parsed?.authority ?? 'unknown', 'slice', `${name.slice(0, 16)}oth`);
}

/** The users a delegation variant needs besides the delegate, minted once per authority. */
const delegationUsers = new Map<TestAuthority, { owner: UserIdentity; stranger: UserIdentity }>();

export function delegationParties(authority: TestAuthority): { owner: UserIdentity; stranger: UserIdentity } {
  let parties = delegationUsers.get(authority);
  if (!parties) {
    parties = { owner: mintUser(authority, 'carol'), stranger: mintUser(authority, 'dave') };
    delegationUsers.set(authority, parties);
  }
  return parties;
}

/** A service's identity: its GID, usable as TLS server and client certificate. */
export interface ServiceIdentity extends KeyPair {
  urn: string;
}

/**
 * The GID of a slice manager (or another GENI service that calls aggregates itself): an `authority` URN
 * (`urn:publicid:IDN+<authority>+authority+sm`), signed by the CA, valid for TLS on `hosts`. Credentials are
 * delegated to this certificate, and the service presents it as its client certificate to aggregates.
 * @defaultValue name `'sm'`, authorityName the authority's own name
 */
export function mintServiceIdentity(
  authority: TestAuthority,
  options: { hosts: string[]; name?: string; authorityName?: string; /** Reuse a key (many peers, one key: minting keys is the slow part). */ keyPem?: string },
): ServiceIdentity {
  const ipAddresses = options.hosts.filter((host) => /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':'));
  const dnsNames = options.hosts.filter((host) => !ipAddresses.includes(host));
  const urn = makeUrn(options.authorityName ?? authority.name, 'authority', options.name ?? 'sm');
  const now = Date.now();
  const issued = issueCertificate({
    commonName: dnsNames[0] ?? ipAddresses[0] ?? urn,
    uris: [urn, `urn:uuid:${randomUUID()}`],
    dnsNames,
    ipAddresses,
    isAuthority: false,
    tlsServer: true,
    notBefore: new Date(now - HOUR_MS),
    notAfter: new Date(now + 365 * DAY_MS),
    issuer: authority.ca,
    keyPem: options.keyPem,
  });
  return { ...issued, urn };
}

/**
 * A service's own credential (what an SFA slice manager gets from its registry and falls back to when a caller
 * delegated nothing): signed by the SA, owned by and about the service. It lets the service list resources; it is
 * no credential over anyone's slice.
 */
export function mintServiceCredential(authority: TestAuthority, service: ServiceIdentity, options: { expires?: Date } = {}): string {
  return mintCredential({
    owner: { certPem: service.certPem, urn: service.urn },
    target: { certPem: service.certPem, urn: service.urn },
    privileges: USER_CREDENTIAL_PRIVILEGES,
    expires: options.expires ?? new Date(Date.now() + 30 * DAY_MS),
    signer: authority.sa,
    signerChainPem: [authority.ca.certPem],
  });
}

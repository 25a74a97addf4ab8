import type { XmlRpcValue } from '../xmlrpc';

/** 'valid', or the delegation rule a delegated credential breaks (src/credentials DELEGATION_RULES). */
export type DelegationVariantName =
  | 'valid' | 'parent-signature' | 'signed-by-parent-owner' | 'same-target' | 'no-wider-privileges' | 'privileges-delegatable' | 'expires-within-parent';

/** A credentials argument as the API version sends it (v3: geni_sfa structs; v1/v2: XML strings). */
export type Credentials = XmlRpcValue[];

/** A slice the harness made for a case: its URN, a slice credential, and the user it belongs to. */
export interface SliceFixture {
  name: string;
  urn: string;
  /** The slice credential XML (signed-credential document). */
  credentialXml: string;
  /** Slice credential wrapped as the version expects (v3: a geni_sfa struct; v1/v2: the XML string). */
  credentials: Credentials;
  expires: Date;
}

/** Credential variants for negative tests. Each returns the credentials array as the version expects. */
export interface CredentialKit {
  /** The user credential, wrapped for the version. */
  user(): Credentials;
  userXml(): string;
  /** A slice credential for `slice`, wrapped. */
  slice(slice: SliceFixture): Credentials;
  /** Negative variants, built from a valid credential (the user credential unless `of` is given). */
  malformed(of?: SliceFixture): Credentials;
  altered(of?: SliceFixture): Credentials;
  untrustedSigner(of?: SliceFixture): Credentials;
  /**
   * Signed by a slice authority the aggregate trusts (its certificate chains to the CA) whose certificate names it
   * by a URN that breaks the GENI URN rules (whitespace in its name): only the URN is wrong.
   */
  malformedSignerUrn(of?: SliceFixture): Credentials;
  expired(of?: SliceFixture): Credentials;
  /** A valid slice credential for another slice (the target URN does not match). */
  otherSlice(slice: SliceFixture): Promise<Credentials>;
  /** A valid slice credential for `slice` whose owner is another user (not the client certificate). */
  otherOwner(slice: SliceFixture): Credentials;
  /** A v3 credential struct with an unknown geni_type (for v1/v2, where credentials are strings, a struct at all). */
  unknownType(of?: SliceFixture): Credentials;
  /** A valid slice credential for `slice` that lacks the privileges the call needs (e.g. only 'info'). */
  withoutPrivileges(slice: SliceFixture, privileges: string[]): Credentials;
  /**
   * A credential over `slice` that another user of the authority owns and delegated to the caller (GeniApiCredentials
   * "Delegation"): 'valid' keeps every rule; a rule name breaks exactly that rule (see DELEGATION_RULES).
   */
  delegated(slice: SliceFixture, variant: DelegationVariantName): Credentials;
  /** The slice credential with a chosen expiry (must be before the user cert expiry). */
  sliceExpiringAt(slice: SliceFixture, expires: Date): Credentials;
}

/** A fixture several read-only cases share (src/runner/shared-fixtures.ts, a case's `needs`). */
export type SharedFixtureName = 'reserved-slice';

/** A shared slice, with what its reservation answered. */
export interface SharedSlice extends SliceFixture {
  /** The sliver URNs the reservation's first answer lists (v3 Allocate's geni_slivers); none where it lists none (v1/v2). */
  sliverUrns: string[];
}

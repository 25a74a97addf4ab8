import type { CredentialStruct } from '../geni/methods';

/** A slice the harness made for a case: its URN, a slice credential, and the user it belongs to. */
export interface SliceFixture {
  name: string;
  urn: string;
  /** The slice credential XML (signed-credential document). */
  credentialXml: string;
  /** Slice credential wrapped as the version expects (v3: a geni_sfa struct). */
  credentials: CredentialStruct[];
  expires: Date;
}

/** Credential variants for negative tests. Each returns the credentials array as the version expects. */
export interface CredentialKit {
  /** The user credential, wrapped for the version. */
  user(): CredentialStruct[];
  userXml(): string;
  /** A slice credential for `slice`, wrapped. */
  slice(slice: SliceFixture): CredentialStruct[];
  /** Negative variants, built from a valid credential (the user credential unless `of` is given). */
  malformed(of?: SliceFixture): CredentialStruct[];
  altered(of?: SliceFixture): CredentialStruct[];
  untrustedSigner(of?: SliceFixture): CredentialStruct[];
  expired(of?: SliceFixture): CredentialStruct[];
  /** A valid slice credential for another slice (the target URN does not match). */
  otherSlice(slice: SliceFixture): Promise<CredentialStruct[]>;
  /** A valid slice credential for `slice` whose owner is another user (not the client certificate). */
  otherOwner(slice: SliceFixture): CredentialStruct[];
  /** The struct with an unknown geni_type. */
  unknownType(of?: SliceFixture): CredentialStruct[];
  /** A valid slice credential for `slice` that lacks the privileges the call needs (e.g. only 'info'). */
  withoutPrivileges(slice: SliceFixture, privileges: string[]): CredentialStruct[];
  /** The slice credential with a chosen expiry (must be before the user cert expiry). */
  sliceExpiringAt(slice: SliceFixture, expires: Date): CredentialStruct[];
}

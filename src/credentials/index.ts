export {
  type KeyPair, type RsaKeySupply, certificateUrn, certificateUuid, generateRsaKeyPem, PRESET_RSA_KEY_SUPPLY, sameCertificate, splitPemCertificates, useRsaKeySupply,
} from './certificates';
export {
  type TestAuthority,
  type UserIdentity,
  DEFAULT_AUTHORITY_NAME,
  createTestAuthority,
  initAuthority,
  loadAuthority,
  mintUser,
  mintAmIdentity,
  mintEndpointIdentity,
  sliceUrn,
  withSliceAuthorityUrn,
} from './authority';
export {
  type MintCredentialOptions,
  type Privilege,
  USER_CREDENTIAL_PRIVILEGES,
  SLICE_CREDENTIAL_PRIVILEGES,
  mintCredential,
  mintUserCredential,
  mintSliceCredential,
  delegateCredential,
  sfaCredentialStruct,
} from './mint';
export { type ParsedCredential, CredentialFormatError, parseCredential, parseCredentialTime } from './parse';
export {
  type CredentialProblem,
  type CredentialVerdict,
  type DelegationRule,
  type VerifyOptions,
  DELEGATION_RULES,
  VerificationCache,
  verifyCredential,
} from './verify';
export {
  type Delegate,
  type Delegator,
  type DelegationVariant,
  type DelegationVariantRequest,
  type ServiceIdentity,
  delegateTo,
  delegationParties,
  mintDelegationVariant,
  mintServiceCredential,
  mintServiceIdentity,
  userAsDelegator,
} from './delegation';
export { type UserFilePaths, type UserFiles, loadUserFiles } from './user-files';
export { credentialMutations } from './mutations';
export { formatOmniConfig, omniAggregate, parseOmniConfig, readOmniConfig, type OmniConfig } from './omni-config';

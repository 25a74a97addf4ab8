import { geniCode } from '../../src/checks';
import type { GeniCodeName } from '../../src/geni/error-codes';
import type { Credentials } from '../../src/runner/fixtures-types';
import type { CredentialKit, SliceFixture } from '../../src/runner/fixtures-types';
import { defineCases } from '../../src/runner/define';

import { allocatedSlice, rspecVersion } from './sliver-steps';
import { am3, type AmCaseContext } from '../../src/runner/am-suites';

/*
 * Bad credentials must be refused. Every case accepts any refusal (the acceptance suite's reading), and names the
 * code the spec gives for that defect, which --strict then demands: 20 for a malformed or altered credential,
 * 21 expired, 22 not matching the caller or the slice, 23 untrusted signer, FORBIDDEN (3) when no credential is
 * usable at all.
 */

/** Privileges that grant neither Describe nor Status (SFA 'refresh' renews, 'resolve' looks up). */
const PRIVILEGES_WITHOUT_INFO = ['refresh', 'resolve'];

/** A credential set built from the kit for a slice; async because another slice has to be made for some. */
type SliceCredentials = (creds: CredentialKit, slice: SliceFixture) => Credentials | Promise<Credentials>;
/** A credential set for ListResources, which takes the user's credential. */
type UserCredentials = (creds: CredentialKit) => Credentials;

async function listResourcesWith(t: AmCaseContext, credentials: UserCredentials, preferred: GeniCodeName): Promise<void> {
  const res = await t.am.ListResources(credentials(t.creds), { geni_rspec_version: rspecVersion(t) });
  t.verify(res, [geniCode.refusal(preferred)]);
}

/** Describe of a fresh slice with no slivers: valid with the slice's own credential, so only the credential decides. */
async function describeWith(t: AmCaseContext, credentials: SliceCredentials, preferred: GeniCodeName): Promise<void> {
  const slice = await t.newSlice();
  const res = await t.am.Describe([slice.urn], await credentials(t.creds, slice), { geni_rspec_version: rspecVersion(t) });
  t.verify(res, [geniCode.refusal(preferred)]);
}

/** Status of a slice with an allocated sliver (Status of an empty slice may be SEARCHFAILED whatever the credential). */
async function statusWith(t: AmCaseContext, credentials: SliceCredentials, preferred: GeniCodeName): Promise<void> {
  const { slice } = await allocatedSlice(t);
  const res = await t.am.Status([slice.urn], await credentials(t.creds, slice), {});
  t.verify(res, [geniCode.refusal(preferred)]);
}

export default defineCases(am3, { tags: ['credentials', 'auth'], spec: ['credentials#Validation', 'am3/common#Credentials'] }, [
  // ListResources: the user credential
  {
    id: 'am3.credentials.listresources-malformed',
    title: 'ListResources with a credential that is not a signed-credential document',
    requirement: 'A credential that does not validate against its schema is refused (CREDENTIAL_INVALID)',
    level: 'MUST',
    tags: ['listresources'],
    async run(t) {
      await listResourcesWith(t, (c) => c.malformed(), 'CREDENTIAL_INVALID');
    },
  },
  {
    id: 'am3.credentials.listresources-altered',
    title: 'ListResources with a user credential altered after signing',
    requirement: 'A credential whose XML signature does not verify is refused (CREDENTIAL_INVALID)',
    level: 'MUST',
    tags: ['listresources'],
    detects: ['accepts-altered-credential'],
    async run(t) {
      await listResourcesWith(t, (c) => c.altered(), 'CREDENTIAL_INVALID');
    },
  },
  {
    id: 'am3.credentials.listresources-untrusted-signer',
    title: 'ListResources with a user credential signed by an untrusted authority',
    requirement: 'Every certificate in the credential chains to a trusted root, or the credential is refused (CREDENTIAL_SIGNER_UNTRUSTED)',
    level: 'MUST',
    tags: ['listresources'],
    detects: ['accepts-untrusted-signer'],
    async run(t) {
      await listResourcesWith(t, (c) => c.untrustedSigner(), 'CREDENTIAL_SIGNER_UNTRUSTED');
    },
  },
  {
    id: 'am3.credentials.listresources-expired',
    title: 'ListResources with an expired user credential',
    requirement: 'The credential and all embedded certificates are unexpired, or it is refused (CREDENTIAL_EXPIRED)',
    level: 'MUST',
    spec: ['credentials#Expiry'],
    tags: ['listresources', 'expiry'],
    detects: ['accepts-expired-credential'],
    async run(t) {
      await listResourcesWith(t, (c) => c.expired(), 'CREDENTIAL_EXPIRED');
    },
  },
  {
    id: 'am3.credentials.listresources-unknown-type',
    title: 'ListResources with only a credential of an unknown geni_type',
    requirement: 'Credentials the aggregate does not understand are skipped; with nothing usable left the call is refused (FORBIDDEN)',
    level: 'MUST',
    tags: ['listresources'],
    async run(t) {
      await listResourcesWith(t, (c) => c.unknownType(), 'FORBIDDEN');
    },
  },
  {
    id: 'am3.credentials.listresources-empty-list',
    title: 'ListResources with an empty credentials list',
    requirement: 'ListResources needs a credential of the caller; without one it is refused (FORBIDDEN)',
    level: 'MUST',
    tags: ['listresources'],
    async run(t) {
      await listResourcesWith(t, () => [], 'FORBIDDEN');
    },
  },
  {
    id: 'am3.credentials.listresources-other-owner',
    title: 'ListResources with a credential owned by someone other than the caller',
    requirement: 'The credential owner must match the SSL client certificate, or it is refused (CREDENTIAL_MISMATCH)',
    level: 'MUST',
    tags: ['listresources'],
    detects: ['accepts-other-owner'],
    async run(t) {
      const slice = await t.newSlice();
      await listResourcesWith(t, (c) => c.otherOwner(slice), 'CREDENTIAL_MISMATCH');
    },
  },
  {
    id: 'am3.credentials.listresources-unknown-type-beside-valid',
    title: 'ListResources with an unknown-type credential followed by the valid user credential',
    requirement: 'Aggregates pick out the credentials they understand and are robust to the rest: the valid one authorises the call',
    level: 'MUST',
    tags: ['listresources'],
    async run(t) {
      const res = await t.am.ListResources([...t.creds.unknownType(), ...t.creds.user()], { geni_rspec_version: rspecVersion(t) });
      t.verify(res, [geniCode.success()]);
    },
  },
  {
    id: 'am3.credentials.listresources-expired-beside-valid',
    title: 'ListResources with an expired credential followed by the valid user credential',
    requirement: 'One credential granting the needed privileges authorises the call, whatever else is in the list',
    level: 'SHOULD',
    tags: ['listresources', 'expiry'],
    async run(t) {
      const res = await t.am.ListResources([...t.creds.expired(), ...t.creds.user()], { geni_rspec_version: rspecVersion(t) });
      t.verify(res, [geniCode.success()]);
    },
  },

  // Describe: a slice credential over that slice
  {
    id: 'am3.credentials.describe-own-slice-credential',
    title: 'Describe of a new slice with its own slice credential',
    requirement: 'A valid slice credential for the slice authorises Describe (the control for the refusals below)',
    level: 'MUST',
    spec: ['am3#Describe'],
    tags: ['describe', 'smoke'],
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.am.Describe([slice.urn], slice.credentials, { geni_rspec_version: rspecVersion(t) }), [geniCode.success()]);
    },
  },
  {
    id: 'am3.credentials.describe-malformed',
    title: 'Describe with a malformed slice credential',
    requirement: 'A credential that does not validate against its schema is refused (CREDENTIAL_INVALID)',
    level: 'MUST',
    spec: ['am3#Describe'],
    tags: ['describe'],
    async run(t) {
      await describeWith(t, (c, s) => c.malformed(s), 'CREDENTIAL_INVALID');
    },
  },
  {
    id: 'am3.credentials.describe-altered',
    title: 'Describe with a slice credential altered after signing',
    requirement: 'A credential whose XML signature does not verify is refused (CREDENTIAL_INVALID)',
    level: 'MUST',
    spec: ['am3#Describe'],
    tags: ['describe'],
    detects: ['accepts-altered-credential'],
    async run(t) {
      await describeWith(t, (c, s) => c.altered(s), 'CREDENTIAL_INVALID');
    },
  },
  {
    id: 'am3.credentials.describe-untrusted-signer',
    title: 'Describe with a slice credential signed by an untrusted authority',
    requirement: 'A credential not chaining to a trusted root is refused (CREDENTIAL_SIGNER_UNTRUSTED)',
    level: 'MUST',
    spec: ['am3#Describe'],
    tags: ['describe'],
    detects: ['accepts-untrusted-signer'],
    async run(t) {
      await describeWith(t, (c, s) => c.untrustedSigner(s), 'CREDENTIAL_SIGNER_UNTRUSTED');
    },
  },
  {
    id: 'am3.credentials.describe-expired',
    title: 'Describe with an expired slice credential',
    requirement: 'An expired credential is refused (CREDENTIAL_EXPIRED)',
    level: 'MUST',
    spec: ['am3#Describe', 'credentials#Expiry'],
    tags: ['describe', 'expiry'],
    detects: ['accepts-expired-credential'],
    async run(t) {
      await describeWith(t, (c, s) => c.expired(s), 'CREDENTIAL_EXPIRED');
    },
  },
  {
    id: 'am3.credentials.describe-other-slice',
    title: "Describe of a slice with another slice's credential",
    requirement: 'Slice operations need a credential whose target is that slice; another target is refused (CREDENTIAL_MISMATCH)',
    level: 'MUST',
    spec: ['am3#Describe'],
    tags: ['describe'],
    detects: ['accepts-wrong-slice-credential'],
    async run(t) {
      await describeWith(t, (c, s) => c.otherSlice(s), 'CREDENTIAL_MISMATCH');
    },
  },
  {
    id: 'am3.credentials.describe-other-owner',
    title: 'Describe with a slice credential owned by another user',
    requirement: 'The credential owner must match the SSL client certificate (CREDENTIAL_MISMATCH)',
    level: 'MUST',
    spec: ['am3#Describe'],
    tags: ['describe'],
    detects: ['accepts-other-owner'],
    async run(t) {
      await describeWith(t, (c, s) => c.otherOwner(s), 'CREDENTIAL_MISMATCH');
    },
  },
  {
    id: 'am3.credentials.describe-user-credential',
    title: 'Describe of a slice with the user credential instead of a slice credential',
    requirement: 'Methods naming a slice need a slice credential over that slice; a user credential is refused (CREDENTIAL_MISMATCH)',
    level: 'MUST',
    spec: ['am3#Describe'],
    tags: ['describe'],
    detects: ['accepts-wrong-slice-credential'],
    async run(t) {
      await describeWith(t, (c) => c.user(), 'CREDENTIAL_MISMATCH');
    },
  },
  {
    id: 'am3.credentials.describe-insufficient-privileges',
    title: 'Describe with a slice credential granting only refresh and resolve',
    requirement: 'A credential lacking the privileges the operation needs is refused (FORBIDDEN)',
    level: 'MUST',
    spec: ['am3#Describe', 'credentials#Privileges'],
    tags: ['describe'],
    async run(t) {
      await describeWith(t, (c, s) => c.withoutPrivileges(s, PRIVILEGES_WITHOUT_INFO), 'FORBIDDEN');
    },
  },
  {
    id: 'am3.credentials.describe-unknown-type',
    title: 'Describe with only a slice credential of an unknown geni_type',
    requirement: 'With no credential the aggregate understands, the call is refused (FORBIDDEN)',
    level: 'MUST',
    spec: ['am3#Describe'],
    tags: ['describe'],
    async run(t) {
      await describeWith(t, (c, s) => c.unknownType(s), 'FORBIDDEN');
    },
  },
  {
    id: 'am3.credentials.describe-empty-list',
    title: 'Describe with an empty credentials list',
    requirement: 'Without a slice credential the call is refused (FORBIDDEN)',
    level: 'MUST',
    spec: ['am3#Describe'],
    tags: ['describe'],
    async run(t) {
      await describeWith(t, () => [], 'FORBIDDEN');
    },
  },
  {
    id: 'am3.credentials.describe-malformed-beside-valid',
    title: 'Describe with a malformed credential followed by the valid slice credential',
    requirement: 'Aggregates are robust to credentials they cannot use: the valid slice credential authorises the call',
    level: 'MUST',
    spec: ['am3#Describe'],
    tags: ['describe'],
    async run(t) {
      const slice = await t.newSlice();
      const res = await t.am.Describe([slice.urn], [...t.creds.malformed(slice), ...slice.credentials], { geni_rspec_version: rspecVersion(t) });
      t.verify(res, [geniCode.success()]);
    },
  },

  // Status: a slice with a sliver, so only the credential can make it fail
  {
    id: 'am3.credentials.status-expired',
    title: 'Status of an allocated slice with an expired slice credential',
    requirement: 'An expired credential is refused (CREDENTIAL_EXPIRED)',
    level: 'MUST',
    spec: ['am3#Status', 'credentials#Expiry'],
    tags: ['status', 'expiry'],
    detects: ['accepts-expired-credential'],
    async run(t) {
      await statusWith(t, (c, s) => c.expired(s), 'CREDENTIAL_EXPIRED');
    },
  },
  {
    id: 'am3.credentials.status-other-slice',
    title: "Status of an allocated slice with another slice's credential",
    requirement: 'A credential for another slice is refused (CREDENTIAL_MISMATCH)',
    level: 'MUST',
    spec: ['am3#Status'],
    tags: ['status'],
    detects: ['accepts-wrong-slice-credential'],
    async run(t) {
      await statusWith(t, (c, s) => c.otherSlice(s), 'CREDENTIAL_MISMATCH');
    },
  },
  {
    id: 'am3.credentials.status-user-credential',
    title: 'Status of an allocated slice with the user credential',
    requirement: 'Status needs a slice credential over the slice; a user credential is refused (CREDENTIAL_MISMATCH)',
    level: 'MUST',
    spec: ['am3#Status'],
    tags: ['status'],
    detects: ['accepts-wrong-slice-credential'],
    async run(t) {
      await statusWith(t, (c) => c.user(), 'CREDENTIAL_MISMATCH');
    },
  },
  {
    id: 'am3.credentials.status-untrusted-signer',
    title: 'Status of an allocated slice with a slice credential signed by an untrusted authority',
    requirement: 'A credential not chaining to a trusted root is refused (CREDENTIAL_SIGNER_UNTRUSTED)',
    level: 'MUST',
    spec: ['am3#Status'],
    tags: ['status'],
    detects: ['accepts-untrusted-signer'],
    async run(t) {
      await statusWith(t, (c, s) => c.untrustedSigner(s), 'CREDENTIAL_SIGNER_UNTRUSTED');
    },
  },
]);

/**
 * Bad credentials in AM API v2 (credentials are XML strings). Every case accepts any refusal, the acceptance
 * suite's reading, and names the code the spec gives for the defect, which --strict then demands: 20 malformed or
 * altered, 21 expired, 22 not matching the caller or the slice, 23 untrusted signer, FORBIDDEN (3) when nothing
 * usable is left.
 */
import { geniCode } from '../../src/checks';
import type { GeniCodeName } from '../../src/geni/error-codes';
import type { CredentialKit, Credentials, SliceFixture } from '../../src/runner/fixtures-types';
import { defineCases } from '../../src/runner/define';

import { createdSlice, listOptions, rfc3339, secondsFromNow } from './v2-steps';
import { am2, type AmCaseContext } from '../../src/runner/am-suites';

/** Privileges that grant neither status nor changes (SFA 'refresh' renews, 'resolve' looks up). */
const PRIVILEGES_WITHOUT_INFO = ['refresh', 'resolve'];

async function listResourcesWith(t: AmCaseContext, credentials: (c: CredentialKit) => Credentials, preferred: GeniCodeName): Promise<void> {
  t.verify(await t.v2.ListResources(credentials(t.creds), listOptions(t)), [geniCode.refusal(preferred)]);
}

/** SliverStatus of a slice with slivers: valid with the slice's own credential, so only the credential decides. */
async function statusWith(t: AmCaseContext, credentials: (c: CredentialKit, s: SliceFixture) => Credentials | Promise<Credentials>, preferred: GeniCodeName): Promise<void> {
  const { slice } = await createdSlice(t);
  t.verify(await t.v2.SliverStatus(slice.urn, await credentials(t.creds, slice), {}), [geniCode.refusal(preferred)]);
}

export default defineCases(am2, { tags: ['credentials', 'auth'], spec: ['credentials#Validation'] }, [
  {
    id: 'am2.credentials.listresources-malformed',
    title: 'ListResources with a credential that is not a signed-credential document',
    requirement: 'A credential that does not parse or validate is refused (CREDENTIAL_INVALID)',
    level: 'MUST',
    tags: ['listresources'],
    async run(t) {
      await listResourcesWith(t, (c) => c.malformed(), 'CREDENTIAL_INVALID');
    },
  },
  {
    id: 'am2.credentials.listresources-altered',
    title: 'ListResources with a user credential altered after signing',
    requirement: 'A credential whose XML signature does not verify is refused (CREDENTIAL_INVALID)',
    level: 'MUST',
    tags: ['listresources'],
    async run(t) {
      await listResourcesWith(t, (c) => c.altered(), 'CREDENTIAL_INVALID');
    },
  },
  {
    id: 'am2.credentials.listresources-untrusted-signer',
    title: 'ListResources with a user credential signed by an untrusted authority',
    requirement: 'A credential that does not chain to a trusted root is refused (CREDENTIAL_SIGNER_UNTRUSTED)',
    level: 'MUST',
    tags: ['listresources'],
    async run(t) {
      await listResourcesWith(t, (c) => c.untrustedSigner(), 'CREDENTIAL_SIGNER_UNTRUSTED');
    },
  },
  {
    id: 'am2.credentials.listresources-expired',
    title: 'ListResources with an expired user credential',
    requirement: 'An expired credential is refused (CREDENTIAL_EXPIRED)',
    level: 'MUST',
    spec: ['credentials#Expiry'],
    tags: ['listresources', 'expiry'],
    async run(t) {
      await listResourcesWith(t, (c) => c.expired(), 'CREDENTIAL_EXPIRED');
    },
  },
  {
    id: 'am2.credentials.listresources-empty-list',
    title: 'ListResources with an empty credentials list',
    requirement: 'ListResources needs a credential of the caller; without one it is refused (FORBIDDEN)',
    level: 'MUST',
    tags: ['listresources'],
    async run(t) {
      await listResourcesWith(t, () => [], 'FORBIDDEN');
    },
  },
  {
    id: 'am2.credentials.listresources-struct-credential',
    title: 'ListResources with a credential struct instead of an XML string',
    requirement: 'v2 credentials are XML strings; with no credential the aggregate can use, the call is refused (FORBIDDEN)',
    level: 'MUST',
    tags: ['listresources'],
    async run(t) {
      await listResourcesWith(t, (c) => c.unknownType(), 'FORBIDDEN');
    },
  },
  {
    id: 'am2.credentials.sliverstatus-other-owner',
    title: 'SliverStatus with a slice credential owned by another user',
    requirement: 'The credential owner must match the SSL client certificate (CREDENTIAL_MISMATCH)',
    level: 'MUST',
    spec: ['am2#SliverStatus'],
    tags: ['status'],
    async run(t) {
      await statusWith(t, (c, s) => c.otherOwner(s), 'CREDENTIAL_MISMATCH');
    },
  },
  {
    id: 'am2.credentials.sliverstatus-user-credential',
    title: 'SliverStatus with the user credential instead of a slice credential',
    requirement: 'Methods naming a slice need a slice credential over that slice; a user credential is refused (CREDENTIAL_MISMATCH)',
    level: 'MUST',
    spec: ['am2#SliverStatus'],
    tags: ['status'],
    async run(t) {
      await statusWith(t, (c) => c.user(), 'CREDENTIAL_MISMATCH');
    },
  },
  {
    id: 'am2.credentials.sliverstatus-expired',
    title: 'SliverStatus with an expired slice credential',
    requirement: 'An expired slice credential is refused (CREDENTIAL_EXPIRED)',
    level: 'MUST',
    spec: ['am2#SliverStatus', 'credentials#Expiry'],
    tags: ['status', 'expiry'],
    async run(t) {
      await statusWith(t, (c, s) => c.expired(s), 'CREDENTIAL_EXPIRED');
    },
  },
  {
    id: 'am2.credentials.sliverstatus-insufficient-privileges',
    title: 'SliverStatus with a slice credential granting only refresh and resolve',
    requirement: 'A credential lacking the privileges the operation needs is refused (FORBIDDEN)',
    level: 'MUST',
    spec: ['am2#SliverStatus', 'credentials#Privileges'],
    tags: ['status'],
    async run(t) {
      await statusWith(t, (c, s) => c.withoutPrivileges(s, PRIVILEGES_WITHOUT_INFO), 'FORBIDDEN');
    },
  },
  {
    id: 'am2.credentials.createsliver-other-slice',
    title: "CreateSliver with another slice's credential",
    requirement: 'Reserving for a slice needs a credential whose target is that slice (CREDENTIAL_MISMATCH)',
    level: 'MUST',
    spec: ['am2#CreateSliver'],
    tags: ['allocate', 'destructive'],
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.v2.CreateSliver(slice.urn, await t.creds.otherSlice(slice), await t.requestRSpec(), [], {}), [geniCode.refusal('CREDENTIAL_MISMATCH')]);
    },
  },
  {
    id: 'am2.credentials.renewsliver-untrusted-signer',
    title: 'RenewSliver with a slice credential signed by an untrusted authority',
    requirement: 'A credential that does not chain to a trusted root is refused (CREDENTIAL_SIGNER_UNTRUSTED)',
    level: 'MUST',
    spec: ['am2#RenewSliver'],
    tags: ['renew', 'destructive'],
    async run(t) {
      const { slice } = await createdSlice(t);
      const res = await t.v2.RenewSliver(slice.urn, t.creds.untrustedSigner(slice), rfc3339(secondsFromNow(86_400)), {});
      t.verify(res, [geniCode.refusal('CREDENTIAL_SIGNER_UNTRUSTED')]);
    },
  },
]);

/**
 * Bad credentials in AM API v1: each is refused the v1 way, with an XML-RPC Fault or false (gcf am1 raises
 * Fault('Insufficient privileges')). An error sent as the v2/v3 return struct is a finding: v1 clients do not
 * read it as a failure.
 */
import { v1 } from '../../src/checks/v1';
import type { CredentialKit, Credentials, SliceFixture } from '../../src/runner/fixtures-types';
import { defineCases } from '../../src/runner/define';

import { createdSlice, listOptions } from './v1-steps';
import { am1, type AmCaseContext } from '../../src/runner/am-suites';

async function listResourcesWith(t: AmCaseContext, credentials: (c: CredentialKit) => Credentials): Promise<void> {
  t.verify(await t.v1.ListResources(credentials(t.creds), listOptions(t)), [v1.refused()]);
}

async function statusWith(t: AmCaseContext, credentials: (c: CredentialKit, s: SliceFixture) => Credentials | Promise<Credentials>): Promise<void> {
  const { slice } = await createdSlice(t);
  t.verify(await t.v1.SliverStatus(slice.urn, await credentials(t.creds, slice)), [v1.refused()]);
}

export default defineCases(am1, { tags: ['credentials', 'auth', 'errors'], spec: ['credentials#Validation', 'am1#Errors'] }, [
  {
    id: 'am1.credentials.listresources-malformed',
    title: 'ListResources with the user credential minus its first character',
    requirement: 'A credential that does not parse is refused (Fault or false), as the acceptance suite checks',
    level: 'MUST',
    tags: ['listresources'],
    detects: ['v1-error-as-struct'],
    async run(t) {
      await listResourcesWith(t, (c) => c.malformed());
    },
  },
  {
    id: 'am1.credentials.listresources-altered',
    title: 'ListResources with a user credential altered after signing',
    requirement: 'A credential whose signature does not verify is refused (Fault or false)',
    level: 'MUST',
    tags: ['listresources'],
    detects: ['v1-error-as-struct'],
    async run(t) {
      await listResourcesWith(t, (c) => c.altered());
    },
  },
  {
    id: 'am1.credentials.listresources-untrusted-signer',
    title: 'ListResources with a user credential signed by an untrusted authority',
    requirement: 'A credential that does not chain to a trusted root is refused (Fault or false)',
    level: 'MUST',
    tags: ['listresources'],
    async run(t) {
      await listResourcesWith(t, (c) => c.untrustedSigner());
    },
  },
  {
    id: 'am1.credentials.listresources-expired',
    title: 'ListResources with an expired user credential',
    requirement: 'An expired credential is refused (Fault or false)',
    level: 'MUST',
    spec: ['credentials#Expiry'],
    tags: ['listresources', 'expiry'],
    async run(t) {
      await listResourcesWith(t, (c) => c.expired());
    },
  },
  {
    id: 'am1.credentials.listresources-empty-list',
    title: 'ListResources with an empty credentials list',
    requirement: 'Without a credential of the caller the call is refused (Fault or false)',
    level: 'MUST',
    tags: ['listresources'],
    async run(t) {
      await listResourcesWith(t, () => []);
    },
  },
  {
    id: 'am1.credentials.sliverstatus-other-owner',
    title: 'SliverStatus with a slice credential owned by another user',
    requirement: 'The credential owner must match the SSL client certificate, or the call is refused (Fault or false)',
    level: 'MUST',
    spec: ['am1#SliverStatus'],
    tags: ['status', 'destructive'],
    async run(t) {
      await statusWith(t, (c, s) => c.otherOwner(s));
    },
  },
  {
    id: 'am1.credentials.sliverstatus-user-credential',
    title: 'SliverStatus with the user credential instead of a slice credential',
    requirement: 'Methods naming a slice need a slice credential over that slice; a user credential is refused (Fault or false)',
    level: 'MUST',
    spec: ['am1#SliverStatus'],
    tags: ['status', 'destructive'],
    async run(t) {
      await statusWith(t, (c) => c.user());
    },
  },
  {
    id: 'am1.credentials.deletesliver-other-slice',
    title: "DeleteSliver with another slice's credential",
    requirement: 'Deleting needs a credential for that slice; another one is refused (Fault or false)',
    level: 'MUST',
    spec: ['am1#DeleteSliver'],
    tags: ['delete', 'destructive'],
    detects: ['v1-error-as-struct'],
    async run(t) {
      const { slice } = await createdSlice(t);
      t.verify(await t.v1.DeleteSliver(slice.urn, await t.creds.otherSlice(slice)), [v1.refused()]);
    },
  },
]);

/**
 * Case ids that are no longer used, each with the id of the case that replaced it (or `removed: why`). An id is
 * never reused: test/registry.test.ts fails on a case with a retired id and on a retired id that points nowhere.
 * CI histories keyed by the old ids can be mapped with this table.
 */
export const RETIRED_IDS: Readonly<Record<string, string>> = {
  // 2026-11: a case shared by several suites has no suite prefix (it ran as am2 and am3 too).
  'am1.shared.advertisement-geni3': 'lifecycle.advertisement-geni3',
  'am1.shared.reserve-status-release': 'lifecycle.reserve-status-release',
  // 2026-11: the credential cases of v1, v2 and v3 became one table over the life cycle (suites/shared/credentials.cases.ts).
  'am1.credentials.listresources-malformed': 'credentials.listresources-malformed',
  'am1.credentials.listresources-altered': 'credentials.listresources-altered',
  'am1.credentials.listresources-untrusted-signer': 'credentials.listresources-untrusted-signer',
  'am1.credentials.listresources-expired': 'credentials.listresources-expired',
  'am1.credentials.listresources-empty-list': 'credentials.listresources-empty-list',
  'am1.credentials.sliverstatus-other-owner': 'credentials.status-other-owner',
  'am1.credentials.sliverstatus-user-credential': 'credentials.status-user-credential',
  'am1.credentials.deletesliver-other-slice': 'credentials.release-other-slice',
  'am2.credentials.listresources-malformed': 'credentials.listresources-malformed',
  'am2.credentials.listresources-altered': 'credentials.listresources-altered',
  'am2.credentials.listresources-untrusted-signer': 'credentials.listresources-untrusted-signer',
  'am2.credentials.listresources-expired': 'credentials.listresources-expired',
  'am2.credentials.listresources-empty-list': 'credentials.listresources-empty-list',
  'am2.credentials.listresources-struct-credential': 'credentials.listresources-unknown-type',
  'am2.credentials.sliverstatus-other-owner': 'credentials.status-other-owner',
  'am2.credentials.sliverstatus-user-credential': 'credentials.status-user-credential',
  'am2.credentials.sliverstatus-expired': 'credentials.status-expired',
  'am2.credentials.sliverstatus-insufficient-privileges': 'credentials.status-insufficient-privileges',
  'am2.credentials.createsliver-other-slice': 'credentials.reserve-other-slice',
  'am2.credentials.renewsliver-untrusted-signer': 'credentials.renew-untrusted-signer',
  'am3.credentials.listresources-malformed': 'credentials.listresources-malformed',
  'am3.credentials.listresources-altered': 'credentials.listresources-altered',
  'am3.credentials.listresources-untrusted-signer': 'credentials.listresources-untrusted-signer',
  'am3.credentials.listresources-expired': 'credentials.listresources-expired',
  'am3.credentials.listresources-unknown-type': 'credentials.listresources-unknown-type',
  'am3.credentials.listresources-empty-list': 'credentials.listresources-empty-list',
  'am3.credentials.listresources-other-owner': 'credentials.listresources-other-owner',
  'am3.credentials.status-expired': 'credentials.status-expired',
  'am3.credentials.status-other-slice': 'credentials.status-other-slice',
  'am3.credentials.status-user-credential': 'credentials.status-user-credential',
  'am3.credentials.status-untrusted-signer': 'credentials.status-untrusted-signer',
  // 2026-11-29: the delegation cases run in every AM API version (suites/shared/delegation.cases.ts).
  'am3.delegation.accepts-valid': 'delegation.accepts-valid',
  'am3.delegation.refuses-parent-signature': 'delegation.refuses-parent-signature',
  'am3.delegation.refuses-signed-by-parent-owner': 'delegation.refuses-signed-by-parent-owner',
  'am3.delegation.refuses-same-target': 'delegation.refuses-same-target',
  'am3.delegation.refuses-no-wider-privileges': 'delegation.refuses-no-wider-privileges',
  'am3.delegation.refuses-privileges-delegatable': 'delegation.refuses-privileges-delegatable',
  'am3.delegation.refuses-expires-within-parent': 'delegation.refuses-expires-within-parent',
  // 2026-11-29: the dynslice credential cases take their defects from the shared table (suites/shared/credential-defects.ts).
  'dynslice.credentials.register-none': 'dynslice.credentials.register-empty-list',
};

import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core';
import { createTestAuthority } from '../../src/credentials';
import { FaultSet, REFERENCE_FAULTS, startReferenceAm } from '../../src/reference-am';

describe('reference AM fault registry', () => {
  it('lists at least 16 faults with unique kebab-case names and a description each', () => {
    expect(REFERENCE_FAULTS.length).toBeGreaterThanOrEqual(16);
    const names = REFERENCE_FAULTS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const f of REFERENCE_FAULTS) {
      expect(f.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(f.description.length).toBeGreaterThan(10);
      // A fault belongs to AM API versions, or to another suite's surface (the dynslice server).
      expect(f.api.length > 0 || f.suite !== undefined).toBe(true);
      for (const api of f.api) expect([1, 2, 3]).toContain(api);
    }
  });

  it('includes every fault name the suite maps cases to', () => {
    const required = [
      'getversion-omits-api-versions', 'getversion-relative-api-urls', 'getversion-api-as-string', 'getversion-omits-credential-types', 'ignores-compressed',
      'invalid-advertisement', 'advertisement-in-pgv2', 'available-ignored', 'advertises-allocated-as-available', 'accepts-expired-credential', 'accepts-untrusted-signer',
      'accepts-altered-credential', 'accepts-other-owner', 'accepts-wrong-slice-credential', 'accepts-malformed-credential-urns', 'client-certificate-optional', 'missing-rspec-version-accepted',
      'unsupported-rspec-version-wrong-code', 'unknown-option-rejected', 'delete-leaves-sliver-listed',
      'status-wrong-state-after-provision', 'renew-past-credential', 'extend-alap-ignored', 'status-omits-geni-error',
      'error-as-fault', 'output-missing-on-error', 'manifest-missing-sliver-id', 'allocate-ignores-capacity', 'refused-allocate-keeps-nodes',
      'searchfailed-as-empty-success', 'poa-accepts-unknown-action', 'unadvertised-operational-state', 'describe-wrong-slice-urn', 'expires-not-rfc3339',
      'single-allocate-twice', 'shutdown-not-enforced', 'listresources-accepts-no-credentials', 'describe-empty-slice-searchfailed',
      // v1, v2 and the draft UpdateSliver
      'v1-error-as-struct', 'v1-unsupported-rspec-version-accepted', 'v1-renewsliver-past-credential', 'v1-text-fault-codes',
      'v2-exception-as-fault', 'v2-renewsliver-output-date',
      'v2-getversion-omits-top-level-api', 'v2-draft-code-shape', 'v2-missing-rspec-version-accepted', 'v2-createsliver-twice',
      'v2-sliverstatus-wrong-precedence', 'v2-renewsliver-past-credential', 'v2-shutdown-not-enforced', 'updatesliver-not-atomic',
      // delegation: one per GeniApiCredentials rule (suites/shared/delegation.cases.ts)
      'delegation-parent-signature-unchecked', 'delegation-signer-unchecked', 'delegation-target-unchecked',
      'delegation-widens-privileges', 'delegation-ignores-can-delegate', 'delegation-outlives-parent',
      // only property cases catch these (test/reference-am/property-faults.test.ts)
      'accepts-duplicate-interface-client-ids', 'allocate-double-books-exclusive-in-request', 'compressed-drops-available-filter',
      'mistyped-option-crashes', 'describe-stale-after-renew', 'renew-ignores-utc-offset',
      // node logins (test/reference-am/node-logins.test.ts logs in for real)
      'login-entry-missing', 'login-wrong-port', 'login-key-not-installed', 'login-accepts-other-slice-keys', 'update-users-ignored',
      // the dynslice server (test/reference-am/dynslice/faults.test.ts)
      'dynslice-getversion-struct', 'dynslice-defwaittime-over-max', 'dynslice-options-skip-bound', 'dynslice-unknown-policy-accepted',
      'dynslice-values-out-of-range', 'dynslice-client-id-before-node-id', 'dynslice-accepts-non-member', 'dynslice-skips-slice-check',
      'dynslice-countdown-goes-up', 'dynslice-first-wait-is-max', 'dynslice-reclaims-early', 'dynslice-ignores-release',
      'dynslice-notifies-after-remove', 'dynslice-complete-before-pending', 'dynslice-lifo-inverted', 'dynslice-garbage-as-release',
      'dynslice-defwaittime-at-max-refused', 'dynslice-options-without-registration', 'dynslice-register-requires-policy',
      'dynslice-options-neither-refused', 'dynslice-remove-twice-crashes', 'dynslice-unset-value-zero', 'dynslice-policies-names-only',
      'dynslice-lists-client-only', 'dynslice-default-policy-lowercase', 'dynslice-maxwaittime-as-string', 'dynslice-ignores-tick',
    ];
    expect(REFERENCE_FAULTS.map((f) => f.name).sort()).toEqual([...required].sort());
  });

  it('names each v1/v2-only fault after its version', () => {
    for (const f of REFERENCE_FAULTS) {
      if (f.name.startsWith('v1-')) expect(f.api).toEqual([1]);
      if (f.name.startsWith('v2-') || f.name.startsWith('updatesliver-')) expect(f.api).toEqual([2]);
    }
  });

  it('FaultSet answers has() only for the names switched on', () => {
    const set = new FaultSet(['error-as-fault']);
    expect(set.has('error-as-fault')).toBe(true);
    expect(set.has('expires-not-rfc3339')).toBe(false);
    expect(set.names).toEqual(['error-as-fault']);
  });

  it('startReferenceAm with an unknown fault name throws ConfigError listing the valid names', async () => {
    const authority = createTestAuthority({ name: 'faults.test' });
    const attempt = startReferenceAm({ authority, faults: ['nope'] });
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(/"nope".*renew-past-credential/);
  });
});

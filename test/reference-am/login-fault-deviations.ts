/**
 * What each node-login fault visibly does wrong, as a function of an in-process aggregate (no SSH servers there:
 * the key policy is read directly, and the manifest ports come from the fixture's FakeLoginDirectory). Spread into
 * fault-behaviour.test.ts's table; each deviation throws (a failed expectation) when the aggregate behaves
 * correctly. node-logins.test.ts shows the same faults through real SSH logins.
 */
import { expect } from 'vitest';
import { makeUrn } from '../../src/geni/urn';
import { authorizedKeyLines } from '../../src/reference-am/node-logins/accounts';
import { GENI3, geniCode, requestXml, sliversOf, valueOf, type AggregateUnderTest, type Identities } from './aggregate-fixture';

export const LOGIN_FAULT_NAMES = ['login-entry-missing', 'login-wrong-port', 'login-key-not-installed', 'login-accepts-other-slice-keys', 'update-users-ignored'] as const;
export type LoginFaultName = (typeof LOGIN_FAULT_NAMES)[number];

const ALICE_KEY = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7alice alice@laptop';
const BOB_KEY = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7bob bob@desk';

/** One VM provisioned with alice's key (and started when asked); returns its sliver URN and the Provision manifest. */
function provisionedVm(am: AggregateUnderTest, ids: Identities, start = false): { urn: string; manifest: string } {
  const allocated = am.call('Allocate', [ids.slice, am.sliceCredential(), requestXml([{ clientId: 'vm' }]), {}]);
  expect(geniCode(allocated)).toBe(0);
  const provisioned = am.call('Provision', [[ids.slice], am.sliceCredential(), { geni_rspec_version: GENI3, geni_users: [{ urn: ids.alice.urn, keys: [ALICE_KEY] }] }]);
  expect(geniCode(provisioned)).toBe(0);
  if (start) expect(geniCode(am.call('PerformOperationalAction', [[ids.slice], am.sliceCredential(), 'geni_start', {}]))).toBe(0);
  return { urn: sliversOf(provisioned)[0]!.geni_sliver_urn as string, manifest: valueOf(provisioned).geni_rspec as string };
}

const describeManifest = (am: AggregateUnderTest, ids: Identities) =>
  valueOf(am.call('Describe', [[ids.slice], am.sliceCredential(), { geni_rspec_version: GENI3 }])).geni_rspec as string;

export function loginFaultDeviations(ids: Identities): Record<LoginFaultName, (am: AggregateUnderTest) => void> {
  return {
    'login-entry-missing': (am) => {
      const { manifest } = provisionedVm(am, ids);
      expect(manifest).toMatch(/<login [^>]*username="alice"/);
      expect(describeManifest(am, ids)).not.toMatch(/<login /);
    },
    'login-wrong-port': (am) => expect(provisionedVm(am, ids).manifest).toMatch(/<login [^>]*port="22"/),
    'login-key-not-installed': (am) => {
      const sliver = am.env.model.findSliver(provisionedVm(am, ids).urn)!;
      expect(authorizedKeyLines(sliver, 'alice', am.env.faults, () => [])).toEqual([]);
    },
    'login-accepts-other-slice-keys': (am) => {
      const sliver = am.env.model.findSliver(provisionedVm(am, ids).urn)!;
      expect(authorizedKeyLines(sliver, 'alice', am.env.faults, () => [ALICE_KEY, BOB_KEY])).toContain(BOB_KEY);
    },
    'update-users-ignored': (am) => {
      provisionedVm(am, ids, true);
      const bob = makeUrn(ids.authority.name, 'user', 'bob');
      const updated = am.call('PerformOperationalAction', [[ids.slice], am.sliceCredential(), 'geni_update_users', { geni_users: [{ urn: bob, keys: [BOB_KEY] }] }]);
      expect(geniCode(updated)).toBe(0);
      expect(describeManifest(am, ids)).not.toMatch(/username="bob"/);
    },
  };
}

/**
 * What each property-only fault visibly does wrong, as a function of an in-process aggregate. Shared by
 * fault-behaviour.test.ts (every registered fault has a deviation) and property-faults.test.ts (each deviation
 * shows with the fault on and not with it off). Each deviation throws (a failed expectation) when the aggregate
 * behaves correctly.
 */
import { expect } from 'vitest';
import { makeUrn } from '../../src/geni/urn';
import { decodeCompressedRSpec, readAdvertisement } from '../../src/rspec';
import { XmlRpcFault } from '../../src/server';
import { type AggregateUnderTest, GENI3, geniCode, requestXml, sliversOf, type Identities } from './aggregate-fixture';

export const PROPERTY_FAULT_NAMES = [
  'accepts-duplicate-interface-client-ids',
  'allocate-double-books-exclusive-in-request',
  'compressed-drops-available-filter',
  'mistyped-option-crashes',
  'describe-stale-after-renew',
  'renew-ignores-utc-offset',
] as const;

export type PropertyFaultName = (typeof PROPERTY_FAULT_NAMES)[number];

const pc = (ids: Identities, n: number) => makeUrn(ids.authority.name, 'node', `pc${n}`);

/** Allocates one default VM into the slice and returns its sliver URN. */
function allocateOne(am: AggregateUnderTest, ids: Identities): string {
  const answer = am.call('Allocate', [ids.slice, am.sliceCredential(), requestXml([{ clientId: 'vm' }]), {}]);
  expect(geniCode(answer)).toBe(0);
  return sliversOf(answer)[0]!.geni_sliver_urn as string;
}

const expiresOf = (answer: Record<string, unknown>) => Date.parse(String(sliversOf(answer as never)[0]!.geni_expires));

export function propertyFaultDeviations(ids: Identities): Record<PropertyFaultName, (am: AggregateUnderTest) => void> {
  return {
    'accepts-duplicate-interface-client-ids': (am) => {
      // Two nodes, distinct node client_ids, one interface client_id used twice.
      const rspec = requestXml([
        { clientId: 'a', interfaces: [{ clientId: 'shared:if0' }] },
        { clientId: 'b', interfaces: [{ clientId: 'shared:if0' }] },
      ]);
      expect(geniCode(am.call('Allocate', [ids.slice, am.sliceCredential(), rspec, {}]))).toBe(0);
    },
    'allocate-double-books-exclusive-in-request': (am) => {
      const rspec = requestXml([
        { clientId: 'first', componentId: pc(ids, 1), sliverType: { name: 'raw-pc' } },
        { clientId: 'second', componentId: pc(ids, 1), sliverType: { name: 'raw-pc' } },
      ]);
      const answer = am.call('Allocate', [ids.slice, am.sliceCredential(), rspec, {}]);
      expect(geniCode(answer)).toBe(0);
      expect(sliversOf(answer)).toHaveLength(2);
    },
    'compressed-drops-available-filter': (am) => {
      const all = [1, 2, 3, 4].map((n) => ({ clientId: `pc${n}`, componentId: pc(ids, n), sliverType: { name: 'raw-pc' } }));
      expect(geniCode(am.call('Allocate', [ids.slice, am.sliceCredential(), requestXml(all), {}]))).toBe(0);
      const plain = am.call('ListResources', [am.userCredential(), { geni_rspec_version: GENI3, geni_available: true }]);
      const compressed = am.call('ListResources', [am.userCredential(), { geni_rspec_version: GENI3, geni_available: true, geni_compressed: true }]);
      const plainNodes = readAdvertisement(plain.value as string).nodes.length;
      const compressedNodes = readAdvertisement(decodeCompressedRSpec(compressed.value as string)).nodes.length;
      expect(plainNodes).toBe(2);
      expect(compressedNodes).toBe(6);
    },
    'mistyped-option-crashes': (am) => {
      expect(() => am.call('ListResources', [am.userCredential(), { geni_rspec_version: GENI3, geni_available: 'true' }])).toThrow(XmlRpcFault);
    },
    'describe-stale-after-renew': (am) => {
      const sliver = allocateOne(am, ids);
      const target = new Date(am.now.getTime() + 3_600_000);
      target.setMilliseconds(0);
      expect(geniCode(am.call('Renew', [[sliver], am.sliceCredential(), target.toISOString(), {}]))).toBe(0);
      const status = am.call('Status', [[sliver], am.sliceCredential(), {}]);
      const described = am.call('Describe', [[sliver], am.sliceCredential(), { geni_rspec_version: GENI3 }]);
      expect(expiresOf(status)).toBe(target.getTime());
      expect(expiresOf(described)).not.toBe(target.getTime());
    },
    'renew-ignores-utc-offset': (am) => {
      const sliver = allocateOne(am, ids);
      // 30 minutes from now, written at +01:00: the wall clock says now + 90 minutes.
      const target = new Date(am.now.getTime() + 30 * 60_000);
      target.setMilliseconds(0);
      const wall = new Date(target.getTime() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+01:00');
      expect(geniCode(am.call('Renew', [[sliver], am.sliceCredential(), wall, {}]))).toBe(0);
      const status = am.call('Status', [[sliver], am.sliceCredential(), {}]);
      expect(expiresOf(status) - target.getTime()).toBe(3_600_000);
    },
  };
}

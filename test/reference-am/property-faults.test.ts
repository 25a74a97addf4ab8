import { beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_FAULTS } from '../../src/reference-am';
import { PROVISION_FAILS_DISK_IMAGE } from '../../src/reference-am/failure-injection';
import { AggregateUnderTest, GENI3, geniCode, mintIdentities, requestXml, sliversOf, valueOf, type Identities } from './aggregate-fixture';
import { PROPERTY_FAULT_NAMES, propertyFaultDeviations, type PropertyFaultName } from './property-fault-deviations';

let ids: Identities;
let deviations: ReturnType<typeof propertyFaultDeviations>;
beforeAll(() => {
  ids = mintIdentities('property-faults.test');
  deviations = propertyFaultDeviations(ids);
});

describe('faults only property cases catch', () => {
  it('are registered reference-AM faults of AM API v3', () => {
    for (const name of PROPERTY_FAULT_NAMES) expect(REFERENCE_FAULTS.find((f) => f.name === name)?.api).toEqual([3]);
  });

  it.each(PROPERTY_FAULT_NAMES.map((n) => [n]))('%s deviates when switched on', (name) => {
    deviations[name as PropertyFaultName](new AggregateUnderTest(ids, { faults: [name] }));
  });

  it.each(PROPERTY_FAULT_NAMES.map((n) => [n]))('%s is not the default behaviour', (name) => {
    expect(() => deviations[name as PropertyFaultName](new AggregateUnderTest(ids))).toThrow();
  });
});

describe('failure injection (the fails-at-Provision disk image)', () => {
  const request = () => requestXml([
    { clientId: 'good', sliverType: { name: 'default-vm' } },
    { clientId: 'bad', sliverType: { name: 'default-vm', diskImage: PROVISION_FAILS_DISK_IMAGE } },
  ]);
  const allocate = (am: AggregateUnderTest) => {
    const answer = am.call('Allocate', [ids.slice, am.sliceCredential(), request(), {}]);
    expect(geniCode(answer)).toBe(0);
  };
  const states = (am: AggregateUnderTest) =>
    Object.fromEntries(sliversOf(am.call('Describe', [[ids.slice], am.sliceCredential(), { geni_rspec_version: GENI3 }]))
      .map((s) => [s.geni_sliver_urn as string, s.geni_allocation_status]));

  it('is advertised in GetVersion', () => {
    expect(valueOf(new AggregateUnderTest(ids).call('GetVersion', [])).geniharness_failure_injection).toEqual({ provision_fails_disk_image: PROVISION_FAILS_DISK_IMAGE });
  });

  it('without geni_best_effort: Provision is refused and every sliver stays allocated', () => {
    const am = new AggregateUnderTest(ids);
    allocate(am);
    const before = states(am);
    expect(geniCode(am.call('Provision', [[ids.slice], am.sliceCredential(), { geni_rspec_version: GENI3 }]))).toBe(2);
    expect(states(am)).toEqual(before);
  });

  it('with geni_best_effort: SUCCESS, geni_error on exactly the failing sliver, which stays allocated', () => {
    const am = new AggregateUnderTest(ids);
    allocate(am);
    const answer = am.call('Provision', [[ids.slice], am.sliceCredential(), { geni_rspec_version: GENI3, geni_best_effort: true }]);
    expect(geniCode(answer)).toBe(0);
    const slivers = sliversOf(answer);
    expect(slivers.filter((s) => s.geni_error !== '')).toHaveLength(1);
    expect(slivers.map((s) => s.geni_allocation_status).sort()).toEqual(['geni_allocated', 'geni_provisioned']);
  });

  it('can be switched off: not advertised, and the image provisions like any other', () => {
    const am = new AggregateUnderTest(ids, { failureInjection: false });
    expect(valueOf(am.call('GetVersion', [])).geniharness_failure_injection).toBeUndefined();
    allocate(am);
    expect(geniCode(am.call('Provision', [[ids.slice], am.sliceCredential(), { geni_rspec_version: GENI3 }]))).toBe(0);
  });
});

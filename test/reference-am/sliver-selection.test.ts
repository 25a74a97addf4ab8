import { codeOf } from './aggregate-fixture';
import { describe, expect, it } from 'vitest';
import { GENI_CODE } from '../../src/reference-am/am-error';
import { privilegesGrant } from '../../src/reference-am/credential-gate';
import { referenceInventory } from '../../src/reference-am/inventory';
import { AggregateModel } from '../../src/reference-am/model';
import { requireWholeStates, selectSlivers } from '../../src/reference-am/sliver-selection';

const AUTHORITY = 'selection.test';
const SLICE = `urn:publicid:IDN+${AUTHORITY}+slice+alpha`;
const OTHER = `urn:publicid:IDN+${AUTHORITY}+slice+beta`;
const EXPIRES = new Date('2030-01-01T00:10:00Z');
const STRICT = { emptySliceIsOk: false, dropUnknown: false };

function modelWithTwoSlices() {
  const model = new AggregateModel(referenceInventory(AUTHORITY), AUTHORITY, `urn:publicid:IDN+${AUTHORITY}+authority+am`);
  const vms = (ids: string[]) => model.place(ids.map((clientId) => ({ clientId, interfaceClientIds: [] })), []);
  const [a, b] = model.allocate(SLICE, vms(['a', 'b']), EXPIRES);
  const [c] = model.allocate(OTHER, vms(['c']), EXPIRES);
  if (!a || !b || !c) throw new Error('the model did not allocate three slivers');
  return { model, alpha: [a, b] as const, beta: [c] as const };
}

describe('urns resolution', () => {
  it('a slice URN selects all its slivers; sliver URNs select themselves', () => {
    const { model, alpha } = modelWithTwoSlices();
    expect(selectSlivers(model, [SLICE], STRICT)).toMatchObject({ sliceUrn: SLICE, namedSlice: true, slivers: alpha });
    expect(selectSlivers(model, [alpha[1].urn], STRICT)).toMatchObject({ sliceUrn: SLICE, namedSlice: false, slivers: [alpha[1]] });
  });

  it('BADARGS: not an array, empty, mixed, two slices, slivers of two slices, a URN of another type', () => {
    const { model, alpha, beta } = modelWithTwoSlices();
    for (const urns of [SLICE, [], [SLICE, alpha[0].urn], [SLICE, OTHER], [alpha[0].urn, beta[0].urn], [`urn:publicid:IDN+${AUTHORITY}+user+alice`], [42]]) {
      expect(codeOf(() => selectSlivers(model, urns as never, STRICT))).toBe(GENI_CODE.BADARGS);
    }
  });

  it('SEARCHFAILED: an unknown sliver or a slice with no slivers, unless the rules say otherwise', () => {
    const { model } = modelWithTwoSlices();
    const unknown = `urn:publicid:IDN+${AUTHORITY}+sliver+ghost`;
    const empty = `urn:publicid:IDN+${AUTHORITY}+slice+gamma`;
    expect(codeOf(() => selectSlivers(model, [unknown], STRICT))).toBe(GENI_CODE.SEARCHFAILED);
    expect(codeOf(() => selectSlivers(model, [empty], STRICT))).toBe(GENI_CODE.SEARCHFAILED);
    expect(selectSlivers(model, [empty], { emptySliceIsOk: true, dropUnknown: false }).slivers).toEqual([]);
    expect(selectSlivers(model, [unknown], { emptySliceIsOk: false, dropUnknown: true })).toMatchObject({ sliceUrn: undefined, slivers: [] });
  });

  it('geni_single_allocation: a subset of the slivers in a state is UNSUPPORTED, all of them is fine', () => {
    const { model, alpha } = modelWithTwoSlices();
    expect(codeOf(() => requireWholeStates(selectSlivers(model, [alpha[0].urn], STRICT), 'Provision'))).toBe(GENI_CODE.UNSUPPORTED);
    expect(codeOf(() => requireWholeStates(selectSlivers(model, alpha.map((s) => s.urn), STRICT), 'Provision'))).toBeUndefined();
    model.provision([alpha[0]], EXPIRES, []);
    expect(codeOf(() => requireWholeStates(selectSlivers(model, [alpha[0].urn], STRICT), 'Renew'))).toBeUndefined();
  });
});

describe('privileges', () => {
  it("'*' grants everything; user-credential privileges grant ListResources but not Allocate", () => {
    expect(privilegesGrant([{ name: '*' }], 'shutdown')).toBe(true);
    const userPrivileges = [{ name: 'refresh' }, { name: 'resolve' }, { name: 'info' }];
    expect(privilegesGrant(userPrivileges, 'listresources')).toBe(true);
    expect(privilegesGrant(userPrivileges, 'allocate')).toBe(false);
    expect(privilegesGrant([{ name: 'info' }], 'status')).toBe(true);
    expect(privilegesGrant([], 'listresources')).toBe(false);
  });
});

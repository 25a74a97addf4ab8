import { parseUrn } from '../geni/urn';
import type { XmlRpcValue } from '../xmlrpc';
import { AmError, GENI_CODE } from './am-error';
import type { AggregateModel, SliceRecord, Sliver } from './model';

/** What a `urns` argument names: one slice (all its slivers) or some slivers of one slice. */
export interface SliverSelection {
  /** Undefined only when nothing could be resolved (the searchfailed-as-empty-success fault). */
  sliceUrn?: string;
  slice?: SliceRecord;
  slivers: Sliver[];
  /** True when the caller named the slice rather than individual slivers. */
  namedSlice: boolean;
}

export interface SelectionRules {
  /** Describe answers an empty manifest for a slice with no slivers; every other method answers SEARCHFAILED. */
  emptySliceIsOk: boolean;
  /** The searchfailed-as-empty-success fault: unknown slivers are dropped instead of refused. */
  dropUnknown: boolean;
  /** The code for `urns` that name no one slice (Personality.v3.malformedUrns): BADARGS unless told ERROR. */
  malformedCode?: typeof GENI_CODE.BADARGS | typeof GENI_CODE.ERROR;
}

/**
 * Resolves `urns` (GAPI_AM_API_V3: one slice URN, or one or more sliver URNs of a single slice).
 * Mixed slice and sliver URNs, several slices, or a URN that is neither → BADARGS; an unknown sliver, or a slice
 * with no live slivers → SEARCHFAILED.
 */
export function selectSlivers(model: AggregateModel, urns: XmlRpcValue | undefined, rules: SelectionRules): SliverSelection {
  const badArgs = (message: string): AmError => new AmError(rules.malformedCode ?? GENI_CODE.BADARGS, message);
  if (!Array.isArray(urns) || urns.length === 0) throw badArgs('urns must be a non-empty array of slice or sliver URN strings');
  const sliceUrns: string[] = [];
  const sliverUrns: string[] = [];
  for (const [i, item] of urns.entries()) {
    if (typeof item !== 'string') throw badArgs(`urns[${i}] must be a URN string`);
    const type = parseUrn(item)?.type.toLowerCase();
    if (type === 'slice') sliceUrns.push(item);
    else if (type === 'sliver') sliverUrns.push(item);
    else throw badArgs(`urns[${i}] ${JSON.stringify(item)} is neither a slice URN nor a sliver URN`);
  }
  if (sliceUrns.length > 0 && sliverUrns.length > 0) throw badArgs('urns mixes a slice URN with sliver URNs; name either the slice or some of its slivers');
  if (new Set(sliceUrns.map((u) => u.toLowerCase())).size > 1) throw badArgs(`urns names ${sliceUrns.length} different slices; name exactly one`);

  if (sliceUrns.length > 0) {
    const slice = model.findSlice(sliceUrns[0]!);
    const slivers = slice ? [...slice.slivers.values()] : [];
    if (slivers.length === 0 && !rules.emptySliceIsOk && !rules.dropUnknown) {
      throw new AmError(GENI_CODE.SEARCHFAILED, `slice ${sliceUrns[0]} has no slivers at this aggregate`);
    }
    return { sliceUrn: slice?.urn ?? sliceUrns[0], slice, slivers, namedSlice: true };
  }

  const slivers: Sliver[] = [];
  for (const urn of new Set(sliverUrns)) {
    const sliver = model.findSliver(urn);
    if (sliver) slivers.push(sliver);
    else if (!rules.dropUnknown) throw new AmError(GENI_CODE.SEARCHFAILED, `sliver ${urn} is not known at this aggregate (never allocated, deleted or expired)`);
  }
  const owners = new Set(slivers.map((s) => s.sliceUrn));
  if (owners.size > 1) throw badArgs(`urns names slivers of ${owners.size} different slices (${[...owners].join(', ')}); they must all belong to one slice`);
  const sliceUrn = slivers[0]?.sliceUrn;
  return { sliceUrn, slice: sliceUrn ? model.findSlice(sliceUrn) : undefined, slivers, namedSlice: false };
}

/**
 * geni_single_allocation: the aggregate only operates on all slivers of a slice in a given allocation state at once,
 * so naming a subset of them is UNSUPPORTED.
 */
export function requireWholeStates(selection: SliverSelection, method: string): void {
  if (selection.namedSlice || !selection.slice) return;
  const named = new Set(selection.slivers.map((s) => s.urn));
  for (const state of new Set(selection.slivers.map((s) => s.allocation))) {
    const missing = [...selection.slice.slivers.values()].filter((s) => s.allocation === state && !named.has(s.urn));
    if (missing.length > 0) {
      throw new AmError(
        GENI_CODE.UNSUPPORTED,
        `${method}: this aggregate has geni_single_allocation, so it must be given all ${state} slivers of the slice (or the slice URN); ${missing.length} left out`,
      );
    }
  }
}

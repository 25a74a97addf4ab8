import type { Finding } from '../core';
import type { CallResult } from '../client';
import { toAmResponse } from '../geni/methods';
import { readRequest, type AdNode, type Advertisement } from '../rspec';
import type { XmlRpcValue } from '../xmlrpc';

/** The check id of a capacity-loss finding. */
export const CHECK_CAPACITY = 'capacity-returned';

/** The calls that reserve what a request RSpec (their third parameter) names: v3 Allocate, v1/v2 CreateSliver. */
const RESERVING = new Set(['Allocate', 'CreateSliver']);

/** A capacity loss one case found: later cases that find no free node name it in their skip. */
export interface CapacityLoss {
  caseId: string;
  suite: string;
  /** The component ids of the nodes that stayed unavailable. */
  nodes: string[];
  /** The refused call. */
  exchangeId: string;
}

interface ReservingCall {
  exchangeId: string;
  method: string;
  /** Lower-cased component ids the request binds its nodes to. */
  componentIds: string[];
}

/**
 * Watches one case's reserving calls for capacity an aggregate does not give back (issue 8 item 4). Allocate is
 * "all or nothing": a refused request must leave every node it named as free as it was. The watch keeps the first
 * advertisement the case read (before it reserved anything), the nodes its successful requests were given, and the
 * nodes each refused request named; once the case's slices are deleted, a node that was available before, that the
 * case never held and that a refused request named, must be available again. One extra ListResources per case that
 * had a refused reservation: nothing for the others.
 */
export class CapacityWatch {
  private before: Map<string, AdNode> | undefined;
  private readonly held = new Set<string>();
  private readonly refused: ReservingCall[] = [];

  /** The case read the aggregate's advertisement; only the first (taken before it reserved anything) is kept. */
  sawAdvertisement(ad: Advertisement): void {
    if (this.before || this.held.size > 0 || this.refused.length > 0) return;
    this.before = new Map(ad.nodes.filter((n) => n.available).map((n) => [n.componentId.toLowerCase(), n]));
  }

  /** Sees every call the case's client makes (AmClient's call observer). */
  readonly observe = (call: { method: string; params: readonly XmlRpcValue[]; result: CallResult }): void => {
    const rspec = call.params[2];
    if (!RESERVING.has(call.method) || typeof rspec !== 'string') return;
    let componentIds: string[];
    try {
      componentIds = readRequest(rspec).nodes.flatMap((n) => (n.componentId ? [n.componentId.toLowerCase()] : []));
    } catch {
      return; // A malformed request (a property's or a refusal case's) reserves nothing the harness can name.
    }
    const res = toAmResponse(call.method, call.result);
    const granted = res.envelope ? res.envelope.geniCode === 0 : !res.fault && typeof res.raw === 'string';
    if (granted) for (const id of componentIds) this.held.add(id);
    else this.refused.push({ exchangeId: call.result.exchangeId, method: call.method, componentIds });
  }

  /** Whether there is something to audit: an advertisement from before, and a refused request that named nodes. */
  get needsAudit(): boolean {
    return this.before !== undefined && this.refused.some((r) => r.componentIds.length > 0);
  }

  /**
   * The nodes each refused request named that were available before the case, were never the case's, and are not
   * available in `after` (read once the case's slices were deleted): one finding naming them, or none.
   */
  audit(after: Advertisement, afterExchangeId: string): { finding?: Finding; loss?: Omit<CapacityLoss, 'caseId' | 'suite'> } {
    const before = this.before;
    if (!before) return {};
    const availableAfter = new Set(after.nodes.filter((n) => n.available).map((n) => n.componentId.toLowerCase()));
    const lost = new Map<string, ReservingCall>();
    for (const call of this.refused) {
      for (const id of call.componentIds) {
        if (before.has(id) && !this.held.has(id) && !availableAfter.has(id) && !lost.has(id)) lost.set(id, call);
      }
    }
    if (lost.size === 0) return {};
    const calls = [...new Set(lost.values())];
    const first = calls[0]!;
    const names = [...lost.keys()].map((id) => before.get(id)!.componentName || before.get(id)!.componentId);
    const finding: Finding = {
      check: CHECK_CAPACITY,
      title: 'A refused reservation kept capacity',
      expected: ['every node a refused request named is available again once the slice is deleted (all or nothing)'],
      actual: `a refused ${first.method} left ${lost.size} node${lost.size === 1 ? '' : 's'} unavailable: ${names.slice(0, 10).join(', ')}${names.length > 10 ? `, … (${names.length} in all)` : ''}`,
      path: 'rspec.node@available',
      exchangeIds: [...calls.map((c) => c.exchangeId), afterExchangeId],
      hint: 'each was available before the case, the case never held it, and its slices are deleted; another user taking it meanwhile would look the same (a repeat run tells)',
    };
    return { finding, loss: { nodes: [...lost.keys()], exchangeId: first.exchangeId } };
  }
}

/** A slice a case made and could not release (the aggregate refused its Delete, e.g. after Shutdown). */
export interface KeptSlice {
  caseId: string;
  sliceUrn: string;
}

/** What a skip for want of free nodes adds when earlier cases left slices the aggregate would not release. */
export function keptSlicesNote(kept: readonly KeptSlice[]): string {
  if (kept.length === 0) return '';
  const cases = [...new Set(kept.map((k) => k.caseId))];
  return `; ${kept.length} slice${kept.length === 1 ? '' : 's'} of earlier cases the aggregate would not release still hold their resources (${cases.join(', ')})`;
}

/** What a skip for want of free nodes adds when an earlier case found capacity that was not given back. */
export function capacityLossNote(losses: readonly CapacityLoss[]): string {
  if (losses.length === 0) return '';
  const nodes = new Set(losses.flatMap((l) => l.nodes));
  const cases = [...new Set(losses.map((l) => `${l.caseId}@${l.suite}`))];
  return `; earlier in this run a refused reservation left ${nodes.size} node${nodes.size === 1 ? '' : 's'} unavailable (finding ${CHECK_CAPACITY} of ${cases.join(', ')})`;
}

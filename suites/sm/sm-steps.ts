import type { AmResponse } from '../../src/geni/methods';
import type { SmCaseContext, SmPeer, SmSlice } from '../../src/runner/sm-suite';
import type { XmlRpcValue } from '../../src/xmlrpc';

/** Steps the slice-manager cases share; they act, never judge. */

export const GENI3 = { type: 'GENI', version: '3' };
export const PGV2 = { type: 'ProtoGENI', version: '2' };
export const GENI3_NS = 'http://www.geni.net/resources/rspec/3';
export const PGV2_NS = 'http://www.protogeni.net/resources/rspec/2';

/** A fresh advertisement through the SM (cached: false, so every peer is asked). */
export function freshAd(t: SmCaseContext, options: Record<string, XmlRpcValue> = {}): Promise<AmResponse> {
  return t.sm.ListResources(t.userCredentials(), { geni_rspec_version: GENI3, cached: false, ...options });
}

/** A slice with `nodesPerPeer` VMs allocated at each of `peers` through the SM. */
export async function allocatedAt(t: SmCaseContext, peers: number[], nodesPerPeer = 1): Promise<{ slice: SmSlice; allocate: AmResponse }> {
  const slice = await t.newSlice();
  const allocate = await t.sm.Allocate(slice.urn, slice.credentials, t.requestFor(peers, nodesPerPeer), {});
  if (allocate.envelope?.geniCode !== 0) t.skip(`precondition: Allocate through the slice manager did not succeed (${JSON.stringify(allocate.envelope?.output ?? allocate.fault)})`);
  return { slice, allocate };
}

/** An expiration an hour from now (well inside any allocation and credential lifetime). */
export function inAnHour(): string {
  return new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function peersAt(t: SmCaseContext, indexes: number[]): SmPeer[] {
  return indexes.map((i) => t.peers.list[i]!);
}

/** The peer indexes, all of them. */
export function allPeers(t: SmCaseContext): number[] {
  return t.peers.list.map((p) => p.index);
}

/** Two peers at least; the fan-out cases need someone to fail while someone answers. */
export function needPeers(t: SmCaseContext, n: number): void {
  if (t.peers.list.length < n) t.skip(`the case needs ${n} peer aggregates; the slice manager has ${t.peers.list.length} (--peers N)`);
}

import type { FaultSet } from '../faults';
import type { DynsliceNode } from './slice-nodes';

export type Policy = 'CLIENT' | 'LIFO';

/** ListSliceResourceValuePolicies: (name, description) pairs, in the words of the server page. */
export const POLICIES: ReadonlyArray<readonly [Policy, string]> = [
  ['CLIENT', 'The client sends a resource value for every node in its slice; a node without one is worth 1.0.'],
  ['LIFO', 'The server values nodes by how long the slice has held them: the longest-held highest, the newest lowest.'],
];

export const isPolicy = (name: unknown): name is Policy => POLICIES.some(([p]) => p === name);

/** A client-set value for a node when the client set none, under CLIENT (seed 002). */
export const UNSET_CLIENT_VALUE = 1.0;

/**
 * The value the server holds for each node of a slice. CLIENT: what the client set, else 1.0. LIFO: by allocation
 * order, oldest 1.0 down to 1/n for the newest (the dynslice-lifo-inverted fault turns this upside down).
 */
export function effectiveValues(nodes: readonly DynsliceNode[], policy: Policy, clientValues: ReadonlyMap<string, number>, faults: FaultSet): Map<string, number> {
  const values = new Map<string, number>();
  const n = nodes.length;
  // nodes come oldest first (sliceNodes).
  nodes.forEach((node, i) => {
    if (policy === 'CLIENT') values.set(node.sliver.urn, clientValues.get(node.sliver.urn) ?? (faults.has('dynslice-unset-value-zero') ? 0 : UNSET_CLIENT_VALUE));
    else values.set(node.sliver.urn, faults.has('dynslice-lifo-inverted') ? (i + 1) / n : (n - i) / n);
  });
  return values;
}

/** Which nodes go first when the server needs `count` back: the lowest-valued, and among equals the newest. */
export function chooseVictims(nodes: readonly DynsliceNode[], values: ReadonlyMap<string, number>, count: number): DynsliceNode[] {
  return [...nodes]
    .sort((a, b) => (values.get(a.sliver.urn) ?? 1) - (values.get(b.sliver.urn) ?? 1) || b.sliver.allocationOrder - a.sliver.allocationOrder)
    .slice(0, count);
}

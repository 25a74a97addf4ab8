import { isStruct, type XmlRpcValue } from '../xmlrpc';

/**
 * One entry of a client-side `nodelist` (seed 003): `node_id` always; `client_id` when the client holds the node;
 * `component_urn` when the server sends it; `value` in SetResourceValues; `max_wait_time` in the Notify calls.
 */
export interface NodeEntry {
  node_id: string;
  client_id?: string;
  component_urn?: string;
  value?: number;
  max_wait_time?: number;
  [extra: string]: XmlRpcValue | undefined;
}

/** The `nodelist` of a callback's `params` struct, or undefined when it is not there or not a list. */
export function nodelistOf(params: readonly XmlRpcValue[]): XmlRpcValue[] | undefined {
  const first = params[0];
  if (!isStruct(first)) return undefined;
  const list = first.nodelist;
  return Array.isArray(list) ? list : undefined;
}

/** The node_id of a nodelist entry, when it has a string one. */
export function nodeIdOf(entry: XmlRpcValue): string | undefined {
  return isStruct(entry) && typeof entry.node_id === 'string' ? entry.node_id : undefined;
}

/** The node_ids of a nodelist, in order, skipping entries without one. */
export function nodeIdsOf(list: readonly XmlRpcValue[] | undefined): string[] {
  return (list ?? []).map(nodeIdOf).filter((id): id is string => id !== undefined);
}

/**
 * The ProtoGENI dynslice extension as data (seeds 002 and 003; elasticslice server.html and client.html). This
 * file is the only place on the harness side that knows method names, argument names and their order.
 *
 * ProtoGENI servers take one struct of named arguments (`Method({slice_urn, credentials, …})`), which is how the
 * elasticslice client calls them; the server page writes the same arguments as a positional signature. Both
 * styles are data here: `ArgumentStyle`.
 */

export type ArgumentStyle = 'struct' | 'positional';

export interface ServerMethod {
  /** Argument names in the order the server page lists them. */
  params: readonly string[];
  /** Arguments a caller may leave out (SetSliceClientOptions: "Both policy and defwaittime are optional"). */
  optional: readonly string[];
  /** Whether the method checks slice credentials (the slice-scoped ones do; the informational ones take none). */
  needsCredentials: boolean;
}

/** The server-side API (seed 002). */
export const DYNSLICE_SERVER_METHODS = {
  GetVersion: { params: [], optional: [], needsCredentials: false },
  GetServerDefaults: { params: [], optional: [], needsCredentials: false },
  SetSliceClientEndpoint: { params: ['slice_urn', 'url', 'credentials', 'policy', 'defwaittime'], optional: ['policy', 'defwaittime'], needsCredentials: true },
  RemoveSliceClientEndpoint: { params: ['slice_urn', 'credentials'], optional: [], needsCredentials: true },
  ListSliceResourceValuePolicies: { params: [], optional: [], needsCredentials: false },
  SetSliceClientOptions: { params: ['slice_urn', 'credentials', 'policy', 'defwaittime'], optional: ['policy', 'defwaittime'], needsCredentials: true },
  SetSliceResourceValues: { params: ['slice_urn', 'credentials', 'values'], optional: [], needsCredentials: true },
} as const satisfies Record<string, ServerMethod>;

export type DynsliceServerMethodName = keyof typeof DYNSLICE_SERVER_METHODS;

/** The client-side API the server calls back (seed 003): every method takes one `params` struct. */
export const DYNSLICE_CLIENT_METHODS = ['GetVersion', 'SetResourceValues', 'NotifyDeletePending', 'NotifyDeleteComplete'] as const;
export type DynsliceClientMethodName = (typeof DYNSLICE_CLIENT_METHODS)[number];

/** The policies the server page names; a server may offer more. */
export const DYNSLICE_POLICIES = ['CLIENT', 'LIFO'] as const;

/**
 * SetSliceResourceValues identifies a node by any of these keys, "checked in the order above" (seed 002): the
 * first key present decides which node the value is for.
 */
export const NODE_IDENTIFIER_KEYS = ['node_id', 'vname', 'component_urn', 'client_id'] as const;
export type NodeIdentifierKey = (typeof NODE_IDENTIFIER_KEYS)[number];

/** GetServerDefaults members the server page names. */
export const SERVER_DEFAULT_KEYS = ['maxwaittime', 'policy'] as const;

/**
 * The spec's default countdown period: "by default it gets called every minute" (seed 003, NotifyDeletePending).
 */
export const DEFAULT_TICK_SECONDS = 60;

/**
 * Non-standard GetServerDefaults member through which the embedded reference server (and any server that wants
 * to be tested without waiting for real pressure) advertises a test hook: `{ reclaim: <method name>, tick: <s> }`.
 * Outside the names the spec uses, like the AM's `geniharness_failure_injection`.
 */
export const TEST_HOOKS_FIELD = 'geniharness_test_hooks';

/**
 * Deliberate deviations of the reference dynslice server (seed 002 server API, seed 003 callbacks). Each is a
 * realistic bug made at the exact point where the real behaviour happens; `check` names the harness check that
 * sees it (the case that catches it names the fault in its `detects`).
 */
export const DYNSLICE_FAULT_DEFINITIONS = [
  { name: 'dynslice-getversion-struct', description: 'dynslice GetVersion returns a struct { version: 1 } instead of an integer', check: 'dynslice-version' },
  { name: 'dynslice-defwaittime-over-max', description: 'SetSliceClientEndpoint accepts a defwaittime longer than the server maxwaittime', check: 'pg-code' },
  { name: 'dynslice-options-skip-bound', description: 'SetSliceClientOptions does not check defwaittime against maxwaittime (SetSliceClientEndpoint does)', check: 'pg-code' },
  { name: 'dynslice-unknown-policy-accepted', description: 'SetSliceClientEndpoint and SetSliceClientOptions accept a policy that ListSliceResourceValuePolicies does not list', check: 'pg-code' },
  { name: 'dynslice-values-out-of-range', description: 'SetSliceResourceValues accepts values outside [0.0, 1.0] and reports them to the client as they are', check: 'dynslice-resource-values' },
  { name: 'dynslice-client-id-before-node-id', description: 'SetSliceResourceValues looks a node up by client_id before node_id (the page orders node_id, vname, component_urn, client_id)', check: 'dynslice-identifier-precedence' },
  { name: 'dynslice-accepts-non-member', description: 'SetSliceResourceValues answers success for a node that is not in the slice (the value is silently dropped)', check: 'pg-code' },
  { name: 'dynslice-skips-slice-check', description: 'The dynslice methods accept a valid credential for another slice (only signature, owner and expiry are checked)', check: 'pg-code' },
  { name: 'dynslice-countdown-goes-up', description: 'max_wait_time counts up: each NotifyDeletePending reports the time since the reclaim began (plus a tick) instead of the time left', check: 'countdown-non-increasing' },
  { name: 'dynslice-first-wait-is-max', description: "The first NotifyDeletePending announces the server's maxwaittime, not the slice's defwaittime", check: 'countdown-first-wait' },
  { name: 'dynslice-reclaims-early', description: 'Nodes are reclaimed one tick after the countdown starts, long before the deadline max_wait_time promised', check: 'countdown-deadline' },
  { name: 'dynslice-ignores-release', description: 'A node the client releases (max_wait_time 0 in its answer) is still waited for until the deadline', check: 'countdown-release' },
  { name: 'dynslice-notifies-after-remove', description: 'RemoveSliceClientEndpoint answers success but the endpoint stays registered and keeps being called', check: 'callbacks-after-remove' },
  { name: 'dynslice-complete-before-pending', description: 'The first node of a reclaim is taken at once and announced only by NotifyDeleteComplete, with no NotifyDeletePending before it', check: 'countdown-complete-follows-pending' },
  { name: 'dynslice-lifo-inverted', description: 'The LIFO policy gives the highest values to the most recently allocated nodes', check: 'lifo-order' },
  { name: 'dynslice-garbage-as-release', description: 'An unreadable answer to NotifyDeletePending is taken as the client releasing every node', check: 'countdown-deadline' },
  { name: 'dynslice-defwaittime-at-max-refused', description: 'The defwaittime bound is off by one: a defwaittime equal to maxwaittime is refused (>= instead of >)', check: 'pg-code' },
  { name: 'dynslice-options-without-registration', description: 'SetSliceClientOptions for a slice with no client endpoint answers success (the options go nowhere)', check: 'pg-code' },
  { name: 'dynslice-register-requires-policy', description: 'SetSliceClientEndpoint without policy and defwaittime is refused (the handler treats the optional arguments as required)', check: 'pg-code' },
  { name: 'dynslice-options-neither-refused', description: 'SetSliceClientOptions with neither policy nor defwaittime is refused as "nothing to change" (both are optional)', check: 'pg-code' },
  { name: 'dynslice-remove-twice-crashes', description: 'A second RemoveSliceClientEndpoint raises in the handler (a KeyError): an XML-RPC Fault instead of a {code, value, output} answer', check: 'pg-envelope' },
  { name: 'dynslice-unset-value-zero', description: 'Under CLIENT a node without a client-set value is worth 0.0 instead of 1.0 (and so is reclaimed first)', check: 'dynslice-resource-values' },
  { name: 'dynslice-policies-names-only', description: 'ListSliceResourceValuePolicies returns the policy names alone, not (name, description) pairs', check: 'dynslice-policies' },
  { name: 'dynslice-lists-client-only', description: 'ListSliceResourceValuePolicies lists CLIENT only (LIFO is still the default and still honoured)', check: 'dynslice-policies' },
  { name: 'dynslice-default-policy-lowercase', description: "GetServerDefaults names its policy 'lifo', which is not a name ListSliceResourceValuePolicies lists", check: 'dynslice-server-defaults' },
  { name: 'dynslice-maxwaittime-as-string', description: 'GetServerDefaults gives maxwaittime as the string "600" instead of a number', check: 'dynslice-server-defaults' },
  { name: 'dynslice-ignores-tick', description: 'The countdown calls NotifyDeletePending five times per tick instead of once, without waiting for the previous answer', check: 'countdown-tick' },
] as const;

export type DynsliceFaultName = (typeof DYNSLICE_FAULT_DEFINITIONS)[number]['name'];

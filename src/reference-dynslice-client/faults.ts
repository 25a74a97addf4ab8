import { ConfigError, type CheckId } from '../core';

/**
 * Deliberate deviations of the reference dynslice client endpoint (seed 003), each a realistic bug at the point
 * where the real behaviour happens; `check` names the harness check that sees it.
 */
export const CLIENT_ENDPOINT_FAULT_DEFINITIONS = [
  { name: 'client-answers-changed-list', description: 'The NotifyDeletePending answer lowers max_wait_time by one second on the nodes it does not release', check: 'client-release-answer' },
  { name: 'client-answer-drops-keys', description: 'The NotifyDeletePending answer lists only node_id and max_wait_time for each node, dropping client_id and the other keys', check: 'client-release-answer' },
  { name: 'client-release-as-negative', description: 'Released nodes are answered with max_wait_time -1 instead of 0', check: 'client-release-answer' },
  { name: 'client-fails-on-unknown-key', description: 'A nodelist entry with a key the client does not know gets an error answer', check: 'pg-code' },
  { name: 'client-crashes-on-empty-nodelist', description: 'An empty nodelist crashes the handler: the connection is dropped without an answer', check: 'client-answers' },
  { name: 'client-drops-connection-on-bad-input', description: 'A call without nodelist, or with a nodelist of the wrong type, drops the connection instead of answering an error', check: 'client-answers' },
  { name: 'client-getversion-bare-string', description: 'GetVersion returns the bare string "1.0" instead of the { code, value, output } answer', check: 'pg-envelope' },
  { name: 'client-getversion-needs-params', description: 'GetVersion without a params argument is an XML-RPC Fault (the handler has no default for params)', check: 'pg-envelope' },
  { name: 'client-values-requires-client-id', description: 'A SetResourceValues entry without client_id gets an error answer (the handler reads entry["client_id"] unconditionally)', check: 'pg-code' },
  { name: 'client-values-rejects-extra-keys', description: 'SetResourceValues accepts entries with node_id and value only: client_id or component_urn gets an error answer', check: 'pg-code' },
  { name: 'client-complete-bare-true', description: 'NotifyDeleteComplete returns a bare boolean true instead of the { code, value, output } answer', check: 'pg-envelope' },
  { name: 'client-unknown-method-success', description: 'A catch-all dispatcher answers any method, an unknown one too, with SUCCESS', check: 'pg-code' },
  { name: 'client-complete-error', description: 'NotifyDeleteComplete for nodes it was never told were pending answers an error', check: 'pg-code' },
] as const;

export type ClientEndpointFaultName = (typeof CLIENT_ENDPOINT_FAULT_DEFINITIONS)[number]['name'];

export interface ClientEndpointFaultDefinition {
  name: string;
  description: string;
  /** The check whose finding shows it: every case that claims it names this check in its `detects`. */
  check: CheckId;
}

export const CLIENT_ENDPOINT_FAULTS: readonly ClientEndpointFaultDefinition[] = Object.freeze(
  CLIENT_ENDPOINT_FAULT_DEFINITIONS.map((d) => Object.freeze({ ...d })),
);

export class ClientEndpointFaults {
  private readonly enabled: ReadonlySet<string>;

  constructor(names: readonly string[] = []) {
    const known = new Set(CLIENT_ENDPOINT_FAULTS.map((f) => f.name));
    const unknown = names.filter((n) => !known.has(n));
    if (unknown.length > 0) {
      throw new ConfigError(`unknown reference client endpoint fault ${unknown.map((n) => JSON.stringify(n)).join(', ')}; valid names are: ${[...known].join(', ')}`);
    }
    this.enabled = new Set(names);
  }

  has(name: ClientEndpointFaultName): boolean {
    return this.enabled.has(name);
  }

  get names(): string[] {
    return [...this.enabled];
  }
}

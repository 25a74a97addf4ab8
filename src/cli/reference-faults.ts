import { ConfigError } from '../core';
import { REFERENCE_FAULTS } from '../reference-am';
import { CLIENT_ENDPOINT_FAULTS } from '../reference-dynslice-client';
import { SM_FAULTS } from '../reference-sm';

/**
 * `--fault NAME` switches a deliberate fault of one of the embedded reference peers on: the reference AM (with its
 * dynslice server), the reference slice manager, or the reference dynslice client endpoint. The names are unique
 * across them; an unknown one is a configuration error before anything starts.
 */
export function splitReferenceFaults(names: readonly string[]): { am: string[]; sm: string[]; clientEndpoint: string[] } {
  const am = new Set(REFERENCE_FAULTS.map((f) => f.name));
  const sm = new Set(SM_FAULTS.map((f) => f.name));
  const client = new Set(CLIENT_ENDPOINT_FAULTS.map((f) => f.name));
  const unknown = names.filter((n) => !am.has(n) && !sm.has(n) && !client.has(n));
  if (unknown.length > 0) {
    throw new ConfigError(
      `unknown fault${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => JSON.stringify(n)).join(', ')}: ` +
        "`geni-harness faults` lists the reference AM's, the reference slice manager's and the reference dynslice client endpoint's",
    );
  }
  return { am: names.filter((n) => am.has(n)), sm: names.filter((n) => sm.has(n)), clientEndpoint: names.filter((n) => client.has(n)) };
}

import type { XmlRpcValue } from '../xmlrpc';
import { formatRfc3339, formatSqlStyle } from './dates';
import type { FaultSet } from './faults';
import type { Sliver } from './model';

/** geni_expires as written on the wire (RFC 3339 with 'Z', or the expires-not-rfc3339 fault's form). */
export function expiresText(date: Date, faults: FaultSet): string {
  return faults.has('expires-not-rfc3339') ? formatSqlStyle(date) : formatRfc3339(date);
}

/**
 * One entry of a geni_slivers list. Allocate lists only urn, expiry and allocation state (GAPI_AM_API_V3: no
 * geni_error in Allocate); the other methods add the operational state and a geni_error ('' when all is well).
 */
export function sliverEntry(sliver: Sliver, faults: FaultSet, shape: 'allocate' | 'full', error = ''): Record<string, XmlRpcValue> {
  const entry: Record<string, XmlRpcValue> = {
    geni_sliver_urn: sliver.urn,
    geni_expires: expiresText(sliver.expires, faults),
    geni_allocation_status: sliver.allocation,
  };
  if (shape === 'full') {
    // The unadvertised-operational-state fault: an own name for "provisioned, not started" that no advertisement declares.
    const unadvertised = faults.has('unadvertised-operational-state') && sliver.allocation === 'geni_provisioned' && sliver.operational === 'geni_notready';
    entry.geni_operational_status = unadvertised ? 'node_idle' : sliver.operational;
    entry.geni_error = error;
  }
  return entry;
}

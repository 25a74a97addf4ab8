import type { ServerNames } from '../transport';

/**
 * A server certificate that names the aggregate by URN only (a GENI identity certificate: no DNS or IP name) is
 * accepted on its chain to --ca alone (checkGeniServerIdentity), so its URN is the only thing that says which
 * aggregate answered: it must be the URN the aggregate gives itself in GetVersion (`urn` or `geni_am_id`) and the one
 * the run was told to expect, where either is known. Otherwise any aggregate holding a certificate from the same CA
 * could stand in for this one. Returns why the identity does not hold, naming both URNs, or undefined.
 *
 * GENI authority strings compare case-insensitively (GeniApiIdentifiers), as do slice names; the whole URN is
 * compared so, which is never stricter than the identifiers page.
 */
export function serverUrnMismatch(url: string, names: ServerNames | undefined, claimed: Array<{ urn: string | undefined; source: string }>): string | undefined {
  if (!names || names.hostNames.length > 0 || names.geniUrns.length === 0) return undefined;
  const held = names.geniUrns.map((urn) => urn.toLowerCase());
  for (const { urn, source } of claimed) {
    if (urn === undefined || held.includes(urn.toLowerCase())) continue;
    return `the server certificate at ${new URL(url).host} names the aggregate by URN only (${names.geniUrns.join(', ')}; no DNS or IP name), `
      + `but ${source} names it ${urn}: a certificate without a host name is trusted, on its chain to --ca, only as the aggregate `
      + 'its URN names, so this may be another aggregate of the same authority. The aggregate\'s certificate and its '
      + 'GetVersion must name the same URN.';
  }
  return undefined;
}

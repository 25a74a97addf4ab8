import { parseUrn } from './urn';

/**
 * SFA's human-readable names (HRNs), which SFA configuration files (aggregates.xml) and slice managers use to name
 * aggregates: the URN's authority with ':' turned into '.', a '.' inside a part escaped as '\.', and for anything
 * but an authority the name appended. `urn:publicid:IDN+plc:princeton+authority+am` is `plc.princeton`;
 * `urn:publicid:IDN+geni-harness.test:peer0+authority+am` is `geni-harness\.test.peer0`.
 */
export function urnToHrn(urn: string): string | undefined {
  const parsed = parseUrn(urn);
  if (!parsed) return undefined;
  const escape = (part: string): string => part.replace(/\./g, '\\.');
  const authority = parsed.authority.split(':').filter(Boolean).map(escape).join('.');
  return parsed.type.toLowerCase() === 'authority' ? authority : `${authority}.${escape(parsed.name)}`;
}

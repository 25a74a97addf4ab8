import { isIPv6 } from 'node:net';

/**
 * The address of an interface's <ip>: the core schemas type address, netmask and type as plain strings, so
 * `999.10.1.1` passes them. `type` says the family ("ipv4" when absent, as GENI tools write it; an address with a
 * colon is read as IPv6). A type the harness does not know is a notice: its addresses are not checked.
 */
export function checkIpAddress(attributes: Record<string, string>): { message: string; severity: 'error' | 'notice' } | undefined {
  const address = attributes.address;
  if (address === undefined) return undefined; // the XSD reports the missing attribute
  const declared = attributes.type?.trim().toLowerCase();
  const family = declared === undefined || declared === '' ? (address.includes(':') ? 'ipv6' : 'ipv4') : declared;
  if (family !== 'ipv4' && family !== 'ipv6') {
    return { message: `ip type "${attributes.type}" is neither ipv4 nor ipv6; address "${address}" was not checked`, severity: 'notice' };
  }
  const typed = declared ? ` (type="${attributes.type}")` : '';
  if (family === 'ipv4' && !isDottedQuad(address)) {
    return { message: `ip address "${address}" is not an IPv4 address${typed}: four decimal numbers 0-255 separated by dots`, severity: 'error' };
  }
  if (family === 'ipv6' && !isIPv6(address)) {
    return { message: `ip address "${address}" is not an IPv6 address${typed} (RFC 4291 text form)`, severity: 'error' };
  }
  // An empty netmask is how some aggregates write "none given" (InstaGENI manifests do): not an error.
  const netmask = attributes.netmask?.trim();
  if (netmask !== undefined && netmask !== '' && !isNetmask(netmask, family)) {
    return {
      message: family === 'ipv4'
        ? `ip netmask "${netmask}" of ${address} is not an IPv4 netmask: a dotted-quad mask of contiguous ones (255.255.255.0) or a prefix length 0-32`
        : `ip netmask "${netmask}" of ${address} is not an IPv6 prefix: a prefix length 0-128 or a mask in IPv6 text form`,
      severity: 'error',
    };
  }
  return undefined;
}

/** Dotted decimal as inet_pton reads it, leading zeros tolerated (many tools write 010.0.0.1). */
function isDottedQuad(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255);
}

function isNetmask(text: string, family: 'ipv4' | 'ipv6'): boolean {
  if (/^\d{1,3}$/.test(text)) return Number(text) <= (family === 'ipv4' ? 32 : 128);
  if (family === 'ipv6') return isIPv6(text);
  if (!isDottedQuad(text)) return false;
  const bits = text.split('.').reduce((value, part) => value * 256 + Number(part), 0);
  const inverted = 0xffffffff - bits;
  return (inverted & (inverted + 1)) === 0; // ones then zeros: the inverse is 2^k - 1
}

/**
 * GENI URNs (GeniApiIdentifiers): `urn:publicid:IDN+<authority>+<type>+<name>`.
 * All three parts are mandatory; '+' is allowed inside the name, never inside authority or type.
 * The public identifier is transcribed per RFC 3151, so whitespace and the characters `/ ; ' ? #`
 * never appear raw, and '%' only starts a %XX escape.
 */

export interface ParsedUrn {
  authority: string;
  type: string;
  name: string;
}

const URN_PREFIX = 'urn:publicid:IDN+';

/** Slice names: alphanumerics and hyphen, no leading hyphen, at most 19 characters (GeniApiIdentifiers). */
export const SLICE_NAME_PATTERN = /^[a-zA-Z0-9][-a-zA-Z0-9]{0,18}$/;
/** Sliver names are chosen by the aggregate from this alphabet. */
export const SLIVER_NAME_PATTERN = /^[a-zA-Z0-9.\-_]+$/;

/** Types named by GeniApiIdentifiers; others are tolerated unless a caller expects a specific type. */
const KNOWN_TYPES = new Set(['authority', 'slice', 'sliver', 'node', 'link', 'interface', 'user', 'vlan', 'tool', 'project', 'image', 'member']);

const AUTHORITY_SEGMENT = /^[a-zA-Z0-9][a-zA-Z0-9._\-]*$/;
const TYPE_PATTERN = /^[a-zA-Z][a-zA-Z0-9_\-]*$/;
/** Characters RFC 3151 transcription percent-encodes, so they may not appear raw. */
const MUST_BE_ENCODED = /[/;'?#]/;
const BAD_PERCENT = /%(?![0-9a-fA-F]{2})/;

function hasPrefix(urn: string): boolean {
  // The 'urn' scheme and NID are case-insensitive (RFC 8141); 'IDN' is part of the public identifier.
  return urn.length >= URN_PREFIX.length && urn.slice(0, 13).toLowerCase() === 'urn:publicid:' && urn.slice(13, 17) === 'IDN+';
}

export function parseUrn(urn: string): ParsedUrn | undefined {
  if (typeof urn !== 'string' || !hasPrefix(urn)) return undefined;
  const rest = urn.slice(URN_PREFIX.length);
  const firstPlus = rest.indexOf('+');
  if (firstPlus < 0) return undefined;
  const secondPlus = rest.indexOf('+', firstPlus + 1);
  if (secondPlus < 0) return undefined;
  const authority = rest.slice(0, firstPlus);
  const type = rest.slice(firstPlus + 1, secondPlus);
  const name = rest.slice(secondPlus + 1);
  if (!authority || !type || !name) return undefined;
  return { authority, type, name };
}

export function makeUrn(authority: string, type: string, name: string): string {
  return `${URN_PREFIX}${authority}+${type}+${name}`;
}

export function isUrnOfType(urn: string, type: string): boolean {
  const parsed = parseUrn(urn);
  return parsed !== undefined && parsed.type.toLowerCase() === type.toLowerCase();
}

export function isValidSliceName(name: string): boolean {
  return SLICE_NAME_PATTERN.test(name);
}

/** Every rule the URN breaks, each message naming the part and the rule; [] when the URN is valid. */
export function urnProblems(urn: string, expectedType?: string): string[] {
  if (typeof urn !== 'string') return [`URN must be a string, got ${typeof urn}`];
  if (!hasPrefix(urn)) return [`URN ${JSON.stringify(urn)} must begin with "${URN_PREFIX}"`];
  const problems: string[] = [];
  if (/\s/.test(urn)) problems.push('URN contains whitespace; RFC 3151 transcription turns whitespace into "+"');
  if (MUST_BE_ENCODED.test(urn)) problems.push(`URN contains a raw character that RFC 3151 transcription percent-encodes (one of / ; ' ? #)`);
  if (BAD_PERCENT.test(urn)) problems.push('URN contains "%" that does not start a %XX escape');

  const parsed = parseUrn(urn);
  if (!parsed) {
    const rest = urn.slice(URN_PREFIX.length);
    const parts = rest.split('+');
    if (!parts[0]) problems.push('authority part is empty; all parts of a GENI URN are mandatory');
    if (parts.length < 2 || !parts[1]) problems.push('type part is missing or empty; all parts of a GENI URN are mandatory');
    if (parts.length < 3 || !parts.slice(2).join('+')) problems.push('name part is missing or empty; all parts of a GENI URN are mandatory');
    return problems;
  }

  for (const segment of parsed.authority.split(':')) {
    if (!segment) {
      problems.push(`authority ${JSON.stringify(parsed.authority)} has an empty sub-authority (":" separates sub-authorities)`);
      break;
    }
    if (!AUTHORITY_SEGMENT.test(segment)) {
      problems.push(`authority segment ${JSON.stringify(segment)} must be letters, digits, ".", "-" or "_", starting with a letter or digit`);
      break;
    }
  }
  if (!TYPE_PATTERN.test(parsed.type)) problems.push(`type ${JSON.stringify(parsed.type)} must be a word of letters, digits, "_" or "-"`);
  else if (expectedType === undefined && !KNOWN_TYPES.has(parsed.type.toLowerCase())) {
    problems.push(`type ${JSON.stringify(parsed.type)} is not one of the GENI URN types (${[...KNOWN_TYPES].join(', ')})`);
  }
  if (expectedType !== undefined && parsed.type.toLowerCase() !== expectedType.toLowerCase()) {
    problems.push(`type is ${JSON.stringify(parsed.type)}, expected ${JSON.stringify(expectedType)}`);
  }
  const type = parsed.type.toLowerCase();
  if (type === 'slice' && !isValidSliceName(parsed.name)) {
    problems.push(`slice name ${JSON.stringify(parsed.name)} must match ${SLICE_NAME_PATTERN.source} (at most 19 letters, digits or hyphens, no leading hyphen)`);
  }
  if (type === 'sliver' && !SLIVER_NAME_PATTERN.test(parsed.name)) {
    problems.push(`sliver name ${JSON.stringify(parsed.name)} must match ${SLIVER_NAME_PATTERN.source}`);
  }
  return problems;
}

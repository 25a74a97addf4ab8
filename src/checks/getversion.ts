import { isStruct, type XmlRpcValue } from '../xmlrpc';
import type { AmResponse } from '../geni/methods';
import type { Check } from '../core';
import { field } from './field';

/**
 * Named predicates over GetVersion's value. Each is a field check, so failures read like any other; the case body
 * only picks which to apply.
 */

const sameText = (a: unknown, b: string): boolean => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

function entries(value: XmlRpcValue): Array<Record<string, XmlRpcValue>> {
  return Array.isArray(value) ? value.filter((e): e is Record<string, XmlRpcValue> => e !== null && isStruct(e)) : [];
}

/** An absolute URL: a scheme, '//' and a host. */
export const ABSOLUTE_URL = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s/?#]+/;

/** GENI 3, the format every GENI aggregate must take and produce. */
export const GENI3_FORMAT = [{ type: 'GENI', version: '3' }] as const;
/**
 * GENI 3 under either of its names: change set A (v1 and v2), "GENI RSpec V3 is what was the ProtoGENI V2 schemas";
 * "Aggregates are free to use an alternate format internally, but must accept and produce compliant RSpecs on demand".
 */
export const COMPLIANT_RSPEC_FORMATS = [{ type: 'GENI', version: '3' }, { type: 'ProtoGENI', version: '2' }] as const;

export const getVersion = {
  /**
   * The request or ad list names one of `formats` (type and version compared case-insensitively, as the spec says).
   * Where GENI 3 is required, v1 and v2 accept its earlier name too: change set A, "GENI RSpec V3 is what was the
   * ProtoGENI V2 schemas" (COMPLIANT_RSPEC_FORMATS).
   */
  advertisesRSpec(list: 'request' | 'ad', formats: ReadonlyArray<{ type: string; version: string }>): Check<AmResponse> {
    return field(`value.geni_${list}_rspec_versions`).satisfies(
      (v) => entries(v).some((e) => formats.some((f) => sameText(e.type, f.type) && sameText(e.version, f.version))),
      `an entry with ${formats.map((f) => `type ${f.type} and version ${f.version}`).join(', or ')} (case-insensitive)`,
    );
  },

  /** geni_credential_types lists `type` in one of `versions` (versions compared as text: AMs send '3' or 3). */
  acceptsCredentialType(type: string, versions: string[]): Check<AmResponse> {
    return field('value.geni_credential_types').satisfies(
      (v) => entries(v).some((e) => sameText(e.geni_type, type) && versions.includes(String(e.geni_version))),
      `an entry with geni_type ${type} and geni_version ${versions.join(' or ')}`,
    );
  },

  /** geni_api_versions is keyed by API version numbers ('2', '3'). */
  apiVersionsKeyedByNumber(): Check<AmResponse> {
    return field('value.geni_api_versions').satisfies(
      (v) => v !== null && isStruct(v) && Object.keys(v).every((k) => /^\d+$/.test(k)),
      'member names that are version numbers ("3")',
    );
  },

  /** geni_api_versions maps `version` to a URL. */
  listsApiVersion(version: string): Check<AmResponse> {
    return field('value.geni_api_versions').satisfies(
      (v) => v !== null && isStruct(v) && typeof v[version] === 'string',
      `a member "${version}" whose value is a URL`,
    );
  },
};

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

export const getVersion = {
  /** The request or ad list names `type`/`version` (both compared case-insensitively, as the spec says). */
  advertisesRSpec(list: 'request' | 'ad', type: string, version: string): Check<AmResponse> {
    return field(`value.geni_${list}_rspec_versions`).satisfies(
      (v) => entries(v).some((e) => sameText(e.type, type) && sameText(e.version, version)),
      `an entry with type ${type} and version ${version} (case-insensitive)`,
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

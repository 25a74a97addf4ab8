import { isStruct, type XmlRpcValue } from '../xmlrpc';
import type { AmResponse } from '../geni/methods';
import type { Check } from '../core';
import { field } from './field';
import { findingFor } from './describe';
import { formatValue } from '../core';

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

/** The RSpec types change set A lists ("The RSpec type should be one of …"). */
export const KNOWN_RSPEC_TYPES = ['geni', 'protogeni', 'sfa', 'orca', 'openflow', 'orbit'] as const;

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

  /**
   * Every member of value named geni_… is one of `known`: "Implementations can add additional members to the
   * struct as desired. Implementations should choose an appropriate prefix to avoid conflicts, but avoid geni_ which
   * should be reserved for common options" (change set A). One finding per other geni_ member.
   */
  geniMembersAmong(known: readonly string[]): Check<AmResponse> {
    return (res, ctx) => {
      const value = res.raw !== undefined && res.raw !== null && isStruct(res.raw) ? res.raw.value : undefined;
      if (value === undefined || value === null || !isStruct(value)) {
        return [findingFor(res, {
          check: 'getversion-members', title: 'GetVersion value is not a struct', expected: ['a struct'], actual: formatValue(value), path: 'value', spec: ctx.spec,
        })];
      }
      return Object.keys(value).filter((k) => k.startsWith('geni_') && !known.includes(k)).map((k) => findingFor(res, {
        check: 'getversion-members', title: 'Aggregate-specific member uses the reserved geni_ prefix',
        expected: [`a member the spec defines (${known.join(', ')}), or another prefix`], actual: k, path: `value.${k}`, spec: ctx.spec,
      }));
    };
  },

  /**
   * Every RSpec version entry at `path` (an array of {type, version}) has a type of `types`, compared without
   * case: change set A, "The RSpec type should be one of …".
   */
  rspecTypesAmong(path: string, types: readonly string[]): Check<AmResponse> {
    return field(`${path}[*].type`).satisfies(
      (v) => typeof v === 'string' && types.some((t) => t.toLowerCase() === v.toLowerCase()),
      `one of ${types.map((t) => JSON.stringify(t)).join(', ')} (case-insensitive)`,
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

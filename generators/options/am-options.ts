import fc from 'fast-check';
import type { ApiVersion, Options } from '../../src/geni/methods';
import type { XmlRpcValue } from '../../src/xmlrpc';
import { urn } from '../identifiers/urn';

/**
 * Option structs per AM API version and method (DOMAIN §2.3-2.5). The table below is the only place here that
 * knows which standard options a method takes; `amOptions` draws keys from it, so a struct for version N
 * never carries a key version N does not define.
 */


/** The wire type each standard option has, which `mistypedOptions` breaks. */
export type OptionKind = 'boolean' | 'rspec-version' | 'date' | 'users' | 'slice-urn';

export const OPTION_KINDS: Readonly<Record<string, OptionKind>> = {
  geni_available: 'boolean',
  geni_compressed: 'boolean',
  geni_best_effort: 'boolean',
  geni_extend_alap: 'boolean',
  geni_rspec_version: 'rspec-version',
  rspec_version: 'rspec-version',
  geni_end_time: 'date',
  geni_users: 'users',
  geni_slice_urn: 'slice-urn',
};

export interface MethodOptions {
  required: readonly string[];
  optional: readonly string[];
}

const none: MethodOptions = { required: [], optional: [] };

/**
 * Standard options per version and method. v1 has an options struct on ListResources only. geni_speaking_for is
 * left out on purpose: it changes who the call is made for and needs an ABAC credential to go with it.
 */
export const AM_METHOD_OPTIONS: Readonly<Record<ApiVersion, Readonly<Record<string, MethodOptions>>>> = {
  1: {
    ListResources: { required: [], optional: ['geni_available', 'geni_compressed', 'geni_slice_urn', 'rspec_version'] },
  },
  2: {
    GetVersion: none,
    ListResources: { required: ['geni_rspec_version'], optional: ['geni_available', 'geni_compressed', 'geni_slice_urn'] },
    CreateSliver: none,
    DeleteSliver: none,
    SliverStatus: none,
    RenewSliver: { required: [], optional: ['geni_extend_alap'] },
    Shutdown: none,
  },
  3: {
    GetVersion: none,
    ListResources: { required: ['geni_rspec_version'], optional: ['geni_available', 'geni_compressed'] },
    Describe: { required: ['geni_rspec_version'], optional: ['geni_compressed'] },
    Allocate: { required: [], optional: ['geni_end_time'] },
    Provision: { required: ['geni_rspec_version'], optional: ['geni_users', 'geni_best_effort', 'geni_end_time'] },
    Status: { required: [], optional: ['geni_best_effort'] },
    PerformOperationalAction: { required: [], optional: ['geni_best_effort', 'geni_users'] },
    Renew: { required: [], optional: ['geni_best_effort', 'geni_extend_alap'] },
    Delete: { required: [], optional: ['geni_best_effort'] },
    Shutdown: none,
  },
};

/** Every standard key version `api` defines for `method` (or for any method). */
export function knownOptionKeys(api: ApiVersion, method?: string): string[] {
  const methods = method === undefined ? Object.values(AM_METHOD_OPTIONS[api]) : [methodOptions(api, method)];
  return [...new Set(methods.flatMap((m) => [...m.required, ...m.optional]))];
}

export interface AmOptionsConstraints {
  /**
   * The method the struct is for; its required options are always present.
   * @defaultValue any method of the version that takes an options struct
   */
  method?: string;
  /**
   * RSpec versions for geni_rspec_version / rspec_version, typically the aggregate's advertised ones.
   * @defaultValue `[{ type: 'GENI', version: '3' }]`
   */
  rspecVersions?: ReadonlyArray<{ type: string; version: string }>;
  /**
   * The slice URN geni_slice_urn may name (v1/v2 ListResources: asks for a manifest). Without one the key is never drawn.
   * @defaultValue undefined
   */
  sliceUrn?: string;
  /**
   * geni_end_time lies between `now` plus 1 minute and plus 7 days.
   * @defaultValue the time the arbitrary is built
   */
  now?: Date;
}

function methodOptions(api: ApiVersion, method: string): MethodOptions {
  const table = AM_METHOD_OPTIONS[api];
  const found = table[method];
  if (!found) throw new RangeError(`AM API v${api} has no options struct for method "${method}"; methods with one: ${Object.keys(table).join(', ')}`);
  return found;
}

const pad = (n: number): string => String(n).padStart(2, '0');
/** The strictest RFC 3339 form (Z, no fraction), which every profile accepts. @internal */
function strictDate(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}Z`;
}

/** A well-typed value for one standard option. @internal */
function optionValue(key: string, c: AmOptionsConstraints, now: Date): fc.Arbitrary<XmlRpcValue> {
  switch (OPTION_KINDS[key]) {
    case 'boolean':
      return fc.boolean();
    case 'rspec-version': {
      const versions = c.rspecVersions ?? [{ type: 'GENI', version: '3' }];
      if (versions.length === 0) throw new RangeError('amOptions: rspecVersions must not be empty');
      // type and version are case-insensitive (GAPI_AM_API_V3 GetVersion), so case variants are fair game.
      return fc.tuple(fc.constantFrom(...versions), fc.constantFrom<'keep' | 'lower' | 'upper'>('keep', 'lower', 'upper')).map(([v, casing]) => ({
        type: casing === 'keep' ? v.type : casing === 'lower' ? v.type.toLowerCase() : v.type.toUpperCase(),
        version: v.version,
      }));
    }
    case 'date':
      return fc.integer({ min: 60, max: 7 * 86400 }).map((seconds) => strictDate(new Date(now.getTime() + seconds * 1000)));
    case 'users':
      return fc.array(
        fc.record({
          urn: urn({ type: 'user', valid: true }),
          keys: fc.array(fc.stringMatching(/^[A-Za-z0-9+/]{16,64}$/).map((body) => `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5${body} user@example`), { maxLength: 2 }),
        }),
        { minLength: 1, maxLength: 3 },
      );
    case 'slice-urn':
      return fc.constant(c.sliceUrn!);
    default:
      throw new Error(`amOptions: no generator for option ${key}`);
  }
}

/** @internal */
function optionsFor(api: ApiVersion, method: string, c: AmOptionsConstraints, now: Date): fc.Arbitrary<Options> {
  const { required, optional } = methodOptions(api, method);
  const keys = [...required, ...optional.filter((key) => key !== 'geni_slice_urn' || c.sliceUrn !== undefined)];
  const model: Record<string, fc.Arbitrary<XmlRpcValue>> = {};
  for (const key of keys) model[key] = optionValue(key, c, now);
  return fc.record(model, { requiredKeys: [...required] }) as fc.Arbitrary<Options>;
}

/**
 * Valid options structs for AM API `api`: only standard keys of that version (and method), each with its
 * proper type; the method's required keys always present.
 *
 * @example amOptions(3, { method: 'ListResources' }) // { geni_rspec_version: { type: 'GENI', version: '3' }, geni_available: true }
 */
export function amOptions(api: ApiVersion, constraints: AmOptionsConstraints = {}): fc.Arbitrary<Options> {
  const now = constraints.now ?? new Date();
  if (constraints.method !== undefined) return optionsFor(api, constraints.method, constraints, now);
  return fc.oneof(...Object.keys(AM_METHOD_OPTIONS[api]).map((method) => optionsFor(api, method, constraints, now)));
}

export interface AmOptionsWithUnknownKeysConstraints extends AmOptionsConstraints {
  /**
   * The aggregate-specific prefix of the extra keys. It must not be `geni_`, which the spec reserves.
   * @defaultValue one of `emulab_`, `pg_`, `sfa:`, `foam_`, `orca:`
   */
  prefix?: string;
  /** @defaultValue 3 */
  maxUnknownKeys?: number;
}

/** Any XML-RPC value an aggregate-specific option might carry. @internal */
function extensionValue(): fc.Arbitrary<XmlRpcValue> {
  const scalar = fc.oneof(fc.stringMatching(/^[ -~]{0,20}$/), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.boolean());
  return fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.stringMatching(/^[a-z][a-z_]{0,8}$/), scalar, { maxKeys: 3 }));
}

/**
 * Valid options plus 1..`maxUnknownKeys` aggregate-specific keys under their own prefix, which an aggregate
 * must ignore ("AMs must ignore unknown options"). `unknownKeys` names the extras.
 */
export function amOptionsWithUnknownKeys(
  api: ApiVersion,
  constraints: AmOptionsWithUnknownKeysConstraints = {},
): fc.Arbitrary<{ options: Options; unknownKeys: string[] }> {
  const { prefix, maxUnknownKeys = 3, ...rest } = constraints;
  if (prefix !== undefined && (prefix === '' || prefix.toLowerCase().startsWith('geni_'))) {
    throw new RangeError(`amOptionsWithUnknownKeys: prefix must be non-empty and not geni_ (reserved for standard options), but received "${prefix}"`);
  }
  if (maxUnknownKeys < 1) throw new RangeError(`amOptionsWithUnknownKeys: maxUnknownKeys must be at least 1, but received ${maxUnknownKeys}`);
  const prefixes = prefix === undefined ? fc.constantFrom('emulab_', 'pg_', 'sfa:', 'foam_', 'orca:') : fc.constant(prefix);
  const extras = fc.uniqueArray(fc.tuple(prefixes, fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/), extensionValue()), {
    minLength: 1,
    maxLength: maxUnknownKeys,
    selector: ([p, name]) => `${p}${name}`,
  });
  return fc.tuple(amOptions(api, rest), extras).map(([options, pairs]) => {
    const extra = Object.fromEntries(pairs.map(([p, name, value]) => [`${p}${name}`, value]));
    return { options: { ...options, ...extra }, unknownKeys: Object.keys(extra) };
  });
}

export interface MistypedOption {
  key: string;
  /** The type the spec gives the key. */
  expected: string;
  /** The wire type actually sent. */
  sent: string;
  /** What the struct breaks, for a report. */
  breaks: string;
}

/** Wrong-typed values per option kind, each with its wire type name. @internal */
const WRONG_VALUES: Record<OptionKind, ReadonlyArray<{ sent: string; value: XmlRpcValue }>> = {
  boolean: [
    { sent: 'string', value: 'true' },
    { sent: 'int (not 0 or 1)', value: 2 },
    { sent: 'nil', value: null },
    { sent: 'array', value: [true] },
  ],
  'rspec-version': [
    { sent: 'int', value: 3 },
    { sent: 'string', value: 'GENI 3' },
    { sent: 'nil', value: null },
    { sent: 'array', value: ['GENI', '3'] },
  ],
  date: [
    { sent: 'int', value: 1_900_000_000 },
    { sent: 'nil', value: null },
    { sent: 'struct', value: { date: '2030-01-01T00:00:00Z' } },
    { sent: 'boolean', value: true },
  ],
  users: [
    { sent: 'struct', value: { urn: 'urn:publicid:IDN+example.net+user+alice', keys: [] } },
    { sent: 'string', value: 'urn:publicid:IDN+example.net+user+alice' },
    { sent: 'int', value: 42 },
    { sent: 'nil', value: null },
  ],
  'slice-urn': [
    { sent: 'int', value: 42 },
    { sent: 'nil', value: null },
    { sent: 'array', value: ['urn:publicid:IDN+example.net+slice+s1'] },
  ],
};

const EXPECTED_TYPE: Record<OptionKind, string> = {
  boolean: 'boolean',
  'rspec-version': 'struct {type, version}',
  date: 'RFC 3339 string',
  users: 'array of {urn, keys}',
  'slice-urn': 'string (slice URN)',
};

/**
 * Otherwise valid options in which one standard key has the wrong type (string for boolean, int for struct,
 * nil, …). An aggregate should answer BADARGS (v2/v3) or a Fault (v1); `mistyped` says which key and how.
 */
export function mistypedOptions(api: ApiVersion, constraints: AmOptionsConstraints = {}): fc.Arbitrary<{ options: Options; mistyped: MistypedOption }> {
  const now = constraints.now ?? new Date();
  const methods = constraints.method !== undefined ? [constraints.method] : Object.keys(AM_METHOD_OPTIONS[api]);
  const withKeys = methods.filter((method) => knownOptionKeys(api, method).some((key) => key !== 'geni_slice_urn' || constraints.sliceUrn !== undefined));
  if (withKeys.length === 0) throw new RangeError(`mistypedOptions: AM API v${api} ${methods.join(', ')} takes no standard option to mistype`);
  const perMethod = withKeys.map((method) => {
    const keys = knownOptionKeys(api, method).filter((key) => key !== 'geni_slice_urn' || constraints.sliceUrn !== undefined);
    const wrong = fc.oneof(...keys.map((key) => fc.constantFrom(...WRONG_VALUES[OPTION_KINDS[key]!]).map((w) => ({ key, ...w }))));
    return fc.tuple(optionsFor(api, method, constraints, now), wrong).map(([options, { key, sent, value }]) => {
      const kind = OPTION_KINDS[key]!;
      return {
        options: { ...options, [key]: value },
        mistyped: { key, expected: EXPECTED_TYPE[kind], sent, breaks: `${method} option ${key} must be a ${EXPECTED_TYPE[kind]} (AM API v${api}), got ${sent}` },
      };
    });
  });
  return fc.oneof(...perMethod);
}

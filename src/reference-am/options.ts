import { XmlRpcFault } from '../server';
import { isStruct, type XmlRpcValue } from '../xmlrpc';
import { AmError, GENI_CODE, badArgs } from './am-error';
import { parseTimeArgument } from './dates';
import type { FaultSet } from './faults';
import type { GeniUser } from './model';
import { findAdvertised, type AdvertisedRSpecVersion } from './rspec-versions';

export type Options = Record<string, XmlRpcValue>;

/** Options every v3 method may carry. */
const COMMON_OPTIONS = ['geni_speaking_for'];

/** The standard options each method understands; anything else is an extension the AM must ignore. */
const METHOD_OPTIONS: Record<string, string[]> = {
  GetVersion: [],
  ListResources: ['geni_rspec_version', 'geni_available', 'geni_compressed'],
  Describe: ['geni_rspec_version', 'geni_compressed'],
  Allocate: ['geni_end_time', 'geni_start_time'],
  Provision: ['geni_rspec_version', 'geni_users', 'geni_best_effort', 'geni_end_time'],
  Status: ['geni_best_effort'],
  Renew: ['geni_best_effort', 'geni_extend_alap'],
  PerformOperationalAction: ['geni_best_effort', 'geni_users'],
  Delete: ['geni_best_effort'],
  Shutdown: [],
};

/**
 * The options struct. Unknown keys are ignored as the spec requires ("AMs must ignore unknown options"),
 * unless the unknown-option-rejected fault is on.
 */
export function readOptions(value: XmlRpcValue | undefined, method: string, faults: FaultSet): Options {
  if (value === undefined || !isStruct(value)) throw badArgs(`${method}: options must be a struct`);
  if (faults.has('unknown-option-rejected')) {
    const known = new Set([...COMMON_OPTIONS, ...(METHOD_OPTIONS[method] ?? [])]);
    const unknown = Object.keys(value).filter((k) => !known.has(k));
    if (unknown.length > 0) throw badArgs(`${method}: unsupported option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
  }
  if (faults.has('mistyped-option-crashes')) crashOnMistypedFlag(value, method);
  return value;
}

/** Standard options that are booleans (readFlag's keys). */
const FLAG_OPTIONS = ['geni_available', 'geni_compressed', 'geni_best_effort', 'geni_extend_alap'];

/**
 * The mistyped-option-crashes fault: flags are used without a type check, so a string or struct where a boolean
 * belongs blows up inside the handler and escapes as the server's "internal error" Fault instead of BADARGS.
 */
function crashOnMistypedFlag(options: Options, method: string): void {
  for (const key of FLAG_OPTIONS) {
    const v = options[key];
    if (v === undefined || typeof v === 'boolean' || v === 0 || v === 1) continue;
    throw new XmlRpcFault(-32603, `internal error: ${method}: cannot use ${JSON.stringify(v)} as a condition (${key})`);
  }
}

/** A boolean option; XML-RPC clients sometimes send 0/1 ints for booleans, which we accept. */
export function readFlag(options: Options, key: string): boolean {
  const v = options[key];
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number' && (v === 0 || v === 1)) return v === 1;
  throw badArgs(`option ${key} must be a boolean, got ${JSON.stringify(v)}`);
}

/** An optional time option (geni_end_time): absent → undefined; present but not RFC 3339 → BADARGS. */
export function readTimeOption(options: Options, key: string): Date | undefined {
  const v = options[key];
  if (v === undefined) return undefined;
  const date = parseTimeArgument(v);
  if (!date) throw badArgs(`option ${key} must be an RFC 3339 date-time, got ${JSON.stringify(String(v))}`);
  return date;
}

/**
 * geni_rspec_version: required ({type, version}); missing or incomplete → BADARGS; not one of `advertised`
 * → BADVERSION (or SUCCESS with the default format under the unsupported-rspec-version-wrong-code fault). `missingIsOk` is the
 * missing-rspec-version-accepted fault's hook. Returns the advertised format asked for (the first, by default).
 */
export function requireRSpecVersion(
  options: Options,
  advertised: readonly [AdvertisedRSpecVersion, ...AdvertisedRSpecVersion[]] | readonly AdvertisedRSpecVersion[],
  faults: FaultSet,
  missingIsOk = false,
): AdvertisedRSpecVersion {
  const fallback = advertised[0]!;
  const v = options.geni_rspec_version;
  if (v === undefined && missingIsOk) return fallback;
  if (v === undefined || !isStruct(v)) throw badArgs('option geni_rspec_version is required: a struct with type and version');
  if (typeof v.type !== 'string' || (typeof v.version !== 'string' && typeof v.version !== 'number')) {
    throw badArgs('option geni_rspec_version must have string members type and version');
  }
  const version = String(v.version);
  const found = findAdvertised(advertised, v.type, version);
  if (!found) {
    // The fault: the requested version is not looked at, and the default (GENI 3) document goes back with SUCCESS.
    if (faults.has('unsupported-rspec-version-wrong-code')) return fallback;
    const offered = advertised.map((a) => `${a.type} ${a.version}`).join(', ');
    throw new AmError(GENI_CODE.BADVERSION, `RSpec version ${v.type} ${version} is not supported; this aggregate offers ${offered}`);
  }
  return found;
}

/** geni_users: [{ urn, keys: [string] }]; both members are required when the option is given. */
export function readUsers(options: Options): GeniUser[] {
  return options.geni_users === undefined ? [] : readUserList(options.geni_users, 'option geni_users');
}

/** A users list ([{ urn, keys: [string] }]): the geni_users option, or v1/v2 CreateSliver's users argument. */
export function readUserList(value: XmlRpcValue | undefined, name: string): GeniUser[] {
  if (!Array.isArray(value)) throw badArgs(`${name} must be an array of { urn, keys } structs`);
  return value.map((entry, i) => {
    if (!isStruct(entry) || typeof entry.urn !== 'string' || !Array.isArray(entry.keys) || !entry.keys.every((k) => typeof k === 'string')) {
      throw badArgs(`${name}[${i}] must be a struct { urn: string, keys: string[] }`);
    }
    return { urn: entry.urn, keys: entry.keys as string[] };
  });
}

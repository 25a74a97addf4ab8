import type { RSpecVersion } from './version-info';

/**
 * The RSpec formats the harness itself reads and writes: GENI v3 and ProtoGENI v2 (the same vocabulary in
 * another namespace). Aggregates may advertise others (their own native formats, GAPI_AM_API_V3/CommonConcepts
 * "Aggregates are free to use an alternate format internally"); the harness then asks for one of these two where
 * the aggregate offers it, and says so when it offers neither.
 */
export type RSpecDialect = 'geni3' | 'pgv2';

export interface RSpecFormatChoice {
  /** What to put in geni_rspec_version (v2, v3) or rspec_version (v1): the aggregate's own spelling. */
  version: { type: string; version: string };
  /** How the harness writes and reads documents of that format; undefined for a format it does not know. */
  dialect?: RSpecDialect;
}

/** Known formats, most preferred first; type and version compare case-insensitively (GAPI_AM_API_V3 GetVersion). */
const KNOWN: ReadonlyArray<{ type: string; version: string; dialect: RSpecDialect }> = [
  { type: 'geni', version: '3', dialect: 'geni3' },
  { type: 'protogeni', version: '2', dialect: 'pgv2' },
];

export function dialectOf(version: { type: string; version: string }): RSpecDialect | undefined {
  return KNOWN.find((k) => k.type === version.type.trim().toLowerCase() && k.version === version.version.trim().toLowerCase())?.dialect;
}

/** The GENI 3 version struct, what the harness asks for when an aggregate advertises no list at all. */
export const GENI3_VERSION = { type: 'GENI', version: '3' } as const;

/**
 * The format to ask an aggregate for, among those it advertises: GENI 3, else ProtoGENI 2, else (a format the
 * harness cannot write) the first advertised one, with no dialect. An aggregate that advertises nothing is asked
 * for GENI 3, the format every GENI aggregate must support.
 */
export function chooseRSpecFormat(advertised: readonly RSpecVersion[]): RSpecFormatChoice {
  for (const known of KNOWN) {
    const offered = advertised.find((v) => dialectOf(v) === known.dialect);
    if (offered) return { version: { type: offered.type, version: offered.version }, dialect: known.dialect };
  }
  const first = advertised[0];
  return first ? { version: { type: first.type, version: first.version } } : { version: { ...GENI3_VERSION }, dialect: 'geni3' };
}

/** How an advertised list reads in a message: 'SFA 1, ProtoGENI 2'. */
export function describeFormats(advertised: readonly RSpecVersion[]): string {
  return advertised.length === 0 ? 'none' : advertised.map((v) => `${v.type} ${v.version}`).join(', ');
}

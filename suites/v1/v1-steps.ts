/**
 * Preconditions shared by the v1 cases. v1 has no return struct: success is the plain value, failure a Fault or
 * false. A step that is not what the case tests is a precondition (skip with the reason when it fails).
 * Not a .cases.ts file, so the registry does not load it as cases.
 */
import type { AmResponse, Options } from '../../src/geni/methods';
import type { SliceFixture } from '../../src/runner/fixtures-types';
import type { AmCaseContext } from '../../src/runner/am-suites';
import { describeFormats, dialectOf } from '../../src/geni/rspec-formats';
import type { RSpecFormat } from '../../src/rspec';


export { EMPTY_REQUEST, rfc3339, secondsAfter, secondsFromNow, truncated } from '../v3/sliver-steps';

/** An option no aggregate defines. */
export const UNKNOWN_OPTION = { geniharness_unknown_option: 'ignore me' };
/** An RSpec version no aggregate advertises. */
export const UNADVERTISED_VERSION = { type: 'GENI', version: '99' };

/**
 * The ad format to ask for: the life cycle's choice among the advertised formats (GENI 3, else ProtoGENI 2, its
 * earlier name, else the first advertised one), in the aggregate's own spelling.
 */
export function rspecVersion(t: AmCaseContext): { type: string; version: string } {
  return { ...t.lifecycle.formats.ad };
}

/**
 * The schema set an advertisement asked for with rspecVersion(t) must validate against; a skip when the aggregate
 * advertises no format the harness can validate (change set A lets it keep a native format besides the GENI one,
 * and getversion.ad-geni3 fails it when it offers no GENI one).
 */
export function validatedAdFormat(t: AmCaseContext): RSpecFormat {
  return dialectOf(rspecVersion(t)) ?? t.skip(`precondition: the aggregate advertises only ${describeFormats(t.version.adRSpecVersions)}, none of which the harness can validate (GENI 3, ProtoGENI 2)`);
}

/** The schema set of the aggregate's default_ad_rspec (GetVersion), or undefined when the harness knows none for it. */
export function defaultAdFormat(t: AmCaseContext): RSpecFormat | undefined {
  const raw = t.version.raw;
  const def = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>).default_ad_rspec : undefined;
  if (def === null || typeof def !== 'object') return undefined;
  const { type, version } = def as { type?: unknown; version?: unknown };
  return typeof type === 'string' && (typeof version === 'string' || typeof version === 'number') ? dialectOf({ type, version: String(version) }) : undefined;
}

/** v1 ListResources options: change set A's rspec_version (no geni_ prefix in v1) plus `extra`. */
export function listOptions(t: AmCaseContext, extra: Options = {}): Options {
  return { rspec_version: rspecVersion(t), ...extra };
}

function succeeded(res: AmResponse): boolean {
  return !res.fault && res.raw !== false && res.raw !== undefined;
}

export function precondition(t: AmCaseContext, res: AmResponse, step: string): void {
  if (!succeeded(res)) t.skip(`precondition: ${step} answered ${res.fault ? `Fault ${res.fault.faultCode}` : String(res.raw)} (exchange ${res.exchangeId})`);
}

export interface CreatedSlice {
  slice: SliceFixture;
  request: string;
  create: AmResponse;
}

/** A slice with slivers made by CreateSliver (precondition: it returns a manifest). */
export async function createdSlice(t: AmCaseContext, step: { nodes?: number; sliceSeconds?: number } = {}): Promise<CreatedSlice> {
  const slice = await t.newSlice(step.sliceSeconds ? { expiresInSeconds: step.sliceSeconds } : {});
  const request = await t.requestRSpec({ nodes: step.nodes ?? 1 });
  const create = await t.v1.CreateSliver(slice.urn, slice.credentials, request, []);
  precondition(t, create, 'CreateSliver');
  return { slice, request, create };
}

/** The full advertisement, as a precondition. */
export async function fullAdvertisement(t: AmCaseContext): Promise<string> {
  const res = await t.v1.ListResources(t.creds.user(), listOptions(t));
  precondition(t, res, 'ListResources');
  return String(res.raw);
}

import { clipText, errorMessage } from '../core';
import { Transcript } from '../client';
import { CREDENTIAL_WRAPPING, type AmResponse, type ApiVersion } from '../geni/methods';
import { LIFECYCLES } from '../geni/lifecycle';
import { entryOwnerIsGone } from './ledger';
import { sliceCredentialsFor } from './acting-servers';
import type { Session } from './session';

/** A slice the harness may hold slivers in, at one aggregate URL, as the ledger records it. */
export interface HeldSlice {
  url: string;
  api: ApiVersion;
  sliceUrn: string;
  credentialXml: string;
  /** Used through a slice manager: the aggregates behind it, where the slivers are (LedgerEntry.aggregates). */
  aggregates?: string[];
}

export interface CleanupReport {
  deleted: string[];
  kept: Array<{ sliceUrn: string; url: string; why: string }>;
}

/**
 * Releases slices and keeps the ledger true: a slice the aggregate confirms gone leaves the ledger; one it would
 * not release stays there with the reason (for `geni-harness cleanup` and the next run). The one loop behind the
 * end-of-case cleanup, a property's per-input release and the cleanup of an earlier run's leftovers. Exchanges go
 * to `transcript` (the case's, so its report shows the cleanup) or nowhere.
 */
export async function releaseSlices(session: Session, slices: HeldSlice[], transcript = new Transcript()): Promise<CleanupReport> {
  const report: CleanupReport = { deleted: [], kept: [] };
  for (const slice of slices) {
    let why: string;
    try {
      const res = await releaseWithFallback(session, slice, transcript);
      if (res.gone) {
        session.ledger.remove(slice.url, slice.sliceUrn);
        report.deleted.push(slice.sliceUrn);
        continue;
      }
      why = describeAnswer(res.answer);
    } catch (err) {
      why = errorMessage(err);
    }
    session.ledger.update(slice.url, slice.sliceUrn, { lastError: why });
    report.kept.push({ sliceUrn: slice.sliceUrn, url: slice.url, why });
  }
  return report;
}

/**
 * Deletes what the ledger names at `url` (or everywhere) and no live run still uses: used before a run and by
 * `geni-harness cleanup`. Slices of a run that is still going (another process on this host, or a run on another
 * host whose heartbeat is recent or unknown) are left to it and listed in `inUse`.
 */
export async function cleanupLedger(session: Session, filter: { url?: string } = {}): Promise<CleanupReport & { inUse: string[] }> {
  const candidates = session.ledger.read()
    .filter((entry) => !filter.url || entry.url === filter.url)
    .filter((entry) => !entry.embeddedInstance || entry.embeddedInstance === session.spec.embeddedInstance);
  const inUse = candidates.filter((entry) => !entryOwnerIsGone(entry));
  const held = candidates
    .filter((entry) => entryOwnerIsGone(entry))
    .map((entry): HeldSlice => ({
      url: entry.url, api: entry.api === 1 || entry.api === 2 ? entry.api : 3, sliceUrn: entry.sliceUrn, credentialXml: entry.sliceCredentialXml,
      ...(entry.aggregates && entry.aggregates.length > 0 && { aggregates: entry.aggregates }),
    }));
  return { ...(await releaseSlices(session, held)), inUse: inUse.map((e) => `${e.sliceUrn} (run ${e.owner?.host ?? '?'} pid ${e.owner?.pid ?? '?'})`) };
}

/**
 * Releases a slice through its own API version; when that refuses (v2 DeleteSliver after Shutdown answers
 * UNAVAILABLE, by design) and the aggregate also speaks v3, v3 Delete is tried, so nothing is left behind.
 */
async function releaseWithFallback(session: Session, slice: HeldSlice, transcript: Transcript): Promise<{ gone: boolean; answer: AmResponse }> {
  if (slice.aggregates) return releaseBehind(session, slice, slice.aggregates, transcript);
  const own = LIFECYCLES[slice.api](session.client(slice.url, transcript));
  const answer = await own.release({ urn: slice.sliceUrn, credentials: sliceCredentialsFor(session, slice.url, slice.api, slice.credentialXml) });
  if (own.isGone(answer) || slice.api === 3) return { gone: own.isGone(answer), answer };
  const v3Url = await session.urlFor(3).catch(() => undefined);
  if (!v3Url) return { gone: false, answer };
  const v3 = LIFECYCLES[3](session.client(v3Url, transcript));
  const viaV3 = await v3.release({ urn: slice.sliceUrn, credentials: [CREDENTIAL_WRAPPING[3](slice.credentialXml)] });
  return { gone: v3.isGone(viaV3), answer: v3.isGone(viaV3) ? viaV3 : answer };
}

/**
 * A slice used through a slice manager is released where its slivers are: v3 Delete at each aggregate behind it, with
 * the slice credential alone (nothing delegated: an aggregate takes the caller's own credential from the caller).
 * Gone once every aggregate says so; the first that does not is the answer kept.
 */
async function releaseBehind(session: Session, slice: HeldSlice, aggregates: string[], transcript: Transcript): Promise<{ gone: boolean; answer: AmResponse }> {
  let kept: AmResponse | undefined;
  let last: AmResponse | undefined;
  for (const url of aggregates) {
    const v3 = LIFECYCLES[3](session.client(url, transcript));
    last = await v3.release({ urn: slice.sliceUrn, credentials: [CREDENTIAL_WRAPPING[3](slice.credentialXml)] });
    if (!v3.isGone(last)) kept ??= last;
  }
  return { gone: kept === undefined, answer: kept ?? last! };
}

function describeAnswer(res: AmResponse): string {
  if (res.fault) return `Fault ${res.fault.faultCode}: ${clipText(res.fault.faultString)}`;
  if (res.envelope) return `geni_code ${String(res.envelope.geniCode)}`;
  return `value ${String(res.raw)}`;
}

/**
 * Checks the property cases need on top of the per-answer ones: comparisons between two answers (state before and
 * after a refused call, Describe against Status), best-effort error placement, advertisement subsets, and a sliver
 * list against the expected state a model keeps. Pure functions with fixed titles, like every check (STYLE.md B4).
 */
import { HarnessError, formatValue, type Finding } from '../core';
import type { AmResponse } from '../geni/methods';
import { readAdvertisement, RSpecParseError, decodeCompressedRSpec } from '../rspec';
import type { Check } from '../core';
import { describeAnswer } from './describe';
import { withExchange } from './rspec';
import { sliverListAt, type Sliver } from './slivers';
import { readGeniDate } from './time';

/** One sliver as a model expects it: `expires` and `operational` are compared only when given. */
export interface ExpectedSliver {
  urn: string;
  allocation: string;
  operational?: string;
  expires?: Date;
}

const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

/** A sliver struct reduced to what state comparisons look at. @internal */
interface SliverState { allocation: unknown; operational: unknown; expires: number | undefined; raw: Sliver }

function statesOf(slivers: Sliver[]): Map<string, SliverState> {
  const out = new Map<string, SliverState>();
  for (const s of slivers) {
    if (typeof s.geni_sliver_urn !== 'string') continue;
    const expires = readGeniDate(s.geni_expires);
    out.set(s.geni_sliver_urn, { allocation: s.geni_allocation_status, operational: s.geni_operational_status, expires: expires ? seconds(expires) : undefined, raw: s });
  }
  return out;
}

/** The slivers of an answer, or [] when it has none: SEARCHFAILED (or any refusal) means "nothing there". @internal */
function sliversOrNone(res: AmResponse, at: string): { ok: true; slivers: Sliver[] } | { ok: false; findings: Finding[] } {
  if (res.envelope?.geniCode !== undefined && res.envelope.geniCode !== 0) return { ok: true, slivers: [] };
  return sliverListAt(res, at);
}

function differences(before: Map<string, SliverState>, after: Map<string, SliverState>, fields: Array<'allocation' | 'operational' | 'expires'>): string[] {
  const out: string[] = [];
  for (const urn of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(urn);
    const b = after.get(urn);
    if (!a || !b) {
      out.push(`${urn} ${a ? 'disappeared' : 'appeared'}`);
      continue;
    }
    for (const f of fields) if (a[f] !== b[f]) out.push(`${urn} ${f} ${formatValue(f === 'expires' ? isoOf(a[f]) : a[f])} → ${formatValue(f === 'expires' ? isoOf(b[f]) : b[f])}`);
  }
  return out;
}

const isoOf = (s: unknown): string => (typeof s === 'number' ? new Date(s * 1000).toISOString().replace('.000Z', 'Z') : String(s));

export const properties = {
  /**
   * A failed transition leaves state unchanged: the slivers listed now (at `at`) are exactly those of `before`
   * (read at `beforeAt`), in the same allocation and operational states, with the same expiry. An answer that
   * refused to list anything (SEARCHFAILED for an empty slice) counts as "no slivers" on either side.
   */
  unchangedSince: (before: AmResponse, at: string, beforeAt = at, spec = 'am3/common#SliverAllocationStates'): Check<AmResponse> => (res) => {
    const then = sliversOrNone(before, beforeAt);
    const now = sliversOrNone(res, at);
    if (!then.ok) return then.findings;
    if (!now.ok) return now.findings;
    const changed = differences(statesOf(then.slivers), statesOf(now.slivers), ['allocation', 'operational', 'expires']);
    return changed.length === 0
      ? []
      : [{
          check: 'state-unchanged', title: 'State changed although the operation failed', expected: ['the slivers, states and expiries reported before the call'],
          actual: formatValue(changed.join('; '), 300), path: at, spec, exchangeIds: [before.exchangeId, res.exchangeId],
        }];
  },

  /**
   * Two views of the same slivers agree (Describe's geni_slivers and Status's): the same sliver URNs, allocation
   * states and expiries (to the second), and the same operational states where both give one.
   */
  agreesWith: (other: AmResponse, at: string, otherAt = at, spec = 'am3#Describe'): Check<AmResponse> => (res) => {
    const mine = sliverListAt(res, at);
    const theirs = sliverListAt(other, otherAt);
    if (!mine.ok) return mine.findings;
    if (!theirs.ok) return theirs.findings;
    const changed = differences(statesOf(theirs.slivers), statesOf(mine.slivers), ['allocation', 'operational', 'expires']);
    return changed.length === 0
      ? []
      : [{
          check: 'views-agree', title: 'Describe and Status disagree about the slivers', expected: [`the same slivers, states and expiries as ${other.method}`],
          actual: formatValue(changed.join('; '), 300), path: at, spec, exchangeIds: [other.exchangeId, res.exchangeId],
        }];
  },

  /** With geni_best_effort, geni_error is non-empty on exactly the slivers in `failed` and empty (or absent) on the rest. */
  errorsExactlyOn: (failed: string[], at: string): Check<AmResponse> => (res) => {
    const list = sliverListAt(res, at);
    if (!list.ok) return list.findings;
    const withError = list.slivers
      .filter((s) => typeof s.geni_error === 'string' ? s.geni_error !== '' : s.geni_error !== undefined)
      .map((s) => String(s.geni_sliver_urn)).sort();
    const wanted = [...failed].sort();
    return withError.length === wanted.length && withError.every((u, i) => u === wanted[i])
      ? []
      : [{
          check: 'sliver-error-field', title: 'geni_error is not on exactly the slivers that failed', expected: [`geni_error on ${formatValue(wanted, 200)} only`],
          actual: `geni_error on ${formatValue(withError, 200)}`, path: `${at}[*].geni_error`, spec: 'am3/common#geni_best_effort', exchangeIds: [res.exchangeId],
        }];
  },

  /**
   * The sliver list at `at` is what the model expects: exactly the expected sliver URNs, each in its expected
   * allocation state, with the expected operational state and expiry (± `toleranceSeconds`) where the model knows them.
   */
  matchesModel: (expected: ExpectedSliver[], at: string, opts: { toleranceSeconds?: number; spec?: string } = {}): Check<AmResponse> => (res) => {
    const list = sliverListAt(res, at);
    if (!list.ok) return list.findings;
    const tolerance = opts.toleranceSeconds ?? 1;
    const got = statesOf(list.slivers);
    const problems: string[] = [];
    for (const e of expected) {
      const s = got.get(e.urn);
      if (!s) {
        problems.push(`${e.urn} missing`);
        continue;
      }
      if (s.allocation !== e.allocation) problems.push(`${e.urn} is ${formatValue(s.allocation)}, expected ${e.allocation}`);
      if (e.operational !== undefined && s.operational !== e.operational) problems.push(`${e.urn} operational ${formatValue(s.operational)}, expected ${e.operational}`);
      if (e.expires !== undefined && (s.expires === undefined || Math.abs(s.expires - seconds(e.expires)) > tolerance)) {
        problems.push(`${e.urn} expires ${isoOf(s.expires)}, expected ${isoOf(seconds(e.expires))}`);
      }
    }
    const known = new Set(expected.map((e) => e.urn));
    for (const urn of got.keys()) if (!known.has(urn) && got.get(urn)!.allocation !== 'geni_unallocated') problems.push(`${urn} listed but not expected`);
    return problems.length === 0
      ? []
      : [{
          check: 'model', title: 'Slivers differ from the state the operations so far imply', expected: [formatValue(expected.map((e) => `${e.urn} ${e.allocation}`), 200)],
          actual: formatValue(problems.join('; '), 300), path: at, spec: opts.spec ?? 'am3/common#SliverAllocationStates', exchangeIds: [res.exchangeId],
        }];
  },

  /**
   * The advertisement at `at` (geni_available, plain or compressed) against the full one: every node it lists is in
   * the full advertisement and available now, and every node the full one says is available now is listed.
   */
  availableSubsetOf: (full: AmResponse, at = 'value'): Check<AmResponse> => (res) => {
    const read = (r: AmResponse): ReturnType<typeof readAdvertisement> | string => {
      const v = r.envelope?.geniCode === 0 ? r.envelope.value : undefined;
      if (typeof v !== 'string') return describeAnswer(r);
      try {
        return readAdvertisement(v.trimStart().startsWith('<') ? v : decodeCompressedRSpec(v));
      } catch (err) {
        if (err instanceof RSpecParseError) return err.message;
        if (err instanceof HarnessError) throw withExchange(err, r.exchangeId);
        throw err;
      }
    };
    const available = read(res);
    const all = read(full);
    const finding = (title: string, expected: string, actual: string): Finding[] => [{
      check: 'available-subset', title, expected: [expected], actual, path: at, spec: 'am3/common#geni_available', exchangeIds: [full.exchangeId, res.exchangeId],
    }];
    if (typeof available === 'string' || typeof all === 'string') return finding('Advertisement cannot be read', 'two readable advertisements', typeof available === 'string' ? available : String(all));
    const key = (id: string) => id.toLowerCase();
    const fullIds = new Set(all.nodes.map((n) => key(n.componentId)));
    const listed = new Set(available.nodes.map((n) => key(n.componentId)));
    const extra = available.nodes.filter((n) => !fullIds.has(key(n.componentId))).map((n) => n.componentId);
    const missing = all.nodes.filter((n) => n.available && !listed.has(key(n.componentId))).map((n) => n.componentId);
    const busy = available.nodes.filter((n) => !n.available).map((n) => n.componentId);
    return [
      ...(busy.length ? finding('geni_available lists nodes that are not available now', 'only nodes available now', `not available: ${formatValue(busy, 200)}`) : []),
      ...(extra.length ? finding('geni_available lists nodes the full advertisement does not have', 'a subset of the full advertisement', `extra ${formatValue(extra, 200)}`) : []),
      ...(missing.length ? finding('geni_available leaves out available nodes', 'every node available now in the full advertisement', `missing ${formatValue(missing, 200)}`) : []),
    ];
  },
};

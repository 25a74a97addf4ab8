/**
 * Checks on v3 sliver lists and the manifests that describe them.
 *
 * `at` is the dotted path, from the top of the return struct, of the sliver list: 'value.geni_slivers' for
 * Allocate, Provision, Status and Describe; 'value' for Renew, Delete and PerformOperationalAction, whose value is
 * the list itself. Manifest checks take the path of the RSpec string ('value.geni_rspec').
 *
 * Every check is pure: it reads the answer and returns findings with a fixed title. A missing or malformed list is
 * reported once, as 'Sliver list missing', so that one broken answer does not produce a finding per expectation.
 */
import { formatValue } from '../core';
import type { Finding } from '../core';
import type { Check } from '../core';
import type { AmResponse } from '../geni/methods';
import { GENI_CODES } from '../geni/error-codes';
import { urnProblems } from '../geni/urn';
import {
  advertisedStateNames, advertisedWaitStates, decodeCompressedRSpec, describeMachines, machinesFor, readResources, statesAfterAction,
  type OperationalStateMachine, type ResourceElement,
} from '../rspec';
import type { XmlRpcValue } from '../xmlrpc';
import { describeAnswer } from './describe';
import { valueAt } from './paths';

export type AllocationState = 'geni_unallocated' | 'geni_allocated' | 'geni_provisioned';

/** Operational states CommonConcepts defines; aggregates may add their own (advertised in the ad RSpec). */
export const GENI_OPERATIONAL_STATES = [
  'geni_pending_allocation', 'geni_notready', 'geni_configuring', 'geni_stopping', 'geni_ready', 'geni_ready_busy',
  'geni_failed', 'geni_updating_users',
] as const;

/** The standard wait states: they last only until the aggregate finishes a transition (CommonConcepts "A wait state"). */
export const GENI_WAIT_STATES: readonly string[] = ['geni_pending_allocation', 'geni_configuring', 'geni_stopping', 'geni_ready_busy', 'geni_updating_users'];

/** CommonConcepts ("Sliver Operational States") on an aggregate's own states: quoted by the findings that judge them. */
export const OWN_OPERATIONAL_STATES_TEXT =
  'AMs may have their own operational states/state-machine internally. AMs are required to advertise such states and actions that experimenters may see or use, by using Ad RSpec extensions';

/**
 * The operational state machines the aggregate's advertisement declares (opstate extension), with the sliver type of
 * each sliver a manifest ties to a node. No machines: the standard states alone.
 */
export interface AdvertisedOperationalStates {
  readonly machines: readonly OperationalStateMachine[];
  /** geni_sliver_urn → sliver_type name. A sliver not in it (a link, or no manifest read) is judged by every machine. */
  readonly sliverTypes: ReadonlyMap<string, string>;
}

/**
 * The operational states one step of a case allows: the standard states it names (always allowed), and the states the
 * advertisement adds for each sliver's type: any state its machine declares, or, `after` an action, where the
 * machine says that action leads (`settled`: the resting states it ends in; else every state on the way).
 */
export interface OperationalExpectation {
  readonly standard: readonly string[];
  readonly advertised?: AdvertisedOperationalStates;
  readonly after?: { readonly action: string; readonly settled: boolean };
}

/** The advertised machines that govern one sliver: those of its sliver type, or all of them when its type is not known. */
export function machinesOfSliver(advertised: AdvertisedOperationalStates | undefined, sliverUrn: unknown): OperationalStateMachine[] {
  if (!advertised) return [];
  return machinesFor(advertised.machines, typeof sliverUrn === 'string' ? advertised.sliverTypes.get(sliverUrn) : undefined);
}

/** Whether a sliver in `state` is still in transition: a standard wait state, or one its advertised machine gives a `<wait>`. */
export function isWaitState(state: string, advertised: AdvertisedOperationalStates | undefined, sliverUrn: unknown): boolean {
  return GENI_WAIT_STATES.includes(state) || advertisedWaitStates(machinesOfSliver(advertised, sliverUrn)).has(state);
}

function allowedOperationalStates(expectation: OperationalExpectation, sliver: Sliver): { allowed: string[]; machines: OperationalStateMachine[] } {
  const machines = machinesOfSliver(expectation.advertised, sliver.geni_sliver_urn);
  const { after } = expectation;
  const own = after ? statesAfterAction(machines, after.action)[after.settled ? 'resting' : 'reached'] : advertisedStateNames(machines);
  return { allowed: [...new Set([...expectation.standard, ...own])], machines };
}

export type Sliver = Record<string, XmlRpcValue>;

function isStruct(v: unknown): v is Sliver {
  return !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);
}

export type SliverListRead = { ok: true; slivers: Sliver[] } | { ok: false; findings: Finding[] };

/** The sliver structs at `at`, or the single finding that explains why there are none to judge. */
export function sliverListAt(res: AmResponse, at: string): SliverListRead {
  const list = res.fault ? undefined : valueAt(res.raw, at);
  if (Array.isArray(list) && list.every(isStruct)) return { ok: true, slivers: list as Sliver[] };
  return {
    ok: false,
    findings: [{
      check: 'sliver-list', title: 'Sliver list missing', expected: ['an array of sliver structs'],
      actual: list !== undefined ? formatValue(list) : `${describeAnswer(res)}${res.envelope?.geniCode === 0 ? '; member absent' : ''}`, path: at, spec: 'am3/common#ReturnStruct',
      exchangeIds: [res.exchangeId],
    }],
  };
}

/** The geni_sliver_urn of every sliver at `at` (an empty list when there is no list). A reader, not a check. */
export function sliverUrnsOf(res: AmResponse, at = 'value.geni_slivers'): string[] {
  const list = sliverListAt(res, at);
  return list.ok ? list.slivers.flatMap((s) => (typeof s.geni_sliver_urn === 'string' ? [s.geni_sliver_urn] : [])) : [];
}

/** One finding per sliver whose field fails `holds`. */
function perSliver(
  at: string,
  field: string,
  rule: { check: string; title: string; expected: string[]; spec: string; holds: (value: XmlRpcValue | undefined, sliver: Sliver) => boolean },
): Check<AmResponse> {
  return (res) => {
    const list = sliverListAt(res, at);
    if (!list.ok) return list.findings;
    return list.slivers.flatMap((sliver, i): Finding[] =>
      rule.holds(sliver[field], sliver)
        ? []
        : [{
            check: rule.check, title: rule.title, expected: rule.expected,
            actual: field in sliver ? formatValue(sliver[field]) : 'absent', path: `${at}[${i}].${field}`, spec: rule.spec,
            exchangeIds: [res.exchangeId],
          }],
    );
  };
}

function sortedUnique(values: string[]): string[] {
  return [...new Set(values)].sort();
}

export const slivers = {
  /** Every sliver's geni_allocation_status is `state` (or one of several). */
  allInState: (state: AllocationState | AllocationState[], at: string): Check<AmResponse> => {
    const states: string[] = Array.isArray(state) ? state : [state];
    return perSliver(at, 'geni_allocation_status', {
      check: 'sliver-allocation-state', title: 'Sliver in an unexpected allocation state', expected: states.map((s) => formatValue(s)),
      spec: 'am3/common#SliverAllocationStates', holds: (v) => typeof v === 'string' && states.includes(v),
    });
  },

  /**
   * Every sliver's geni_operational_status is one the step allows: one of `states`, or, given an expectation, one of
   * its standard states or a state the aggregate's advertisement declares for the sliver's type (see
   * OperationalExpectation). The finding then quotes CommonConcepts on own states and names the advertised machine.
   */
  operationalIn: (states: readonly string[] | OperationalExpectation, at: string): Check<AmResponse> => (res) => {
    const expectation: OperationalExpectation = Array.isArray(states) ? { standard: states } : (states as OperationalExpectation);
    const list = sliverListAt(res, at);
    if (!list.ok) return list.findings;
    return list.slivers.flatMap((sliver, i): Finding[] => {
      const { allowed, machines } = allowedOperationalStates(expectation, sliver);
      const value = sliver.geni_operational_status;
      if (typeof value === 'string' && allowed.includes(value)) return [];
      const finding: Finding = {
        check: 'sliver-operational-state', title: 'Sliver in an unexpected operational state', expected: allowed.map((s) => formatValue(s)),
        actual: 'geni_operational_status' in sliver ? formatValue(value) : 'absent', path: `${at}[${i}].geni_operational_status`,
        spec: 'am3/common#OperationalStates', exchangeIds: [res.exchangeId],
      };
      if (expectation.advertised) {
        const step = expectation.after ? `where ${expectation.after.action} leads by the advertisement: ` : '';
        finding.hint = `CommonConcepts: "${OWN_OPERATIONAL_STATES_TEXT}"; ${step}${describeMachines(machines)}`;
      }
      return [finding];
    });
  },

  /**
   * Every sliver listed in `before` (an earlier answer, read at the same path) is still in the same operational
   * state. Used after a refused action: a failed transition leaves the sliver as it was.
   */
  operationalUnchangedSince: (before: AmResponse, at: string): Check<AmResponse> => {
    const earlier = sliverListAt(before, at);
    const previous = new Map<unknown, XmlRpcValue | undefined>(earlier.ok ? earlier.slivers.map((s) => [s.geni_sliver_urn, s.geni_operational_status]) : []);
    return perSliver(at, 'geni_operational_status', {
      check: 'sliver-operational-state', title: 'Operational state changed although the action failed', expected: ['the state reported before the call'],
      spec: 'am3/common#OperationalStates',
      holds: (v, sliver) => !previous.has(sliver.geni_sliver_urn) || previous.get(sliver.geni_sliver_urn) === v,
    });
  },

  /** The list names exactly the slivers `expected` (order free). */
  urnsEqual: (expected: string[], at: string): Check<AmResponse> => (res) => {
    const list = sliverListAt(res, at);
    if (!list.ok) return list.findings;
    const actual = sortedUnique(list.slivers.map((s) => String(s.geni_sliver_urn)));
    const wanted = sortedUnique(expected);
    return actual.length === wanted.length && actual.every((u, i) => u === wanted[i])
      ? []
      : [{
          check: 'sliver-urns', title: 'Sliver list names other slivers than expected', expected: [formatValue(wanted, 400)],
          actual: formatValue(actual, 400), path: at, spec: 'am3/common#geni_single_allocation', exchangeIds: [res.exchangeId],
        }];
  },

  /** None of `urns` appears in the list (e.g. deleted slivers in a later Describe or Status). */
  excludes: (urns: string[], at: string): Check<AmResponse> => (res) => {
    const list = sliverListAt(res, at);
    if (!list.ok) return list.findings;
    const gone = new Set(urns);
    return list.slivers.flatMap((s, i): Finding[] =>
      typeof s.geni_sliver_urn === 'string' && gone.has(s.geni_sliver_urn) && s.geni_allocation_status !== 'geni_unallocated'
        ? [{
            check: 'sliver-urns', title: 'Deleted sliver still listed as live', expected: ['absent, or geni_unallocated'],
            actual: formatValue(s.geni_allocation_status), path: `${at}[${i}]`, spec: 'am3#Delete', exchangeIds: [res.exchangeId],
          }]
        : [],
    );
  },

  /**
   * No sliver in the list reuses a URN of `earlier` (slivers deleted before this call): sliver names "must be
   * unique over time within that AM" (GeniApiIdentifiers).
   */
  urnsNew: (earlier: string[], at: string): Check<AmResponse> => (res) => {
    const list = sliverListAt(res, at);
    if (!list.ok) return list.findings;
    const used = new Set(earlier);
    return list.slivers.flatMap((s, i): Finding[] =>
      typeof s.geni_sliver_urn === 'string' && used.has(s.geni_sliver_urn)
        ? [{
            check: 'sliver-urn-reused', title: 'Sliver URN of a deleted sliver given to a new one', expected: ['a sliver URN this aggregate never used before'],
            actual: formatValue(s.geni_sliver_urn), path: `${at}[${i}].geni_sliver_urn`, spec: 'identifiers#SliverNames', exchangeIds: [res.exchangeId],
          }]
        : [],
    );
  },

  /** The list has exactly `n` slivers. */
  count: (n: number, at: string): Check<AmResponse> => (res) => {
    const list = sliverListAt(res, at);
    if (!list.ok) return list.findings;
    return list.slivers.length === n
      ? []
      : [{
          check: 'sliver-count', title: 'Unexpected number of slivers', expected: [String(n)], actual: String(list.slivers.length),
          path: at, spec: 'am3/common#ReturnStruct', exchangeIds: [res.exchangeId],
        }];
  },

  /** The list has at least one sliver (a successful Allocate or Provision created or touched something). */
  nonEmpty: (at: string): Check<AmResponse> => (res) => {
    const list = sliverListAt(res, at);
    if (!list.ok) return list.findings;
    return list.slivers.length > 0
      ? []
      : [{
          check: 'sliver-count', title: 'Unexpected number of slivers', expected: ['at least 1'], actual: '0', path: at,
          spec: 'am3/common#ReturnStruct', exchangeIds: [res.exchangeId],
        }];
  },

  /** Every geni_sliver_urn is a well-formed URN of type sliver. */
  sliverUrnsValid: (at: string): Check<AmResponse> => (res) => {
    const list = sliverListAt(res, at);
    if (!list.ok) return list.findings;
    return list.slivers.flatMap((s, i): Finding[] => {
      const problems = typeof s.geni_sliver_urn === 'string' ? urnProblems(s.geni_sliver_urn, 'sliver') : ['not a string'];
      return problems.length === 0
        ? []
        : [{
            check: 'sliver-urn-type', title: 'Sliver URN is not a sliver URN', expected: ['urn:publicid:IDN+<am authority>+sliver+<name>'],
            actual: formatValue(s.geni_sliver_urn), path: `${at}[${i}].geni_sliver_urn`, spec: 'am3/common#ReturnStruct',
            hint: problems.join('; '), exchangeIds: [res.exchangeId],
          }];
    });
  },

  /** Status requires geni_error on every sliver: a string, possibly empty. */
  errorFieldPresent: (at: string): Check<AmResponse> =>
    perSliver(at, 'geni_error', {
      check: 'sliver-error-field', title: 'Sliver lacks the geni_error string', expected: ['a string (may be empty)'],
      spec: 'am3#Status', holds: (v) => typeof v === 'string',
    }),

  /** Allocate is all-or-nothing, so its slivers carry no geni_error (never in Allocate). */
  errorFieldAbsent: (at: string): Check<AmResponse> =>
    perSliver(at, 'geni_error', {
      check: 'sliver-error-field', title: 'Allocate sliver carries geni_error', expected: ['absent'],
      spec: 'am3#Allocate', holds: (v) => v === undefined,
    }),

  /**
   * Without geni_best_effort an operation succeeds or fails as a whole, so a successful answer reports no failed
   * sliver. geni_error, where present, must not be null and must be empty.
   */
  noErrorsWithoutBestEffort: (at: string): Check<AmResponse> =>
    perSliver(at, 'geni_error', {
      check: 'sliver-error-field', title: 'Sliver failed although the operation was all-or-nothing', expected: ['absent', '""'],
      spec: 'am3/common#geni_best_effort', holds: (v) => v === undefined || v === '',
    }),

  /**
   * The slice has no live slivers at this aggregate: SEARCHFAILED, or success with an empty list (or one listing
   * only geni_unallocated slivers). Both are allowed for a slice with nothing in it; success that still lists a live
   * sliver is not. With `preferSearchFailed`, the empty success is a strict-only finding.
   */
  noneLive: (at: string, opts: { preferSearchFailed?: boolean; spec?: string } = {}): Check<AmResponse> => (res) => {
    const spec = opts.spec ?? 'am3#Status';
    if (res.envelope?.geniCode === GENI_CODES.SEARCHFAILED) return [];
    const list = res.envelope?.geniCode === 0 ? valueAt(res.raw, at) : undefined;
    const live = Array.isArray(list) ? list.filter((s) => !isStruct(s) || s.geni_allocation_status !== 'geni_unallocated') : undefined;
    if (live !== undefined && live.length === 0) {
      return opts.preferSearchFailed
        ? [{
            check: 'sliver-list', title: 'Slice without slivers answered with success instead of SEARCHFAILED',
            expected: ['geni_code SEARCHFAILED (12)'], actual: 'geni_code SUCCESS (0) with no live slivers', path: at, spec,
            exchangeIds: [res.exchangeId], grade: 'strict-only',
          }]
        : [];
    }
    return [{
      check: 'sliver-list', title: 'Slice still has slivers', expected: ['geni_code SEARCHFAILED (12)', 'geni_code SUCCESS (0) with no live slivers'],
      actual: live ? `geni_code SUCCESS (0); ${live.length} live sliver(s): ${formatValue(live, 200)}` : describeAnswer(res), path: at,
      spec, exchangeIds: [res.exchangeId],
    }];
  },

  /**
   * Nothing was allocated: either the call was refused (any non-zero geni_code; `geniCode.refusal` judges which),
   * or it succeeded with an empty sliver list. For requests the spec lets an aggregate refuse or treat as empty.
   */
  noneUnlessRefused: (at: string, spec = 'am3#Allocate'): Check<AmResponse> => (res) => {
    const code = res.envelope?.geniCode;
    if (code !== undefined && code !== 0) return [];
    const list = code === 0 ? valueAt(res.raw, at) : undefined;
    return Array.isArray(list) && list.length === 0
      ? []
      : [{
          check: 'sliver-list', title: 'Request for nothing allocated slivers', expected: ['a non-zero geni_code', 'geni_code SUCCESS (0) with no slivers'],
          actual: Array.isArray(list) ? `geni_code SUCCESS (0); ${list.length} sliver(s)` : describeAnswer(res), path: at, spec,
          exchangeIds: [res.exchangeId],
        }];
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Manifests

interface ParsedRSpec { resources: ResourceElement[]; allNodes: ResourceElement[] }

/** The resources of an RSpec, through the safe parse; the parse problem when there is none to read. */
function parseRSpec(xml: string): { ok: true; rspec: ParsedRSpec } | { ok: false; error: string } {
  try {
    return { ok: true, rspec: readResources(xml) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** client_id of every node and link in a request RSpec (a reader for cases and checks). */
export function clientIdsOf(xml: string): string[] {
  const parsed = parseRSpec(xml);
  return parsed.ok ? parsed.rspec.resources.map((e) => e.clientId ?? '').filter((id) => id !== '') : [];
}

/** The manifest string at `at`, or the finding that says why it cannot be read. */
function manifestAt(res: AmResponse, at: string): { ok: true; rspec: ParsedRSpec; xml: string } | { ok: false; findings: Finding[] } {
  const xml = res.fault ? undefined : valueAt(res.raw, at);
  const parsed = typeof xml === 'string' ? parseRSpec(xml) : undefined;
  if (typeof xml === 'string' && parsed?.ok) return { ok: true, rspec: parsed.rspec, xml };
  return {
    ok: false,
    findings: [{
      check: 'manifest', title: 'Manifest missing or not XML', expected: ['a manifest RSpec string'],
      actual: typeof xml === 'string' ? `${formatValue(xml, 60)} (${parsed && !parsed.ok ? parsed.error : 'no root element'})` : describeAnswer(res),
      path: at, spec: 'am3/common#ReturnStruct', exchangeIds: [res.exchangeId],
    }],
  };
}

export const manifest = {
  /** Every node and link of the request appears in the manifest under the same client_id. */
  coversRequest: (requestXml: string, at: string): Check<AmResponse> => (res) => {
    const m = manifestAt(res, at);
    if (!m.ok) return m.findings;
    const present = new Set(m.rspec.resources.map((e) => e.clientId));
    const missing = clientIdsOf(requestXml).filter((id) => !present.has(id));
    return missing.length === 0
      ? []
      : [{
          check: 'manifest-client-ids', title: 'Manifest omits requested resources', expected: ['every request client_id'],
          actual: `missing ${formatValue(missing, 200)}`, path: at, spec: 'am3#Allocate', exchangeIds: [res.exchangeId],
        }];
  },

  /** Every node in the manifest carries a sliver_id naming its sliver. */
  namesSlivers: (at: string, spec = 'am3#Provision'): Check<AmResponse> => (res) => {
    const m = manifestAt(res, at);
    if (!m.ok) return m.findings;
    return m.rspec.allNodes.flatMap((node, i): Finding[] => {
      const id = node.sliverId;
      return id
        ? []
        : [{
            check: 'manifest-sliver-ids', title: 'Manifest node lacks sliver_id', expected: ['a sliver URN'],
            actual: `node ${formatValue(node.clientId ?? null)} without sliver_id`, path: `${at}//node[${i + 1}]`, spec,
            exchangeIds: [res.exchangeId],
          }];
    });
  },

  /** The manifest describes no resources: zero node and link elements (Describe of a slice with no slivers). */
  describesNoResources: (at: string): Check<AmResponse> => (res) => {
    const m = manifestAt(res, at);
    if (!m.ok) return m.findings;
    const found = m.rspec.resources;
    return found.length === 0
      ? []
      : [{
          check: 'manifest-client-ids', title: 'Manifest of an empty slice lists resources', expected: ['0 node or link elements'],
          actual: `${found.length}: ${formatValue(found.map((e) => e.clientId ?? null), 200)}`, path: at, spec: 'am3#Describe',
          exchangeIds: [res.exchangeId],
        }];
  },

  /**
   * With geni_compressed the RSpec is zlib-compressed then base64-encoded into a string; decoded, it describes the
   * same slivers as the uncompressed answer `plain` (read at the same path).
   */
  compressedMatches: (plain: AmResponse, at: string): Check<AmResponse> => (res) => {
    const encoded = res.fault ? undefined : valueAt(res.raw, at);
    let decoded: string | undefined;
    let why = 'not a string';
    if (typeof encoded === 'string') {
      try {
        decoded = decodeCompressedRSpec(encoded);
      } catch (e) {
        why = e instanceof Error ? e.message : String(e);
      }
    }
    const fail = (actual: string): Finding[] => [{
      check: 'compression', title: 'Compressed manifest does not round-trip', expected: ['base64(zlib(manifest)) of the same slivers'],
      actual, path: at, spec: 'am3#Describe', exchangeIds: [res.exchangeId, plain.exchangeId],
    }];
    if (decoded === undefined) return fail(typeof encoded === 'string' ? why : describeAnswer(res));
    const parsed = parseRSpec(decoded);
    const reference = manifestAt(plain, at);
    if (!parsed.ok || !reference.ok) return fail(`decoded ${formatValue(decoded, 60)}`);
    const ids = (r: ParsedRSpec) => sortedUnique(r.resources.map((e) => `${e.clientId ?? null}|${e.sliverId ?? null}`));
    const got = ids(parsed.rspec);
    const want = ids(reference.rspec);
    return got.length === want.length && got.every((v, i) => v === want[i]) ? [] : fail(`resources ${formatValue(got, 200)} vs ${formatValue(want, 200)}`);
  },
};

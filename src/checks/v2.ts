/**
 * Checks for AM API v2 answers (and the pieces v1 shares with it): the SliverStatus overall-status precedence and
 * the manifest comparisons the UpdateSliver cases need. Their JSON schemas (schemas/json/v1, v2) are checked by
 * valueMatches, like v3's.
 *
 * The v2 return struct itself is the v3 one ({code: {geni_code}, value, output}): envelope.shape() judges it, and
 * flags the draft shape (bare integer code beside an option member) as non-conformant.
 */
import { formatValue } from '../core';
import type { AmResponse } from '../geni/methods';
import { readResources } from '../rspec';
import type { Check } from '../core';
import { isStruct, type XmlRpcValue } from '../xmlrpc';
import { describeAnswer, findingFor } from './describe';
import { resolvePath } from './paths';

// ---------------------------------------------------------------------------------------------------------------
// SliverStatus

/** Overall status from the resources' (v1/v2 SliverStatus): failed > configuring > ready (all ready) > unknown. */
export function overallStatusOf(resourceStatuses: string[]): string {
  if (resourceStatuses.includes('failed')) return 'failed';
  if (resourceStatuses.includes('configuring')) return 'configuring';
  if (resourceStatuses.length > 0 && resourceStatuses.every((s) => s === 'ready')) return 'ready';
  return 'unknown';
}

function statusPrecedence(at: string): Check<AmResponse> {
  return (res) => {
    const [target] = resolvePath(res.raw, at);
    const value = target?.present ? target.value : undefined;
    if (value === undefined || value === null || !isStruct(value) || !Array.isArray(value.geni_resources)) {
      return [findingFor(res, {
        check: 'sliver-status', title: 'SliverStatus has no geni_resources to judge', expected: ['{geni_status, geni_resources: [...]}'],
        actual: target?.present ? formatValue(value, 120) : describeAnswer(res), path: at || '(return value)', spec: 'am2#SliverStatus',
      })];
    }
    const statuses = value.geni_resources.map((r: XmlRpcValue) => (r !== null && isStruct(r) ? String(r.geni_status) : 'unknown'));
    const want = overallStatusOf(statuses);
    return value.geni_status === want
      ? []
      : [findingFor(res, {
          check: 'sliver-status', title: 'Overall geni_status does not follow the resource precedence',
          expected: [`${formatValue(want)} (failed > configuring > all ready > unknown, from ${formatValue(statuses, 120)})`],
          actual: formatValue(value.geni_status), path: at ? `${at}.geni_status` : 'geni_status', spec: 'am2#SliverStatus',
        })];
  };
}

function resourceUrns(res: AmResponse, at: string): string[] | undefined {
  const [target] = resolvePath(res.raw, at);
  const value = target?.present ? target.value : undefined;
  if (value === undefined || value === null || !isStruct(value) || !Array.isArray(value.geni_resources)) return undefined;
  return value.geni_resources.flatMap((r: XmlRpcValue) => (r !== null && isStruct(r) && typeof r.geni_urn === 'string' ? [r.geni_urn] : [])).sort();
}

/** SliverStatus lists the same resources (by geni_urn) as an earlier SliverStatus `before`: nothing added or removed. */
function resourcesUnchangedSince(before: AmResponse, at: string): Check<AmResponse> {
  return (res) => {
    const was = resourceUrns(before, at) ?? [];
    const now = resourceUrns(res, at);
    if (now !== undefined && now.length === was.length && now.every((u, i) => u === was[i])) return [];
    return [findingFor(res, {
      check: 'sliver-status', title: 'Resources changed although the operation failed', expected: [`the resources reported before: ${formatValue(was, 300)}`],
      actual: now === undefined ? describeAnswer(res) : formatValue(now, 300), path: at ? `${at}.geni_resources` : 'geni_resources',
      spec: 'am2/draft#UpdateSliver', exchangeIds: [res.exchangeId, before.exchangeId],
    })];
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Manifests (by client_id and, where a request binds a node, component_id)

interface Resource { clientId: string; componentId?: string }

/** The top-level nodes and links of an RSpec (safe parse), or undefined when it is not XML. */
function resourcesOf(xml: string): Resource[] | undefined {
  try {
    return readResources(xml).resources.map((e) => ({ clientId: e.clientId ?? '', componentId: e.componentId || undefined }));
  } catch {
    return undefined;
  }
}

const keyOf = (r: Resource): string => (r.componentId ? `${r.clientId}@${r.componentId}` : r.clientId);

function manifestText(res: AmResponse, at: string): string | undefined {
  const [target] = resolvePath(res.raw, at);
  return target?.present && typeof target.value === 'string' ? target.value : undefined;
}

/**
 * The manifest at `at` describes exactly the request's resources: the same client_ids (none missing, none left
 * over from an earlier state), and every node the request binds sits on the component it names.
 */
function manifestMatchesRequest(requestXml: string, at: string): Check<AmResponse> {
  return (res) => {
    const wanted = resourcesOf(requestXml) ?? [];
    const xml = manifestText(res, at);
    const got = xml === undefined ? undefined : resourcesOf(xml);
    if (got === undefined) {
      return [findingFor(res, {
        check: 'manifest', title: 'Manifest missing or not XML', expected: ['a manifest RSpec string'],
        actual: xml === undefined ? describeAnswer(res) : formatValue(xml, 60), path: at || '(return value)', spec: 'am2/draft#UpdateSliver',
      })];
    }
    const byId = new Map(got.map((r) => [r.clientId, r]));
    const problems = [
      ...wanted.filter((w) => !byId.has(w.clientId)).map((w) => `missing ${w.clientId}`),
      ...got.filter((g) => !wanted.some((w) => w.clientId === g.clientId)).map((g) => `not requested ${g.clientId}`),
      ...wanted.filter((w) => w.componentId && byId.has(w.clientId) && byId.get(w.clientId)!.componentId !== w.componentId)
        .map((w) => `${w.clientId} on ${String(byId.get(w.clientId)!.componentId)} instead of ${w.componentId}`),
    ];
    return problems.length === 0
      ? []
      : [findingFor(res, {
          check: 'manifest-client-ids', title: 'Manifest does not describe the requested end state',
          expected: [formatValue(wanted.map(keyOf).sort(), 300)], actual: `${formatValue(got.map(keyOf).sort(), 300)}: ${problems.join('; ')}`,
          path: at || '(return value)', spec: 'am2/draft#UpdateSliver',
        })];
  };
}

/** The manifest at `at` describes the same resources (client_id and component_id) as the earlier answer `before`. */
function manifestUnchangedSince(before: AmResponse, at: string): Check<AmResponse> {
  return (res) => {
    const read = (r: AmResponse) => {
      const xml = manifestText(r, at);
      return xml === undefined ? undefined : resourcesOf(xml)?.map(keyOf).sort();
    };
    const was = read(before) ?? [];
    const now = read(res);
    if (now !== undefined && now.length === was.length && now.every((k, i) => k === was[i])) return [];
    return [findingFor(res, {
      check: 'manifest-client-ids', title: 'Slice changed although the operation failed', expected: [`the resources of the manifest before: ${formatValue(was, 300)}`],
      actual: now === undefined ? describeAnswer(res) : formatValue(now, 300), path: at || '(return value)', spec: 'am2/draft#UpdateSliver',
      exchangeIds: [res.exchangeId, before.exchangeId],
    })];
  };
}

export const v2 = {
  /** SliverStatus' overall geni_status follows from its resources: failed > configuring > all ready > unknown. */
  statusPrecedence: (at = 'value'): Check<AmResponse> => statusPrecedence(at),
  resourcesUnchangedSince: (before: AmResponse, at = 'value'): Check<AmResponse> => resourcesUnchangedSince(before, at),
  manifestMatchesRequest: (requestXml: string, at = 'value'): Check<AmResponse> => manifestMatchesRequest(requestXml, at),
  manifestUnchangedSince: (before: AmResponse, at = 'value'): Check<AmResponse> => manifestUnchangedSince(before, at),
};


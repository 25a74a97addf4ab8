/**
 * Checks for AM API v2 answers (and the pieces v1 shares with it): the JSON schemas of schemas/json/v1 and v2,
 * the SliverStatus overall-status precedence, and manifest comparisons the UpdateSliver cases need.
 *
 * The v2 return struct itself is the v3 one ({code: {geni_code}, value, output}): envelope.shape() judges it, and
 * flags the draft shape (bare integer code beside an option member) as non-conformant.
 */
import { readFileSync, readdirSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { DOMParser } from '@xmldom/xmldom';
import type { Element } from '@xmldom/xmldom';
import { formatValue } from '../core';
import type { AmResponse } from '../geni/methods';
import type { Check } from '../core';
import { isStruct, type XmlRpcValue } from '../xmlrpc';
import { describeAnswer, findingFor } from './describe';
import { instancePathToPath, toJsonValue } from './json-schemas';
import { resolvePath } from './paths';

/** Schemas of the v1 and v2 suites (paths under schemas/json without '.json'). */
export const V1V2_SCHEMA_IDS = ['v2/getversion-value', 'v2/rspec-version', 'v2/sliver-status', 'v1/getversion-value', 'v1/sliver-status'] as const;
export type V1V2SchemaId = (typeof V1V2_SCHEMA_IDS)[number];

const SCHEMA_DIR = new URL('../../schemas/json/', import.meta.url);
const BASE_ID = 'https://geni-harness.invalid/schemas/';
let compiled: Map<string, ValidateFunction> | undefined;

/**
 * Compiled once, like json-schemas.ts (whose closed SCHEMA_IDS list covers v3 only); same options and the same
 * $id base, so once those ids join SCHEMA_IDS this can delegate to valueMatches.
 */
function schemas(): Map<string, ValidateFunction> {
  if (compiled) return compiled;
  const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  for (const dir of ['v1', 'v2']) {
    for (const file of readdirSync(new URL(`${dir}/`, SCHEMA_DIR))) {
      if (file.endsWith('.json')) ajv.addSchema(JSON.parse(readFileSync(new URL(`${dir}/${file}`, SCHEMA_DIR), 'utf8')));
    }
  }
  const map = new Map<string, ValidateFunction>();
  for (const id of V1V2_SCHEMA_IDS) {
    const validate = ajv.getSchema(`${BASE_ID}${id}.json`);
    if (!validate) throw new Error(`JSON schema ${id} is not in schemas/json (expected $id ${BASE_ID}${id}.json)`);
    map.set(id, validate);
  }
  compiled = map;
  return map;
}

/** The value at `at` ('value' for v2, '' for v1's plain return) matches a v1/v2 JSON schema; one finding per violation. */
function schemaMatches(schemaId: V1V2SchemaId, at: string): Check<AmResponse> {
  return (res, ctx) => {
    const [target] = resolvePath(res.raw, at);
    if (!target?.present) {
      return [findingFor(res, {
        check: 'json-schema', title: 'Value does not match the documented structure',
        expected: [`a value matching ${schemaId}`], actual: res.fault ? 'XML-RPC Fault (no value)' : 'member absent', path: at || '(return value)', spec: ctx.spec,
      })];
    }
    const validate = schemas().get(schemaId)!;
    const doc = toJsonValue(target.value);
    if (validate(doc)) return [];
    return (validate.errors ?? []).map((error) => {
      const missing = error.keyword === 'required' ? `/${String((error.params as { missingProperty: string }).missingProperty)}` : '';
      const path = instancePathToPath(`${error.instancePath}${missing}`, at);
      return findingFor(res, {
        check: 'json-schema', title: 'Value does not match the documented structure',
        expected: [`${error.keyword}: ${error.message ?? 'valid'}`],
        actual: missing ? 'member absent' : formatValue(pointer(doc, error.instancePath)),
        path: path || '(return value)', spec: ctx.spec, hint: `schema ${schemaId}${error.schemaPath}`,
      });
    });
  };
}

function pointer(doc: unknown, instancePath: string): unknown {
  let at = doc;
  for (const seg of instancePath.split('/').slice(1)) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return at;
}

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

function resourcesOf(xml: string): Resource[] | undefined {
  let failed = false;
  const doc = new DOMParser({ onError: (level) => { if (level !== 'warning') failed = true; } }).parseFromString(xml, 'text/xml');
  const root = doc.documentElement;
  if (failed || !root) return undefined;
  return Array.from(root.childNodes)
    .filter((n): n is Element => n.nodeType === 1 && ['node', 'link'].includes((n as Element).localName ?? ''))
    .map((e) => ({ clientId: e.getAttribute('client_id') ?? '', componentId: e.getAttribute('component_id') || undefined }));
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
  /** The value at `at` (default the return struct's value) matches a v1/v2 JSON schema. */
  valueMatches: (schemaId: V1V2SchemaId, at = 'value'): Check<AmResponse> => schemaMatches(schemaId, at),
  /** SliverStatus' overall geni_status follows from its resources: failed > configuring > all ready > unknown. */
  statusPrecedence: (at = 'value'): Check<AmResponse> => statusPrecedence(at),
  resourcesUnchangedSince: (before: AmResponse, at = 'value'): Check<AmResponse> => resourcesUnchangedSince(before, at),
  manifestMatchesRequest: (requestXml: string, at = 'value'): Check<AmResponse> => manifestMatchesRequest(requestXml, at),
  manifestUnchangedSince: (before: AmResponse, at = 'value'): Check<AmResponse> => manifestUnchangedSince(before, at),
};


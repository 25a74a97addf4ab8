import { readFileSync, readdirSync } from 'node:fs';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { formatValue, type Finding } from '../core';
import { XmlRpcDateTime, XmlRpcTyped, type XmlRpcValue } from '../xmlrpc';

/**
 * The JSON schemas in schemas/json (every API version), compiled once by the one ajv instance that validates what an
 * aggregate returns (the configuration file is checked in src/config.ts, which may import only src/core, against
 * schemas/config by an instance of its own). A schema id is its path under schemas/json without '.json'
 * ('v3/getversion-value'). XML-RPC values are turned into plain JSON first: dateTime.iso8601 becomes its wire text
 * (the dates check judges that text), base64 becomes a marker object so a `string` keyword fails on it.
 */
export const SCHEMA_IDS = [
  'v1/getversion-value',
  'v1/sliver-status',
  'v2/getversion-value',
  'v2/rspec-version',
  'v2/sliver-status',
  'v3/envelope',
  'v3/getversion-value',
  'v3/rspec-version',
  'v3/sliver-status',
  'v3/allocate-value',
  'v3/provision-value',
  'v3/describe-value',
  'v3/status-value',
  'v3/sliver-list',
  'v3/delete-sliver',
  'v3/delete-value',
] as const;
export type SchemaId = (typeof SCHEMA_IDS)[number];

const SCHEMA_DIR = new URL('../../schemas/json/', import.meta.url);
const BASE_ID = 'https://geni-harness.invalid/schemas/';

let compiled: Map<string, ValidateFunction> | undefined;

function load(): Map<string, ValidateFunction> {
  if (compiled) return compiled;
  const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  for (const dir of readdirSync(SCHEMA_DIR, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const file of readdirSync(new URL(`${dir.name}/`, SCHEMA_DIR))) {
      if (file.endsWith('.json')) ajv.addSchema(JSON.parse(readFileSync(new URL(`${dir.name}/${file}`, SCHEMA_DIR), 'utf8')));
    }
  }
  const map = new Map<string, ValidateFunction>();
  for (const id of SCHEMA_IDS) {
    const validate = ajv.getSchema(`${BASE_ID}${id}.json`);
    if (!validate) throw new Error(`JSON schema ${id} is not in schemas/json (expected $id ${BASE_ID}${id}.json)`);
    map.set(id, validate);
  }
  compiled = map;
  return map;
}

/** A plain-JSON view of an XML-RPC value for ajv. */
export function toJsonValue(value: XmlRpcValue | undefined): unknown {
  if (value === undefined || value === null) return value ?? null;
  if (value instanceof XmlRpcDateTime) return value.raw;
  if (value instanceof XmlRpcTyped) return value.text;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return { base64: value.length };
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: toJsonValue(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/** '/geni_slivers/0/geni_expires' under 'value' → 'value.geni_slivers[0].geni_expires'. */
export function instancePathToPath(instancePath: string, root: string): string {
  let path = root;
  for (const raw of instancePath.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path = /^\d+$/.test(segment) ? `${path}[${segment}]` : path === '' ? segment : `${path}.${segment}`;
  }
  return path;
}

function pointerGet(doc: unknown, instancePath: string): unknown {
  let at: unknown = doc;
  for (const raw of instancePath.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[segment];
  }
  return at;
}

/** What the keyword wanted, phrased for the Expected line. */
function expectedFor(error: ErrorObject): string[] {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': return [`member ${String(p.missingProperty)} present`];
    case 'type': return [`a value of type ${String(p.type)}`];
    case 'enum': return (p.allowedValues as unknown[]).map((v) => formatValue(v));
    case 'const': return [formatValue(p.allowedValue)];
    case 'format': return [`a ${String(p.format)} string`];
    case 'pattern': return [`a string matching /${String(p.pattern)}/`];
    case 'minItems': return [`at least ${String(p.limit)} item(s)`];
    case 'minProperties': return [`at least ${String(p.limit)} member(s)`];
    case 'minLength': return [`at least ${String(p.limit)} character(s)`];
    case 'propertyNames': return [`member names ${error.message ?? 'valid'}`];
    default: return [`${error.keyword}: ${error.message ?? 'valid'}`];
  }
}

/** One way a value breaks a schema: where (dotted path under `root`), which keyword, and what it wanted. */
export interface SchemaViolation {
  path: string;
  keyword: string;
  /** For 'required': the member that is absent (already the last segment of `path`). */
  missing?: string;
  expected: string[];
  schemaPath: string;
}

/** The violations of a schema by `value` (none when it matches), for checks that word their own findings. */
export function schemaViolations(schemaId: SchemaId, value: XmlRpcValue | undefined, root = ''): SchemaViolation[] {
  const validate = load().get(schemaId);
  if (!validate) throw new Error(`unknown JSON schema id ${JSON.stringify(schemaId)}`);
  if (validate(toJsonValue(value))) return [];
  return (validate.errors ?? []).filter((e) => e.keyword !== 'if').map((error) => {
    const missing = error.keyword === 'required' ? String((error.params as { missingProperty: string }).missingProperty) : undefined;
    return {
      path: instancePathToPath(missing === undefined ? error.instancePath : `${error.instancePath}/${missing}`, root),
      keyword: error.keyword, ...(missing !== undefined && { missing }), expected: expectedFor(error), schemaPath: error.schemaPath,
    };
  });
}

/**
 * Validate `value` against a schema; every ajv error becomes a finding. `root` is the path of `value` in the
 * response ('value' for envelope.value, '' for the whole struct).
 */
export function schemaFindings(
  schemaId: SchemaId,
  value: XmlRpcValue | undefined,
  opts: { root: string; spec?: string; exchangeIds: string[] },
): Finding[] {
  const validate = load().get(schemaId);
  if (!validate) throw new Error(`unknown JSON schema id ${JSON.stringify(schemaId)}`);
  const doc = toJsonValue(value);
  if (validate(doc)) return [];
  // if/then/else report both the branch keyword and its failures; the branch marker adds nothing for people.
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if');
  return errors.map((error) => {
    const at = pointerGet(doc, error.instancePath);
    const path = instancePathToPath(
      error.keyword === 'required' ? `${error.instancePath}/${String((error.params as { missingProperty: string }).missingProperty)}` : error.instancePath,
      opts.root,
    );
    return {
      check: 'json-schema',
      title: 'Value does not match the documented structure',
      expected: expectedFor(error),
      actual: error.keyword === 'required' ? 'member absent' : formatValue(at),
      path: path || '(return value)',
      spec: opts.spec,
      exchangeIds: opts.exchangeIds,
      hint: `schema ${schemaId}${error.schemaPath}`,
    };
  });
}

/** Compile every schema now (throws on a schema error); tests call it to prove the schemas are strict-clean. */
export function compileAllSchemas(): string[] {
  return [...load().keys()];
}

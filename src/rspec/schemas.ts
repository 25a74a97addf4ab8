import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { createRequire } from 'node:module';
import type libxmljs from 'libxmljs2';
import { compileSchema, type CompiledSchema } from './libxml2';

export const GENI3_NAMESPACE = 'http://www.geni.net/resources/rspec/3';
export const PGV2_NAMESPACE = 'http://www.protogeni.net/resources/rspec/2';

export type RSpecType = 'advertisement' | 'request' | 'manifest';

/** The project's own schemas (see schemas/README.md), found relative to this module, never on the network. */
export const SCHEMA_DIRECTORY = fileURLToPath(new URL('../../schemas/xsd/', import.meta.url));

const SCHEMA_FAMILY_BY_NAMESPACE: Record<string, string> = {
  [GENI3_NAMESPACE]: 'geni3',
  [PGV2_NAMESPACE]: 'pgv2',
};

const SCHEMA_FILE_BY_TYPE: Record<RSpecType, string> = {
  advertisement: 'ad.xsd',
  request: 'request.xsd',
  manifest: 'manifest.xsd',
};

/** Schema name relative to schemas/xsd, e.g. "geni3/ad.xsd"; undefined for a namespace we have no schema for. */
export function schemaNameFor(namespace: string, type: RSpecType): string | undefined {
  const family = SCHEMA_FAMILY_BY_NAMESPACE[namespace];
  return family === undefined ? undefined : `${family}/${SCHEMA_FILE_BY_TYPE[type]}`;
}

export function isCoreNamespace(namespace: string): boolean {
  return namespace in SCHEMA_FAMILY_BY_NAMESPACE;
}

const loadedSchemas = new Map<string, libxmljs.Document>();

/**
 * The schema as a libxmljs2 document, for callers that validate a libxmljs2 tree themselves. baseUrl is the
 * file's own path so that xs:include resolves next to it on disk. validateRSpec uses compiledSchema instead.
 */
export function loadSchema(name: string): libxmljs.Document {
  const cached = loadedSchemas.get(name);
  if (cached) return cached;
  const file = path.join(SCHEMA_DIRECTORY, name);
  // Loaded on demand: validation never needs libxmljs2, and the sandbox's worker threads must not load it.
  const { parseXml } = createRequire(import.meta.url)('libxmljs2') as typeof libxmljs;
  const schema = parseXml(readFileSync(file, 'utf8'), { baseUrl: file, nonet: true });
  loadedSchemas.set(name, schema);
  return schema;
}

/**
 * The public extension schemas the project wrote from their specifications (schemas/xsd/ext/). Content in these
 * namespaces is validated; content in any other extension namespace stays a "not validated" notice.
 */
export const EXTENSION_SCHEMAS: Readonly<Record<string, string>> = {
  'http://www.protogeni.net/resources/rspec/ext/emulab/1': 'ext/emulab.xsd',
  'http://hpn.east.isi.edu/rspec/ext/stitch/0.1/': 'ext/stitching.xsd',
  'http://www.geni.net/resources/rspec/ext/shared-vlan/1': 'ext/shared-vlan.xsd',
  'http://www.geni.net/resources/rspec/ext/openflow/3': 'ext/openflow3.xsd',
};

/**
 * A core schema together with every extension schema: the core schema's lax wildcards then validate content in a
 * known extension namespace against its declarations and still skip everything else. Errors inside extension
 * content are told apart afterwards (validate.ts), so the core verdict stays the one xmllint gives.
 */
export function schemaWithExtensions(name: string): CompiledSchema {
  const key = `${name}+extensions`;
  let schema = compiledSchemas.get(key);
  if (!schema) {
    const [family, file] = name.split('/') as [string, string];
    const namespace = Object.entries(SCHEMA_FAMILY_BY_NAMESPACE).find(([, dir]) => dir === family)![0];
    const imports = Object.entries(EXTENSION_SCHEMAS)
      .map(([uri, location]) => `  <xs:import namespace="${uri}" schemaLocation="../${location}"/>`)
      .join('\n');
    const driver = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="${namespace}" elementFormDefault="qualified">\n  <xs:include schemaLocation="${file}"/>\n${imports}\n</xs:schema>\n`;
    schema = compileSchema(SCHEMA_DIRECTORY, `${family}/with-extensions-${file}`, driver);
    compiledSchemas.set(key, schema);
  }
  return schema;
}

const compiledSchemas = new Map<string, CompiledSchema>();

/**
 * The compiled schema for a name from schemaNameFor, ready to validate with. Compiled once per thread (a few
 * milliseconds each) and kept: validating a thousand small documents costs a thousand validations, not a
 * thousand compilations.
 */
export function compiledSchema(name: string): CompiledSchema {
  let schema = compiledSchemas.get(name);
  if (!schema) {
    schema = compileSchema(SCHEMA_DIRECTORY, name);
    compiledSchemas.set(name, schema);
  }
  return schema;
}

/** The family directory of a core namespace: "geni3" or "pgv2". */
export function schemaFamilyOf(namespace: string): 'geni3' | 'pgv2' | undefined {
  return SCHEMA_FAMILY_BY_NAMESPACE[namespace] as 'geni3' | 'pgv2' | undefined;
}

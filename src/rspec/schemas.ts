import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import libxmljs from 'libxmljs2';

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
 * The parsed schema document for a name from schemaNameFor. baseUrl is the file's own path so that
 * xs:include resolves next to it on disk. The parsed documents are cached; libxmljs2 still compiles the
 * schema on every validate() call, which costs a few milliseconds for these small files.
 */
export function loadSchema(name: string): libxmljs.Document {
  const cached = loadedSchemas.get(name);
  if (cached) return cached;
  const file = path.join(SCHEMA_DIRECTORY, name);
  const schema = libxmljs.parseXml(readFileSync(file, 'utf8'), { baseUrl: file, nonet: true });
  loadedSchemas.set(name, schema);
  return schema;
}

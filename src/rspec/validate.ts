import type libxmljs from 'libxmljs2';
import { RSpecParseError } from './errors';
import type { RSpecFinding, RSpecValidation } from './findings';
import { parseXmlSafely } from './parse';
import { GENI3_NAMESPACE, PGV2_NAMESPACE, isCoreNamespace, loadSchema, schemaNameFor, type RSpecType } from './schemas';
import { checkSemanticRules } from './semantic-rules';
import { elementPath } from './element-path';

export type { RSpecType } from './schemas';
export type { RSpecFinding, RSpecValidation } from './findings';
import { SEMANTIC_RULES } from './findings';
export { checkManifestCoversRequest } from './coverage';
export { decodeCompressedRSpec, encodeCompressedRSpec } from './compression';

const RSPEC_TYPES: readonly RSpecType[] = ['advertisement', 'request', 'manifest'];

/** Namespaces that are part of every document's machinery, not extensions that went unvalidated. */
const INFRASTRUCTURE_NAMESPACES = ['http://www.w3.org/2001/XMLSchema-instance', 'http://www.w3.org/XML/1998/namespace'];

/**
 * Validates an RSpec: safe parse, the project's XSD for the root namespace and type, the semantic rules,
 * and a notice for every extension namespace no schema covered. Never throws for a bad document: parse
 * failures come back as findings.
 */
export function validateRSpec(xml: string | Uint8Array, options: { expectedType?: RSpecType } = {}): RSpecValidation {
  let doc: libxmljs.Document;
  try {
    doc = parseXmlSafely(xml, 'RSpec');
  } catch (err) {
    if (!(err instanceof RSpecParseError)) throw err;
    return result({ findings: [{ rule: err.rule, message: err.message, line: err.line, severity: 'error' }], notValidated: [] });
  }
  const root = doc.root()!;
  const namespace = root.namespace()?.href() ?? '';
  const rootType = root.attr('type')?.value();
  const findings: RSpecFinding[] = [];

  if (!isCoreNamespace(namespace)) {
    findings.push({
      rule: 'unknown-namespace',
      message: `root element <${root.name()}> is in namespace "${namespace || '(none)'}", which is neither GENI v3 (${GENI3_NAMESPACE}) nor ProtoGENI v2 (${PGV2_NAMESPACE}); no schema can validate it`,
      line: root.line(),
      path: elementPath(root),
      severity: 'error',
    });
    return result({ rootType, namespace, findings, notValidated: [] });
  }

  const type = schemaTypeFor(rootType, options.expectedType);
  if (options.expectedType && rootType?.toLowerCase() !== options.expectedType) {
    findings.push({
      rule: 'root-type',
      message: `root type is "${rootType ?? '(missing)'}" but a${options.expectedType === 'advertisement' ? 'n' : ''} ${options.expectedType} was expected`,
      line: root.line(),
      path: elementPath(root),
      severity: 'error',
    });
  }
  if (type === undefined) {
    findings.push({
      rule: 'root-type',
      message: `root type "${rootType ?? '(missing)'}" is not advertisement, request or manifest, so no schema applies`,
      line: root.line(),
      path: elementPath(root),
      severity: 'error',
    });
    return result({ rootType, namespace, findings, notValidated: [] });
  }

  const schema = schemaNameFor(namespace, type)!;
  findings.push(...xsdFindings(doc, schema));
  findings.push(...checkSemanticRules(doc, namespace, type));
  const notValidated = declaresForeignNamespace(xml, namespace) ? unvalidatedNamespaces(doc, namespace) : [];
  for (const { uri, element } of notValidated) {
    findings.push({
      rule: 'not-validated',
      message: `not validated: ${uri} (no schema loaded for this extension namespace; its content was skipped, not checked)`,
      line: element.line(),
      path: elementPath(element),
      severity: 'notice',
    });
  }
  return result({ rootType, namespace, schema, findings, notValidated: notValidated.map(({ uri }) => uri) });
}

/** The root's own type picks the schema; expectedType only stands in when the root's type is unusable. */
function schemaTypeFor(rootType: string | undefined, expectedType: RSpecType | undefined): RSpecType | undefined {
  const lowered = rootType?.toLowerCase();
  const declared = RSPEC_TYPES.find((candidate) => candidate === lowered);
  return declared ?? expectedType;
}

function xsdFindings(doc: libxmljs.Document, schema: string): RSpecFinding[] {
  if (doc.validate(loadSchema(schema))) return [];
  return doc.validationErrors.map((error) => ({
    rule: 'xsd',
    message: error.message.trim(),
    line: error.line ?? undefined,
    schema,
    // libxml2 level 1 is a warning; errors (2) and fatal errors (3) make the document invalid.
    severity: error.level === 1 ? ('notice' as const) : ('error' as const),
  }));
}

/**
 * An element or attribute can only be in a foreign namespace that the text declares (xmlns or xmlns:p). A regex
 * over the text is much cheaper than the whole-document XPath scans below, which large advertisements without
 * extensions (the common case) then skip entirely.
 */
function declaresForeignNamespace(xml: string | Uint8Array, coreNamespace: string): boolean {
  const text = typeof xml === 'string' ? xml : Buffer.from(xml).toString('utf8');
  const known = new Set([coreNamespace, ...INFRASTRUCTURE_NAMESPACES]);
  for (const m of text.matchAll(/\bxmlns(?::[\w.-]+)?\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    if (!known.has(decodeXmlAttribute(m[1] ?? m[2] ?? ''))) return true;
  }
  return false;
}

function decodeXmlAttribute(value: string): string {
  return value.replace(/&(lt|gt|quot|apos|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
}

/**
 * Every namespace other than the core one used by an element or attribute. Lax wildcards skip them because
 * we load no extension schema, so each is reported once, at its first use. One XPath query per distinct
 * namespace keeps this linear in practice even for very large advertisements.
 */
function unvalidatedNamespaces(doc: libxmljs.Document, coreNamespace: string): Array<{ uri: string; element: libxmljs.Element }> {
  const found: Array<{ uri: string; element: libxmljs.Element }> = [];
  const known = [coreNamespace, ...INFRASTRUCTURE_NAMESPACES];
  for (;;) {
    const exclusions = known.concat(found.map(({ uri }) => uri)).map((uri) => `namespace-uri() != ${xpathLiteral(uri)}`);
    const element = doc.get<libxmljs.Element>(`(//*[${exclusions.join(' and ')}])[1]`);
    const attribute = doc.get<libxmljs.Attribute>(`(//@*[namespace-uri() != '' and ${exclusions.join(' and ')}])[1]`);
    if (element) {
      found.push({ uri: element.namespace()?.href() ?? '', element });
    } else if (attribute) {
      found.push({ uri: attribute.namespace()?.href() ?? '', element: attribute.parent() as libxmljs.Element });
    } else {
      return found;
    }
  }
}

function xpathLiteral(text: string): string {
  if (!text.includes("'")) return `'${text}'`;
  if (!text.includes('"')) return `"${text}"`;
  return `concat('${text.split("'").join(`', "'", '`)}')`;
}

function result(fields: Omit<RSpecValidation, 'valid' | 'schemaValid'>): RSpecValidation {
  const errors = fields.findings.filter((finding) => finding.severity === 'error');
  return {
    valid: errors.length === 0,
    schemaValid: !errors.some((finding) => !SEMANTIC_RULES.includes(finding.rule)),
    ...fields,
  };
}

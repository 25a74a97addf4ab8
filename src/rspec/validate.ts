import { RSpecParseError } from './errors';
import { DEFAULT_MAX_BYTES, SEMANTIC_RULES, type RSpecFinding, type RSpecFormat, type RSpecValidation, type ValidateOptions } from './findings';
import { refuseDocumentTypeDeclaration } from './prolog';
import { ATTRIBUTE_NODE, ELEMENT_NODE, EngineMemoryError, FROM_NAMESPACE, LEVEL_WARNING, freeDocument, parseDocument, parseFile, tree, validateDocument, type EngineError, type ParsedDocument } from './libxml2';
import { EXTENSION_SCHEMAS, GENI3_NAMESPACE, PGV2_NAMESPACE, compiledSchema, isCoreNamespace, schemaFamilyOf, schemaNameFor, schemaWithExtensions, type RSpecType } from './schemas';
import { checkSemanticRules } from './semantic-rules';
import { ElementPaths, scanDocument } from './scan';

export type { RSpecType } from './schemas';
export type { RSpecFinding, RSpecValidation, ValidateOptions, RSpecFormat } from './findings';
export { DEFAULT_MAX_BYTES } from './findings';
export { decodeCompressedRSpec, encodeCompressedRSpec } from './compression';

const RSPEC_TYPES: readonly RSpecType[] = ['advertisement', 'request', 'manifest'];

/** What a schema with no usable root type is checked against: xmllint users validate such documents as requests. */
const FALLBACK_TYPE: RSpecType = 'request';

/** Schema errors kept per document; the rest are counted. One hostile document must not fill memory with findings. */
const MAX_SCHEMA_FINDINGS = 1000;

const NAMESPACE_BY_FORMAT: Record<RSpecFormat, string> = { geni3: GENI3_NAMESPACE, pgv2: PGV2_NAMESPACE };
const FORMAT_NAMES: Record<RSpecFormat, string> = { geni3: 'GENI v3', pgv2: 'ProtoGENI v2' };

/**
 * Validates an RSpec: safe parse, the project's XSD for the root namespace and type, the semantic rules, and a
 * notice for every extension namespace no schema covered. Never throws for a bad document: parse failures, a
 * document over the size cap and an engine out of memory all come back as findings. `schemaValid` is the verdict
 * `xmllint --schema` gives with the published schemas; `valid` adds everything else.
 */
export function validateRSpec(xml: string | Uint8Array, options: ValidateOptions = {}): RSpecValidation {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const size = typeof xml === 'string' ? Buffer.byteLength(xml, 'utf8') : xml.length;
  if (size > maxBytes) return tooLarge(size, maxBytes);
  return validateParsed(() => {
    refuseDocumentTypeDeclaration(xml, 'RSpec');
    return parseDocument(xml, 'rspec.xml', options.encoding);
  }, options);
}

/**
 * validateRSpec for a file, read straight into the XML engine's memory (never as a JavaScript buffer), after its
 * size is checked against the cap. Throws only when the file cannot be read.
 */
export function validateRSpecFile(file: string, options: ValidateOptions = {}): RSpecValidation {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  // The size comes from the open file (one stat, not two: a thousand small files pay it a thousand times).
  return validateParsed(() => parseFile(file, {
    admit: (size) => {
      if (size > maxBytes) throw new OverSizeCap(size, maxBytes);
    },
    inspect: (bytes) => refuseDocumentTypeDeclaration(bytes, 'RSpec'),
  }), options);
}

/** A file over the size cap, found before any of it was read. */
class OverSizeCap extends Error {
  constructor(readonly size: number, readonly maxBytes: number) {
    super(`${size} bytes, over the ${maxBytes}-byte cap`);
  }
}

function validateParsed(parse: () => ParsedDocument, options: ValidateOptions): RSpecValidation {
  let parsed: ParsedDocument;
  try {
    parsed = parse();
  } catch (err) {
    if (err instanceof OverSizeCap) return tooLarge(err.size, err.maxBytes);
    if (err instanceof RSpecParseError) return result({ findings: [{ rule: err.rule, message: err.message, line: err.line, severity: 'error' }], notValidated: [] });
    if (err instanceof EngineMemoryError) return result({ findings: [resourceFinding(err.message)], notValidated: [] });
    throw err;
  }
  try {
    return judge(parsed, options);
  } catch (err) {
    if (err instanceof EngineMemoryError) return result({ findings: [resourceFinding(err.message)], notValidated: [] });
    throw err;
  } finally {
    freeDocument(parsed.doc);
  }
}

function judge({ doc, errors }: ParsedDocument, options: ValidateOptions): RSpecValidation {
  if (doc === 0) return result({ findings: [notWellFormed(errors)], notValidated: [] });
  const paths = new ElementPaths();
  const findings: RSpecFinding[] = parserNotices(errors);
  const root = tree.root(doc);
  const rootNs = tree.ns(root);
  const namespace = rootNs === 0 ? '' : tree.nsHref(rootNs);
  const rootName = tree.name(root);
  const rootTypeAttribute = attribute(root, 'type');
  const rootType = rootTypeAttribute?.replace(/\s+/g, ' ').trim();
  const at = { line: tree.line(root), path: paths.of(root) };

  if (!isCoreNamespace(namespace)) {
    findings.push({
      rule: 'unknown-namespace',
      message: `root element <${rootName}> is in namespace "${namespace || '(none)'}", which is neither GENI v3 (${GENI3_NAMESPACE}) nor ProtoGENI v2 (${PGV2_NAMESPACE}); no schema can validate it`,
      ...at,
      severity: 'error',
    });
    return result({ rootType: rootTypeAttribute, namespace, findings, notValidated: [] });
  }
  if (rootName !== 'rspec') {
    findings.push({ rule: 'root-element', message: `root element is <${rootName}>, not <rspec>`, ...at, severity: 'error' });
  }
  if (options.expect && NAMESPACE_BY_FORMAT[options.expect] !== namespace) {
    const actual = schemaFamilyOf(namespace)!;
    findings.push({
      rule: 'rspec-version',
      message: `the document is a ${FORMAT_NAMES[actual]} RSpec (${namespace}) but ${FORMAT_NAMES[options.expect]} (${NAMESPACE_BY_FORMAT[options.expect]}) was asked for`,
      ...at,
      severity: 'error',
    });
  }

  const declared = RSPEC_TYPES.find((candidate) => candidate === rootType);
  const type = declared ?? options.expectedType ?? FALLBACK_TYPE;
  if (declared === undefined) {
    findings.push({
      rule: 'root-type',
      message: `root type ${rootTypeAttribute === undefined ? 'is missing' : `"${rootTypeAttribute}" is not advertisement, request or manifest`}; validated as a${type === 'advertisement' ? 'n' : ''} ${type}`,
      ...at,
      severity: 'error',
    });
  } else if (options.expectedType && declared !== options.expectedType) {
    findings.push({
      rule: 'root-type',
      message: `root type is "${declared}" but a${options.expectedType === 'advertisement' ? 'n' : ''} ${options.expectedType} was expected`,
      ...at,
      severity: 'error',
    });
  }

  const schema = schemaNameFor(namespace, type)!;
  const scan = scanDocument(doc, namespace, type);
  // Extension content the project has schemas for is validated with them (elements only: their attributes on
  // core elements stay unvalidated); every other extension namespace is reported as not validated.
  const validatedExtensions = [...scan.extensions].filter(([uri, use]) => uri in EXTENSION_SCHEMAS && !use.viaAttribute).map(([uri]) => uri);
  findings.push(...schemaFindings(doc, schema, paths, new Set(validatedExtensions)));
  findings.push(...checkSemanticRules(scan, type, paths));
  const notValidated: string[] = [];
  for (const [uri, use] of scan.extensions) {
    if (validatedExtensions.includes(uri)) continue;
    notValidated.push(uri);
    findings.push({
      rule: 'not-validated',
      message: `not validated: ${uri} (no schema loaded for this extension namespace; its content was skipped, not checked)`,
      line: use.line,
      path: paths.of(use.node),
      severity: 'notice',
    });
  }
  return result({ rootType: rootTypeAttribute, namespace, schema, findings, notValidated, validatedExtensions });
}

function schemaFindings(doc: number, schema: string, paths: ElementPaths, extensions: Set<string>): RSpecFinding[] {
  const compiled = extensions.size > 0 ? schemaWithExtensions(schema) : compiledSchema(schema);
  const verdict = validateDocument(compiled, doc, MAX_SCHEMA_FINDINGS);
  const findings: RSpecFinding[] = verdict.errors.map((error) => {
    // An error inside extension content belongs to that extension's schema, not to the core verdict.
    const extension = extensions.size > 0 && error.node !== 0 ? extensionAround(error.node, extensions) : undefined;
    return {
      rule: extension ? 'extension-xsd' : 'xsd',
      message: error.message,
      line: error.line > 0 ? error.line : undefined,
      schema: extension ? EXTENSION_SCHEMAS[extension]! : schema,
      ...(error.node !== 0 && { path: paths.of(error.node) }),
      // libxml2 level 1 is a warning; errors (2) and fatal errors (3) make the document invalid.
      severity: error.level === LEVEL_WARNING ? ('notice' as const) : ('error' as const),
    };
  });
  if (verdict.dropped > 0) {
    findings.push({ rule: 'xsd', message: `${verdict.dropped} more schema errors not listed (the first ${MAX_SCHEMA_FINDINGS} are)`, schema, severity: 'notice' });
  }
  if (verdict.status !== 0 && !findings.some((finding) => finding.severity === 'error')) {
    // Invalid with no error reported, or libxml2 could not validate at all (status < 0: out of memory or internal).
    findings.push(verdict.status < 0
      ? resourceFinding(`the XML engine could not validate the document against ${schema} (internal status ${verdict.status})`)
      : { rule: 'xsd', message: `the document is not valid against ${schema} (no detail reported)`, schema, severity: 'error' });
  }
  return findings;
}

/** The validated extension namespace of the node or of its nearest element ancestor in one, if any. */
function extensionAround(node: number, extensions: Set<string>): string | undefined {
  for (let current = node; current !== 0; current = tree.parent(current)) {
    const type = tree.type(current);
    if (type !== ELEMENT_NODE && type !== ATTRIBUTE_NODE) return undefined;
    const ns = tree.ns(current);
    if (ns !== 0) {
      const uri = tree.nsHref(ns);
      if (extensions.has(uri)) return uri;
    }
  }
  return undefined;
}

/** The first error is what xmllint shows first: the one the author has to fix. */
function notWellFormed(errors: EngineError[]): RSpecFinding {
  const first = errors.find((error) => error.level > LEVEL_WARNING) ?? errors[0];
  if (first?.code === 2) return resourceFinding('the XML engine ran out of memory parsing the document (its memory budget is too small for it)');
  const line = first && first.line > 0 ? first.line : undefined;
  return {
    rule: 'not-well-formed',
    message: `RSpec is not well-formed XML${line === undefined ? '' : ` (line ${line})`}: ${first?.message ?? 'libxml2 gave no reason'}`,
    line,
    severity: 'error',
  };
}

/**
 * Diagnostics of a document that parsed: namespace errors (an undeclared prefix, a relative namespace URI) are
 * reported as xmllint reports them, then validation goes on as it does in xmllint.
 */
function parserNotices(errors: EngineError[]): RSpecFinding[] {
  return errors.map((error) => ({
    rule: error.domain === FROM_NAMESPACE ? 'namespace' : 'xml-warning',
    message: error.message,
    line: error.line > 0 ? error.line : undefined,
    severity: error.domain === FROM_NAMESPACE && error.level > LEVEL_WARNING ? ('error' as const) : ('notice' as const),
  }));
}

function attribute(element: number, name: string): string | undefined {
  for (let attr = tree.firstAttribute(element); attr !== 0; attr = tree.next(attr)) {
    if (tree.ns(attr) === 0 && tree.name(attr) === name) return tree.attributeValue(attr);
  }
  return undefined;
}

function tooLarge(size: number, maxBytes: number): RSpecValidation {
  return result({
    findings: [{
      rule: 'too-large',
      message: `RSpec is ${size} bytes, over the ${maxBytes}-byte limit; it was not read (raise the limit with --max-bytes or rspecMaxBytes)`,
      severity: 'error',
    }],
    notValidated: [],
  });
}

function resourceFinding(message: string): RSpecFinding {
  return { rule: 'resource-limit', message: `RSpec could not be judged: ${message}`, severity: 'error' };
}

function result(fields: Omit<RSpecValidation, 'valid' | 'schemaValid'>): RSpecValidation {
  const errors = fields.findings.filter((finding) => finding.severity === 'error');
  return {
    valid: errors.length === 0,
    schemaValid: !errors.some((finding) => !SEMANTIC_RULES.includes(finding.rule)),
    ...fields,
  };
}

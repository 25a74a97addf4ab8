import { RSpecParseError } from './errors';
import { DEFAULT_MAX_BYTES, SEMANTIC_RULES, type RSpecFinding, type RSpecFormat, type RSpecValidation, type ValidateOptions } from './findings';
import { refuseDocumentTypeDeclaration } from './prolog';
import path from 'node:path';
import {
  ATTRIBUTE_NODE, ELEMENT_NODE, EngineMemoryError, FROM_NAMESPACE, LEVEL_WARNING, engineBytes, freeDocument, loadFile, parseAssembled, parseBuffer, parseDocument, parseFile,
  releaseBuffer, tree, validateDocument, writeBytes, type EngineError, type LoadedFile, type ParsedDocument,
} from './libxml2';
import { findSplitPoint, type SplitPoint } from './split';
import { EXTENSION_SCHEMAS, GENI3_NAMESPACE, PGV2_NAMESPACE, compiledSchema, isCoreNamespace, schemaFamilyOf, schemaNameFor, schemaWithExtensions, type RSpecType } from './schemas';
import { checkSemanticRules } from './semantic-rules';
import { ElementPaths, scanDocument, type DocumentScan } from './scan';

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
export function validateRSpecFile(file: string, options: ValidateOptions = {}, use: EngineUse = {}): RSpecValidation {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  // The size comes from the open file (one stat, not two: a thousand small files pay it a thousand times).
  return validateParsed(() => parseFile(file, {
    admit: (size) => {
      if (size > maxBytes) throw new OverSizeCap(size, maxBytes);
    },
    inspect: (bytes) => refuseDocumentTypeDeclaration(bytes, 'RSpec'),
  }), options, use);
}

/** How the caller uses the XML engine around one validation (the verdict never depends on it). */
export interface EngineUse {
  /**
   * This thread parses nothing after this document and ends right after it (the CLI's last file, a worker about
   * to be stopped): its tree is left for the thread's end to reclaim whole instead of being freed node by node,
   * which costs a tenth of the validation (0.2 s of CPU at 50 MB).
   */
  lastDocument?: boolean;
}

/** A file over the size cap, found before any of it was read. */
class OverSizeCap extends Error {
  constructor(readonly size: number, readonly maxBytes: number) {
    super(`${size} bytes, over the ${maxBytes}-byte cap`);
  }
}

function validateParsed(parse: () => ParsedDocument, options: ValidateOptions, use: EngineUse = {}): RSpecValidation {
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
    if (!use.lastDocument) freeDocument(parsed.doc);
  }
}

function judge({ doc, errors }: ParsedDocument, options: ValidateOptions): RSpecValidation {
  if (doc === 0) return result({ findings: [notWellFormed(errors)], notValidated: [] });
  const seen = examine(doc, errors, options);
  if ('valid' in seen) return seen;
  // Extension content the project has schemas for is validated with them (elements only: their attributes on
  // core elements stay unvalidated); every other extension namespace is reported as not validated.
  const extensions = extensionUses(seen);
  const validatedExtensions = validatedAmong(extensions);
  const findings = [
    ...seen.findings,
    ...schemaFindings(doc, seen.schema, seen.paths, new Set(validatedExtensions)),
    ...checkSemanticRules(seen.scan, seen.type, seen.paths),
  ];
  return finish(seen, findings, extensions, validatedExtensions);
}

/** What a parsed document is, before its schema validation: root findings, type, schema, the one-pass scan. */
interface Examined {
  /** Parser notices and the root's findings (element, format, type): the first findings of the verdict. */
  findings: RSpecFinding[];
  rootType: string | undefined;
  namespace: string;
  type: RSpecType;
  schema: string;
  scan: DocumentScan;
  paths: ElementPaths;
}

/** An extension namespace's first use, located (the not-validated notice points there). */
interface ExtensionUse {
  uri: string;
  line: number;
  path: string;
  viaAttribute: boolean;
}

/** Examines the root and scans the tree; a document no schema can judge comes back as its final verdict. */
function examine(doc: number, errors: EngineError[], options: ValidateOptions): Examined | RSpecValidation {
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
  return { findings, rootType: rootTypeAttribute, namespace, type, schema, scan: scanDocument(doc, namespace, type), paths };
}

function extensionUses({ scan, paths }: Examined): ExtensionUse[] {
  return [...scan.extensions].map(([uri, use]) => ({ uri, line: use.line, path: paths.of(use.node), viaAttribute: use.viaAttribute }));
}

/** The extension namespaces validated with the project's schemas: those with element content. */
function validatedAmong(extensions: ExtensionUse[]): string[] {
  return extensions.filter((use) => use.uri in EXTENSION_SCHEMAS && !use.viaAttribute).map((use) => use.uri);
}

function finish(seen: Pick<Examined, 'rootType' | 'namespace' | 'schema'>, findings: RSpecFinding[], extensions: ExtensionUse[], validatedExtensions: string[]): RSpecValidation {
  const notValidated: string[] = [];
  for (const use of extensions) {
    if (validatedExtensions.includes(use.uri)) continue;
    notValidated.push(use.uri);
    findings.push({
      rule: 'not-validated',
      message: `not validated: ${use.uri} (no schema loaded for this extension namespace; its content was skipped, not checked)`,
      line: use.line,
      path: use.path,
      severity: 'notice',
    });
  }
  return result({ rootType: seen.rootType, namespace: seen.namespace, schema: seen.schema, findings, notValidated, validatedExtensions });
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

// ---------------------------------------------------------------------------------------------- in two parts

/**
 * A large advertisement validated as two documents at once (one thread each), cut between two children of its
 * root (src/rspec/split.ts says why that gives the whole document's verdict). The caller runs `tail` where it
 * likes (validateTail, in another thread) while this thread validates the head, then `merge`s the two: the merged
 * verdict is the whole document's, byte for byte, or undefined, and the caller validates the document whole.
 * Only verdicts without schema findings are merged: a part that says anything at all sends the document to the
 * whole-document path, so every reported error is the whole document's own (its order, its line, its message).
 */
export interface SplitValidation {
  /** What the other thread needs: validateTail(tail). */
  tail: TailRequest;
  /** Validates the head in this thread; call once. */
  head(): HeadVerdict | undefined;
  /**
   * Frees the head's tree when head() kept it (`lastDocument`): call it before validating the document whole, so
   * that the whole tree never sits beside the head's.
   */
  release(): void;
}

export interface TailRequest {
  file: string;
  /** The file's version as the head read it; a tail reader that finds another gives up. */
  size: number;
  mtimeMs: number;
  /** The prolog and the root start tag. */
  head: Uint8Array;
  /** Line breaks put back between the root start tag and the first child of the tail (line numbers stay exact). */
  lineBreaks: number;
  /** Offset of the tail's first root child. */
  from: number;
  options: ValidateOptions;
  /** The tail's thread ends after it (EngineUse.lastDocument): its tree is not freed. */
  lastDocument?: boolean;
}

/** A part with no schema finding, ready to merge. */
interface PartVerdict {
  /** Whether this part was validated with the extension schemas (the whole document must agree). */
  withExtensions: boolean;
  extensions: ExtensionUse[];
  /** Findings of the semantic rules (an advertisement's look at one element at a time). */
  semantic: RSpecFinding[];
}

export type TailVerdict = PartVerdict | { unusable: string };

export interface HeadVerdict extends PartVerdict {
  examined: Omit<Examined, 'scan' | 'paths'>;
  /** Element children of the root in the head, by local name: the tail's element paths continue these counts. */
  childCounts: Map<string, number>;
}

/**
 * Below this a document is validated whole: a second thread costs more than it saves. The worker starts about
 * 0.25 s of CPU late (the time this thread takes over about 4 MB, src/cli/validate-files.ts), so below about 6 MB
 * its part would end after the whole document validated on one thread.
 */
export const SPLIT_MIN_BYTES = 6 * 1024 * 1024;

/**
 * Prepares a file for validation in two parts, or undefined when it should be validated whole (small, over the
 * size cap, no cut the lexical scan can vouch for, a DTD). `headShare` is the part of the bytes this thread
 * parses (the other thread also pays for starting).
 */
export function splitValidation(
  file: string, options: ValidateOptions = {}, { minBytes = SPLIT_MIN_BYTES, headShare = 0.5, lastDocument = false } = {},
): SplitValidation | undefined {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let loaded: LoadedFile;
  try {
    loaded = loadFile(file, (size) => {
      if (size < minBytes || size > maxBytes) throw new NotSplit();
    });
  } catch (err) {
    if (err instanceof NotSplit || err instanceof EngineMemoryError) return undefined;
    throw err;
  }
  let point: SplitPoint | undefined;
  try {
    const bytes = engineBytes(loaded);
    refuseDocumentTypeDeclaration(bytes, 'RSpec');
    point = findSplitPoint(bytes, Math.floor(loaded.length * headShare));
  } catch {
    point = undefined;
  }
  // Only an advertisement's rules look at one element at a time (requests and manifests are small anyway).
  if (point !== undefined && !/\stype\s*=\s*(["'])\s*advertisement\s*\1/.test(Buffer.from(engineBytes(loaded).subarray(0, point.rootEnd)).toString('latin1'))) point = undefined;
  if (point === undefined || point.closeTag.length > loaded.length - point.at) {
    releaseBuffer(loaded);
    return undefined;
  }
  const cut = point;
  const tail: TailRequest = {
    file, size: loaded.size, mtimeMs: loaded.mtimeMs, head: engineBytes(loaded).slice(0, cut.rootEnd), lineBreaks: cut.lineBreaks, from: cut.at, options,
    ...(lastDocument && { lastDocument }),
  };
  let used = false;
  let kept = 0;
  return {
    tail,
    head: () => {
      if (used) throw new Error('head() of a split validation runs once');
      used = true;
      let parsed: ParsedDocument | undefined;
      try {
        // The head is the document up to the cut, closed there: the tail's bytes are the other thread's.
        writeBytes(loaded, cut.at, Buffer.from(cut.closeTag, 'latin1'));
        parsed = parseBuffer(loaded, cut.at + cut.closeTag.length, path.basename(file));
        releaseBuffer(loaded);
        const verdict = judgeHead(parsed, options);
        // A head with something to say sends the document to the whole-document path: its tree goes now.
        if (lastDocument && verdict !== undefined) kept = parsed.doc;
        return verdict;
      } catch (err) {
        if (err instanceof EngineMemoryError) return undefined;
        throw err;
      } finally {
        if (parsed === undefined) releaseBuffer(loaded);
        else if (kept === 0) freeDocument(parsed.doc);
      }
    },
    release: () => {
      freeDocument(kept);
      kept = 0;
    },
  };
}

class NotSplit extends Error {}

/** The tail of a split document (in whichever thread runs it): its verdict, or why it cannot be merged. */
export function validateTail(request: TailRequest): TailVerdict {
  let parsed: ParsedDocument | undefined;
  try {
    parsed = parseAssembled(request.file, request, request.head, request.lineBreaks, request.from);
    if (parsed === undefined) return { unusable: 'the file changed' };
    const part = judgePart(parsed, request.options);
    return 'unusable' in part ? part : { withExtensions: part.withExtensions, extensions: part.extensions, semantic: part.semantic };
  } catch (err) {
    if (err instanceof EngineMemoryError) return { unusable: err.message };
    throw err;
  } finally {
    if (parsed && !request.lastDocument) freeDocument(parsed.doc);
  }
}

/** The head's verdict; its tree stays for the caller to free. */
function judgeHead(parsed: ParsedDocument, options: ValidateOptions): HeadVerdict | undefined {
  const part = judgePart(parsed, options);
  if ('unusable' in part) return undefined;
  const childCounts = new Map<string, number>();
  for (let child = tree.firstChild(tree.root(parsed.doc)); child !== 0; child = tree.next(child)) {
    if (tree.type(child) !== ELEMENT_NODE) continue;
    const name = tree.name(child);
    childCounts.set(name, (childCounts.get(name) ?? 0) + 1);
  }
  const { scan: _scan, paths: _paths, ...examined } = part.examined;
  return { withExtensions: part.withExtensions, extensions: part.extensions, semantic: part.semantic, examined, childCounts };
}

/** One part: parsed without a diagnostic, an advertisement, schema-valid without a single message. */
function judgePart({ doc, errors }: ParsedDocument, options: ValidateOptions): (PartVerdict & { examined: Examined }) | { unusable: string } {
  if (doc === 0 || errors.length > 0) return { unusable: 'the part is not well-formed or the parser had something to say' };
  const seen = examine(doc, errors, options);
  if ('valid' in seen) return { unusable: 'no schema applies' };
  if (seen.type !== 'advertisement') return { unusable: `a ${seen.type}'s rules look across elements` };
  const extensions = extensionUses(seen);
  const validated = validatedAmong(extensions);
  const schemaSays = schemaFindings(doc, seen.schema, seen.paths, new Set(validated));
  if (schemaSays.length > 0) return { unusable: 'the schema reported something' };
  return { withExtensions: validated.length > 0, extensions, semantic: checkSemanticRules(seen.scan, seen.type, seen.paths), examined: seen };
}

/**
 * The whole document's verdict from its two parts, or undefined when it has to be validated whole: a part was
 * unusable, or a part chose its extension schemas differently from how the whole document would.
 */
export function mergeSplit(head: HeadVerdict | undefined, tail: TailVerdict | undefined): RSpecValidation | undefined {
  if (head === undefined || tail === undefined || 'unusable' in tail) return undefined;
  const shift = (elementPath: string): string => {
    // /rspec/node[3]/... in the tail is /rspec/node[3 + the head's nodes]/... in the document.
    const match = /^(\/[^/]+\/)([^/[]+)\[(\d+)\]/.exec(elementPath);
    if (!match) return elementPath;
    const [whole, rootStep, name, index] = match as unknown as [string, string, string, string];
    return `${rootStep}${name}[${Number(index) + (head.childCounts.get(name) ?? 0)}]${elementPath.slice(whole.length)}`;
  };
  // First uses in document order: the head's, then the tail's new ones; an element use beats an attribute use.
  const extensions = head.extensions.map((use) => ({ ...use }));
  const byUri = new Map(extensions.map((use) => [use.uri, use]));
  for (const use of tail.extensions) {
    const earlier = byUri.get(use.uri);
    const located = { ...use, path: shift(use.path) };
    if (earlier === undefined) {
      extensions.push(located);
      byUri.set(use.uri, located);
    } else if (earlier.viaAttribute && !use.viaAttribute) {
      Object.assign(earlier, located);
    }
  }
  const validatedExtensions = validatedAmong(extensions);
  const withExtensions = validatedExtensions.length > 0;
  if (head.withExtensions !== withExtensions || tail.withExtensions !== withExtensions) return undefined;
  const findings = [
    ...head.examined.findings,
    ...head.semantic,
    ...tail.semantic.map((finding) => (finding.path === undefined ? finding : { ...finding, path: shift(finding.path) })),
  ];
  return finish(head.examined, findings, extensions, validatedExtensions);
}

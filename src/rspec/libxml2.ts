/**
 * The XML engine behind RSpec validation: libxml2 compiled to WebAssembly (libxml2-wasm's raw module), used
 * through the handful of C functions validation needs. Why this and not libxmljs2 (ARCHITECTURE.md): a schema is
 * compiled once per thread instead of on every call, the tree costs about half the memory, and a worker running
 * WebAssembly can be terminated mid-parse by a deadline, which native code cannot.
 *
 * The module is instantiated once per thread (top-level await, about 30 ms). Everything here is synchronous and
 * reads libxml2's structures straight from linear memory (wasm32 layout of libxml2 2.14), so walking a tree of
 * millions of nodes allocates nothing in JavaScript.
 */
import { openSync, readSync, closeSync, fstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { isMainThread, workerData } from 'node:worker_threads';
import moduleLoader from 'libxml2-wasm/lib/libxml2raw.mjs';
import { ENGINE_MODULE_KEY, setEngineModule, wasmApi, type CompiledEngine } from './engine-module';

type LibXml2 = Awaited<ReturnType<typeof moduleLoader>> & {
  HEAPU16?: Uint16Array;
  _xmlSchemaFreeValidCtxt(ctxt: number): void;
};

/** V8's default --wasm-tiering-budget is 1,800,000 (roughly bytes of code executed before a function is optimised). */
const WASM_TIERING_BUDGET = 18_000_000;

/**
 * V8 starts every WebAssembly function on its baseline compiler (Liftoff) and recompiles the ones that ran a lot
 * with its optimising compiler, on background threads. At the default threshold compiling the schemas alone
 * (once per thread) sent hundreds of functions to be optimised: about 0.2 s of CPU before the first document,
 * almost half of what `geni-harness validate` costs on a small file. Ten times the threshold leaves start-up to
 * the baseline code and still optimises what a large document keeps running (the same CPU time at 10 and 50 MB).
 * The flag is the process's (the libxml2 module is the only WebAssembly it runs) and is read when a module is
 * compiled, so it is set before this one is.
 */
setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);

const lib = (await loadEngine()) as LibXml2;

/**
 * The libxml2 module, instantiated from the compiled module a parent thread handed over (workerData, see
 * engine-module.ts) or else compiled here; either way the compiled module is kept for this thread's own workers.
 */
async function loadEngine(): Promise<Awaited<ReturnType<typeof moduleLoader>>> {
  const load = moduleLoader as (settings?: object) => ReturnType<typeof moduleLoader>;
  const given: unknown = isMainThread ? undefined : (workerData as Record<string, unknown> | null)?.[ENGINE_MODULE_KEY];
  if (given instanceof wasmApi.Module) {
    setEngineModule(given);
    return load({
      instantiateWasm(imports: object, receive: (instance: object, module: CompiledEngine) => void) {
        receive(new wasmApi.Instance(given, imports), given);
        return {};
      },
    });
  }
  // Emscripten's loader compiles the module it carries inline and keeps only the instance: the compiled module is
  // taken from WebAssembly.instantiate's answer while the loader runs (nothing else in a thread instantiates
  // WebAssembly while this module is being evaluated).
  const instantiate = wasmApi.instantiate;
  wasmApi.instantiate = async (...args: never[]): Promise<unknown> => {
    const result: unknown = await Reflect.apply(instantiate, wasmApi, args);
    if (typeof result === 'object' && result !== null && 'module' in result && result.module instanceof wasmApi.Module) setEngineModule(result.module);
    return result;
  };
  try {
    return await load();
  } finally {
    wasmApi.instantiate = instantiate;
  }
}

// Views of the wasm heap. Growing the heap detaches them, and only calls into libxml2 grow it, so every function
// here that calls libxml2 refreshes them before returning; reads in between cost one typed-array access each.
let heap8 = lib.HEAPU8;
let heap32 = lib.HEAP32;
function refreshViews(): void {
  heap8 = lib.HEAPU8;
  heap32 = lib.HEAP32;
}

/** libxml2 parser options (parser.h). */
const XML_PARSE_NONET = 1 << 11;
const XML_PARSE_COMPACT = 1 << 16;
const XML_PARSE_BIG_LINES = 1 << 22;
/**
 * Untrusted input: no network, no entity substitution, no DTD loading, no XML_PARSE_HUGE (so libxml2 keeps its
 * limits on depth, name and text sizes). The caller also refuses any DTD before parsing. COMPACT and BIG_LINES
 * are what `xmllint` uses: small text stored inline, exact line numbers past 65535.
 */
const UNTRUSTED = XML_PARSE_NONET | XML_PARSE_COMPACT | XML_PARSE_BIG_LINES;

/** Node types (tree.h). */
export const ELEMENT_NODE = 1;
export const ATTRIBUTE_NODE = 2;
export const TEXT_NODE = 3;
export const CDATA_NODE = 4;
export const PI_NODE = 7;
export const COMMENT_NODE = 8;

/** Error domains and levels (xmlerror.h). */
export const FROM_PARSER = 1;
export const FROM_NAMESPACE = 3;
export const LEVEL_WARNING = 1;

export interface EngineError {
  domain: number;
  code: number;
  level: number;
  message: string;
  line: number;
  /** The node the error is about (schema errors), 0 when none. Valid only while its document lives. */
  node: number;
}

// One collector for every callback: libxml2 calls it synchronously, so the current list is a plain variable.
let collecting: EngineError[] | null = null;
let collectingLimit = Infinity;
let dropped = 0;
const errorHandler = lib.addFunction((_data: number, err: number) => {
  if (collecting === null) return;
  if (collecting.length >= collectingLimit) {
    dropped += 1;
    return;
  }
  const h = lib.HEAP32;
  const i = err >> 2;
  refreshViews();
  collecting.push({
    domain: h[i]!,
    code: h[i + 1]!,
    message: cString(h[i + 2]!).trim(),
    level: h[i + 3]!,
    line: h[i + 5]!,
    node: h[i + 12]!,
  });
}, 'vii');

function collect<T>(limit: number, run: () => T): { value: T; errors: EngineError[]; dropped: number } {
  collecting = [];
  collectingLimit = limit;
  dropped = 0;
  try {
    const value = run();
    return { value, errors: collecting, dropped };
  } finally {
    collecting = null;
    refreshViews();
  }
}

// ---------------------------------------------------------------------------------------------- memory helpers

const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/** A NUL-terminated UTF-8 string at ptr ('' for NULL). */
export function cString(ptr: number): string {
  if (ptr === 0) return '';
  // Names, namespace URIs and most attribute values are short ASCII: reading them byte by byte is several times
  // cheaper than a TextDecoder call and allocates no view.
  let text = '';
  for (let at = ptr; at < ptr + 256; at += 1) {
    const byte = heap8[at]!;
    if (byte === 0) return text;
    if (byte >= 0x80) break;
    text += String.fromCharCode(byte);
  }
  const end = heap8.indexOf(0, ptr);
  return decoder.decode(heap8.subarray(ptr, end));
}

function withCString<T>(text: string | null, use: (ptr: number) => T): T {
  if (text === null) return use(0);
  const bytes = encoder.encode(`${text}\0`);
  const ptr = lib._malloc(bytes.length);
  refreshViews();
  heap8.set(bytes, ptr);
  try {
    return use(ptr);
  } finally {
    lib._free(ptr);
  }
}

/** Bytes copied into the wasm heap (the caller frees). Strings are encoded straight into it. */
function copyIn(input: string | Uint8Array): { ptr: number; length: number } {
  if (typeof input !== 'string') {
    const ptr = lib._malloc(Math.max(1, input.length));
    refreshViews();
    if (ptr === 0) throw new EngineMemoryError(input.length);
    heap8.set(input, ptr);
    return { ptr, length: input.length };
  }
  const capacity = input.length * 3;
  const ptr = lib._malloc(Math.max(1, capacity));
  refreshViews();
  if (ptr === 0) throw new EngineMemoryError(capacity);
  const { written } = encoder.encodeInto(input, heap8.subarray(ptr, ptr + capacity));
  return { ptr, length: written };
}

/** The wasm heap could not hold the input (its 2 GB ceiling, or a sandbox's lower one). */
export class EngineMemoryError extends Error {
  constructor(bytes: number) {
    super(`the XML engine could not allocate ${bytes} bytes for the document`);
  }
}

// ---------------------------------------------------------------------------------------------- parsing

export interface ParsedDocument {
  /** xmlDocPtr, 0 when the document is not well-formed. Free it with freeDocument. */
  doc: number;
  /** Every diagnostic in the order libxml2 raised it (parser errors, namespace errors, warnings). */
  errors: EngineError[];
}

/**
 * Parses a document already known to carry no DTD. Text input is UTF-8 encoded and parsed as UTF-8 whatever its
 * declaration says (the characters are already decoded); bytes follow their own encoding declaration.
 */
export function parseDocument(input: string | Uint8Array, url = 'rspec.xml', encoding?: 'UTF-8'): ParsedDocument {
  const { ptr, length } = copyIn(input);
  try {
    return parseAt(ptr, length, url, typeof input === 'string' ? 'UTF-8' : (encoding ?? null));
  } finally {
    lib._free(ptr);
  }
}

/**
 * Parses a file read straight into the wasm heap: the document never exists as a JavaScript buffer, which keeps
 * a 50 MB advertisement's peak memory to the tree itself. `admit` sees the file's size before anything is read
 * (the size cap throws there), `inspect` the bytes before they are parsed (the DTD refusal reads the prolog there).
 */
export function parseFile(file: string, hooks: { admit: (size: number) => void; inspect: (bytes: Uint8Array) => void }): ParsedDocument {
  const loaded = loadFile(file, hooks.admit);
  try {
    hooks.inspect(engineBytes(loaded));
    return parseBuffer(loaded, loaded.length, path.basename(file));
  } finally {
    releaseBuffer(loaded);
  }
}

/** Bytes held in the wasm heap (malloc'd there): free them with releaseBuffer. */
export interface EngineBuffer {
  ptr: number;
  length: number;
}

/** A file read whole into the wasm heap, with what identifies its version (a second reader checks it is the same). */
export interface LoadedFile extends EngineBuffer {
  size: number;
  mtimeMs: number;
}

/** Reads a file into the wasm heap after `admit` has seen its size (and not thrown). */
export function loadFile(file: string, admit: (size: number) => void): LoadedFile {
  const fd = openSync(file, 'r');
  try {
    const { size, mtimeMs } = fstatSync(fd);
    admit(size);
    const buffer = allocate(size);
    try {
      const length = readRange(fd, buffer.ptr, 0, size);
      return { ...buffer, length, size, mtimeMs };
    } catch (err) {
      releaseBuffer(buffer);
      throw err;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * A document assembled in the wasm heap from `head`, `lineBreaks` newlines and the bytes of `file` from `from` to
 * its end, parsed; undefined when the file is no longer the version the caller read (`expected`).
 */
export function parseAssembled(file: string, expected: { size: number; mtimeMs: number }, head: Uint8Array, lineBreaks: number, from: number): ParsedDocument | undefined {
  const fd = openSync(file, 'r');
  try {
    const { size, mtimeMs } = fstatSync(fd);
    if (size !== expected.size || mtimeMs !== expected.mtimeMs || from > size) return undefined;
    const buffer = allocate(head.length + lineBreaks + (size - from));
    try {
      heap8.set(head, buffer.ptr);
      heap8.fill(0x0a, buffer.ptr + head.length, buffer.ptr + head.length + lineBreaks);
      const tail = readRange(fd, buffer.ptr + head.length + lineBreaks, from, size - from);
      if (tail !== size - from) return undefined;
      return parseBuffer(buffer, buffer.length, path.basename(file));
    } finally {
      releaseBuffer(buffer);
    }
  } finally {
    closeSync(fd);
  }
}

function allocate(length: number): EngineBuffer {
  const ptr = lib._malloc(Math.max(1, length));
  refreshViews();
  if (ptr === 0) throw new EngineMemoryError(length);
  return { ptr, length };
}

function readRange(fd: number, ptr: number, position: number, length: number): number {
  let offset = 0;
  while (offset < length) {
    const read = readSync(fd, heap8, ptr + offset, length - offset, position + offset);
    if (read === 0) break;
    offset += read;
  }
  return offset;
}

/** A view of a buffer's bytes, valid until the next call into libxml2 (which may grow the heap). */
export function engineBytes(buffer: EngineBuffer): Uint8Array {
  return heap8.subarray(buffer.ptr, buffer.ptr + buffer.length);
}

/** Overwrites the buffer's bytes from `offset` (which must stay inside it). */
export function writeBytes(buffer: EngineBuffer, offset: number, bytes: Uint8Array): void {
  if (offset + bytes.length > buffer.length) throw new RangeError('write past the end of an engine buffer');
  heap8.set(bytes, buffer.ptr + offset);
}

/** Parses the first `length` bytes of a buffer (bytes follow their own encoding declaration). */
export function parseBuffer(buffer: EngineBuffer, length: number, url: string): ParsedDocument {
  return parseAt(buffer.ptr, length, url, null);
}

export function releaseBuffer(buffer: EngineBuffer): void {
  lib._free(buffer.ptr);
  refreshViews();
}

/**
 * The thread's parser context, kept from one small document to the next: xmlCtxtReadMemory resets it, and its
 * dictionary (element and attribute names, whitespace) is then already filled with the names the next RSpec uses.
 * Dropped after a document that was large or drew any diagnostic (a fresh context for whatever follows an unusual
 * document) and after REUSES_PER_CONTEXT documents (so the dictionary stays small whatever the documents' names).
 * Each document keeps a reference to the dictionary it was parsed with, so dropping the context frees nothing a
 * tree still uses.
 */
let reusableContext = 0;
let contextUses = 0;
const REUSES_PER_CONTEXT = 1000;
const REUSE_MAX_BYTES = 256 * 1024;

function parseAt(ptr: number, length: number, url: string, encoding: string | null): ParsedDocument {
  let ctxt = reusableContext;
  reusableContext = 0;
  if (ctxt === 0) {
    ctxt = lib._xmlNewParserCtxt();
    if (ctxt === 0) throw new EngineMemoryError(length);
    lib._xmlCtxtSetErrorHandler(ctxt, errorHandler, 0);
    contextUses = 0;
  }
  let reusable = false;
  try {
    const { value: doc, errors } = collect(1000, () =>
      withCString(url, (urlPtr) => withCString(encoding, (encPtr) => lib._xmlCtxtReadMemory(ctxt, ptr, length, urlPtr, encPtr, UNTRUSTED))),
    );
    contextUses += 1;
    reusable = doc !== 0 && errors.length === 0 && length <= REUSE_MAX_BYTES && contextUses < REUSES_PER_CONTEXT;
    return { doc, errors };
  } finally {
    if (reusable) reusableContext = ctxt;
    else lib._xmlFreeParserCtxt(ctxt);
    refreshViews();
  }
}

export function freeDocument(doc: number): void {
  if (doc !== 0) lib._xmlFreeDoc(doc);
  refreshViews();
}

// ---------------------------------------------------------------------------------------------- schemas

export interface CompiledSchema {
  name: string;
  validCtxt: number;
}

/**
 * Compiles an XSD from disk. xs:include and xs:import are resolved by the input callbacks below, which open
 * files inside `root` only: a schema can never reach the network or the rest of the disk.
 */
export function compileSchema(root: string, name: string, text?: string): CompiledSchema {
  allowSchemaRoot(root);
  const file = path.join(root, name);
  // `text` is a schema that lives nowhere on disk (a driver that includes and imports others); it is parsed as if
  // it were `name`, so its includes resolve next to that path.
  const parsed = parseDocument(text ?? readFileSync(file), file);
  if (parsed.doc === 0) throw new Error(`schema ${name} is not well-formed: ${parsed.errors[0]?.message ?? 'unknown error'}`);
  const { value: schema, errors } = collect(100, () => {
    const parserCtxt = lib._xmlSchemaNewDocParserCtxt(parsed.doc);
    lib._xmlSchemaSetParserStructuredErrors(parserCtxt, errorHandler, 0);
    try {
      return lib._xmlSchemaParse(parserCtxt);
    } finally {
      lib._xmlSchemaFreeParserCtxt(parserCtxt);
    }
  });
  // The compiled schema keeps pointers into its document: it stays allocated for the thread's life.
  if (schema === 0) throw new Error(`schema ${name} does not compile: ${errors.map((e) => e.message).join('; ')}`);
  const validCtxt = lib._xmlSchemaNewValidCtxt(schema);
  lib._xmlSchemaSetValidStructuredErrors(validCtxt, errorHandler, 0);
  refreshViews();
  return { name, validCtxt };
}

export interface SchemaVerdict {
  /** 0 valid, > 0 invalid, < 0 libxml2 could not validate (an internal error or no memory). */
  status: number;
  errors: EngineError[];
  /** Errors past `limit` that were counted but not kept. */
  dropped: number;
}

export function validateDocument(schema: CompiledSchema, doc: number, limit: number): SchemaVerdict {
  const { value: status, errors, dropped: extra } = collect(limit, () => lib._xmlSchemaValidateDoc(schema.validCtxt, doc));
  return { status, errors, dropped: extra };
}

const schemaRoots = new Set<string>();
let callbacksRegistered = false;
const openFiles = new Map<number, { bytes: Buffer; offset: number }>();
let nextHandle = 1;

function schemaFileFor(uri: string): string | undefined {
  const file = uri.startsWith('file://') ? decodeURIComponent(new URL(uri).pathname) : uri;
  const resolved = path.resolve(file);
  for (const root of schemaRoots) if (resolved.startsWith(root) && resolved.endsWith('.xsd')) return resolved;
  return undefined;
}

function allowSchemaRoot(root: string): void {
  schemaRoots.add(path.resolve(root) + path.sep);
  if (callbacksRegistered) return;
  callbacksRegistered = true;
  const match = lib.addFunction((uri: number) => (schemaFileFor(cString(uri)) === undefined ? 0 : 1), 'ii');
  const open = lib.addFunction((uri: number) => {
    const file = schemaFileFor(cString(uri));
    if (file === undefined) return 0;
    try {
      const handle = nextHandle++;
      openFiles.set(handle, { bytes: readFileSync(file), offset: 0 });
      return handle;
    } catch {
      return 0;
    }
  }, 'ii');
  const read = lib.addFunction((handle: number, buffer: number, length: number) => {
    const open = openFiles.get(handle);
    if (!open) return -1;
    const count = Math.min(length, open.bytes.length - open.offset);
    refreshViews();
    heap8.set(open.bytes.subarray(open.offset, open.offset + count), buffer);
    open.offset += count;
    return count;
  }, 'iiii');
  const close = lib.addFunction((handle: number) => (openFiles.delete(handle) ? 0 : -1), 'ii');
  lib._xmlRegisterInputCallbacks(match, open, read, close);
}

// ---------------------------------------------------------------------------------------------- tree access
// Offsets of libxml2's structures on wasm32 (tree.h): every pointer and int is 4 bytes.

export const tree = {
  root(doc: number): number {
    const root = lib._xmlDocGetRootElement(doc);
    refreshViews();
    return root;
  },
  type(node: number): number {
    return heap32[(node + 4) >> 2]!;
  },
  /** The name pointer; names are interned in the document's dictionary, so equal names share a pointer. */
  namePtr(node: number): number {
    return heap32[(node + 8) >> 2]!;
  },
  name(node: number): string {
    return cString(tree.namePtr(node));
  },
  firstChild(node: number): number {
    return heap32[(node + 12) >> 2]!;
  },
  parent(node: number): number {
    return heap32[(node + 20) >> 2]!;
  },
  next(node: number): number {
    return heap32[(node + 24) >> 2]!;
  },
  prev(node: number): number {
    return heap32[(node + 28) >> 2]!;
  },
  /** xmlNsPtr of an element or attribute, 0 when it has no namespace. */
  ns(node: number): number {
    return heap32[(node + 36) >> 2]!;
  },
  nsHref(ns: number): string {
    return cString(heap32[(ns + 8) >> 2]!);
  },
  content(node: number): number {
    return heap32[(node + 40) >> 2]!;
  },
  /** First attribute (xmlAttrPtr) of an element. Attributes link with next like nodes. */
  firstAttribute(element: number): number {
    return heap32[(element + 44) >> 2]!;
  },
  /** The text of an attribute (its text children concatenated). */
  attributeValue(attribute: number): string {
    let text = '';
    for (let child = tree.firstChild(attribute); child !== 0; child = tree.next(child)) text += cString(tree.content(child));
    return text;
  },
  /**
   * Line of a node as xmlGetLineNo gives it (and so as xmllint prints it). Past 65535 libxml2 keeps the exact
   * line only on text nodes (in psvi, under XML_PARSE_BIG_LINES); an element borrows it from its first child or
   * a sibling, five steps at most.
   */
  line(node: number, depth = 0): number {
    if (node === 0 || depth >= 5) return -1;
    const type = tree.type(node);
    if (type === ELEMENT_NODE || type === TEXT_NODE || type === COMMENT_NODE || type === PI_NODE) {
      const short = heap8[node + 56]! | (heap8[node + 57]! << 8);
      if (short !== 65535) return short;
      let result = -1;
      const psvi = heap32[(node + 52) >> 2]!;
      if (type === TEXT_NODE && psvi !== 0) result = psvi;
      else if (type === ELEMENT_NODE && tree.firstChild(node) !== 0) result = tree.line(tree.firstChild(node), depth + 1);
      else if (tree.next(node) !== 0) result = tree.line(tree.next(node), depth + 1);
      else if (tree.prev(node) !== 0) result = tree.line(tree.prev(node), depth + 1);
      return result === -1 || result === 65535 ? short : result;
    }
    const parent = tree.parent(node);
    return parent !== 0 && tree.type(parent) === ELEMENT_NODE ? tree.line(parent, depth + 1) : -1;
  },
  /** Current size of the wasm heap, which only grows. */
  heapBytes(): number {
    refreshViews();
    return heap8.length;
  },
};

/** The thread's WebAssembly heap, which only grows (the sandbox replaces a worker whose heap grew large). */
export function wasmHeapBytes(): number {
  return tree.heapBytes();
}

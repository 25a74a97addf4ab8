import type libxmljs from 'libxmljs2';
import { HarnessError, formatValue, type Finding } from '../core';
import { sharedSandbox } from '../sandbox';
import type { AmResponse } from '../geni/methods';
import { RSpecParseError } from '../rspec/errors';
import { parseXmlSafely } from '../rspec/parse';
import { decodeCompressedRSpec, type RSpecFormat, type RSpecType, type RSpecValidation, type ValidateOptions } from '../rspec/validate';
import type { Check, CheckContext } from '../core';
import { findingFor } from './describe';
import { resolvePath } from './paths';

const CHECK = 'rspec';
const SPEC = 'am3/common#RSpecDatatype';
const COMPRESSION_SPEC = 'am3/common#geni_compressed';

/** How long one RSpec may take to validate when the runner names no deadline (a 50 MB advertisement takes ~3 s). */
const DEFAULT_VALIDATION_DEADLINE_MS = 60_000;

/**
 * Validates an aggregate's RSpec in the document sandbox (src/sandbox): a worker with a memory budget that is
 * stopped at the deadline, so a hostile document costs at most that time and never the harness's memory.
 */
export function validateReceived(xml: string, options: ValidateOptions, ctx: CheckContext, exchangeId: string): RSpecValidation {
  const bytes = new TextEncoder().encode(xml);
  const deadlineMs = ctx.deadline === undefined ? DEFAULT_VALIDATION_DEADLINE_MS : Math.max(1, ctx.deadline - Date.now());
  const outcome = sharedSandbox().runSync('validate-rspec', { bytes, text: true, options }, { deadlineMs, transfer: [bytes.buffer as ArrayBuffer] });
  if (outcome.status === 'done') return outcome.value;
  throw new HarnessError('decode', `the RSpec (${bytes.length} bytes) could not be validated: ${outcome.message}`, { exchangeIds: [exchangeId] });
}

/** The RSpec text at `at`, decoded when it was sent compressed; or the finding that says why there is none. */
function rspecText(res: AmResponse, at: string, compressed: boolean): { xml: string } | { finding: Finding } {
  const [target] = resolvePath(res.raw, at);
  if (!target?.present) {
    return { finding: findingFor(res, { check: CHECK, title: 'RSpec is missing', expected: ['an RSpec string'], actual: res.fault ? 'XML-RPC Fault (no value)' : 'member absent', path: at, spec: SPEC }) };
  }
  if (typeof target.value !== 'string') {
    return { finding: findingFor(res, { check: CHECK, title: 'RSpec is not a string', expected: ['an RSpec in an XML-RPC string'], actual: formatValue(target.value), path: at, spec: SPEC }) };
  }
  if (!compressed) return { xml: target.value };
  try {
    return { xml: decodeCompressedRSpec(target.value) };
  } catch (err) {
    if (err instanceof HarnessError) throw withExchange(err, res.exchangeId);
    if (!(err instanceof RSpecParseError)) throw err;
    return {
      finding: findingFor(res, {
        check: 'rspec-compression', title: 'Compressed RSpec does not decode', expected: ['zlib (RFC 1950) data, base64-encoded into a string'],
        actual: formatValue(target.value, 60), path: at, spec: COMPRESSION_SPEC, hint: err.message,
      }),
    };
  }
}

/** `err` again, pointing at the exchange that carried the document (a limit hit while decoding it). */
export function withExchange(err: HarnessError, exchangeId: string): HarnessError {
  return new HarnessError(err.phase, err.message, { cause: err.cause, origin: err.origin, exchangeIds: [...err.exchangeIds, exchangeId] });
}

/** SFA's statistics elements are in no namespace; the GENI schemas know nothing of them. */
export const SLICE_MANAGER_EXTENSION_XPATH = "//*[local-name()='statistics' and namespace-uri()='']";

/**
 * A slice manager's merged RSpec without its own extension (SFA's `<statistics>`), and how many elements were set
 * aside. A document that does not parse is returned as it is: its validation says why.
 */
export function withoutSliceManagerExtension(xml: string): { xml: string; setAside: number } {
  const read = parsedOrWhy(xml);
  if (!read.doc) return { xml, setAside: 0 };
  const found = read.doc.find(SLICE_MANAGER_EXTENSION_XPATH) as libxmljs.Element[];
  if (found.length === 0) return { xml, setAside: 0 };
  for (const element of found) element.remove();
  return { xml: read.doc.toString(false), setAside: found.length };
}

/** Nodes of an RSpec document, by local name so GENI v3 and ProtoGENI v2 read alike. */
function nodesOf(doc: libxmljs.Document): libxmljs.Element[] {
  return doc.find("/*[local-name()='rspec']/*[local-name()='node']") as libxmljs.Element[];
}

function nodeKey(node: libxmljs.Element): string {
  return node.attr('component_id')?.value() ?? node.attr('component_name')?.value() ?? node.toString().slice(0, 120);
}

function parsed(xml: string): libxmljs.Document | undefined {
  return parsedOrWhy(xml).doc;
}

/** The document, or why it does not parse. */
function parsedOrWhy(xml: string): { doc: libxmljs.Document; why?: undefined } | { doc?: undefined; why: string } {
  try {
    return { doc: parseXmlSafely(xml, 'RSpec') };
  } catch (err) {
    if (err instanceof RSpecParseError) return { why: err.message };
    throw err;
  }
}

/**
 * The RSpec at `at` as a document whose root is an <rspec>, or the finding that says why it is not one: a check
 * that looks inside an RSpec must not pass what it cannot read.
 */
function rspecDocument(res: AmResponse, at: string, ctx: CheckContext): { doc: libxmljs.Document } | { finding: Finding } {
  const got = rspecText(res, at, false);
  if ('finding' in got) return got;
  const read = parsedOrWhy(got.xml);
  if (read.doc && read.doc.root()?.name() === 'rspec') return { doc: read.doc };
  return {
    finding: findingFor(res, {
      check: CHECK, title: 'RSpec cannot be read', expected: ['an <rspec> XML document'],
      actual: read.why ?? `root element <${read.doc?.root()?.name() ?? '?'}>`, path: at, spec: ctx.spec ?? SPEC,
    }),
  };
}

/**
 * Ads carry a generation timestamp and expiry that legitimately differ between two calls; everything else in two
 * advertisements fetched back to back must be the same document.
 */
function comparableAd(xml: string): string {
  return xml
    .replace(/^\s*<\?xml[^>]*\?>/, '')
    .replace(/\s(generated|expires)="[^"]*"/g, '')
    .replace(/>\s+</g, '><')
    .trim();
}

export const rspec = {
  /**
   * The string at `at` is a valid RSpec of `type` (XSD and semantic rules of src/rspec). With `compressed`, it is
   * decoded first; with `expect`, it must be in that RSpec format (the one the call asked for). Notices (e.g.
   * extension namespaces no schema covers) become notes, not findings.
   */
  validAs(type: RSpecType, at = 'value', opts: { compressed?: boolean; expect?: RSpecFormat } = {}): Check<AmResponse> {
    return (res, ctx: CheckContext) => {
      const got = rspecText(res, at, opts.compressed === true);
      if ('finding' in got) return [got.finding];
      const { xml, setAside } = ctx.mergedBySliceManager ? withoutSliceManagerExtension(got.xml) : { xml: got.xml, setAside: 0 };
      if (setAside > 0) ctx.note?.(`${at}: set aside ${setAside} <statistics> element${setAside > 1 ? 's' : ''} (the slice manager's own extension, in no namespace and in no GENI schema) before validating`);
      const aside = setAside > 0 ? ' once the slice manager\'s <statistics> is set aside' : '';
      const result = validateReceived(xml, { expectedType: type, expect: opts.expect }, ctx, res.exchangeId);
      for (const notice of result.findings.filter((f) => f.severity === 'notice')) ctx.note?.(`${at}: ${notice.message}`);
      if (result.notValidated.length > 0) ctx.note?.(`${at}: not validated (no schema): ${result.notValidated.join(', ')}`);
      return result.findings
        .filter((f) => f.severity === 'error')
        .map((f) => findingFor(res, {
          check: CHECK, title: 'RSpec is not valid', expected: [`a valid ${type} RSpec${aside} (${f.rule})`], actual: f.message,
          path: `${at}${f.path ? ` ${f.path}` : ''}${f.line !== undefined ? ` (line ${f.line})` : ''}`, spec: SPEC,
        }));
    };
  },

  /** The string at `at` is plain XML, not compressed (geni_compressed false or absent). */
  plain(at = 'value'): Check<AmResponse> {
    return (res) => {
      const got = rspecText(res, at, false);
      if ('finding' in got) return [got.finding];
      return got.xml.trimStart().startsWith('<')
        ? []
        : [findingFor(res, { check: 'rspec-compression', title: 'RSpec is compressed although compression was not requested', expected: ['a plain XML RSpec'], actual: formatValue(got.xml, 60), path: at, spec: COMPRESSION_SPEC })];
    };
  },

  /** The compressed string at `at` decodes to the same document as `plainXml` (timestamps aside). */
  compressedEquals(plainXml: string, at = 'value'): Check<AmResponse> {
    return (res) => {
      const got = rspecText(res, at, true);
      if ('finding' in got) return [got.finding];
      return comparableAd(got.xml) === comparableAd(plainXml)
        ? []
        : [findingFor(res, {
            check: 'rspec-compression', title: 'Compressed RSpec differs from the uncompressed one', expected: ['the same RSpec as without geni_compressed'],
            actual: `${got.xml.length} characters after decoding, ${plainXml.length} uncompressed`, path: at, spec: COMPRESSION_SPEC,
          })];
    };
  },

  /** Every node of the RSpec at `at` says it is available now (geni_available lists only available resources). */
  allNodesAvailable(at = 'value'): Check<AmResponse> {
    return (res, ctx) => {
      const read = rspecDocument(res, at, ctx);
      if ('finding' in read) return [read.finding];
      return nodesOf(read.doc).flatMap((node) => {
        const available = node.find("./*[local-name()='available']") as libxmljs.Element[];
        const now = available[0]?.attr('now')?.value();
        return now === 'true'
          ? []
          : [findingFor(res, {
              check: CHECK, title: 'Unavailable node listed under geni_available', expected: ['<available now="true"/>'],
              actual: `node ${formatValue(nodeKey(node))}: ${available.length === 0 ? 'no <available>' : `now=${formatValue(now)}`}`,
              path: `${at} line ${node.line()}`, spec: ctx.spec,
            })];
      });
    };
  },

  /**
   * None of the nodes named (by component_id) is advertised as available now in the RSpec at `at`: an allocated
   * exclusive node belongs to its sliver alone until it is deleted.
   */
  nodesNotAvailable(componentIds: readonly string[], at = 'value'): Check<AmResponse> {
    return (res, ctx) => {
      const read = rspecDocument(res, at, ctx);
      if ('finding' in read) return [read.finding];
      const taken = new Set(componentIds);
      return nodesOf(read.doc).filter((node) => taken.has(nodeKey(node))).flatMap((node) => {
        const now = (node.find("./*[local-name()='available']") as libxmljs.Element[])[0]?.attr('now')?.value();
        return now === 'true'
          ? [findingFor(res, {
              check: CHECK, title: 'Allocated exclusive node advertised as available', expected: ['<available now="false"/>', 'the node left out'],
              actual: `node ${formatValue(nodeKey(node))}: now="true"`, path: `${at} line ${node.line()}`, spec: ctx.spec,
            })]
          : [];
      });
    };
  },

  /** Every node of the RSpec at `at` also appears (by component_id) in `fullXml`. */
  nodesSubsetOf(fullXml: string, at = 'value'): Check<AmResponse> {
    return (res, ctx) => {
      const read = rspecDocument(res, at, ctx);
      if ('finding' in read) return [read.finding];
      // The aggregate's full advertisement, fetched earlier: the comparison needs it readable too.
      const full = parsed(fullXml);
      if (!full) {
        return [findingFor(res, {
          check: CHECK, title: 'The full advertisement to compare with cannot be read', expected: ['an <rspec> XML document'],
          actual: formatValue(fullXml, 80), path: at, spec: ctx.spec ?? SPEC,
        })];
      }
      const known = new Set(nodesOf(full).map(nodeKey));
      return nodesOf(read.doc)
        .filter((node) => !known.has(nodeKey(node)))
        .map((node) => findingFor(res, {
          check: CHECK, title: 'Node is not in the full advertisement', expected: ['a node also advertised without geni_available'],
          actual: formatValue(nodeKey(node)), path: `${at} line ${node.line()}`, spec: ctx.spec,
        }));
    };
  },
};

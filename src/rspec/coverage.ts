import type libxmljs from 'libxmljs2';
import { RSpecParseError } from './errors';
import type { RSpecFinding } from './findings';
import { parseXmlSafely } from './parse';
import { attributeValue, elementPath } from './element-path';

/**
 * The acceptance suite's manifest check: every node and link the request named (by client_id) must be in
 * the manifest, and a node the request bound to a component must come back bound to that same component.
 * Findings point into the request (line, path), since that is where the missing resource was asked for.
 */
export function checkManifestCoversRequest(requestXml: string, manifestXml: string): RSpecFinding[] {
  const request = parseOrFinding(requestXml, 'request RSpec');
  const manifest = parseOrFinding(manifestXml, 'manifest RSpec');
  const parseFindings = [request, manifest].filter((parsed): parsed is RSpecFinding => !('root' in parsed));
  if (parseFindings.length > 0) return parseFindings;
  const requestDoc = request as libxmljs.Document;
  const manifestDoc = manifest as libxmljs.Document;

  const findings: RSpecFinding[] = [];
  for (const kind of ['node', 'link'] as const) {
    const granted = byClientId(manifestDoc, kind);
    for (const asked of resources(requestDoc, kind)) {
      const clientId = attributeValue(asked, 'client_id');
      if (clientId === undefined) continue;
      const answer = granted.get(clientId);
      if (answer === undefined) {
        findings.push(coverageFinding(`request ${kind} "${clientId}" is missing from the manifest (no ${kind} with that client_id)`, asked));
        continue;
      }
      const boundTo = attributeValue(asked, 'component_id');
      const delivered = attributeValue(answer, 'component_id');
      if (boundTo !== undefined && delivered !== boundTo) {
        findings.push(
          coverageFinding(
            `request ${kind} "${clientId}" was bound to component_id "${boundTo}" but the manifest gives ${delivered === undefined ? 'none' : `"${delivered}"`} (manifest line ${answer.line()})`,
            asked,
          ),
        );
      }
    }
  }
  return findings;
}

function parseOrFinding(xml: string, what: string): libxmljs.Document | RSpecFinding {
  try {
    return parseXmlSafely(xml, what);
  } catch (err) {
    if (!(err instanceof RSpecParseError)) throw err;
    return { rule: err.rule, message: err.message, line: err.line, severity: 'error' };
  }
}

/** Top-level nodes or links in the document's own root namespace (GENI v3 or ProtoGENI v2 alike). */
function resources(doc: libxmljs.Document, kind: 'node' | 'link'): libxmljs.Element[] {
  const namespace = doc.root()!.namespace()?.href();
  if (!namespace) return doc.find<libxmljs.Element>(`/*/${kind}`);
  return doc.find<libxmljs.Element>(`/*/r:${kind}`, { r: namespace });
}

function byClientId(doc: libxmljs.Document, kind: 'node' | 'link'): Map<string, libxmljs.Element> {
  const map = new Map<string, libxmljs.Element>();
  for (const element of resources(doc, kind)) {
    const clientId = attributeValue(element, 'client_id');
    if (clientId !== undefined && !map.has(clientId)) map.set(clientId, element);
  }
  return map;
}

function coverageFinding(message: string, element: libxmljs.Element): RSpecFinding {
  return { rule: 'manifest-covers-request', message, line: element.line(), path: elementPath(element), severity: 'error' };
}

import { DOMParser, type Element } from '@xmldom/xmldom';
import { ConfigError } from '../core';
import { parseUrn } from '../geni/urn';

/** One aggregate the slice manager fans out to, as its configuration names it. */
export interface AggregateEntry {
  /** The SFA name (aggregates.xml `hrn`); statistics and loop avoidance use it. */
  hrn: string;
  /** Its AM API v3 URL. */
  url: string;
  /** Its URN (GetVersion urn), when configured: sliver URNs of its authority are routed to it. */
  urn?: string;
}

/**
 * Reads SFA's aggregates.xml: `<aggregates><aggregate hrn="…" addr="…" port="…" [url="…"] [urn="…"]/></aggregates>`.
 * Without `url` the aggregate is `https://addr:port/`, as SFA's Interface builds it.
 */
export function readAggregatesXml(text: string, where = 'aggregates.xml'): AggregateEntry[] {
  if (/<!DOCTYPE/i.test(text)) throw new ConfigError(`${where}: a document type declaration is not allowed`);
  const problems: string[] = [];
  const doc = new DOMParser({ onError: (level, message) => { if (level !== 'warning') problems.push(message); } }).parseFromString(text, 'text/xml');
  const root = doc.documentElement;
  if (problems.length > 0 || !root) throw new ConfigError(`${where} is not well-formed XML: ${problems[0]?.split('\n')[0] ?? 'no root element'}`);
  if (root.localName !== 'aggregates') throw new ConfigError(`${where}: the root element is <${root.tagName}>, expected <aggregates>`);
  const entries: AggregateEntry[] = [];
  const elements = root.getElementsByTagName('aggregate');
  for (let i = 0; i < elements.length; i++) {
    const element = elements.item(i) as Element;
    const attr = (name: string) => element.getAttribute(name)?.trim() || undefined;
    const hrn = attr('hrn');
    if (!hrn) throw new ConfigError(`${where}: <aggregate> ${i + 1} has no hrn attribute`);
    const addr = attr('addr');
    const port = attr('port');
    const url = attr('url') ?? (addr && port ? `https://${addr}:${port}/` : undefined);
    if (!url) throw new ConfigError(`${where}: <aggregate hrn="${hrn}"> has neither url nor addr and port`);
    const urn = attr('urn');
    if (urn !== undefined && !parseUrn(urn)) throw new ConfigError(`${where}: <aggregate hrn="${hrn}"> has urn ${JSON.stringify(urn)}, which is not a GENI URN`);
    entries.push({ hrn, url, ...(urn && { urn }) });
  }
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.hrn)) throw new ConfigError(`${where}: two aggregates are named ${e.hrn}`);
    seen.add(e.hrn);
  }
  return entries;
}

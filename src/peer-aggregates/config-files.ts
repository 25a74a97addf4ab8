import type { PeerInfo } from './peer-set';

/**
 * The configuration a slice manager reads to find its aggregates, written for the harness's peers: SFA's
 * aggregates.xml (`<aggregates><aggregate hrn addr port/></aggregates>`, with the full `url` and `urn` that later SFA
 * releases and the reference SM read as well), and an omni_config `[aggregate_nicknames]` section
 * (`nickname=URN,URL`) for omni-style tools.
 */

const escapeAttribute = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function aggregatesXml(peers: readonly PeerInfo[]): string {
  const lines = peers.map((p) =>
    `  <aggregate hrn="${escapeAttribute(p.hrn)}" addr="${escapeAttribute(p.host)}" port="${p.port}" url="${escapeAttribute(p.url)}" urn="${escapeAttribute(p.urn)}"/>`);
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<aggregates>', ...lines, '</aggregates>', ''].join('\n');
}

export function omniAggregateNicknames(peers: readonly PeerInfo[]): string {
  return ['[aggregate_nicknames]', ...peers.map((p) => `${p.name}=${p.urn},${p.url}`), ''].join('\n');
}

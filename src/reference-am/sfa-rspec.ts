import type { AdNode, RSpecNode } from '../rspec';

/**
 * The native RSpec format of SFA/PlanetLab aggregates (type SFA, version 1), which the `v1-sfa` personality
 * advertises by default: <RSpec type="SFA"> with <network>, <node> and <hostname>. It has no published schema, so
 * a client can only check that it is a string in the advertised format; this writer gives the document a shape
 * like the real one so that the harness is tried on a format it cannot validate.
 */
export function sfaAdvertisement(authorityName: string, nodes: AdNode[], times: { generated: string; expires: string }): string {
  const body = nodes.map((n) => [
    `    <node component_id="${attr(n.componentId)}" component_manager_id="${attr(n.componentManagerId)}" component_name="${attr(n.componentName)}">`,
    `      <hostname>${escapeXmlText(hostname(n.componentName, authorityName))}</hostname>`,
    `      <exclusive>${n.exclusive ? 'TRUE' : 'FALSE'}</exclusive>`,
    ...n.sliverTypes.map((t) => `      <sliver_type name="${attr(t)}"/>`),
    `      <available now="${n.available ? 'true' : 'false'}"/>`,
    '    </node>',
  ].join('\n'));
  return document('advertisement', authorityName, times, body);
}

/** A manifest in the SFA format (a ListResources of a slice without rspec_version answers in the default format). */
export function sfaManifest(authorityName: string, nodes: RSpecNode[], times: { generated: string; expires: string }): string {
  const body = nodes.map((n) => [
    `    <node client_id="${attr(n.clientId)}" component_id="${attr(n.componentId ?? '')}" component_name="${attr(n.componentName ?? '')}">`,
    `      <hostname>${escapeXmlText(hostname(n.componentName ?? n.clientId, authorityName))}</hostname>`,
    `      <sliver${n.sliverId ? ` sliver_id="${attr(n.sliverId)}"` : ''}${n.sliverType ? ` name="${attr(n.sliverType.name)}"` : ''}/>`,
    '    </node>',
  ].join('\n'));
  return document('manifest', authorityName, times, body);
}

function document(type: 'advertisement' | 'manifest', authorityName: string, times: { generated: string; expires: string }, nodes: string[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<RSpec type="SFA" kind="${type}" generated="${attr(times.generated)}" expires="${attr(times.expires)}">`,
    `  <network name="${attr(authorityName)}">`,
    ...nodes,
    '  </network>',
    '</RSpec>',
    '',
  ].join('\n');
}

const hostname = (name: string, authorityName: string): string => `${name}.${authorityName.replace(/:/g, '.')}`;
const escapeXmlText = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const attr = (text: string): string => escapeXmlText(text).replace(/"/g, '&quot;');

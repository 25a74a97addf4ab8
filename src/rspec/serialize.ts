import { parseXmlSafely } from './parse';
import { EMULAB_NS, GENI3_NS, OPSTATE_NS, PGV2_NS, type Advertisement, type AdNode, type OperationalStateMachine, type ManifestRSpec, type RequestRSpec, type RSpecLink, type RSpecNode } from './model';
import { element, escapeAttribute } from './xml-text';

const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

type Attrs = Array<[string, string | boolean | undefined]>;

/**
 * The two RSpec formats the model writes: GENI v3 and its predecessor ProtoGENI v2, which share the vocabulary
 * the model covers and differ in namespace and schema location only.
 */
export type RSpecDialect = 'geni3' | 'pgv2';

const DIALECT_NAMESPACE: Record<RSpecDialect, string> = { geni3: GENI3_NS, pgv2: PGV2_NS };

/** What every serializer takes besides the model. @defaultValue dialect 'geni3' */
export interface SerializeOptions {
  dialect?: RSpecDialect;
}

/** The root start tag: the dialect's default namespace and the schemaLocation the acceptance suite looks for. */
function rootOpen(type: 'advertisement' | 'request' | 'manifest', extra: Attrs, dialect: RSpecDialect): string {
  const schemaFile = type === 'advertisement' ? 'ad.xsd' : `${type}.xsd`;
  const ns = DIALECT_NAMESPACE[dialect];
  const attrs: Attrs = [
    ['xmlns', ns],
    ['xmlns:xsi', XSI_NS],
    ['xsi:schemaLocation', `${ns} ${ns}/${schemaFile}`],
    ['type', type],
    ...extra,
  ];
  return element('rspec', attrs).replace(/\/>$/, '>');
}

function document(type: 'advertisement' | 'request' | 'manifest', extra: Attrs, children: string[], options: SerializeOptions): string {
  return ['<?xml version="1.0" encoding="UTF-8"?>', rootOpen(type, extra, options.dialect ?? 'geni3'), ...children, '</rspec>', ''].join('\n');
}

export function serializeRequest(model: RequestRSpec, options: SerializeOptions = {}): string {
  return document('request', [], [...model.nodes.map((node) => nodeXml(node, false)), ...model.links.map((link) => linkXml(link, false))], options);
}

/** Manifest links always get a vlantag (the schema requires one); "" stands for "none assigned". */
export function serializeManifest(model: ManifestRSpec, options: SerializeOptions = {}): string {
  return document('manifest', [['expires', model.expires]], [
    ...model.nodes.map((node) => nodeXml(node, true)),
    ...model.links.map((link) => linkXml(link, true)),
  ], options);
}

/**
 * An advertisement's content: its nodes and links, serialized. It depends on the inventory only, not on the time the
 * root element carries, so an aggregate asked for the same advertisement again and again can keep it.
 */
export function advertisementContent(model: Pick<Advertisement, 'nodes' | 'links' | 'operationalStates'>): string[] {
  return [
    ...(model.operationalStates ?? []).map(opstateXml),
    ...model.nodes.map(adNodeXml),
    ...(model.links ?? []).map((link) =>
      element('link', [['component_id', link.componentId]], link.interfaceRefs.map((ref) => element('interface_ref', [['component_id', ref]], [], '    ')), '  '),
    ),
  ];
}

export function serializeAdvertisement(model: Advertisement, options: SerializeOptions = {}): string {
  return advertisementDocument(model, advertisementContent(model), options);
}

/** An advertisement from the content advertisementContent wrote (kept between calls) and this one's times. */
export function advertisementDocument(times: Pick<Advertisement, 'generated' | 'expires'>, content: string[], options: SerializeOptions = {}): string {
  return document('advertisement', [['generated', times.generated], ['expires', times.expires]], content, options);
}

function nodeXml(node: RSpecNode, manifest: boolean): string {
  const children: string[] = [];
  if (node.sliverType) {
    const image = node.sliverType.diskImage === undefined ? [] : [element('disk_image', [['name', node.sliverType.diskImage]], [], '      ')];
    children.push(element('sliver_type', [['name', node.sliverType.name]], image, '    '));
  }
  for (const iface of node.interfaces) {
    const ip = iface.ip ? [element('ip', [['address', iface.ip.address], ['netmask', iface.ip.netmask], ['type', iface.ip.type]], [], '      ')] : [];
    const attrs: Attrs = [['client_id', iface.clientId], ['component_id', iface.componentId]];
    if (manifest) attrs.push(['sliver_id', iface.sliverId], ['mac_address', iface.macAddress]);
    children.push(element('interface', attrs, ip, '    '));
  }
  for (const extension of node.extensions ?? []) children.push(`    ${checkedExtension(extension, node.clientId)}`);
  const attrs: Attrs = [
    ['client_id', node.clientId],
    ['component_id', node.componentId],
    ['component_manager_id', node.componentManagerId],
    ['component_name', node.componentName],
    ['exclusive', node.exclusive],
  ];
  if (manifest) attrs.push(['sliver_id', node.sliverId]);
  return element('node', attrs, children, '  ');
}

function linkXml(link: RSpecLink, manifest: boolean): string {
  const children = [
    ...link.interfaceRefs.map((ref) => element('interface_ref', [['client_id', ref]], [], '    ')),
    ...(link.componentManagerIds ?? []).map((name) => element('component_manager', [['name', name]], [], '    ')),
    ...(link.linkType === undefined ? [] : [element('link_type', [['name', link.linkType]], [], '    ')]),
  ];
  const attrs: Attrs = [['client_id', link.clientId]];
  if (manifest) attrs.push(['sliver_id', link.sliverId], ['vlantag', link.vlanTag ?? '']);
  return element('link', attrs, children, '  ');
}

function adNodeXml(node: AdNode): string {
  const children = [
    // A stated capacity goes on every hardware type (as ProtoGENI writes it), so it reads back as `slots`.
    ...node.hardwareTypes.map((name) => element('hardware_type', [['name', name]], node.slots === undefined ? [] : [slotsXml(node.slots)], '    ')),
    ...node.sliverTypes.map((name) => element('sliver_type', [['name', name]], [], '    ')),
    element('available', [['now', node.available]], [], '    '),
    ...node.interfaces.map((iface) => element('interface', [['component_id', iface.componentId]], [], '    ')),
  ];
  return element(
    'node',
    [
      ['component_id', node.componentId],
      ['component_manager_id', node.componentManagerId],
      ['component_name', node.componentName],
      ['exclusive', node.exclusive],
    ],
    children,
    '  ',
  );
}

/** One operational state machine as the opstate extension writes it (its own default namespace, as racks publish it). */
function opstateXml(machine: OperationalStateMachine): string {
  const description = (text: string | undefined, indent: string) => (text === undefined ? [] : [`${indent}<description>${escapeAttribute(text)}</description>`]);
  const states = machine.states.map((state) => element('state', [['name', state.name]], [
    ...state.actions.map((action) => element('action', [['name', action.name], ['next', action.next]], [], '      ')),
    ...state.waits.map((wait) => element('wait', [['type', wait.type], ['next', wait.next]], [], '      ')),
    ...description(state.description, '      '),
  ], '    '));
  return element('rspec_opstate', [['xmlns', OPSTATE_NS], ['aggregate_manager_id', machine.aggregateManagerId], ['start', machine.start]], [
    ...machine.sliverTypes.map((name) => element('sliver_type', [['name', name]], [], '    ')),
    ...states,
  ], '  ');
}

function slotsXml(slots: number): string {
  return element('emulab:node_type', [['xmlns:emulab', EMULAB_NS], ['type_slots', Number.isFinite(slots) ? String(slots) : 'unlimited']], [], '      ');
}

/**
 * Extension XML is inserted verbatim, so it is checked first: one well-formed element, no DTD, in the
 * namespace it claims, and not the core namespace (which would smuggle core elements past the model).
 */
function checkedExtension(extension: { namespace: string; xml: string }, clientId: string): string {
  const where = `extension of node "${clientId}"`;
  if (extension.namespace === GENI3_NS || extension.namespace === PGV2_NS || extension.namespace === '') {
    throw new RangeError(`${where} must be in a namespace other than the RSpec core namespace, got "${extension.namespace}"`);
  }
  const parsed = parseXmlSafely(extension.xml, where);
  const actual = parsed.root()?.namespace()?.href() ?? '';
  if (actual !== extension.namespace) {
    throw new RangeError(`${where} declares namespace "${extension.namespace}" but its element is in "${actual}"`);
  }
  return extension.xml.replace(/^\s*<\?xml[^>]*\?>\s*/, '').trim();
}

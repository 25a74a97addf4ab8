/**
 * The RSpec model the reference aggregate and the fast-check generators work with. It covers the GENI v3
 * vocabulary the harness exercises, not every element an RSpec may carry; read* drops the rest.
 */
export const GENI3_NS = 'http://www.geni.net/resources/rspec/3';
/** ProtoGENI v2, what GENI v3 was before it was re-branded: the same vocabulary in its own namespace. */
export const PGV2_NS = 'http://www.protogeni.net/resources/rspec/2';

export interface RSpecInterface {
  clientId: string;
  componentId?: string;
  /** Manifest only: requests cannot carry it and serializeRequest leaves it out. */
  sliverId?: string;
  /** Manifest only. */
  macAddress?: string;
  ip?: { address: string; netmask?: string; type?: string };
}

export interface RSpecNode {
  clientId: string;
  componentId?: string;
  componentManagerId?: string;
  componentName?: string;
  exclusive?: boolean;
  /** Manifest only. */
  sliverId?: string;
  sliverType?: { name: string; diskImage?: string };
  interfaces: RSpecInterface[];
  /** Elements from other namespaces, each one element serialized with its own xmlns declaration. */
  extensions?: Array<{ namespace: string; xml: string }>;
}

export interface RSpecLink {
  clientId: string;
  /** Manifest only. */
  sliverId?: string;
  componentManagerIds?: string[];
  /** client_ids of the interfaces the link joins. */
  interfaceRefs: string[];
  linkType?: string;
  /**
   * Manifest only. The manifest schema requires a vlantag on every link; when the aggregate assigned none,
   * serializeManifest writes vlantag="" and readManifest maps "" back to undefined.
   */
  vlanTag?: string;
}

export interface RequestRSpec {
  type: 'request';
  nodes: RSpecNode[];
  links: RSpecLink[];
}

export interface ManifestRSpec {
  type: 'manifest';
  nodes: RSpecNode[];
  links: RSpecLink[];
  /** xs:dateTime */
  expires?: string;
}

export interface AdNode {
  componentId: string;
  componentManagerId: string;
  componentName: string;
  exclusive: boolean;
  available: boolean;
  sliverTypes: string[];
  hardwareTypes: string[];
  interfaces: Array<{ componentId: string }>;
}

export interface Advertisement {
  type: 'advertisement';
  nodes: AdNode[];
  links?: Array<{ componentId: string; interfaceRefs: string[] }>;
  /** xs:dateTime */
  generated?: string;
  /** xs:dateTime */
  expires?: string;
}

/** What a request can say: the manifest-only fields dropped. read(serializeRequest(m)) equals this. */
export function requestView(model: RequestRSpec): RequestRSpec {
  return {
    type: 'request',
    nodes: model.nodes.map(({ sliverId: _sliverId, ...node }) => ({
      ...node,
      interfaces: node.interfaces.map(({ sliverId: _s, macAddress: _m, ...iface }) => iface),
    })),
    links: model.links.map(({ sliverId: _sliverId, vlanTag: _vlanTag, ...link }) => link),
  };
}

import { ATTRIBUTE_NODE, ELEMENT_NODE, tree } from './libxml2';
import type { RSpecType } from './schemas';

/** Namespaces every document may use without them being extensions that went unvalidated. */
export const INFRASTRUCTURE_NAMESPACES: readonly string[] = ['http://www.w3.org/2001/XMLSchema-instance', 'http://www.w3.org/XML/1998/namespace'];

/** An element the semantic rules look at: where it is and the attributes they read. */
export interface ScannedElement {
  kind: 'node' | 'interface' | 'link' | 'interface_ref' | 'ip';
  node: number;
  line: number;
  attributes: Record<string, string>;
}

export interface ScannedLink extends ScannedElement {
  interfaceRefs: ScannedElement[];
  componentManagers: number;
}

/** Everything the semantic rules and the extension report need, gathered in one walk over the tree. */
export interface DocumentScan {
  nodes: ScannedElement[];
  interfaces: ScannedElement[];
  links: ScannedLink[];
  ips: ScannedElement[];
  /** First use of each namespace that is neither the core one nor infrastructure, in document order. */
  extensions: Map<string, { node: number; line: number; viaAttribute: boolean }>;
}

const WANTED_ATTRIBUTES = ['client_id', 'component_id', 'component_manager_id', 'sliver_id', 'address', 'netmask', 'type'];

/**
 * One depth-first pass over the parsed tree, reading libxml2's structures in place. Core elements are recognised
 * by namespace pointer and interned name pointer, so the walk costs a few memory reads per node whatever the
 * number of extension namespaces (the old per-namespace XPath queries made that quadratic).
 */
export function scanDocument(doc: number, coreNamespace: string, type: RSpecType): DocumentScan {
  const namesResources = type !== 'advertisement';
  const scan: DocumentScan = { nodes: [], interfaces: [], links: [], ips: [], extensions: new Map() };
  const root = tree.root(doc);
  if (root === 0) return scan;
  const known = new Set([coreNamespace, ...INFRASTRUCTURE_NAMESPACES]);
  const hrefByNs = new Map<number, string>();
  const href = (ns: number): string => {
    let value = hrefByNs.get(ns);
    if (value === undefined) {
      value = tree.nsHref(ns);
      hrefByNs.set(ns, value);
    }
    return value;
  };
  const isCore = (node: number): boolean => {
    const ns = tree.ns(node);
    return ns !== 0 && href(ns) === coreNamespace;
  };
  const noteExtension = (uri: string, node: number, viaAttribute: boolean): void => {
    if (known.has(uri)) return;
    // Reported at its first element if it has one (where its content is), else at its first attribute.
    const earlier = scan.extensions.get(uri);
    if (earlier === undefined || (earlier.viaAttribute && !viaAttribute)) scan.extensions.set(uri, { node, line: tree.line(node), viaAttribute });
  };
  const nameCache = new Map<number, string>();
  const localName = (node: number): string => {
    const ptr = tree.namePtr(node);
    let name = nameCache.get(ptr);
    if (name === undefined) {
      name = tree.name(node);
      nameCache.set(ptr, name);
    }
    return name;
  };

  // Namespace pointers already judged: 1 core, 0 extension seen on an element, 2 extension seen on attributes
  // only. Consecutive elements mostly share one declaration, so the last core pointer short-cuts the lookup.
  const seenNs = new Map<number, 0 | 1 | 2>();
  let lastCoreNs = -1;
  const judgeNs = (ns: number, node: number, viaAttribute: boolean): boolean => {
    if (ns === lastCoreNs) return true;
    let verdict = seenNs.get(ns);
    if (verdict === undefined || (verdict === 2 && !viaAttribute)) {
      const uri = href(ns);
      if (uri === coreNamespace) {
        verdict = 1;
      } else {
        noteExtension(uri, node, viaAttribute);
        verdict = viaAttribute ? 2 : 0;
      }
      seenNs.set(ns, verdict);
    }
    if (verdict !== 1) return false;
    lastCoreNs = ns;
    return true;
  };

  let currentLink: ScannedLink | undefined;
  let node = root;
  let depth = 0;
  for (;;) {
    if (tree.type(node) === ELEMENT_NODE) {
      const ns = tree.ns(node);
      const core = ns !== 0 && judgeNs(ns, node, false);
      for (let attribute = tree.firstAttribute(node); attribute !== 0; attribute = tree.next(attribute)) {
        const attributeNs = tree.ns(attribute);
        if (attributeNs !== 0) judgeNs(attributeNs, node, true);
      }
      // Every element a rule reads is at most three levels down: /rspec/node/interface/ip.
      if (core && depth <= 3 && depth > 0) visitCore(node, depth);
      const child = tree.firstChild(node);
      if (child !== 0) {
        node = child;
        depth += 1;
        continue;
      }
    }
    // No children to enter: move to the next sibling, climbing up as needed.
    while (tree.next(node) === 0) {
      node = tree.parent(node);
      depth -= 1;
      if (depth <= 0) return scan;
    }
    if (depth === 0) return scan;
    node = tree.next(node);
  }

  function visitCore(element: number, depthOfElement: number): void {
    const name = localName(element);
    const parent = depthOfElement === 0 ? 0 : tree.parent(element);
    const parentName = parent === 0 || !isCore(parent) ? '' : localName(parent);
    const atTop = depthOfElement === 1;
    if (name === 'ip' && parentName === 'interface') scan.ips.push(record('ip', element));
    if (!namesResources) return;
    if (atTop && name === 'node') scan.nodes.push(record('node', element));
    else if (atTop && name === 'link') {
      currentLink = { ...record('link', element), interfaceRefs: [], componentManagers: 0 };
      scan.links.push(currentLink);
    } else if (depthOfElement === 2 && name === 'interface' && parentName === 'node') scan.interfaces.push(record('interface', element));
    else if (depthOfElement === 2 && parentName === 'link' && currentLink && tree.parent(element) === currentLink.node) {
      if (name === 'interface_ref') currentLink.interfaceRefs.push(record('interface_ref', element));
      else if (name === 'component_manager') currentLink.componentManagers += 1;
    }
  }
}

function record(kind: ScannedElement['kind'], element: number): ScannedElement {
  const attributes: Record<string, string> = {};
  for (let attribute = tree.firstAttribute(element); attribute !== 0; attribute = tree.next(attribute)) {
    if (tree.ns(attribute) !== 0) continue;
    const name = tree.name(attribute);
    if (WANTED_ATTRIBUTES.includes(name)) attributes[name] = tree.attributeValue(attribute);
  }
  return { kind, node: element, line: tree.line(element), attributes };
}

/**
 * A readable location: local names with a 1-based index among same-named element siblings, e.g.
 * /rspec/link[2]/interface_ref[1]. Sibling indexes are computed once per parent, so reporting many findings
 * under one parent stays linear.
 */
export class ElementPaths {
  private readonly indexByParent = new Map<number, Map<number, number>>();

  of(node: number): string {
    if (tree.type(node) === ATTRIBUTE_NODE) return `${this.of(tree.parent(node))}/@${tree.name(node)}`;
    const steps: string[] = [];
    let current = node;
    while (current !== 0 && tree.type(current) === ELEMENT_NODE) {
      const parent = tree.parent(current);
      const isRoot = parent === 0 || tree.type(parent) !== ELEMENT_NODE;
      steps.push(isRoot ? tree.name(current) : `${tree.name(current)}[${this.indexOf(parent, current)}]`);
      current = isRoot ? 0 : parent;
    }
    return `/${steps.reverse().join('/')}`;
  }

  private indexOf(parent: number, child: number): number {
    let indexes = this.indexByParent.get(parent);
    if (!indexes) {
      indexes = new Map();
      const counts = new Map<number, number>();
      for (let sibling = tree.firstChild(parent); sibling !== 0; sibling = tree.next(sibling)) {
        if (tree.type(sibling) !== ELEMENT_NODE) continue;
        const name = tree.namePtr(sibling);
        const index = (counts.get(name) ?? 0) + 1;
        counts.set(name, index);
        indexes.set(sibling, index);
      }
      this.indexByParent.set(parent, indexes);
    }
    return indexes.get(child) ?? 1;
  }
}

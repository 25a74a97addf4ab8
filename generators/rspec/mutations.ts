import fc from 'fast-check';
import { GENI3_NAMESPACE, serializeRequest, type RequestRSpec } from '../../src/rspec';
import { requestRSpec } from './request';

/**
 * Negative request RSpecs: a valid model, then one operator that breaks exactly one rule, on the model (then
 * serialised) or on the serialised text. Each result says what it broke and which validator rule must catch it.
 */

/** Validator rule names (src/rspec validateRSpec findings) a mutation can break. */
export type RSpecRule =
  | 'xsd'
  | 'not-well-formed'
  | 'dtd-forbidden'
  | 'unknown-namespace'
  | 'root-type'
  | 'unique-client-id'
  | 'interface-ref-resolves'
  | 'link-two-ends';

export type RSpecMutationKind =
  | 'missing-node-client-id'
  | 'duplicate-client-id'
  | 'dangling-interface-ref'
  | 'one-ended-link'
  | 'wrong-root-type'
  | 'wrong-namespace'
  | 'bad-boolean'
  | 'truncated'
  | 'unknown-core-element'
  | 'unknown-core-attribute'
  | 'doctype-inserted';

export interface RSpecMutation {
  kind: RSpecMutationKind;
  /** Element path (`/rspec/node[2]`), attribute (`/rspec/node[1]/@exclusive`) or byte range the mutation changed. */
  target: string;
  /** The validator rule that must report an error for the mutated document. */
  violates: RSpecRule;
  /** What was changed, in words a report can print. */
  description: string;
}

export interface MutatedRequestRSpec {
  xml: string;
  /** The model the XML was serialised from: the mutated model, or the untouched one for textual mutations. */
  model: RequestRSpec;
  mutation: RSpecMutation;
}

export interface MutatedRequestRSpecConstraints {
  /**
   * Which operators to draw from.
   * @defaultValue every kind in {@link RSPEC_MUTATION_KINDS}
   */
  kinds?: readonly RSpecMutationKind[];
}

/** @internal */
interface Operator {
  violates: RSpecRule;
  /** `choice` selects the element, the variant or the cut; operators reduce it modulo what they need. */
  apply(model: RequestRSpec, choice: number): { xml: string; model: RequestRSpec; target: string; description: string };
}

const nodePath = (index: number): string => `/rspec/node[${index + 1}]`;
const linkPath = (index: number): string => `/rspec/link[${index + 1}]`;

function clone(model: RequestRSpec): RequestRSpec {
  return structuredClone(model);
}

/** Every client_id in the model, with its element path. @internal */
function clientIds(model: RequestRSpec): Array<{ id: string; path: string }> {
  return [
    ...model.nodes.flatMap((node, i) => [
      { id: node.clientId, path: nodePath(i) },
      ...node.interfaces.map((iface, j) => ({ id: iface.clientId, path: `${nodePath(i)}/interface[${j + 1}]` })),
    ]),
    ...model.links.map((link, k) => ({ id: link.clientId, path: linkPath(k) })),
  ];
}

/** A client_id no element of the model uses, derived from `base`. @internal */
function freshId(model: RequestRSpec, base: string): string {
  const taken = new Set(clientIds(model).map(({ id }) => id));
  let candidate = base;
  for (let n = 1; taken.has(candidate); n++) candidate = `${base}-${n}`;
  return candidate;
}

/** Start tags of core `<node>` elements in serialised order (extension elements are prefixed, so never match). @internal */
function nodeStartTags(xml: string): RegExpExecArray[] {
  return [...xml.matchAll(/<node\b[^>]*>/g)] as RegExpExecArray[];
}

function replaceAt(xml: string, match: RegExpExecArray, replacement: string): string {
  return xml.slice(0, match.index) + replacement + xml.slice(match.index + match[0].length);
}

function rootStartTag(xml: string): RegExpExecArray {
  const match = /<rspec\b[^>]*>/.exec(xml);
  if (!match) throw new Error('mutatedRequestRSpec: the serialised request has no <rspec> start tag');
  return match;
}

/** Operators that need a node pick one; the base arbitrary guarantees at least one. @internal */
function chosenNode(model: RequestRSpec, choice: number): number {
  if (model.nodes.length === 0) throw new RangeError('mutatedRequestRSpec: the base request must have at least one node');
  return choice % model.nodes.length;
}

const OPERATORS: Record<RSpecMutationKind, Operator> = {
  'missing-node-client-id': {
    violates: 'xsd',
    apply(model, choice) {
      const xml = serializeRequest(model);
      const index = chosenNode(model, choice);
      const tag = nodeStartTags(xml)[index]!;
      return {
        xml: replaceAt(xml, tag, tag[0].replace(/\sclient_id="[^"]*"/, '')),
        model,
        target: `${nodePath(index)}/@client_id`,
        description: `removed the required client_id attribute of node "${model.nodes[index]!.clientId}"`,
      };
    },
  },
  'duplicate-client-id': {
    violates: 'unique-client-id',
    apply(model, choice) {
      const ids = clientIds(model);
      const original = ids[choice % ids.length]!;
      const mutated = clone(model);
      mutated.nodes.push({ clientId: original.id, interfaces: [] });
      return {
        xml: serializeRequest(mutated),
        model: mutated,
        target: nodePath(mutated.nodes.length - 1),
        description: `added a node whose client_id "${original.id}" is already used by ${original.path}`,
      };
    },
  },
  'dangling-interface-ref': {
    violates: 'interface-ref-resolves',
    apply(model, choice) {
      const mutated = clone(model);
      if (mutated.links.length === 0) {
        const link = { clientId: freshId(mutated, 'dangling-link'), interfaceRefs: [freshId(mutated, 'nowhere:if0'), freshId(mutated, 'nowhere:if1')] };
        mutated.links.push(link);
        return {
          xml: serializeRequest(mutated),
          model: mutated,
          target: linkPath(mutated.links.length - 1),
          description: `added link "${link.clientId}" whose interface_refs name interfaces no node has`,
        };
      }
      const k = choice % mutated.links.length;
      const link = mutated.links[k]!;
      const r = Math.floor(choice / mutated.links.length) % link.interfaceRefs.length;
      const before = link.interfaceRefs[r]!;
      link.interfaceRefs[r] = freshId(mutated, `${before}-gone`);
      return {
        xml: serializeRequest(mutated),
        model: mutated,
        target: `${linkPath(k)}/interface_ref[${r + 1}]/@client_id`,
        description: `interface_ref "${before}" of link "${link.clientId}" renamed to "${link.interfaceRefs[r]}", which no interface has`,
      };
    },
  },
  'one-ended-link': {
    violates: 'link-two-ends',
    apply(model, choice) {
      const mutated = clone(model);
      if (mutated.links.length === 0) {
        const node = mutated.nodes[chosenNode(mutated, choice)]!;
        const iface = { clientId: freshId(mutated, `${node.clientId}:lonely`) };
        node.interfaces.push(iface);
        const link = { clientId: freshId(mutated, 'one-ended'), interfaceRefs: [iface.clientId] };
        mutated.links.push(link);
        return { xml: serializeRequest(mutated), model: mutated, target: linkPath(mutated.links.length - 1), description: `added link "${link.clientId}" with the single end "${iface.clientId}"` };
      }
      const k = choice % mutated.links.length;
      const link = mutated.links[k]!;
      // Every other choice leaves no end at all: a link with 0 ends breaks the same rule.
      const keep = Math.floor(choice / mutated.links.length) % 2 === 0 ? 1 : 0;
      link.interfaceRefs = link.interfaceRefs.slice(0, keep);
      return {
        xml: serializeRequest(mutated),
        model: mutated,
        target: linkPath(k),
        description: `link "${link.clientId}" cut down to ${keep} interface_ref${keep === 1 ? '' : 's'}`,
      };
    },
  },
  'wrong-root-type': {
    violates: 'root-type',
    apply(model, choice) {
      const xml = serializeRequest(model);
      const type = ['manifest', 'advertisement', 'requests', ''][choice % 4]!;
      const root = rootStartTag(xml);
      return {
        xml: replaceAt(xml, root, root[0].replace(/\stype="request"/, ` type="${type}"`)),
        model,
        target: '/rspec/@type',
        description: `root type "request" replaced by "${type}" (validated as a request)`,
      };
    },
  },
  'wrong-namespace': {
    violates: 'unknown-namespace',
    apply(model, choice) {
      const xml = serializeRequest(model);
      const namespace = ['http://www.geni.net/resources/rspec/2', `${GENI3_NAMESPACE}/`, 'http://www.protogeni.net/resources/rspec/0.2', ''][choice % 4]!;
      const root = rootStartTag(xml);
      return {
        xml: replaceAt(xml, root, root[0].replace(`xmlns="${GENI3_NAMESPACE}"`, `xmlns="${namespace}"`)),
        model,
        target: '/rspec/@xmlns',
        description: `default namespace ${GENI3_NAMESPACE} replaced by "${namespace}"`,
      };
    },
  },
  'bad-boolean': {
    violates: 'xsd',
    apply(model, choice) {
      const xml = serializeRequest(model);
      const index = chosenNode(model, choice);
      // xs:boolean is exactly true, false, 1 or 0: case and synonyms matter.
      const value = ['maybe', 'yes', 'TRUE', 'False', '2', ''][Math.floor(choice / model.nodes.length) % 6]!;
      const tag = nodeStartTags(xml)[index]!;
      const changed = /\sexclusive="[^"]*"/.test(tag[0]) ? tag[0].replace(/\sexclusive="[^"]*"/, ` exclusive="${value}"`) : tag[0].replace(/^<node/, `<node exclusive="${value}"`);
      return { xml: replaceAt(xml, tag, changed), model, target: `${nodePath(index)}/@exclusive`, description: `exclusive="${value}" is not an xs:boolean` };
    },
  },
  truncated: {
    violates: 'not-well-formed',
    apply(model, choice) {
      const xml = serializeRequest(model);
      // Keep 1 .. length-2 characters: at least the final '>' of </rspec> is gone.
      const length = 1 + (choice % (xml.length - 2));
      return { xml: xml.slice(0, length), model, target: `characters ${length}..${xml.length}`, description: `document cut after ${length} of ${xml.length} characters` };
    },
  },
  'unknown-core-element': {
    violates: 'xsd',
    apply(model, choice) {
      const xml = serializeRequest(model);
      const name = ['sliver', 'nodes', 'Node', 'vlan', 'frobnicate'][choice % 5]!;
      const at = xml.lastIndexOf('</rspec>');
      return {
        xml: `${xml.slice(0, at)}  <${name}/>\n${xml.slice(at)}`,
        model,
        target: `/rspec/${name}`,
        description: `added <${name}/> in the GENI v3 namespace, which the request schema does not define`,
      };
    },
  },
  'unknown-core-attribute': {
    violates: 'xsd',
    apply(model, choice) {
      const xml = serializeRequest(model);
      const index = chosenNode(model, choice);
      const tag = nodeStartTags(xml)[index]!;
      return {
        xml: replaceAt(xml, tag, tag[0].replace(/^<node/, '<node sliver_count="2"')),
        model,
        target: `${nodePath(index)}/@sliver_count`,
        description: 'added the unqualified attribute sliver_count, which the request schema does not define (extensions must be namespaced)',
      };
    },
  },
  'doctype-inserted': {
    violates: 'dtd-forbidden',
    apply(model, choice) {
      const xml = serializeRequest(model);
      const doctype = [
        '<!DOCTYPE rspec [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE rspec SYSTEM "http://127.0.0.1:9/rspec.dtd">',
        '<!DOCTYPE rspec [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
      ][choice % 3]!;
      const at = xml.indexOf('?>') + 2;
      return { xml: `${xml.slice(0, at)}\n${doctype}${xml.slice(at)}`, model, target: 'prolog', description: `inserted ${doctype.slice(0, 40)}… before the root element` };
    },
  },
};

export const RSPEC_MUTATION_KINDS: readonly RSpecMutationKind[] = Object.keys(OPERATORS) as RSpecMutationKind[];

/** The rule each mutation kind breaks, for reports and for tests that enumerate kinds. */
export const RSPEC_MUTATION_VIOLATES: Readonly<Record<RSpecMutationKind, RSpecRule>> = Object.fromEntries(
  RSPEC_MUTATION_KINDS.map((kind) => [kind, OPERATORS[kind].violates]),
) as Record<RSpecMutationKind, RSpecRule>;

/**
 * Request RSpecs broken in one labelled way. `validateRSpec(xml, { expectedType: 'request' })` reports an error
 * whose rule is `mutation.violates`.
 *
 * @param base - the valid requests to break; each must have at least one node.
 * @defaultValue base: `requestRSpec({ nodes: { min: 1, max: 3 }, links: { max: 2 } })`
 */
export function mutatedRequestRSpec(
  base: fc.Arbitrary<RequestRSpec> = requestRSpec({ nodes: { min: 1, max: 3 }, links: { max: 2 } }),
  constraints: MutatedRequestRSpecConstraints = {},
): fc.Arbitrary<MutatedRequestRSpec> {
  const kinds = constraints.kinds ?? RSPEC_MUTATION_KINDS;
  if (kinds.length === 0) throw new RangeError('mutatedRequestRSpec: kinds must name at least one mutation');
  for (const kind of kinds) if (!(kind in OPERATORS)) throw new RangeError(`mutatedRequestRSpec: unknown mutation kind "${kind}"`);
  return fc.tuple(base, fc.constantFrom(...kinds), fc.nat()).map(([model, kind, choice]) => {
    const operator = OPERATORS[kind];
    const { xml, model: mutatedModel, target, description } = operator.apply(model, choice);
    return { xml, model: mutatedModel, mutation: { kind, target, violates: operator.violates, description } };
  });
}

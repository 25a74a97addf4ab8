import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  readAdvertisement,
  readManifest,
  readRequest,
  requestView,
  RSpecParseError,
  serializeAdvertisement,
  serializeManifest,
  serializeRequest,
  validateRSpec,
  promisedSlots,
  type Advertisement,
  type ManifestRSpec,
  type RequestRSpec,
  type RSpecNode,
} from '../../src/rspec';
import { fixture } from './helpers';

/** Attribute text including the characters that need escaping, and white space that must survive. */
const text = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom('a', 'Z', '0', ':', '+', '&', '<', '>', '"', "'", ' ', '\n', 'é', '日') });
const urn = text.map((name) => `urn:publicid:IDN+test.example+node+${name}`);
const optionalOf = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** Models drawn here are unique by construction: client_ids get an index suffix. */
function nodesAndLinks(manifest: boolean) {
  return fc
    .record({
      nodes: fc.array(
        fc.record({
          componentId: optionalOf(urn),
          componentManagerId: optionalOf(urn),
          componentName: optionalOf(text),
          exclusive: optionalOf(fc.boolean()),
          sliverId: manifest ? optionalOf(urn) : fc.constant(undefined),
          sliverType: optionalOf(fc.record({ name: text, diskImage: optionalOf(urn) }, { requiredKeys: ['name'] })),
          interfaceCount: fc.integer({ min: 0, max: 3 }),
          ip: optionalOf(fc.record({ address: fc.ipV4(), netmask: optionalOf(fc.constant('255.255.255.0')), type: optionalOf(fc.constant('ipv4')) }, { requiredKeys: ['address'] })),
          macAddress: manifest ? optionalOf(fc.constant('02:00:00:00:00:01')) : fc.constant(undefined),
          extension: optionalOf(fc.constantFrom('urn:ext:a', 'http://ext.example/b/1')),
        }),
        { maxLength: 4 },
      ),
      linkType: optionalOf(text),
      vlanTag: manifest ? optionalOf(fc.integer({ min: 1, max: 4094 }).map(String)) : fc.constant(undefined),
      managers: optionalOf(fc.array(urn, { minLength: 1, maxLength: 2 })),
    })
    .map(({ nodes, linkType, vlanTag, managers }) => {
      const modelNodes: RSpecNode[] = nodes.map((drawn, index) => {
        const node: RSpecNode = {
          clientId: `node-${index}`,
          interfaces: Array.from({ length: drawn.interfaceCount }, (_, port) => ({
            clientId: `node-${index}:if${port}`,
            ...(drawn.ip && port === 0 ? { ip: stripUndefined(drawn.ip) } : {}),
            ...(drawn.macAddress ? { macAddress: drawn.macAddress } : {}),
          })),
        };
        return stripUndefined({
          ...node,
          componentId: drawn.componentId,
          componentManagerId: drawn.componentManagerId,
          componentName: drawn.componentName,
          exclusive: drawn.exclusive,
          sliverId: drawn.sliverId,
          sliverType: drawn.sliverType && stripUndefined(drawn.sliverType),
          extensions: drawn.extension ? [{ namespace: drawn.extension, xml: `<x:note xmlns:x="${drawn.extension}" n="${index}"/>` }] : undefined,
        });
      });
      const ends = modelNodes.flatMap((node) => node.interfaces.map((iface) => iface.clientId));
      const links = ends.length >= 2 ? [stripUndefined({ clientId: 'link-0', interfaceRefs: ends.slice(0, 2), linkType, vlanTag, componentManagerIds: managers })] : [];
      return { nodes: modelNodes, links };
    });
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const requests: fc.Arbitrary<RequestRSpec> = nodesAndLinks(false).map((parts) => ({ type: 'request', ...parts }));
const manifests: fc.Arbitrary<ManifestRSpec> = fc
  .tuple(nodesAndLinks(true), optionalOf(fc.constant('2031-02-03T04:05:06Z')))
  .map(([parts, expires]) => stripUndefined({ type: 'manifest' as const, ...parts, expires }));
const advertisements: fc.Arbitrary<Advertisement> = fc
  .array(fc.record({ componentName: text, exclusive: fc.boolean(), available: fc.boolean(), sliverTypes: fc.array(text, { maxLength: 2 }), hardwareTypes: fc.array(text, { maxLength: 2 }), ports: fc.integer({ min: 0, max: 2 }), slots: optionalOf(fc.oneof(fc.nat(200), fc.constant(Number.POSITIVE_INFINITY))) }), { maxLength: 4 })
  .map((drawn) => ({
    type: 'advertisement' as const,
    generated: '2024-01-01T00:00:00Z',
    nodes: drawn.map(({ ports, slots, ...node }, index) => ({
      ...node,
      // A stated capacity lives inside hardware types (ProtoGENI's emulab:node_type): none without one.
      ...(slots !== undefined && node.hardwareTypes.length > 0 && { slots }),
      componentId: `urn:publicid:IDN+test.example+node+n${index}`,
      componentManagerId: 'urn:publicid:IDN+test.example+authority+cm',
      interfaces: Array.from({ length: ports }, (_, port) => ({ componentId: `urn:publicid:IDN+test.example+interface+n${index}:eth${port}` })),
    })),
    links: [],
  }));

describe('serializers produce valid documents that read back to the model', () => {
  it('request: read(serialize(m)) equals m, and the document validates', () => {
    fc.assert(
      fc.property(requests, (model) => {
        const xml = serializeRequest(model);
        const result = validateRSpec(xml, { expectedType: 'request' });
        expect(result.findings.filter((finding) => finding.severity === 'error')).toEqual([]);
        expect(readRequest(xml)).toEqual(requestView(model));
      }),
      { numRuns: 60 },
    );
  });

  it('manifest: read(serialize(m)) equals m, and the document validates', () => {
    fc.assert(
      fc.property(manifests, (model) => {
        const withSlivers = { ...model, nodes: model.nodes.map((node, index) => ({ ...node, sliverId: node.sliverId ?? `urn:publicid:IDN+test.example+sliver+${index}` })) };
        const xml = serializeManifest(withSlivers);
        expect(validateRSpec(xml, { expectedType: 'manifest' }).findings.filter((finding) => finding.severity === 'error')).toEqual([]);
        expect(readManifest(xml)).toEqual(withSlivers);
      }),
      { numRuns: 60 },
    );
  });

  it('advertisement: read(serialize(m)) equals m, and the document validates', () => {
    fc.assert(
      fc.property(advertisements, (model) => {
        const xml = serializeAdvertisement(model);
        expect(validateRSpec(xml, { expectedType: 'advertisement' }).valid).toBe(true);
        expect(readAdvertisement(xml)).toEqual(model);
      }),
      { numRuns: 60 },
    );
  });

  it('emits the GENI v3 namespace and schemaLocation', () => {
    const xml = serializeRequest({ type: 'request', nodes: [], links: [] });
    expect(xml).toContain('xmlns="http://www.geni.net/resources/rspec/3"');
    expect(xml).toContain('xsi:schemaLocation="http://www.geni.net/resources/rspec/3 http://www.geni.net/resources/rspec/3/request.xsd"');
  });

  it('leaves manifest-only fields out of a request', () => {
    const xml = serializeRequest({ type: 'request', nodes: [{ clientId: 'n', sliverId: 's', interfaces: [{ clientId: 'n:if0', macAddress: 'm' }] }], links: [] });
    expect(xml).not.toContain('sliver_id');
    expect(xml).not.toContain('mac_address');
    expect(validateRSpec(xml).valid).toBe(true);
  });

  it('refuses extension XML in the core namespace or in another namespace than declared', () => {
    const node = (xml: string, namespace: string): RequestRSpec => ({ type: 'request', nodes: [{ clientId: 'n', interfaces: [], extensions: [{ namespace, xml }] }], links: [] });
    expect(() => serializeRequest(node('<node xmlns="http://www.geni.net/resources/rspec/3" client_id="x"/>', 'http://www.geni.net/resources/rspec/3'))).toThrow(/other than the RSpec core namespace/);
    expect(() => serializeRequest(node('<a xmlns="urn:one"/>', 'urn:two'))).toThrow(/declares namespace "urn:two" but its element is in "urn:one"/);
  });

  it('refuses attribute text XML cannot carry', () => {
    expect(() => serializeRequest({ type: 'request', nodes: [{ clientId: 'bad\u0001', interfaces: [] }], links: [] })).toThrow(/U\+0001/);
  });
});

describe('readers name what is wrong', () => {
  function readError(read: () => unknown): RSpecParseError {
    try {
      read();
    } catch (err) {
      if (err instanceof RSpecParseError) return err;
      throw err;
    }
    throw new Error('expected the reader to throw');
  }

  it('wrong type', () => {
    const error = readError(() => readRequest(fixture('manifest-valid.xml')));
    expect(error.rule).toBe('wrong-type');
    expect(error.message).toContain('root type is "manifest", expected "request"');
  });

  it('wrong root', () => {
    expect(readError(() => readManifest('<rspec xmlns="urn:elsewhere" type="manifest"/>')).rule).toBe('wrong-root');
  });

  it('missing client_id', () => {
    const error = readError(() => readRequest(fixture('request-xsd-invalid.xml')));
    expect(error).toMatchObject({ rule: 'missing-attribute', line: 5 });
    expect(error.message).toContain('<interface> at line 5 has no client_id attribute');
  });

  it("reads a node's stated capacity from ProtoGENI's emulab:node_type type_slots: the smallest over its hardware types", () => {
    const ad = (hardwareTypes: string): string => `<rspec xmlns="http://www.geni.net/resources/rspec/3" xmlns:emulab="http://www.protogeni.net/resources/rspec/ext/emulab/1" type="advertisement">
  <node component_id="urn:publicid:IDN+test.example+node+pc1" component_manager_id="urn:publicid:IDN+test.example+authority+cm" exclusive="false">${hardwareTypes}<available now="true"/></node>
</rspec>`;
    const slots = (hardwareTypes: string) => readAdvertisement(ad(hardwareTypes)).nodes[0]!.slots;
    expect(slots('<hardware_type name="pcvm"><emulab:node_type type_slots="97"/></hardware_type>')).toBe(97);
    expect(slots('<hardware_type name="pc"><emulab:node_type type_slots="1"/></hardware_type><hardware_type name="pcvm"><emulab:node_type type_slots="97"/></hardware_type>')).toBe(1);
    expect(slots('<hardware_type name="lan"><emulab:node_type type_slots="unlimited" static="true"/></hardware_type>')).toBe(Number.POSITIVE_INFINITY);
    // A hardware type that states nothing counts as one; no statement at all is no capacity.
    expect(slots('<hardware_type name="a"/><hardware_type name="b"><emulab:node_type type_slots="12"/></hardware_type>')).toBe(1);
    expect(slots('<hardware_type name="pcvm"/>')).toBeUndefined();
    expect(slots('<hardware_type name="pcvm"><emulab:node_type type_slots=""/></hardware_type>')).toBe(1);
  });

  it('reads type_slots conservatively: a doubtful count is 1, several node_type elements give the smallest', () => {
    const ad = (hardwareTypes: string): string => `<rspec xmlns="http://www.geni.net/resources/rspec/3" xmlns:emulab="http://www.protogeni.net/resources/rspec/ext/emulab/1" type="advertisement">
  <node component_id="urn:publicid:IDN+test.example+node+pc1" component_manager_id="urn:publicid:IDN+test.example+authority+cm" exclusive="false">${hardwareTypes}<available now="true"/></node>
</rspec>`;
    const slots = (hardwareTypes: string) => readAdvertisement(ad(hardwareTypes)).nodes[0]!.slots;
    const stating = (...values: string[]) => `<hardware_type name="pcvm">${values.map((v) => `<emulab:node_type type_slots="${v}"/>`).join('')}</hardware_type>`;
    // Stated but not a count: 1, never "no statement" (which a later reading might take as room).
    for (const doubtful of ['lots', '-3', '2.5', '1e3', '0x10', 'Unlimited', '99999999999999999999']) expect(slots(stating(doubtful)), doubtful).toBe(1);
    expect(slots(stating('100', '4'))).toBe(4);
    expect(slots(stating('unlimited', '8'))).toBe(8);
    expect(slots(stating('100', 'lots'))).toBe(1);
    expect(slots(stating(' 12 '))).toBe(12);
    // Zero is a statement (no room); an available node still promises one (promisedSlots), never more.
    expect(slots(stating('0'))).toBe(0);
    expect(promisedSlots(readAdvertisement(ad(stating('0'))).nodes[0]!)).toBe(1);
  });

  it('reads the fixtures', () => {
    expect(readRequest(fixture('request-valid.xml')).links[0]!.interfaceRefs).toEqual(['left:if0', 'right:if0']);
    expect(readManifest(fixture('manifest-valid.xml')).links[0]!.vlanTag).toBe('271');
    expect(readAdvertisement(fixture('ad-valid.xml')).nodes.map((node) => node.available)).toEqual([true, false]);
    expect(readRequest(fixture('request-foreign-extension.xml')).nodes[0]!.extensions).toEqual([
      { namespace: 'http://acme.example/rspec/ext/1', xml: '<acme:widget xmlns:acme="http://acme.example/rspec/ext/1" size="not-a-number"><acme:anything-goes/></acme:widget>' },
    ]);
  });
});

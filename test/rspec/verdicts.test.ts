import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEMA_DIRECTORY, validateRSpec, validateRSpecFile, type RSpecFinding, type ValidateOptions } from '../../src/rspec';
import { fixture } from './helpers';

/**
 * The project's own corpus of broken variants, each written from a valid fixture and aimed at one way a
 * validator can disagree with `xmllint --schema`. Every one is checked twice: the findings the harness must
 * report, and (below) the schema verdict against xmllint itself run on the same bytes with the same schema.
 */
const request = fixture('request-valid.xml');
const manifest = fixture('manifest-valid.xml');
const ad = fixture('ad-rack-extensions.xml');

interface Variant {
  name: string;
  xml: string;
  options?: ValidateOptions;
  schemaValid: boolean;
  /** Rules that must be among the error findings (and no other error rule may appear when `only`). */
  errors: string[];
  only?: boolean;
  check?: (findings: RSpecFinding[]) => void;
}

const VARIANTS: Variant[] = [
  { name: 'valid request', xml: request, schemaValid: true, errors: [], only: true },
  { name: 'valid rack advertisement with four extension namespaces', xml: ad, schemaValid: true, errors: [], only: true },
  {
    name: 'root without type: validated as a request, both missing attributes reported',
    xml: request.replace(' type="request"', '').replace('<node client_id="right" ', '<node '),
    schemaValid: false,
    errors: ['root-type', 'xsd'],
    check: (findings) => {
      const xsd = findings.filter((f) => f.rule === 'xsd').map((f) => f.message);
      expect(xsd.some((m) => m.includes("'type' is required"))).toBe(true);
      expect(xsd.some((m) => m.includes("'client_id' is required"))).toBe(true);
    },
  },
  {
    name: 'root type outside the enumeration: still validated, enumeration and structure errors reported',
    xml: request.replace('type="request"', 'type="ticket"').replace('<link client_id="lan0">', '<link>'),
    schemaValid: false,
    errors: ['root-type', 'xsd'],
    check: (findings) => expect(findings.filter((f) => f.rule === 'xsd').length).toBeGreaterThanOrEqual(2),
  },
  {
    name: 'type=" request " is a valid xs:token: structural errors are still found',
    xml: request.replace('type="request"', 'type=" request "').replace('<interface client_id="right:if0"/>', '<interface/>'),
    schemaValid: false,
    errors: ['xsd'],
    check: (findings) => expect(findings.find((f) => f.rule === 'xsd')!.message).toContain("'client_id' is required"),
  },
  { name: 'type=" request " on a sound request is valid', xml: request.replace('type="request"', 'type="\trequest "'), schemaValid: true, errors: [], only: true },
  {
    name: 'two parse errors: the first one is reported, with its line',
    xml: request.replace('<services>', '<services><oops></nope>').replace('exclusive="false"', 'exclusive="false" exclusive="true"'),
    schemaValid: false,
    errors: ['not-well-formed'],
    only: true,
    check: (findings) => {
      expect(findings[0]).toMatchObject({ line: 6 });
      expect(findings[0]!.message).toContain('Opening and ending tag mismatch');
    },
  },
  {
    name: 'undeclared prefix on a core element: namespace error, and the schema rejects the element',
    xml: request.replace('<sliver_type name="emulab-xen"/>', '<sliver_type name="emulab-xen"/><foo:bar/>'),
    schemaValid: false,
    errors: ['namespace', 'xsd'],
    check: (findings) => expect(findings.find((f) => f.rule === 'namespace')).toMatchObject({ line: 10 }),
  },
  {
    name: 'undeclared prefix inside lax extension content: xmllint calls it valid, the namespace error is still reported',
    xml: request.replace('<sliver_type name="emulab-xen"/>', '<sliver_type name="emulab-xen"/><e:x xmlns:e="urn:example:e"><bar:baz/></e:x>'),
    schemaValid: true,
    errors: ['namespace'],
    only: true,
    check: (findings) => expect(findings.find((f) => f.rule === 'namespace')!.message).toMatch(/Namespace prefix bar on baz is not defined/),
  },
  {
    name: 'IPv4 address out of range',
    xml: request.replace('address="10.1.1.1"', 'address="999.10.1.1"'),
    schemaValid: true,
    errors: ['ip-address'],
    only: true,
    check: (findings) => expect(findings.find((f) => f.rule === 'ip-address')).toMatchObject({ line: 7, path: '/rspec/node[1]/interface[1]/ip[1]' }),
  },
  {
    name: 'IPv6 address where type says ipv4',
    xml: request.replace('address="10.1.1.1" netmask="255.255.255.0" type="ipv4"', 'address="2001:db8::1" type="ipv4"'),
    schemaValid: true,
    errors: ['ip-address'],
    only: true,
  },
  {
    name: 'IPv6 address with type ipv6 and a prefix length',
    xml: request.replace('address="10.1.1.1" netmask="255.255.255.0" type="ipv4"', 'address="2001:db8::1" netmask="64" type="ipv6"'),
    schemaValid: true,
    errors: [],
    only: true,
  },
  {
    name: 'IPv4 netmask that is not contiguous',
    xml: request.replace('netmask="255.255.255.0"', 'netmask="255.0.255.0"'),
    schemaValid: true,
    errors: ['ip-address'],
    only: true,
  },
  {
    name: 'ProtoGENI v2 where GENI v3 was asked for',
    xml: fixture('pgv2-request-valid.xml'),
    options: { expect: 'geni3' },
    schemaValid: true,
    errors: ['rspec-version'],
    only: true,
    check: (findings) => expect(findings[0]!.message).toContain('ProtoGENI v2'),
  },
  { name: 'GENI v3 where GENI v3 was asked for', xml: request, options: { expect: 'geni3' }, schemaValid: true, errors: [], only: true },
  {
    name: 'empty netmask is "none given", not an error',
    xml: request.replace('netmask="255.255.255.0"', 'netmask=""'),
    schemaValid: true,
    errors: [],
    only: true,
  },
  {
    name: 'emulab extension: a weight that is not a number is an extension error; the core verdict stays xmllint\'s',
    xml: ad.replace('<emulab:fd name="cpu" weight="2000"/>', '<emulab:fd name="cpu" weight="heavy"/>'),
    schemaValid: true,
    errors: ['extension-xsd'],
    only: true,
    check: (findings) => {
      const error = findings.find((f) => f.rule === 'extension-xsd')!;
      expect(error).toMatchObject({ schema: 'ext/emulab.xsd', path: '/rspec/node[2]/fd[1]' });
      expect(error.message).toContain("'heavy'");
    },
  },
  {
    name: 'emulab extension: node_type slots that are neither a count nor "unlimited"',
    xml: ad.replace('<emulab:node_type type_slots="100"/>', '<emulab:node_type type_slots="lots"/>'),
    schemaValid: true,
    errors: ['extension-xsd'],
    only: true,
  },
  {
    name: 'shared VLAN extension: an offered VLAN without a name',
    xml: ad.replace('<available name="vlan-1750"/>', '<available/>'),
    schemaValid: true,
    errors: ['extension-xsd'],
    only: true,
    check: (findings) => expect(findings.find((f) => f.rule === 'extension-xsd')!.schema).toBe('ext/shared-vlan.xsd'),
  },
  {
    name: 'stitching extension: a VLAN range that is not one',
    xml: ad.replace('<vlanRangeAvailability>3700-3749</vlanRangeAvailability>', '<vlanRangeAvailability>3700-</vlanRangeAvailability>'),
    schemaValid: true,
    errors: ['extension-xsd'],
    only: true,
  },
  {
    name: 'OpenFlow v3 extension: a datapath id that is not eight hex octets',
    xml: ad.replace('</rspec>', '<openflow:datapath xmlns:openflow="http://www.geni.net/resources/rspec/ext/openflow/3" component_id="urn:publicid:IDN+of.example+datapath+1" component_manager_id="urn:publicid:IDN+of.example+authority+am" dpid="06:d6:00:24"><openflow:port num="1" name="eth1"/></openflow:datapath>\n</rspec>'),
    schemaValid: true,
    errors: ['extension-xsd'],
    only: true,
    check: (findings) => expect(findings.find((f) => f.rule === 'extension-xsd')!.schema).toBe('ext/openflow3.xsd'),
  },
  {
    name: 'manifest link without vlantag',
    xml: manifest.replace(' vlantag="271"', ''),
    schemaValid: false,
    errors: ['xsd'],
    only: true,
  },
  {
    name: 'core root in an unknown namespace',
    xml: request.replace('http://www.geni.net/resources/rspec/3', 'http://www.geni.net/resource/rspec/3'),
    schemaValid: false,
    errors: ['unknown-namespace'],
    only: true,
  },
];

const scratch = mkdtempSync(path.join(tmpdir(), 'rspec-verdicts-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('verdicts on the project\'s broken variants', () => {
  it.each(VARIANTS.map((variant) => [variant.name, variant] as const))('%s', (_name, variant) => {
    const result = validateRSpec(variant.xml, variant.options);
    const errorRules = [...new Set(result.findings.filter((f) => f.severity === 'error').map((f) => f.rule))];
    expect(result.schemaValid, JSON.stringify(result.findings, null, 1)).toBe(variant.schemaValid);
    for (const rule of variant.errors) expect(errorRules).toContain(rule);
    if (variant.only) expect(errorRules.sort()).toEqual([...variant.errors].sort());
    expect(result.valid).toBe(variant.errors.length === 0);
    variant.check?.(result.findings);
  });

  it.each(VARIANTS.filter((v) => !v.errors.includes('unknown-namespace')).map((variant, index) => [variant.name, variant, index] as const))(
    'xmllint --schema gives the same verdict: %s',
    (_name, variant, index) => {
      const file = path.join(scratch, `variant-${index}.xml`);
      writeFileSync(file, variant.xml);
      const ours = validateRSpecFile(file, variant.options);
      const schema = path.join(SCHEMA_DIRECTORY, ours.schema ?? 'geni3/request.xsd');
      let xmllintValid = true;
      try {
        execFileSync('xmllint', ['--noout', '--nonet', '--schema', schema, file], { stdio: 'pipe' });
      } catch {
        xmllintValid = false;
      }
      expect(ours.schemaValid).toBe(xmllintValid);
    },
  );
});

describe('extension schemas', () => {
  it('validates the public extensions the rack advertisement uses and reports only opstate as not validated', () => {
    const result = validateRSpec(ad);
    expect(result.valid).toBe(true);
    expect(result.validatedExtensions?.sort()).toEqual([
      'http://hpn.east.isi.edu/rspec/ext/stitch/0.1/',
      'http://www.geni.net/resources/rspec/ext/shared-vlan/1',
      'http://www.protogeni.net/resources/rspec/ext/emulab/1',
    ]);
    expect(result.notValidated).toEqual(['http://www.geni.net/resources/rspec/ext/opstate/1']);
  });

  it('skips elements an extension schema does not declare (extensions grow between releases)', () => {
    const result = validateRSpec(ad.replace('<emulab:trivial_bandwidth value="400000"/>', '<emulab:trivial_bandwidth value="400000"/><emulab:brand_new feature="x"/>'));
    expect(result.valid).toBe(true);
  });
});

describe('limits', () => {
  it('refuses a document over the size cap without reading it', () => {
    const result = validateRSpec(request, { maxBytes: 100 });
    expect(result).toMatchObject({ valid: false, schemaValid: false });
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'too-large', severity: 'error' })]);
    expect(result.findings[0]!.message).toMatch(/over the 100-byte limit/);
  });

  it('reports each of 10,000 extension namespaces once, at its first use', () => {
    const extensions = Array.from({ length: 10_000 }, (_, i) => `<x${i}:e xmlns:x${i}="urn:example:ext:${i}"/>`).join('');
    const xml = request.replace('<sliver_type name="emulab-xen"/>', `<sliver_type name="emulab-xen"/>${extensions}`);
    const result = validateRSpec(xml);
    expect(result.valid).toBe(true);
    expect(result.notValidated).toHaveLength(10_000);
    expect(result.notValidated[9_999]).toBe('urn:example:ext:9999');
  });

  // libxml2 counts lines past 65535 one further than below it; xmllint reports the same numbers.
  it('gives lines past 65535, the same as xmllint', () => {
    const padding = '\n'.repeat(70_000);
    const xml = request.replace('<link client_id="lan0">', `${padding}<link client_id="lan0"><bogus/>`);
    const result = validateRSpec(xml);
    const xsd = result.findings.find((f) => f.rule === 'xsd')!;
    expect(xsd.line).toBe(70_014);
    expect(result.findings.find((f) => f.rule === 'link-two-ends')).toBeUndefined();
    const twoEnded = validateRSpec(xml.replace('<interface_ref client_id="right:if0"/>', ''));
    expect(twoEnded.findings.find((f) => f.rule === 'link-two-ends')).toMatchObject({ line: 70_014 });
  });
});

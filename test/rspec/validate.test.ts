import { describe, expect, it } from 'vitest';
import { validateRSpec } from '../../src/rspec';
import { fixture } from './helpers';

function rules(xml: string, expectedType?: 'advertisement' | 'request' | 'manifest'): string[] {
  return validateRSpec(xml, { expectedType }).findings.map((finding) => finding.rule);
}

describe('validateRSpec on valid documents', () => {
  it.each([
    ['ad-valid.xml', 'advertisement', 'geni3/ad.xsd'],
    ['request-valid.xml', 'request', 'geni3/request.xsd'],
    ['manifest-valid.xml', 'manifest', 'geni3/manifest.xsd'],
    ['pgv2-request-valid.xml', 'request', 'pgv2/request.xsd'],
  ] as const)('%s is a valid %s checked with %s', (name, type, schema) => {
    const result = validateRSpec(fixture(name), { expectedType: type });
    expect(result.findings).toEqual([]);
    expect(result).toMatchObject({ valid: true, rootType: type, schema, notValidated: [] });
  });

  it('accepts bytes as well as text', () => {
    expect(validateRSpec(Buffer.from(fixture('ad-valid.xml'))).valid).toBe(true);
  });
});

describe('XSD findings', () => {
  it('reports each schema error with its line and the schema used', () => {
    const result = validateRSpec(fixture('request-xsd-invalid.xml'));
    expect(result.valid).toBe(false);
    const xsd = result.findings.filter((finding) => finding.rule === 'xsd');
    expect(xsd.map((finding) => finding.line)).toEqual([5, 7]);
    expect(xsd[0]).toMatchObject({ schema: 'geni3/request.xsd', severity: 'error' });
    expect(xsd[0]!.message).toContain("'client_id' is required");
    expect(xsd[1]!.message).toContain('stitching');
  });

  it('requires vlantag on manifest links, as the published manifest schema does', () => {
    const xml = fixture('manifest-valid.xml').replace(' vlantag="271"', '');
    const result = validateRSpec(xml);
    expect(result.valid).toBe(false);
    expect(result.findings[0]!.message).toContain('vlantag');
  });

  it('rejects a type the schema does not know', () => {
    const xml = fixture('request-valid.xml').replace('type="request"', 'type="Request"');
    expect(validateRSpec(xml)).toMatchObject({ valid: false, schema: 'geni3/request.xsd' });
  });
});

describe('namespace and type selection', () => {
  it('calls an unknown root namespace invalid', () => {
    const xml = fixture('request-valid.xml').replace('http://www.geni.net/resources/rspec/3', 'http://www.geni.net/resource/rspec/3');
    const result = validateRSpec(xml);
    expect(result.valid).toBe(false);
    expect(result.findings[0]).toMatchObject({ rule: 'unknown-namespace', line: 3 });
    expect(result.findings[0]!.message).toContain('http://www.geni.net/resource/rspec/3');
  });

  it('flags a root type that differs from the expected one', () => {
    const result = validateRSpec(fixture('request-valid.xml'), { expectedType: 'manifest' });
    expect(result.valid).toBe(false);
    expect(result.findings.find((finding) => finding.rule === 'root-type')?.message).toContain('"request" but a manifest was expected');
    expect(result.schema).toBe('geni3/request.xsd');
  });

  it('flags a root type that is none of the three, and still validates the document as a request', () => {
    const xml = fixture('request-valid.xml').replace('type="request"', 'type="ticket"');
    expect(rules(xml)).toEqual(['root-type', 'xsd']);
    expect(validateRSpec(xml).schema).toBe('geni3/request.xsd');
  });
});

describe('semantic rules', () => {
  it('finds every violation in a document the XSD accepts, with line and path', () => {
    const result = validateRSpec(fixture('request-semantic-errors.xml'));
    expect(result.findings.filter((finding) => finding.rule === 'xsd')).toEqual([]);
    expect(result.valid).toBe(false);
    const byRule = Object.fromEntries(result.findings.map((finding) => [finding.rule, finding]));
    expect(byRule['unique-client-id']).toMatchObject({ line: 7, path: '/rspec/node[2]', severity: 'error' });
    expect(byRule['unique-client-id']!.message).toMatch(/"twin" of node at line 7 is already used by node at line 4/);
    expect(byRule['interface-ref-resolves']).toMatchObject({ line: 12, path: '/rspec/link[1]/interface_ref[2]' });
    expect(byRule['interface-ref-resolves']!.message).toContain('nowhere:if9');
    expect(byRule['link-two-ends']).toMatchObject({ line: 14, path: '/rspec/link[2]' });
    expect(byRule['link-two-ends']!.message).toContain('"one-ended" has 1 interface_ref');
  });

  it('says which kinds of element share a duplicated client_id', () => {
    const xml = fixture('request-valid.xml').replace('client_id="lan0"', 'client_id="left:if0"');
    const duplicate = validateRSpec(xml).findings.filter((finding) => finding.rule === 'unique-client-id');
    expect(duplicate).toHaveLength(1);
    expect(duplicate[0]!.message).toContain('of link at line 13 is already used by interface at line 7');
  });

  it('requires a sliver_id on every manifest node', () => {
    const result = validateRSpec(fixture('manifest-missing-sliver-id.xml'));
    expect(result.findings).toEqual([
      expect.objectContaining({ rule: 'manifest-sliver-id', line: 5, path: '/rspec/node[2]', severity: 'error' }),
    ]);
  });

  it('does not apply client_id rules to advertisements', () => {
    expect(rules(fixture('ad-valid.xml'))).toEqual([]);
  });
});

describe('extension namespaces', () => {
  it('reports foreign namespaces as not validated, as a notice that keeps the document valid', () => {
    const result = validateRSpec(fixture('request-foreign-extension.xml'));
    expect(result.valid).toBe(true);
    expect(result.notValidated).toEqual(['http://acme.example/rspec/ext/1']);
    expect(result.findings).toEqual([
      expect.objectContaining({ rule: 'not-validated', severity: 'notice', line: 5, path: '/rspec/node[1]/widget[1]' }),
    ]);
    expect(result.findings[0]!.message).toMatch(/^not validated: http:\/\/acme\.example\/rspec\/ext\/1/);
  });

  it('notices a namespace used only by an attribute', () => {
    const xml = fixture('request-valid.xml').replace('<rspec ', '<rspec xmlns:tag="urn:example:tag" tag:owner="x" ');
    expect(validateRSpec(xml).notValidated).toEqual(['urn:example:tag']);
  });
});

describe('one thread, many documents', () => {
  it('gives a document the verdict it gets first, whatever the thread parsed in between (the parser context is reused)', () => {
    const documents = [
      fixture('ad-rack-extensions.xml'),
      fixture('request-xsd-invalid.xml'),
      '<rspec xmlns="http://www.geni.net/resources/rspec/3" type="request"><node client_id="a"></rspec>',
      '<rspec xmlns="http://www.geni.net/resources/rspec/3" type="request"><x:node client_id="a"/></rspec>',
      fixture('request-semantic-errors.xml'),
      fixture('manifest-valid.xml'),
      fixture('pgv2-request-valid.xml'),
    ];
    const first = documents.map((xml) => JSON.stringify(validateRSpec(xml)));
    const again = [...documents].reverse().map((xml) => JSON.stringify(validateRSpec(xml))).reverse();
    expect(again).toEqual(first);
    // Enough documents to go past one context's reuse budget.
    for (let round = 0; round < 150; round += 1) for (const xml of documents) validateRSpec(xml);
    expect(documents.map((xml) => JSON.stringify(validateRSpec(xml)))).toEqual(first);
  });
});

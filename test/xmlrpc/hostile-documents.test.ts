import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMethodCall, decodeMethodResponse, XmlRpcDecodeError, type XmlRpcDecodeFailure } from '../../src/xmlrpc';

function reasonOf(run: () => unknown): { reason: XmlRpcDecodeFailure; message: string } {
  try {
    run();
  } catch (err) {
    if (err instanceof XmlRpcDecodeError) return { reason: err.reason, message: err.message };
    throw err;
  }
  throw new Error('expected an XmlRpcDecodeError, but decoding succeeded');
}

const secretFile = join(mkdtempSync(join(tmpdir(), 'xxe-')), 'secret.txt');
writeFileSync(secretFile, 'TOP-SECRET-CONTENT');

const XXE = `<?xml version="1.0"?>
<!DOCTYPE methodResponse [<!ENTITY xxe SYSTEM "file://${secretFile}">]>
<methodResponse><params><param><value><string>&xxe;</string></value></param></params></methodResponse>`;

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<methodResponse><params><param><value><string>&lol9;</string></value></param></params></methodResponse>`;

describe('documents with a DOCTYPE are refused before parsing', () => {
  it.each([
    ['XXE (external file entity)', XXE],
    ['entity bomb', BILLION_LAUGHS],
    ['lower-case doctype after a comment and PI', '<?xml version="1.0"?><!-- hi --><?pi x?>\n<!doctype methodResponse><methodResponse/>'],
    ['external DTD over the network', '<!DOCTYPE methodResponse SYSTEM "http://127.0.0.1:9/evil.dtd"><methodResponse/>'],
  ])('%s', (_name, body) => {
    const { reason, message } = reasonOf(() => decodeMethodResponse(body));
    expect(reason).toBe('dtd-forbidden');
    expect(message).not.toContain('TOP-SECRET');
  });

  it('refuses a DOCTYPE in bytes too, and in a method call', () => {
    expect(reasonOf(() => decodeMethodResponse(Buffer.from(XXE))).reason).toBe('dtd-forbidden');
    expect(reasonOf(() => decodeMethodCall(`<!DOCTYPE x [<!ENTITY a "b">]><methodCall><methodName>&a;</methodName></methodCall>`)).reason).toBe('dtd-forbidden');
  });

  it('never expands an undeclared entity reference', () => {
    const { reason } = reasonOf(() => decodeMethodResponse('<methodResponse><params><param><value>&xxe;</value></param></params></methodResponse>'));
    expect(reason).toBe('not-xml');
  });

  it('refuses UTF-16 bytes, which would slip past the DOCTYPE scan', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(XXE, 'utf16le')]);
    expect(reasonOf(() => decodeMethodResponse(utf16)).reason).toBe('not-xml');
  });
});

describe('non-XML-RPC bodies', () => {
  it.each<[string, string, XmlRpcDecodeFailure, RegExp]>([
    ['empty', '', 'not-xml', /empty/],
    ['plain text', 'Service Unavailable', 'not-xml', /not well-formed XML at line 1/],
    ['truncated XML', '<methodResponse><params><param><value><str', 'not-xml', /not well-formed/],
    ['HTML that is not well-formed', '<html><body><p>Bad gateway<br></body></html>', 'not-xml', /body is HTML/],
    ['well-formed HTML', '<html><body>hi</body></html>', 'not-xmlrpc', /root element is <html>, expected <methodResponse> \(an HTML page\)/],
    ['a method call where a response belongs', '<methodCall><methodName>x</methodName></methodCall>', 'not-xmlrpc', /root element is <methodCall>/],
    ['params and fault together', '<methodResponse><params/><fault/></methodResponse>', 'not-xmlrpc', /expected one <params> or <fault>, found <params>, <fault>/],
    ['no param', '<methodResponse><params></params></methodResponse>', 'not-xmlrpc', /expected exactly one <param>, found nothing/],
    ['two params', '<methodResponse><params><param><value/></param><param><value/></param></params></methodResponse>', 'not-xmlrpc', /exactly one <param>/],
    ['stray text', '<methodResponse>oops<params><param><value/></param></params></methodResponse>', 'not-xmlrpc', /unexpected text 'oops'/],
  ])('%s', (_name, body, reason, message) => {
    const err = reasonOf(() => decodeMethodResponse(body));
    expect(err.reason).toBe(reason);
    expect(err.message).toMatch(message);
  });
});

describe('nesting limits', () => {
  const nestedArrays = (levels: number): string =>
    `<methodResponse><params><param>${'<value><array><data>'.repeat(levels)}<value><int>1</int></value>${'</data></array></value>'.repeat(levels)}</param></params></methodResponse>`;

  it('accepts nesting up to maxDepth', () => {
    expect(decodeMethodResponse(nestedArrays(9), { maxDepth: 10 }).kind).toBe('value');
  });

  it('refuses nesting past maxDepth as too-deep', () => {
    const err = reasonOf(() => decodeMethodResponse(nestedArrays(10), { maxDepth: 10 }));
    expect(err.reason).toBe('too-deep');
    expect(err.message).toMatch(/nest deeper than 10/);
  });

  it('refuses element nesting past libxml2 limit as too-deep rather than crashing', () => {
    expect(reasonOf(() => decodeMethodResponse(nestedArrays(200))).reason).toBe('too-deep');
  });

  it('applies the default limit of 64', () => {
    expect(decodeMethodResponse(nestedArrays(63)).kind).toBe('value');
    expect(reasonOf(() => decodeMethodResponse(nestedArrays(64))).reason).toBe('too-deep');
  });

  it('validates maxDepth itself', () => {
    expect(() => decodeMethodResponse(nestedArrays(1), { maxDepth: 0 })).toThrow(/maxDepth must be a positive integer, but received 0/);
  });
});

describe('no entity, ever: the whole document is read for declarations', () => {
  const quadraticBomb = `<!DOCTYPE r [<!ENTITY a "${'x'.repeat(5000)}"><!ENTITY b "${'&a;'.repeat(5000)}">]>`;

  it('refuses a DOCTYPE behind a 70 KB comment (the prolog is read to its end, not its first 64 KiB)', () => {
    const body = `<?xml version="1.0"?><!--${'p'.repeat(70 * 1024)}-->\n${quadraticBomb}<methodResponse><params><param><value>&b;</value></param></params></methodResponse>`;
    const { reason, message } = reasonOf(() => decodeMethodResponse(Buffer.from(body)));
    expect(reason).toBe('dtd-forbidden');
    expect(message).toMatch(/DOCTYPE at line 2/);
  });

  it('refuses a DOCTYPE behind a long processing instruction and white space', () => {
    const body = `<?pi ${'q'.repeat(100_000)}?>${' \n'.repeat(50_000)}<!DOCTYPE x SYSTEM "file:///etc/passwd"><methodResponse/>`;
    expect(reasonOf(() => decodeMethodResponse(body)).reason).toBe('dtd-forbidden');
  });

  it('refuses a markup declaration anywhere, even inside the content', () => {
    expect(reasonOf(() => decodeMethodResponse('<methodResponse><!ENTITY a "b"><params/></methodResponse>')).reason).toBe('dtd-forbidden');
  });

  it('refuses every entity reference but the five predefined ones, and never reads a file', () => {
    const { reason, message } = reasonOf(() => decodeMethodResponse(`<methodResponse><params><param><value>&secret;</value></param></params></methodResponse>`));
    expect(reason).toBe('not-xml');
    expect(message).toMatch(/Entity 'secret' not defined/);
  });

  it('decodes character references and the predefined entities, and keeps an escaped CR', () => {
    const decoded = decodeMethodResponse('<methodResponse><params><param><value>&lt;a&gt; &amp;lt; &#65;&#x42;&#13;&quot;&apos;</value></param></params></methodResponse>');
    expect(decoded).toMatchObject({ kind: 'value', value: "<a> &lt; AB\r\"'" });
  });

  it.each([
    ['a bare ampersand', '<methodResponse>a & b</methodResponse>'],
    ['a reference to NUL', '<methodResponse><params><param><value>&#0;</value></param></params></methodResponse>'],
    ['a control character', '<methodResponse><params><param><value>\u0001</value></param></params></methodResponse>'],
    ['mismatched tags', '<methodResponse><params></param></methodResponse>'],
    ['two roots', '<methodResponse/><methodResponse/>'],
    ['invalid UTF-8', Buffer.concat([Buffer.from('<methodResponse><params><param><value>\n'), Buffer.from([0xc3, 0x28]), Buffer.from('</value></param></params></methodResponse>')])],
  ])('%s is not well-formed', (_name, body) => {
    const { reason, message } = reasonOf(() => decodeMethodResponse(body));
    expect(reason).toBe('not-xml');
    expect(message).toMatch(/not well-formed XML/);
  });

  it('names the line of invalid UTF-8', () => {
    const body = Buffer.concat([Buffer.from('<methodResponse>\n<params>\n'), Buffer.from([0xff]), Buffer.from('</params></methodResponse>')]);
    expect(reasonOf(() => decodeMethodResponse(body)).message).toMatch(/line 3: input is not proper UTF-8 \(byte 0xFF/);
  });
});

describe('hard limits, reported as limits', () => {
  const stringAnswer = (text: string): string => `<methodResponse><params><param><value><string>${text}</string></value></param></params></methodResponse>`;

  it('decodes a 12 MB string whole (a large advertisement is never cut short)', () => {
    const line = '&lt;node component_id="urn:publicid:IDN+example.net+node+pc1"/&gt;\n';
    const escaped = line.repeat(Math.ceil((12 * 1024 * 1024) / line.length));
    const decoded = decodeMethodResponse(Buffer.from(stringAnswer(escaped)));
    if (decoded.kind !== 'value' || typeof decoded.value !== 'string') throw new Error('expected a string');
    const expected = escaped.replace(/&lt;/g, '<').replace(/&gt;/g, '>');
    expect(decoded.value.length).toBe(expected.length);
    expect(decoded.value.endsWith('pc1"/>\n')).toBe(true);
  });

  it('reports a string past maxStringLength as too-large, naming the limit', () => {
    const { reason, message } = reasonOf(() => decodeMethodResponse(stringAnswer('x'.repeat(1001)), { maxStringLength: 1000 }));
    expect(reason).toBe('too-large');
    expect(message).toMatch(/more than 1000 characters of text \(the decoder's limit on strings, maxStringLength\)/);
    expect(decodeMethodResponse(stringAnswer('x'.repeat(1000)), { maxStringLength: 1000 })).toMatchObject({ value: 'x'.repeat(1000) });
  });

  it('counts text split by CDATA sections and comments as one string', () => {
    const body = stringAnswer(`${'a'.repeat(600)}<![CDATA[${'b'.repeat(300)}]]><!-- c -->${'d'.repeat(200)}`);
    expect(reasonOf(() => decodeMethodResponse(body, { maxStringLength: 1000 })).reason).toBe('too-large');
  });

  it('reports more than maxElements elements as too-large', () => {
    const body = `<methodResponse><params><param><value><array><data>${'<value><i4>1</i4></value>'.repeat(100)}</data></array></value></param></params></methodResponse>`;
    const { reason, message } = reasonOf(() => decodeMethodResponse(body, { maxElements: 150 }));
    expect(reason).toBe('too-large');
    expect(message).toMatch(/more than 150 elements/);
    expect(decodeMethodResponse(body, { maxElements: 206 }).kind).toBe('value');
  });

  it('reads a document nested 100,000 deep without touching the call stack', () => {
    const body = `${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`;
    expect(reasonOf(() => decodeMethodResponse(body)).reason).toBe('too-deep');
  });

  it('stays linear on many attributes and namespace declarations', () => {
    const attributes = Array.from({ length: 20_000 }, (_, i) => `xmlns:n${i}="urn:n${i}" a${i}="v"`).join(' ');
    const decoded = decodeMethodResponse(`<methodResponse ${attributes}><params><param><value>ok</value></param></params></methodResponse>`);
    expect(decoded).toMatchObject({ value: 'ok' });
  }, 60_000); // not a speed goal: a quadratic reader would take many minutes here, a linear one milliseconds

  it('validates its limits', () => {
    expect(() => decodeMethodResponse('<methodResponse/>', { maxElements: 0 })).toThrow(/maxElements must be a positive integer, but received 0/);
    expect(() => decodeMethodResponse('<methodResponse/>', { maxStringLength: 1.5 })).toThrow(/maxStringLength must be a positive integer/);
  });
});

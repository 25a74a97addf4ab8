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

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseXmlSafely, RSpecParseError, validateRSpec } from '../../src/rspec';

const secretDir = mkdtempSync(path.join(tmpdir(), 'rspec-xxe-'));
const secretFile = path.join(secretDir, 'secret.txt');
const SECRET = 'TOP-SECRET-7f3a9c';
writeFileSync(secretFile, SECRET);
afterAll(() => rmSync(secretDir, { recursive: true, force: true }));

const xxe = `<?xml version="1.0"?>
<!DOCTYPE rspec [ <!ENTITY leak SYSTEM "file://${secretFile}"> ]>
<rspec xmlns="http://www.geni.net/resources/rspec/3" type="request"><node client_id="&leak;"/></rspec>`;

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rspec xmlns="http://www.geni.net/resources/rspec/3" type="request"><node client_id="&lol9;"/></rspec>`;

function parseError(text: string | Uint8Array, what = 'test RSpec'): RSpecParseError {
  try {
    parseXmlSafely(text, what);
  } catch (err) {
    if (err instanceof RSpecParseError) return err;
    throw err;
  }
  throw new Error('expected parseXmlSafely to throw');
}

describe('parseXmlSafely', () => {
  it('refuses an external-entity document before parsing, and the file content appears nowhere', () => {
    const error = parseError(xxe, 'ListResources answer');
    expect(error.rule).toBe('dtd-forbidden');
    expect(error.line).toBe(2);
    expect(error.message).toContain('ListResources answer');
    expect(error.message).not.toContain(SECRET);
    const result = validateRSpec(xxe);
    expect(result.valid).toBe(false);
    expect(result.findings[0]!.rule).toBe('dtd-forbidden');
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it('refuses an entity bomb without expanding it', () => {
    // Refused at its DOCTYPE, before any parser sees it: the rule says so (a parser would report the entity instead).
    expect(parseError(billionLaughs).rule).toBe('dtd-forbidden');
  });

  it('finds a DOCTYPE after the XML declaration, comments and processing instructions, in bytes too', () => {
    const hidden = `\ufeff<?xml version="1.0"?>\n<!-- a comment -->\n<?pi data?>\n<!DOCTYPE rspec SYSTEM "http://example.org/x.dtd">\n<rspec/>`;
    expect(parseError(hidden).rule).toBe('dtd-forbidden');
    expect(parseError(Buffer.from(hidden, 'utf8')).rule).toBe('dtd-forbidden');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<!DOCTYPE rspec><rspec/>', 'utf16le')]);
    expect(parseError(utf16).rule).toBe('dtd-forbidden');
  });

  it('refuses a stray ENTITY declaration in the prolog', () => {
    expect(parseError('<!ENTITY x "y"><rspec/>').rule).toBe('dtd-forbidden');
  });

  it('reports malformed XML with its line and what was being parsed', () => {
    const error = parseError('<rspec>\n<node>\n</rspec>', 'Describe manifest');
    expect(error.rule).toBe('not-well-formed');
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/^Describe manifest is not well-formed XML \(line 3\)/);
  });

  it('parses an ordinary document', () => {
    const doc = parseXmlSafely('<?xml version="1.0"?><!-- hi --><rspec type="request"/>', 'ok');
    expect(doc.root()!.attr('type')!.value()).toBe('request');
  });
});

describe('parseXmlSafely refuses what it cannot scan', () => {
  it('refuses text before the root element instead of guessing', () => {
    const error = parseError('junk <!DOCTYPE x><rspec/>');
    expect(error.rule).toBe('not-well-formed');
    expect(error.message).toContain('content before its root element at line 1');
  });
});

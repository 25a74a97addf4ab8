import libxmljs from 'libxmljs2';
import { RSpecParseError } from './errors';
import { refuseDocumentTypeDeclaration } from './prolog';

export { refuseDocumentTypeDeclaration } from './prolog';

/**
 * Parser options for untrusted XML. noent stays off because libxmljs2 then expands external entities even
 * under nonet (local file disclosure); huge stays off because noent+huge lets an entity bomb crash the
 * process. big_lines only makes line numbers past 65535 exact, which large advertisements need.
 */
const UNTRUSTED_XML_OPTIONS = {
  noent: false,
  nonet: true,
  huge: false,
  dtdload: false,
  dtdvalid: false,
  big_lines: true,
} as const;

/**
 * Parses an RSpec (or any untrusted XML) after refusing every document that declares a DTD. The refusal
 * happens before libxml2 sees a byte, so no entity of any kind (internal bomb, external file, parameter
 * entity) can be expanded or even fetched.
 */
export function parseXmlSafely(text: string | Uint8Array, what: string): libxmljs.Document {
  refuseDocumentTypeDeclaration(text, what);
  try {
    if (typeof text === 'string') return libxmljs.parseXml(text, UNTRUSTED_XML_OPTIONS);
    // A Buffer lets libxml2 honour the document's own encoding declaration.
    const bytes = Buffer.from(text.buffer, text.byteOffset, text.byteLength);
    return libxmljs.parseXml(bytes as unknown as string, UNTRUSTED_XML_OPTIONS);
  } catch (err) {
    const line = typeof (err as { line?: unknown }).line === 'number' ? (err as { line: number }).line : undefined;
    const detail = err instanceof Error ? err.message.trim() : String(err);
    throw new RSpecParseError(
      'not-well-formed',
      `${what} is not well-formed XML${line === undefined ? '' : ` (line ${line})`}: ${detail}`,
      line,
      { cause: err },
    );
  }
}

/**
 * Indents an XML-RPC body for people: one element per line, an element holding only text on one line with it,
 * and an escaped XML document inside a <string> (an RSpec, a credential summary) unescaped and indented beneath
 * its element. It is display only: it never parses (no entities, no DTD, nothing fetched) and never fails; text
 * that does not look like XML comes back as it was. The exact bytes stay in the transcript file.
 */
export function prettyXml(text: string): string {
  if (!text.trimStart().startsWith('<')) return text;
  return indentLines(text, 0).join('\n');
}

const TOKEN = /(<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<![^>]*>|<\/?[^<>]+>)|([^<]+)|(<)/g;

interface Token {
  kind: 'open' | 'close' | 'empty' | 'other' | 'text';
  text: string;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const [whole, markup] = match;
    if (markup === undefined) {
      tokens.push({ kind: 'text', text: whole });
    } else if (markup.startsWith('</')) {
      tokens.push({ kind: 'close', text: markup });
    } else if (/^<[A-Za-z_]/.test(markup)) {
      tokens.push({ kind: markup.endsWith('/>') ? 'empty' : 'open', text: markup });
    } else {
      tokens.push({ kind: 'other', text: markup });
    }
  }
  return tokens;
}

const INDENT = '  ';

function indentLines(text: string, baseDepth: number): string[] {
  const tokens = tokenize(text);
  const lines: string[] = [];
  let depth = baseDepth;
  const pad = (): string => INDENT.repeat(Math.max(depth, 0));
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    switch (token.kind) {
      case 'open': {
        const next = tokens[i + 1];
        const after = tokens[i + 2];
        if (next?.kind === 'close') {
          lines.push(`${pad()}${token.text}${next.text}`);
          i += 1;
        } else if (next?.kind === 'text' && after?.kind === 'close') {
          const nested = embeddedDocument(next.text);
          if (nested === undefined) {
            lines.push(`${pad()}${token.text}${next.text}${after.text}`);
          } else {
            lines.push(`${pad()}${token.text}`, ...indentLines(nested, depth + 1), `${pad()}${after.text}`);
          }
          i += 2;
        } else {
          lines.push(`${pad()}${token.text}`);
          depth += 1;
        }
        break;
      }
      case 'close':
        depth = Math.max(depth - 1, baseDepth);
        lines.push(`${pad()}${token.text}`);
        break;
      case 'text':
        if (token.text.trim() !== '') lines.push(`${pad()}${token.text.trim()}`);
        break;
      case 'empty':
      case 'other':
        lines.push(`${pad()}${token.text}`);
        break;
    }
  }
  return lines;
}

/** An escaped XML document carried as text (`&lt;rspec …`), unescaped; undefined for any other text. */
function embeddedDocument(text: string): string | undefined {
  const trimmed = text.trim();
  if (!/^&lt;[?A-Za-z]/.test(trimmed) || !trimmed.endsWith('&gt;')) return undefined;
  return trimmed.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** One formatter for every value shown to people: quoted, single-line, truncated. */
export function formatValue(value: unknown, max = 120): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (value === undefined) text = 'undefined';
  else if (value instanceof Uint8Array) text = `<${value.length} bytes>`;
  else if (value instanceof Date) text = value.toISOString();
  else if (typeof value === 'bigint') text = `${value}n`;
  else {
    try {
      text = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `<${v.length} bytes>` : v));
    } catch {
      text = String(value);
    }
  }
  text = text.replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * `text` on one line, cut at `max` characters with the full size named: for text an aggregate chose (a faultString,
 * an output) that goes into messages, logs and the ledger, where 10 MB of it would bury everything else.
 */
export function clipText(text: string, max = 300): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max)}… (${text.length} characters in all)` : line;
}

/** A short description of a value's type as XML-RPC people talk about it. */
export function describeType(value: unknown): string {
  if (value === null) return 'nil';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Uint8Array) return 'base64';
  if (value instanceof Date) return 'dateTime';
  if (typeof value === 'object') return 'struct';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  return typeof value;
}

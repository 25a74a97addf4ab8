/** Escapes text for a double-quoted attribute; newlines and tabs become references so they survive normalisation. */
export function escapeAttribute(value: string): string {
  const forbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/u; // with /u a lone surrogate matches, a valid pair does not
  const bad = forbidden.exec(value);
  if (bad) {
    throw new RangeError(`attribute value ${JSON.stringify(value)} holds U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}, which XML 1.0 cannot represent`);
  }
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/** Renders attributes in the given order, leaving out undefined ones. */
export function attributes(pairs: Array<[string, string | boolean | undefined]>): string {
  return pairs
    .filter((pair): pair is [string, string | boolean] => pair[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeAttribute(String(value))}"`)
    .join('');
}

/** An element with attributes and children, self-closing when it has none. */
export function element(name: string, attrs: Array<[string, string | boolean | undefined]>, children: string[] = [], indent = ''): string {
  const open = `${indent}<${name}${attributes(attrs)}`;
  if (children.length === 0) return `${open}/>`;
  return `${open}>\n${children.join('\n')}\n${indent}</${name}>`;
}

import type { XmlRpcValue } from '../xmlrpc';
import { isStruct } from '../xmlrpc';

/**
 * Paths into a decoded return, written the way the WireTypeIndex writes them: struct members joined with '.',
 * array items as '[i]'. Two wildcards address many values at once: '[*]' is every item of an array and '.*' every
 * member of a struct ('value.geni_slivers[*].geni_expires', 'value.geni_api_versions.*').
 */
export interface Resolved {
  /** The concrete path ('value.geni_slivers[2].geni_expires'). */
  path: string;
  present: boolean;
  value?: XmlRpcValue;
}

type Token = { kind: 'member'; name: string } | { kind: 'index'; index: number } | { kind: 'every-item' } | { kind: 'every-member' };

function tokenize(path: string): Token[] {
  const tokens: Token[] = [];
  const re = /([^.[\]]+)|\[(\d+|\*)\]/g;
  for (const m of path.matchAll(re)) {
    if (m[1] !== undefined) tokens.push(m[1] === '*' ? { kind: 'every-member' } : { kind: 'member', name: m[1] });
    else if (m[2] === '*') tokens.push({ kind: 'every-item' });
    else tokens.push({ kind: 'index', index: Number(m[2]) });
  }
  return tokens;
}

function join(base: string, token: Token, key?: string | number): string {
  if (token.kind === 'member') return base === '' ? token.name : `${base}.${token.name}`;
  if (token.kind === 'index' || token.kind === 'every-item') return `${base}[${key}]`;
  return base === '' ? String(key) : `${base}.${key}`;
}

function unresolvedRest(base: string, tokens: Token[]): string {
  let path = base;
  for (const t of tokens) {
    if (t.kind === 'member') path = path === '' ? t.name : `${path}.${t.name}`;
    else if (t.kind === 'index') path = `${path}[${t.index}]`;
    else if (t.kind === 'every-item') path = `${path}[*]`;
    else path = path === '' ? '*' : `${path}.*`;
  }
  return path;
}

/** Every value the path names. A wildcard over an empty array or struct names nothing. */
export function resolvePath(root: XmlRpcValue | undefined, path: string): Resolved[] {
  const walk = (value: XmlRpcValue | undefined, present: boolean, at: string, rest: Token[]): Resolved[] => {
    if (rest.length === 0) return [{ path: at, present, value }];
    const [token, ...tail] = rest as [Token, ...Token[]];
    if (!present) return [{ path: unresolvedRest(at, rest), present: false }];
    switch (token.kind) {
      case 'member':
        if (value !== undefined && value !== null && isStruct(value) && Object.prototype.hasOwnProperty.call(value, token.name)) {
          return walk(value[token.name], true, join(at, token), tail);
        }
        return [{ path: unresolvedRest(at, rest), present: false }];
      case 'index':
        if (Array.isArray(value) && token.index < value.length) return walk(value[token.index], true, join(at, token, token.index), tail);
        return [{ path: unresolvedRest(at, rest), present: false }];
      case 'every-item':
        if (!Array.isArray(value)) return [{ path: unresolvedRest(at, rest), present: false }];
        return value.flatMap((item, i) => walk(item, true, join(at, token, i), tail));
      case 'every-member':
        if (value === undefined || value === null || !isStruct(value)) return [{ path: unresolvedRest(at, rest), present: false }];
        return Object.entries(value).flatMap(([k, v]) => walk(v, true, join(at, token, k), tail));
    }
  };
  return walk(root, root !== undefined, '', tokenize(path));
}

/**
 * The value at a path without wildcards ('value.geni_slivers', 'value.geni_slivers[0]', '' for the root), or
 * undefined when something on the way is absent or of the wrong kind.
 */
export function valueAt(root: XmlRpcValue | undefined, path: string): XmlRpcValue | undefined {
  const [first] = resolvePath(root, path);
  return first?.present ? first.value : undefined;
}

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Dependencies point one way. The rules are the "may import" column of the module table in ARCHITECTURE.md,
// read from that file: the map people read is the rule the build enforces. Every import counts: static, type-only,
// re-exports, side-effect imports and dynamic import('…') with a literal path.
const ROOT = resolve(__dirname, '..');
const CHECKED_DIRS = ['src', 'suites', 'generators', 'scripts', 'bench', 'bin'];
const SOURCE = /\.(ts|mjs|js)$/;

/** Module → the modules it may import ('*' = anything in src). */
export type Rules = Map<string, string[]>;

/** The module table of ARCHITECTURE.md: `| \`module\` | its one job | may import |`. */
export function rulesFrom(markdown: string): Rules {
  const rules: Rules = new Map();
  for (const line of markdown.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const name = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1];
    if (!name || cells.length < 5) continue;
    const mayImport = cells[3]!;
    const allowed = mayImport === 'nothing' ? [] : /anything in `src`/.test(mayImport) ? ['*'] : [...mayImport.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    rules.set(name, allowed);
  }
  return rules;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : SOURCE.test(name) ? [full] : [];
  });
}

/** Every relative import of a file: static, type-only, re-exports, side-effect and literal dynamic imports. */
export function importsOf(text: string): string[] {
  const found = [
    ...text.matchAll(/\bfrom\s*['"](\.{1,2}\/[^'"]*)['"]/g),
    ...text.matchAll(/\bimport\s*\(\s*['"](\.{1,2}\/[^'"]*)['"]\s*\)/g),
    ...text.matchAll(/^\s*import\s*['"](\.{1,2}\/[^'"]*)['"]/gm),
  ];
  return found.map((m) => m[1]!);
}

/** 'src/runner/types.ts' → 'src/runner/types'; 'src/geni/index.ts' → 'src/geni'; a directory import likewise. */
function canonical(root: string, abs: string): string {
  let rel = relative(root, abs).replace(/\\/g, '/').replace(/\.(ts|mjs|js)$/, '');
  if (existsSync(join(root, rel)) && statSync(join(root, rel)).isDirectory()) rel = `${rel}/index`;
  return rel.replace(/\/index$/, '');
}

/** The table row a file belongs to: 'src/runner/engine.ts' → 'src/runner', 'src/config.ts' → 'src/config'. */
function moduleOf(rel: string): string {
  const parts = rel.split('/');
  if (parts[0] === 'src') return `src/${parts[1]!.replace(SOURCE, '')}`;
  return parts[0]!;
}

export interface ImportEdge { from: string; to: string }

/** Every import between project files under `root`, as canonical paths. */
export function importGraph(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of CHECKED_DIRS.flatMap((d) => sourceFiles(join(root, d)))) {
    const from = relative(root, file).replace(/\\/g, '/');
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      const to = canonical(root, resolve(dirname(file), spec));
      if (!to.startsWith('..')) edges.push({ from, to });
    }
  }
  return edges;
}

/** The imports the rules forbid, one line each. */
export function violations(root: string, rules: Rules): string[] {
  const out: string[] = [];
  for (const { from, to } of importGraph(root)) {
    const module = moduleOf(from);
    const target = moduleOf(to);
    if (to.startsWith('test/') || to === 'test') {
      out.push(`${from} imports ${to}: nothing imports test/`);
      continue;
    }
    if (target === module) continue;
    const allowed = rules.get(module);
    if (allowed === undefined) {
      out.push(`${from}: module ${module} is not in the ARCHITECTURE.md table`);
      continue;
    }
    const ok = allowed.some((rule) => (rule === '*' ? target.startsWith('src/') : to === rule || to.startsWith(`${rule}/`)));
    if (!ok) out.push(`${from} (${module}) imports ${to}, which ARCHITECTURE.md does not allow`);
  }
  return out;
}

/** File-level import cycles (type-only imports included: a cycle of types is still a knot for a reader). */
export function cycles(root: string): string[][] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of importGraph(root)) {
    const key = from.replace(SOURCE, '').replace(/\/index$/, '');
    if (!next.has(key)) next.set(key, new Set());
    next.get(key)!.add(to);
  }
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const n of next.get(node) ?? []) {
      if (state.get(n) === 'open') found.push([...stack.slice(stack.indexOf(n)), n]);
      else if (!state.has(n)) visit(n);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...next.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

const RULES = rulesFrom(readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8'));

describe('module dependencies point one way (the table in ARCHITECTURE.md)', () => {
  it('reads a rule for every module, and every module in the tree has a row', () => {
    expect([...RULES.keys()]).toEqual(expect.arrayContaining(['src/core', 'src/runner', 'src/reference-am', 'suites', 'generators', 'scripts', 'bench']));
    const modules = new Set(CHECKED_DIRS.flatMap((d) => sourceFiles(join(ROOT, d))).map((f) => moduleOf(relative(ROOT, f).replace(/\\/g, '/'))));
    expect([...modules].filter((m) => !RULES.has(m))).toEqual([]);
  });

  it('no import goes where the table does not allow, static or dynamic', () => {
    expect(importGraph(ROOT).length).toBeGreaterThan(300);
    expect(violations(ROOT, RULES)).toEqual([]);
  });

  it('has no import cycles', () => {
    expect(cycles(ROOT).map((c) => c.join(' → '))).toEqual([]);
  });

  it('fails on an import the table does not allow (fixture)', () => {
    // test/fixtures/architecture is a tree shaped like the project in which a check reaches into the runner, the
    // reference AM dynamically imports a check, and a script reaches into test/.
    const fixture = join(ROOT, 'test/fixtures/architecture');
    expect(violations(fixture, RULES).sort()).toEqual([
      'scripts/peek.ts imports test/helpers/tls: nothing imports test/',
      'src/checks/leaky.ts (src/checks) imports src/runner/engine, which ARCHITECTURE.md does not allow',
      'src/reference-am/cheat.ts (src/reference-am) imports src/checks, which ARCHITECTURE.md does not allow',
    ]);
    expect(cycles(fixture).map((c) => c.join(' → '))).toEqual(['src/runner/engine → src/runner/loop → src/runner/engine']);
  });

  it('case bodies never branch on the API version (versions differ as data: method tables, life-cycle adapters)', () => {
    const branch = /\b(?:if|while|switch)\s*\([^)]*\b(?:t\.)?api\b|\bapi\s*(?:===?|!==?|>=?|<=?)\s*[123]\b|\bt\.api\s*\?/;
    const offenders = sourceFiles(join(ROOT, 'suites')).flatMap((f) =>
      readFileSync(f, 'utf8').split('\n').map((line, i) => [line, i] as const)
        .filter(([line]) => branch.test(line)).map(([line, i]) => `${relative(ROOT, f)}:${i + 1}: ${line.trim()}`));
    expect(offenders).toEqual([]);
  });
});

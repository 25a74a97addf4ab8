import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Dependencies point one way (ARCHITECTURE.md). This reads every import in src/ and suites/ and fails on any
// arrow the architecture forbids, so the layering is enforced by a test rather than by review.
const ROOT = resolve(__dirname, '..');

/** For each module: the modules it may import (anything else internal is forbidden). */
const ALLOWED: Record<string, string[]> = {
  core: [],
  xmlrpc: ['core'],
  transport: ['core'],
  server: ['core', 'xmlrpc'],
  client: ['core', 'xmlrpc', 'transport'],
  rspec: ['core'],
  credentials: ['core', 'geni/urn'],
  geni: ['core', 'xmlrpc', 'client'],
  checks: ['core', 'geni', 'rspec', 'xmlrpc'],
  reporting: ['core', 'runner/events', 'runner/types', 'client/am-client'],
  runner: ['core', 'config', 'geni', 'client', 'transport', 'credentials', 'rspec', 'xmlrpc'],
  config: ['core'],
  'reference-am': ['core', 'xmlrpc', 'server', 'credentials', 'rspec', 'geni'],
  cli: ['*'],
  suites: ['runner/define', 'runner/types', 'runner/fixtures-types', 'runner/am-suites', 'runner/vitest-host', 'checks', 'geni', 'core', 'rspec', 'xmlrpc'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });
}

function moduleOf(file: string): string {
  const rel = relative(ROOT, file).replace(/\\/g, '/');
  if (rel.startsWith('suites/')) return 'suites';
  return rel.split('/')[1]!.replace(/\.ts$/, '');
}

/** 'src/runner/types.ts' → 'runner/types'; 'src/geni/index.ts' → 'geni'. */
function targetOf(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const abs = resolve(dirname(from), spec);
  const rel = relative(join(ROOT, 'src'), abs).replace(/\\/g, '/');
  if (rel.startsWith('..')) return undefined;
  return rel.replace(/\/index$/, '');
}

function allowed(module: string, target: string): boolean {
  const rules = ALLOWED[module] ?? [];
  if (rules.includes('*')) return true;
  const targetModule = target.split('/')[0]!;
  if (targetModule === module) return true;
  return rules.some((r) => r === targetModule || r === target || target.startsWith(`${r}/`));
}

describe('module dependencies point one way', () => {
  const sources = [...files(join(ROOT, 'src')), ...files(join(ROOT, 'suites'))];

  it('finds the modules', () => {
    expect(sources.length).toBeGreaterThan(50);
  });

  it('no module imports what the architecture forbids', () => {
    const violations: string[] = [];
    for (const file of sources) {
      const module = moduleOf(file);
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
        const target = targetOf(file, match[1]!);
        if (target && !allowed(module, target)) violations.push(`${relative(ROOT, file)} (${module}) imports ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('case bodies never branch on the API version (versions differ as data: method tables, life-cycle adapters)', () => {
    const branch = /\b(?:if|while|switch)\s*\([^)]*\b(?:t\.)?api\b|\bapi\s*(?:===?|!==?|>=?|<=?)\s*[123]\b|\bt\.api\s*\?/;
    const offenders = files(join(ROOT, 'suites')).flatMap((f) =>
      readFileSync(f, 'utf8').split('\n').map((line, i) => [line, i] as const)
        .filter(([line]) => branch.test(line)).map(([line, i]) => `${relative(ROOT, f)}:${i + 1}: ${line.trim()}`));
    expect(offenders).toEqual([]);
  });

  it('the reference AM is an independent peer: it never imports the harness side', () => {
    const forbidden = /from\s+['"][./]+(runner|checks|reporting|cli|client)\b|from\s+['"][./]+\.\.\/(suites|generators)\b/;
    const offenders = files(join(ROOT, 'src/reference-am')).filter((f) => forbidden.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});

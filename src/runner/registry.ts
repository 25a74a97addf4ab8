import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigError, HarnessError } from '../core';
import type { CaseDefinition, SuiteDefinition, Tag } from './types';

/** The suites/ folder of this project (cases are discovered there, never listed by hand). */
export const SUITES_DIR = resolve(fileURLToPath(new URL('../../suites', import.meta.url)));

function caseFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...caseFiles(full));
    else if (name.endsWith('.cases.ts')) out.push(full);
  }
  return out;
}

/**
 * Loads every `*.cases.ts` under suites/ and under each extra directory (the configuration's `caseDirs`); each
 * file default-exports an array of case definitions (defineCases).
 */
export async function loadCases(extraDirs: readonly string[] = []): Promise<Array<CaseDefinition<unknown>>> {
  const all: Array<CaseDefinition<unknown>> = [];
  for (const dir of [SUITES_DIR, ...extraDirs.map((d) => resolve(d))]) {
    if (!existsSync(dir)) throw new ConfigError(`case directory ${dir} does not exist`);
    for (const file of caseFiles(dir)) {
      const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
      if (!Array.isArray(mod.default)) {
        throw new HarnessError('internal', `${file}: a .cases.ts file must default-export an array of cases (defineCases(...))`);
      }
      all.push(...(mod.default as Array<CaseDefinition<unknown>>));
    }
  }
  const seen = new Set<string>();
  for (const c of all) {
    if (seen.has(c.id)) throw new HarnessError('internal', `duplicate case id ${c.id}`);
    seen.add(c.id);
  }
  suitesOf(all); // throws on two different suites of one name
  return all;
}

/** Every suite the cases run in, by name (the order of a run and of its reports). */
export function suitesOf(cases: ReadonlyArray<CaseDefinition<unknown>>): Array<SuiteDefinition<unknown>> {
  const byName = new Map<string, SuiteDefinition<unknown>>();
  for (const suite of cases.flatMap((c) => c.suites)) {
    const known = byName.get(suite.name);
    if (known && known !== suite) throw new HarnessError('internal', `two different suites are named ${suite.name}`);
    byName.set(suite.name, suite);
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export interface Selection {
  /** Globs over case ids ('am3.allocate.*'); empty = all; '!GLOB' leaves those cases out. */
  cases?: string[];
  /** Any-of tags; empty = all. */
  tags?: string[];
  /** Suite names ('am2', 'dynslice'); empty = every suite the target offers. */
  suites?: string[];
  /** Only shard `index` (1-based) of `count` of the cases the rest selects. */
  shard?: { index: number; count: number };
}

export function globToRegExp(glob: string): RegExp {
  const body = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`);
}

/**
 * The cases the selection names: ids matching any glob (every case when no glob names one), minus those matching a
 * glob written `!GLOB`, with any of the tags, in any of the suites; then the shard.
 */
export function selectCases<C extends CaseDefinition<unknown>>(all: readonly C[], selection: Selection): C[] {
  const patterns = selection.cases ?? [];
  const globs = patterns.filter((p) => !p.startsWith('!')).map(globToRegExp);
  const leftOut = patterns.filter((p) => p.startsWith('!')).map((p) => globToRegExp(p.slice(1)));
  const tags = selection.tags ?? [];
  const suites = selection.suites ?? [];
  const selected = all.filter((c) =>
    (globs.length === 0 || globs.some((g) => g.test(c.id))) &&
    !leftOut.some((g) => g.test(c.id)) &&
    (tags.length === 0 || c.tags.some((t: Tag) => tags.includes(t))) &&
    (suites.length === 0 || c.suites.some((s) => suites.includes(s.name))));
  return selection.shard === undefined ? selected : shardOf(selected, selection.shard);
}

/**
 * Shard i of n: the cases in id order, every n-th from the i-th. The order is the ids' (not discovery's), so every
 * job of a CI matrix computes the same split, each case lands in exactly one shard and the shards differ in size by
 * at most one case.
 */
function shardOf<C extends CaseDefinition<unknown>>(cases: readonly C[], shard: { index: number; count: number }): C[] {
  const inShard = new Set([...cases].map((c) => c.id).sort().filter((_id, i) => i % shard.count === shard.index - 1));
  return cases.filter((c) => inShard.has(c.id));
}

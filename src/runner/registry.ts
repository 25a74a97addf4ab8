import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HarnessError } from '../core';
import type { ApiVersion, CaseDefinition, Tag } from './types';

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

/** Loads every `*.cases.ts` under `dir`; each default-exports an array of case definitions. */
export async function loadCases(dir: string = SUITES_DIR): Promise<CaseDefinition[]> {
  const all: CaseDefinition[] = [];
  for (const file of caseFiles(dir)) {
    const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    if (!Array.isArray(mod.default)) {
      throw new HarnessError('internal', `${file}: a .cases.ts file must default-export an array of cases (defineCases(...))`);
    }
    all.push(...(mod.default as CaseDefinition[]));
  }
  const seen = new Set<string>();
  for (const c of all) {
    if (seen.has(c.id)) throw new HarnessError('internal', `duplicate case id ${c.id}`);
    seen.add(c.id);
  }
  return all;
}

export interface Selection {
  /** Globs over case ids ('am3.allocate.*'); empty = all. */
  cases?: string[];
  /** Any-of tags; empty = all. */
  tags?: string[];
  api?: ApiVersion[];
}

export function globToRegExp(glob: string): RegExp {
  const body = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`);
}

export function selectCases(all: CaseDefinition[], selection: Selection): CaseDefinition[] {
  const globs = (selection.cases ?? []).map(globToRegExp);
  const tags = selection.tags ?? [];
  return all.filter((c) =>
    (globs.length === 0 || globs.some((g) => g.test(c.id))) &&
    (tags.length === 0 || c.tags.some((t: Tag) => tags.includes(t))) &&
    (!selection.api || selection.api.length === 0 || c.api.some((a) => selection.api!.includes(a))));
}

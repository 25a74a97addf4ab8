import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../src/core';

/** The closed vocabulary of check ids (src/core/check-ids.ts) against the check ids the sources write. */

const ROOT = resolve(import.meta.dirname, '../..');
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : name.endsWith('.ts') ? [full] : [];
  });
}
/** `check: 'id'` and `const CHECK… = 'id'` literals: how checks name the findings they make. */
const LITERAL = /(?:\bcheck: |\bCHECK[A-Z_]* = )'([a-z0-9-]+)'/g;
const written = (dirs: string[]) => new Set(dirs.flatMap((d) => sources(join(ROOT, d))).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(LITERAL)].map((m) => m[1]!)));

describe('check ids', () => {
  it('every check id the checks, the runner and the cases write is in CHECK_IDS', () => {
    const known = new Set<string>(CHECK_IDS);
    expect([...written(['src/checks', 'src/runner', 'suites'])].filter((id) => !known.has(id)).sort()).toEqual([]);
  });

  it('every id in CHECK_IDS is written by some check (none is dead)', () => {
    const used = written(['src/checks', 'src/runner', 'suites']);
    expect(CHECK_IDS.filter((id) => !used.has(id))).toEqual([]);
  });
});

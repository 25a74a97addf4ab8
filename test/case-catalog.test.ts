import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCases } from '../src/runner/registry';
import { CATALOG_PATH, renderCaseCatalog } from '../scripts/case-catalog';

// docs/cases.md is generated from the registry; this keeps it current (regenerate with `npm run docs:cases`).
describe('the case catalogue', () => {
  it('docs/cases.md is what the registry says', async () => {
    const cases = await loadCases();
    const rendered = renderCaseCatalog(cases);
    expect(readFileSync(CATALOG_PATH, 'utf8'), 'docs/cases.md is stale: run npm run docs:cases').toBe(rendered);
    for (const c of cases) expect(rendered).toContain(`| \`${c.id}\` |`);
  });
});

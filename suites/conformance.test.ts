/**
 * The vitest host for conformance cases. `geni-harness run` starts vitest on this file with a run plan; it opens
 * a session to the target, discovers the selected cases and registers one vitest test per case (named by its
 * stable id). The case result travels back to the CLI's reporters in task.meta.
 */
import { afterAll, describe, it } from 'vitest';
import { readPlanFromEnv } from '../src/runner/plan';
import { loadCases, selectCases } from '../src/runner/registry';
import { Session } from '../src/runner/session';
import { runCase } from '../src/runner/engine';
import type { CaseResult } from '../src/runner/types';

declare module 'vitest' {
  interface TaskMeta {
    geniResult?: CaseResult;
  }
}

const plan = readPlanFromEnv();
const session = Session.open(plan.target, { ledgerPath: plan.ledgerPath, limits: plan.limits, runId: plan.runId });
const selected = selectCases(await loadCases(), plan.selection);
const urls = new Map<number, string | undefined>();
for (const api of plan.apis) urls.set(api, await session.urlFor(api));

afterAll(() => session.close());

for (const api of plan.apis) {
  describe(`am${api}`, () => {
    for (const def of selected.filter((c) => c.api.includes(api))) {
      it(`${def.id}${def.api.length > 1 ? `@v${api}` : ''}: ${def.title}`, async ({ task }) => {
        const url = urls.get(api);
        if (!url) throw new Error(`the aggregate does not advertise AM API v${api}`);
        const result = await runCase(def, api, session, url, { strict: plan.strict, seed: plan.seed, caseTimeoutMs: plan.caseTimeoutMs, fuzz: plan.fuzz, replayDir: plan.replayDir });
        task.meta.geniResult = result;
        // vitest's own verdict mirrors ours, so a plain `vitest` view of this run cannot disagree with the reports.
        if (result.outcome.kind === 'fail' || result.outcome.kind === 'error') {
          throw new Error(`${def.id}: ${result.outcome.kind}`);
        }
      });
    }
  });
}

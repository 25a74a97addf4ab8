import { runCase, type CaseRunOptions } from './engine';
import type { HarnessEvent } from './events';
import type { Session } from './session';
import type { ApiVersion, CaseDefinition, CaseResult } from './types';

/**
 * Runs cases one after another against one session, emitting events. This is the engine's own loop (used by
 * scripts, the suite-sensitivity tests and replay); `geni-harness run` drives the same runCase from vitest.
 */
export async function runCasesInProcess(
  session: Session,
  cases: CaseDefinition[],
  options: CaseRunOptions & { apis?: ApiVersion[] },
  emit: (event: HarnessEvent) => void | Promise<void> = () => {},
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const api of options.apis ?? (await session.advertisedApis())) {
    const url = await session.urlFor(api);
    for (const def of cases.filter((c) => c.api.includes(api))) {
      await emit({ type: 'case-started', caseId: def.id, api, title: def.title });
      const result = url
        ? await runCase(def, api, session, url, options)
        : notAdvertised(def, api);
      results.push(result);
      await emit({ type: 'case-finished', result });
    }
  }
  return results;
}

function notAdvertised(def: CaseDefinition, api: ApiVersion): CaseResult {
  return {
    id: def.id, title: def.title, requirement: def.requirement, level: def.level, spec: def.spec, api, tags: def.tags,
    outcome: { kind: 'skip', reason: `the aggregate does not advertise AM API v${api}` }, durationMs: 0, exchanges: [], notes: [],
  };
}

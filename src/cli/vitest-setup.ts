/**
 * The vitest global setup of the conformance suites (vitest.config.ts, project `suites`). It runs in vitest's main
 * process before the suites: it takes the configuration `geni-harness run` provided, or resolves it itself from
 * harness.config.ts and GENI_HARNESS_* variables (`npx vitest run suites/`), opens the target (starting the
 * embedded reference AM when that is the target) and provides both to the worker (src/runner/vitest-host.ts).
 */
import type { TestProject } from 'vitest/node';
import { overridesFromEnv, resolveConfig } from '../config';
import { loadConfigFile } from './args';
import { withOmniConfig } from './omni';
import { openTarget, type OpenTarget } from './target';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const provided = project.getProvidedContext();
  let config = provided.geniConfig;
  if (!config) {
    const { file, overrides } = withOmniConfig(await loadConfigFile(process.env.GENI_HARNESS_CONFIG), overridesFromEnv(process.env));
    config = resolveConfig(file, overrides);
    project.provide('geniConfig', config);
  }
  let target: OpenTarget | undefined;
  if (!provided.geniTarget) {
    target = await openTarget(config);
    project.provide('geniTarget', target.spec);
  }
  return async () => {
    await target?.close();
  };
}

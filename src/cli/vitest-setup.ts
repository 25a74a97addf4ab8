/**
 * The vitest global setup of the conformance suites (vitest.config.ts, project `suites`). It runs in vitest's main
 * process before the suites: it takes the configuration `geni-harness run` provided, or resolves it itself from
 * harness.config.ts and GENI_HARNESS_* variables (`npx vitest run suites/`), opens the target (starting the
 * embedded reference AM when that is the target) and provides both to the worker (src/runner/vitest-host.ts).
 */
import type { TestProject } from 'vitest/node';
import type { OpenTarget } from './target';

// What `geni-harness run` provides (configuration and open target) this setup never loads: the modules behind
// them (the reference AM among them) are imported only for `npx vitest run suites/`, which provides neither.

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const provided = project.getProvidedContext();
  let config = provided.geniConfig;
  if (!config) {
    const [{ overridesFromEnv, resolveConfig }, { loadConfigFile }, { withOmniConfig }] = await Promise.all([import('../config'), import('./args'), import('./omni')]);
    const { file, overrides } = withOmniConfig(await loadConfigFile(process.env.GENI_HARNESS_CONFIG), overridesFromEnv(process.env));
    config = resolveConfig(file, overrides);
    project.provide('geniConfig', config);
  }
  let target: OpenTarget | undefined;
  if (!provided.geniTarget) {
    const { openTarget } = await import('./target');
    target = await openTarget(config);
    project.provide('geniTarget', target.spec);
  }
  return async () => {
    await target?.close();
  };
}

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inject } from 'vitest';
import { useRsaKeySupply } from '../../src/credentials';
import { RsaKeyPool } from './key-pool.mjs';

// vitest setupFile of the unit and full projects: what every test process shares with the rest of the run
// (test/helpers/test-run-setup.ts makes the directory).
const runDir = inject('testRunDir');
if (runDir) {
  // Its RSA keys come from the run's pool. One pool object per process, kept across the test files a worker runs
  // (files may share a worker), so a key is never handed out twice in a process.
  const holder = globalThis as { geniHarnessRsaKeyPool?: RsaKeyPool };
  useRsaKeySupply(holder.geniHarnessRsaKeyPool ??= new RsaKeyPool(join(runDir, 'rsa-keys')));
  // The CLI runs a test starts (`geni-harness run` hosts vitest) share one on-disk cache of transformed modules
  // (vitest.config.ts reads this variable): each run would otherwise transform the suites and the harness again.
  process.env.GENI_HARNESS_TEST_MODULE_CACHE ??= join(runDir, 'vitest-modules');
  // The Node processes a test starts (the CLI, its vitest worker, federation children) draw their RSA keys from a
  // pool of their own, shared by all of them (test/helpers/cli-key-supply.mjs).
  if (process.env.GENI_HARNESS_TEST_CLI_KEYS === undefined) {
    process.env.GENI_HARNESS_TEST_CLI_KEYS = join(runDir, 'cli-rsa-keys');
    const preload = `--import=${JSON.stringify(pathToFileURL(join(__dirname, 'cli-key-supply.mjs')).href)}`;
    process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, preload].filter(Boolean).join(' ');
  }
}

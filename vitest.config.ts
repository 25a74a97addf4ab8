import { defineConfig } from 'vitest/config';

/**
 * Two kinds of tests live here, as vitest projects:
 * - `harness`: the harness's own tests (test/**): codec, transport, credentials, RSpecs, checks, reporters, the
 *   reference AM, the suites against the reference AM and every fault. `npm test` runs them.
 * - `suites`: the conformance suites themselves (suites/conformance.test.ts: one test per case), against the
 *   target of harness.config.ts and GENI_HARNESS_* variables: `npx vitest run suites/`, or `geni-harness run`.
 *   The global setup starts the embedded reference AM when that is the target.
 * The harness reporter writes the conformance reports (JUnit, results.json, transcripts) beside vitest's own.
 */
export default defineConfig({
  test: {
    reporters: ['default', './src/cli/vitest-reporter.ts'],
    projects: [
      {
        test: {
          name: 'harness',
          include: ['test/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'suites',
          include: ['suites/**/*.test.ts'],
          globalSetup: ['./src/cli/vitest-setup.ts'],
          // One worker holds the run's one Session; cases run one after another (they share the aggregate).
          fileParallelism: false,
          maxWorkers: 1,
          pool: 'forks',
          hookTimeout: 120_000,
        },
      },
    ],
  },
});

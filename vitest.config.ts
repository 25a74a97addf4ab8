import { defineConfig } from 'vitest/config';

/**
 * The tests, as vitest projects:
 * - `unit`: the harness's own tests that need nothing but the process (codec, transport, credentials, RSpecs,
 *   checks, reporters, the reference AM in-process and over TLS, the runner against small servers): `npm run
 *   test:unit`, well under a minute.
 * - `full`: the suites against the reference AM, once per configuration (the CLI's default run under --strict,
 *   geni_single), every fault against the cases that claim it, the CLI, determinism and replay.
 *   `npm test` runs lint, `unit` and `full`.
 * - `suites`: the conformance suites themselves (suites/conformance.test.ts: one test per case), against the
 *   target of harness.config.ts and GENI_HARNESS_* variables: `npx vitest run suites/`, or `geni-harness run`. The
 *   global setup starts the embedded reference AM when that is the target.
 * The harness reporter writes the conformance reports (JUnit, results.json, transcripts) beside vitest's own.
 * Timeouts are generous on purpose (the machine may be shared, 3× loaded): speed goals live in bench/.
 */
const FULL = ['test/conformance/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/properties/**/*.test.ts'];

export default defineConfig({
  test: {
    reporters: ['default', './src/cli/vitest-reporter.ts'],
    // Two test files at a time: a 2-core CI machine runs the slow ones side by side.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: FULL,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'full',
          include: FULL,
          testTimeout: 900_000,
          hookTimeout: 300_000,
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
          pool: 'forks',
          hookTimeout: 120_000,
        },
      },
    ],
  },
});

import { defineConfig } from 'vitest/config';

/**
 * The tests, as vitest projects:
 * - `unit`: the harness's own tests that need nothing but the process (codec, transport, credentials, RSpecs,
 *   checks, reporters, the reference AM in-process, the runner against small servers, the CLI's commands that need
 *   no aggregate): `npm run test:unit`, under a minute.
 * - `full` (the FULL list): the suites against the reference AM, once per configuration (the CLI's default run
 *   under --strict, geni_single), every fault against the cases that claim it and against the reference AM's own
 *   behaviour, the CLI as a process, determinism and replay, xmlsec1 interoperability, the HTML report in Chromium.
 *   `npm test` runs lint, `unit` and `full` (scripts/test.mjs: lint beside the tiers).
 * - `suites`: the conformance suites themselves (suites/conformance.test.ts: one test per case), against the
 *   target of harness.config.ts and GENI_HARNESS_* variables: `npx vitest run suites/`, or `geni-harness run`. The
 *   global setup starts the embedded reference AM when that is the target.
 * The harness reporter writes the conformance reports (JUnit, results.json, transcripts, index.html) beside vitest's own.
 * Timeouts are generous on purpose (the machine may be shared, 3× loaded): speed goals live in bench/.
 */
const FULL = [
  'test/conformance/**/*.test.ts',
  'test/properties/**/*.test.ts',
  'test/cli/**/*.test.ts',
  // The reference AM and the runner end to end, each against every fault or over real TLS: slower than a unit.
  'test/reference-am/fault-behaviour.test.ts',
  'test/reference-am/property-faults.test.ts',
  'test/reference-am/https-end-to-end.test.ts',
  'test/reference-am/slice-api-end-to-end.test.ts',
  'test/runner/user-identity.test.ts',
  'test/runner/crash-cleanup.test.ts',
  'test/runner/slice-authority-run.test.ts',
  'test/credentials/xmlsec-interop.test.ts',
  // Peer aggregates and the reference slice manager over real TLS, and suite sm against them.
  'test/peer-aggregates/**/*.test.ts',
  'test/reference-sm/**/*.test.ts',
  'test/runner/sm-suite.test.ts',
  // A headless Chromium process renders the HTML report.
  'test/reporting/html-chromium.test.ts',
  // Dynslice: the suites against the reference (countdowns), its server faults one by one, and the reference client
  // endpoint against each of its faults over TLS.
  'test/runner/dynslice-suites.test.ts',
  'test/reference-am/dynslice/end-to-end.test.ts',
  'test/reference-am/dynslice/faults.test.ts',
  'test/reference-dynslice-client/endpoint.test.ts',
];

/**
 * Every unit and full test process shares the run's RSA keys (generated once per run, not once per test file:
 * test/helpers/key-pool.mjs) and passes the run's module cache and a pool of keys of their own to the CLI runs it
 * starts.
 */
const TEST_RUN = { globalSetup: ['./test/helpers/test-run-setup.ts'], setupFiles: ['./test/helpers/test-process-setup.ts'] };
/** Set by test/helpers/test-process-setup.ts for the CLI runs a test starts; never in a user's run. */
const TEST_MODULE_CACHE = process.env.GENI_HARNESS_TEST_MODULE_CACHE;

export default defineConfig({
  test: {
    ...(TEST_MODULE_CACHE && { experimental: { fsModuleCache: true, fsModuleCachePath: TEST_MODULE_CACHE } }),
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
          ...TEST_RUN,
          // Test files share their worker's module cache: importing the harness once per worker, not once per file,
          // is half of this tier's time. Tests keep no state in shared modules (nock is re-activated where used).
          isolate: false,
        },
      },
      {
        test: {
          name: 'full',
          include: FULL,
          testTimeout: 900_000,
          hookTimeout: 300_000,
          pool: 'forks',
          ...TEST_RUN,
          // As in the unit tier: a worker imports the harness once, not once per file (a few seconds of CPU each).
          // Every file starts and closes its own servers and works in its own scratch directories.
          isolate: false,
        },
      },
      {
        test: {
          name: 'suites',
          include: ['suites/**/*.test.ts'],
          globalSetup: ['./src/cli/vitest-setup.ts'],
          // One worker holds the run's one Session. Cases run one after another unless --concurrency lets an AM
          // suite's run at once (src/runner/scheduler.ts decides which start when; vitest's own cap is set above it).
          fileParallelism: false,
          maxConcurrency: 64,
          pool: 'forks',
          hookTimeout: 120_000,
        },
      },
    ],
  },
});

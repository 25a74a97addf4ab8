import { defineConfig } from 'vitest/config';

// `npm test`: the harness's own tests (codec, transport, credentials, RSpecs, checks, reporters, reference AM,
// the suites against the reference AM and every fault). The conformance suites themselves (suites/) are started
// by `geni-harness run`, not collected here.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});

/**
 * The conformance suites as vitest tests: `npx vitest run suites/` (target from harness.config.ts or GENI_HARNESS_*
 * variables; `-t`, watch mode and reporters as usual) and `geni-harness run` both run this file. It registers one
 * vitest test per selected case of every suite the target offers (src/runner/vitest-host.ts).
 */
import { registerSuites } from '../src/runner/vitest-host';

await registerSuites();

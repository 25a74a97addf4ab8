// Preloaded (`node --import`, through NODE_OPTIONS: test/helpers/test-process-setup.ts) into every Node process a test
// starts, the CLI's among them with their vitest workers and federation children: generateRsaKeyPem draws from the
// run's pool of CLI keys (GENI_HARNESS_TEST_CLI_KEYS) before generating one (src/credentials/certificates.ts,
// PRESET_RSA_KEY_SUPPLY). A fresh `geni-harness run` mints six or more 2048-bit keys (authority, AM, client
// endpoint, harness user, callback listener…), 0.1-0.35 s of CPU each. The test processes draw from another
// directory, so a CLI run never holds a key of the test that watches it.
import { RsaKeyPool } from './key-pool.mjs';

const dir = process.env.GENI_HARNESS_TEST_CLI_KEYS;
if (dir) globalThis[Symbol.for('geni-harness.rsa-key-supply')] ??= new RsaKeyPool(dir);

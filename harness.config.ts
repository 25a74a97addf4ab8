import { defineConfig } from './src/config';

// The configuration of `geni-harness run` and `npx vitest run suites/`. Empty: the defaults (DEFAULT_CONFIG in
// src/config.ts: the embedded reference AM, reports/, not strict…) are what a fresh clone runs. Every field can be
// overridden by a flag or a GENI_HARNESS_* variable (README.md).
export default defineConfig({
  // A remote aggregate, as an operator would configure it:
  // target: 'https://am.example.net:12346/am/3',
  // cert: '~/.gcf/alice-cert.pem', key: '~/.gcf/alice-key.pem', userCredential: '~/.gcf/alice-usercred.xml',
  // ca: ['./trusted/am-ca.pem'],
  // Your own cases, beside suites/:
  // caseDirs: ['./my-cases'],
});

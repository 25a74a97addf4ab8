import { defineConfig } from './src/config';

// Defaults for `geni-harness run`; every field can be overridden on the command line (see README.md).
export default defineConfig({
  target: 'reference',
  reportsDir: 'reports',
  strict: false,
  callTimeoutMs: 60_000,
  caseTimeoutMs: 300_000,
  ledgerPath: '.geni-harness/ledger.json',
  // A remote aggregate, as an operator would configure it:
  // target: 'https://am.example.net:12346/am/3',
  // cert: '~/.gcf/alice-cert.pem', key: '~/.gcf/alice-key.pem', userCredential: '~/.gcf/alice-usercred.xml',
  // ca: ['./trusted/am-ca.pem'],
});

import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createConsoleReporter,
  createHtmlReporter,
  createJUnitReporter,
  createResultsJsonReporter,
  createTranscriptReporter,
  fanOut,
} from '../../src/reporting';
import type { HarnessEvent } from '../../src/runner/events';
import type { CaseResult } from '../../src/runner/types';
import { ERRORED, FAILED, SKIPPED, WARNED, exchange, runFinished, runStarted } from './fixtures';

// Each secret carries a marker that must not survive into any report.
const KEY_MATERIAL = 'MIIEowIBAAKCAQEAkeyMaterialMarker0123456789abcdefSECRET';
const PRIVATE_KEY = `${"-----BEGIN"} RSA PRIVATE KEY-----\n${KEY_MATERIAL}\n${'Zm9vYmFy'.repeat(30)}\n-----END RSA PRIVATE KEY-----`;
const CREDENTIAL_BODY = 'CredentialOwnerGidMarker';
const CREDENTIAL_SIGNATURE = 'CredentialSignatureValueMarker==';
const SIGNED_CREDENTIAL =
  '<?xml version="1.0"?><signed-credential><credential xml:id="ref0"><type>privilege</type>' +
  `<owner_gid>${CREDENTIAL_BODY}</owner_gid><target_urn>urn:publicid:IDN+ch+slice+s1</target_urn></credential>` +
  `<signatures><Signature><SignedInfo/><SignatureValue>${CREDENTIAL_SIGNATURE}</SignatureValue></Signature></signatures></signed-credential>`;
const ESCAPED_CREDENTIAL = SIGNED_CREDENTIAL.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const LONE_SIGNATURE = 'LoneSignatureValueMarker==';
const SIGNATURE_ELEMENT = `<ds:SignatureValue xmlns:ds="http://www.w3.org/2000/09/xmldsig#">${LONE_SIGNATURE}</ds:SignatureValue>`;
const MARKERS = [KEY_MATERIAL, CREDENTIAL_BODY, CREDENTIAL_SIGNATURE, LONE_SIGNATURE, 'PRIVATE KEY-----'];

const secretRequest = `<methodCall><methodName>Allocate</methodName><params><param><value><string>${ESCAPED_CREDENTIAL}</string></value></param></params></methodCall>`;
const secretResponse = `<methodResponse><params><param><value><string>${PRIVATE_KEY}\n${SIGNATURE_ELEMENT}</string></value></param></params></methodResponse>`;

const leakyFailure: CaseResult = {
  ...FAILED,
  outcome: {
    kind: 'fail',
    findings: [
      {
        check: 'geni-code',
        title: 'Unexpected geni_code',
        expected: ['geni_code BADARGS (1)'],
        // A check that echoes the output verbatim: the credential is long enough to be truncated when shown.
        actual: `geni_code SUCCESS (0); output=${SIGNED_CREDENTIAL}`,
        exchangeIds: ['x1'],
        hint: SIGNATURE_ELEMENT,
      },
    ],
  },
  exchanges: [exchange('x1', 'Allocate', secretRequest, secretResponse)],
  notes: [`user key was ${PRIVATE_KEY}`],
};
const leakyError: CaseResult = {
  ...ERRORED,
  outcome: { kind: 'error', phase: 'decode', message: `could not decode ${PRIVATE_KEY}`, exchangeIds: ['x1'] },
  exchanges: [{ ...exchange('x1', 'ListResources', secretRequest), response: undefined, error: `bad response ${SIGNATURE_ELEMENT}` }],
};
const leakyWarn: CaseResult = { ...WARNED, notes: [SIGNED_CREDENTIAL], exchanges: [exchange('x1', 'GetVersion', secretRequest, secretResponse)] };
const leakySkip: CaseResult = { ...SKIPPED, outcome: { kind: 'skip', reason: `no slice: ${SIGNED_CREDENTIAL}` } };

const results = [leakyFailure, leakyError, leakyWarn, leakySkip];
const events: HarnessEvent[] = [
  runStarted({ caseCount: results.length }),
  { type: 'run-note', message: `loaded ${PRIVATE_KEY}` },
  ...results.map((result): HarnessEvent => ({ type: 'case-finished', result })),
  runFinished(results),
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('reports never carry a private key, a credential body or a signature value', () => {
  it('holds for every file under the reports directory and for the console output', async () => {
    const reportsDir = mkdtempSync(join(tmpdir(), 'redaction-'));
    let consoleText = '';
    const reporter = fanOut([
      createJUnitReporter({ path: join(reportsDir, 'junit.xml') }),
      createResultsJsonReporter({ path: join(reportsDir, 'results.json') }),
      createTranscriptReporter({ dir: reportsDir }),
      createHtmlReporter({ path: join(reportsDir, 'index.html') }),
      createConsoleReporter({ write: (text) => (consoleText += text), verbose: true }),
    ]);
    for (const event of events) await reporter.onEvent(event);
    await reporter.close();

    const files = filesUnder(reportsDir);
    // junit.xml, results.json, index.html and one transcript per case: the check below covers real output
    expect(files).toHaveLength(3 + results.length);
    const outputs = [...files.map((file) => ({ name: file, text: readFileSync(file, 'utf8') })), { name: 'console', text: consoleText }];
    for (const { name, text } of outputs) {
      for (const marker of MARKERS) expect(text.includes(marker), `${marker} in ${name}`).toBe(false);
    }

    // the redacted stand-ins are what remains, so the secrets were replaced rather than the values dropped
    const transcript = readFileSync(join(reportsDir, 'cases', `${leakyFailure.id}.json`), 'utf8');
    expect(transcript).toContain('«private key sha256:');
    expect(transcript).toContain('«credential sha256:');
    expect(transcript).toContain('«signature redacted»');
    expect(consoleText).toContain('«private key sha256:');
    const html = readFileSync(join(reportsDir, 'index.html'), 'utf8');
    expect(html).toContain('«private key sha256:');
    expect(html).toContain('«credential sha256:');
  });
});

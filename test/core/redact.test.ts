import { describe, expect, it } from 'vitest';
import { redactText, redactValue } from '../../src/core';

const body = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7';

describe('redaction of secrets', () => {
  it.each(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'DSA PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'ENCRYPTED PRIVATE KEY'])('removes a %s', (label) => {
    const text = `before -----BEGIN ${label}-----\n${body}\n-----END ${label}----- after`;
    const out = redactText(text);
    expect(out).not.toContain(body);
    expect(out).toMatch(/^before «private key sha256:[0-9a-f]{12} redacted» after$/);
  });

  it('removes a key cut off before its END line (to the end of the text)', () => {
    expect(redactText(`x ${"-----BEGIN"} PRIVATE KEY-----\n${body}`)).not.toContain(body);
  });

  it('replaces credentials in every form they travel in, keeping type and target', () => {
    const cred = '<signed-credential><credential xml:id="ref0"><type>privilege</type><target_urn>urn:publicid:IDN+a+slice+s</target_urn></credential><signatures><Signature><SignatureValue>c2VjcmV0</SignatureValue></Signature></signatures></signed-credential>';
    const escaped = cred.replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const numeric = cred.replace(/</g, '&#60;').replace(/>/g, '&#62;');
    for (const form of [cred, escaped, numeric]) {
      const out = redactText(`<value><string>${form}</string></value>`);
      expect(out).not.toContain('c2VjcmV0');
      expect(out).toContain('type=privilege target=urn:publicid:IDN+a+slice+s');
    }
  });

  it('blanks a lone SignatureValue and walks nested values', () => {
    expect(redactText('<ds:SignatureValue>abc123</ds:SignatureValue>')).toBe('<ds:SignatureValue>«signature redacted»</ds:SignatureValue>');
    expect(redactValue({ a: [`${"-----BEGIN"} PRIVATE KEY-----${body}-----END PRIVATE KEY-----`] }).a[0]).not.toContain(body);
  });
});

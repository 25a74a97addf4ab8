import { createHash } from 'node:crypto';

/**
 * Redaction of secrets from anything we record or print: private keys, credential bodies, signature values.
 * Transcripts keep enough to recognise a credential (a digest, its type and target) but never its bytes.
 */
// Any key label (RSA, EC, DSA, OPENSSH, ENCRYPTED, PKCS#8); a key cut off before its END line is redacted to the end.
const PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----[\s\S]*?(?:-----END \1-----|$)/g;
const NUMERIC_ESCAPED_SIGNED_CREDENTIAL = /&#0*60;signed-credential\b[\s\S]*?(?:&#0*60;\/signed-credential&#0*62;|$)/g;
const SIGNED_CREDENTIAL = /<signed-credential\b[\s\S]*?(?:<\/signed-credential>|$)/g;
const ESCAPED_SIGNED_CREDENTIAL = /&lt;signed-credential\b[\s\S]*?(?:&lt;\/signed-credential&gt;|$)/g;
const SIGNATURE_VALUE = /(<(?:\w+:)?SignatureValue\b[^>]*>)[\s\S]*?(<\/(?:\w+:)?SignatureValue>)/g;
const ESCAPED_SIGNATURE_VALUE = /(&lt;(?:\w+:)?SignatureValue\b[\s\S]*?&gt;)[\s\S]*?(&lt;\/(?:\w+:)?SignatureValue&gt;)/g;

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

function credentialSummary(body: string): string {
  const unescaped = body.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const type = /<type>\s*([^<]*?)\s*<\/type>/.exec(unescaped)?.[1] ?? '?';
  const target = /<target_urn>\s*([^<]*?)\s*<\/target_urn>/.exec(unescaped)?.[1] ?? '?';
  return `«credential sha256:${digest(body)} type=${type} target=${target}»`;
}

export function redactText(text: string): string {
  return text
    .replace(PRIVATE_KEY, (m) => `«private key sha256:${digest(m)} redacted»`)
    .replace(SIGNED_CREDENTIAL, (m) => credentialSummary(m))
    .replace(ESCAPED_SIGNED_CREDENTIAL, (m) => credentialSummary(m))
    .replace(NUMERIC_ESCAPED_SIGNED_CREDENTIAL, (m) => credentialSummary(m.replace(/&#0*60;/g, '<').replace(/&#0*62;/g, '>')))
    .replace(SIGNATURE_VALUE, (_m, open: string, close: string) => `${open}«signature redacted»${close}`)
    .replace(ESCAPED_SIGNATURE_VALUE, (_m, open: string, close: string) => `${open}«signature redacted»${close}`);
}

/** Deep-redact a JSON-like value (strings are passed through redactText). */
export function redactValue<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactValue(v)) as T;
  if (value && typeof value === 'object' && !(value instanceof Uint8Array) && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactValue(v);
    return out as T;
  }
  return value;
}

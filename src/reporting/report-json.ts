import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { redactText } from '../core';

/**
 * Serialises a value for a report file. Every string goes through redactText, including the text of binary
 * bodies (a Buffer would otherwise be written as a byte array that no redaction pattern can see).
 */
export function toReportJson(value: unknown): string {
  return `${JSON.stringify(toRedactedJsonValue(value), null, 2)}\n`;
}

function toRedactedJsonValue(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Uint8Array) return redactText(Buffer.from(value).toString('utf8'));
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toRedactedJsonValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (inner !== undefined) out[key] = toRedactedJsonValue(inner);
    }
    return out;
  }
  return value;
}

/** Writes a report file, creating its directory first. */
export async function writeReportFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text, 'utf8');
}

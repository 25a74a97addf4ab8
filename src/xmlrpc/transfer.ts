import { XmlRpcDateTime, isStruct, type DecodedResponse, type XmlRpcValue } from './values';

/**
 * A decoded response in a form that survives structured cloning (postMessage from the sandbox worker) and comes
 * back exactly as decoded. Cloning keeps strings, numbers, bigints, booleans, null, arrays, plain objects (member
 * order and a "__proto__" member as data included) and Maps, but turns class instances into plain objects and
 * Buffers into Uint8Arrays: dateTime values are therefore sent as their wire text with their place in the tree,
 * and base64 values become Buffers again on arrival.
 */
export interface TransferableResponse {
  decoded: DecodedResponse;
  /** Where XmlRpcDateTime values were, as key/index steps from the root value, and their wire text. */
  dates: Array<{ at: Array<string | number>; raw: string }>;
}

export function toTransferable(decoded: DecodedResponse): TransferableResponse {
  const dates: TransferableResponse['dates'] = [];
  if (decoded.kind === 'value') collectDates(decoded.value, [], dates);
  return { decoded, dates };
}

function collectDates(value: XmlRpcValue, at: Array<string | number>, out: TransferableResponse['dates']): void {
  if (value instanceof XmlRpcDateTime) out.push({ at: [...at], raw: value.raw });
  else if (Array.isArray(value)) value.forEach((item, i) => { at.push(i); collectDates(item, at, out); at.pop(); });
  else if (isStruct(value)) {
    for (const key of Object.keys(value)) {
      at.push(key);
      collectDates(value[key]!, at, out);
      at.pop();
    }
  }
}

/** Undoes toTransferable on the receiving side (after cloning). */
export function fromTransferable(received: TransferableResponse): DecodedResponse {
  const { decoded, dates } = received;
  if (decoded.kind !== 'value') return decoded;
  let value = rebuffer(decoded.value);
  for (const { at, raw } of dates) {
    if (at.length === 0) {
      value = new XmlRpcDateTime(raw);
      continue;
    }
    let parent = value as Record<string | number, XmlRpcValue>;
    for (const step of at.slice(0, -1)) parent = parent[step] as Record<string | number, XmlRpcValue>;
    const last = at[at.length - 1]!;
    Object.defineProperty(parent, last, { value: new XmlRpcDateTime(raw), enumerable: true, writable: true, configurable: true });
  }
  return { kind: 'value', value, wireTypes: decoded.wireTypes };
}

/** base64 values arrive as Uint8Array; the decoder's contract is a Buffer. */
function rebuffer(value: XmlRpcValue): XmlRpcValue {
  if (value instanceof Uint8Array) return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) value[i] = rebuffer(value[i]!);
  } else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const struct = value as Record<string, XmlRpcValue>;
    for (const key of Object.keys(struct)) {
      const item = struct[key]!;
      if (item !== null && typeof item === 'object') {
        Object.defineProperty(struct, key, { value: rebuffer(item), enumerable: true, writable: true, configurable: true });
      }
    }
  }
  return value;
}

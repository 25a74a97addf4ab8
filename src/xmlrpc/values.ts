/**
 * The XML-RPC value model shared by the encoder and the decoder.
 *
 * Decoding maps wire types onto JavaScript values:
 *   int / i4 → number; i8 → number when it is a safe integer, else bigint; double → number; boolean → boolean;
 *   string and untyped <value> → string; dateTime.iso8601 → XmlRpcDateTime (the wire text is kept, because
 *   conformance checks judge the text, not the instant); base64 → Buffer; nil → null; array → array;
 *   struct → plain object (member order kept).
 * Since `number` loses the int/double distinction, every decoded value also gets an entry in a WireTypeIndex.
 */

export type WireType =
  | 'int' | 'i4' | 'i8' | 'double' | 'boolean' | 'string' | 'dateTime.iso8601' | 'base64' | 'nil' | 'array' | 'struct';

export const WIRE_TYPES: readonly WireType[] = [
  'int', 'i4', 'i8', 'double', 'boolean', 'string', 'dateTime.iso8601', 'base64', 'nil', 'array', 'struct',
];

/** A dateTime.iso8601 value exactly as it appeared on the wire. */
export class XmlRpcDateTime {
  constructor(readonly raw: string) {}

  /**
   * The instant, or undefined when the text is not a date we understand. Accepts the XML-RPC spec's
   * `YYYYMMDDTHH:MM:SS` and the ISO 8601 / RFC 3339 extended forms, with optional fraction and zone; a missing
   * zone is read as UTC (the XML-RPC spec leaves it open, and GENI uses UTC throughout).
   */
  toDate(): Date | undefined {
    const m = DATE_TIME.exec(this.raw.trim());
    if (!m) return undefined;
    const [, y, mo, d, h, mi, s, frac, zone] = m;
    const month = Number(mo);
    const day = Number(d);
    const hour = Number(h);
    const minute = Number(mi);
    const second = Number(s);
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
    const millis = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
    let epoch = Date.UTC(Number(y), month - 1, day, hour, minute, second, millis);
    if (zone && zone !== 'Z' && zone !== 'z') {
      const zm = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
      if (!zm) return undefined;
      const offsetMinutes = (Number(zm[2]) * 60 + Number(zm[3])) * (zm[1] === '-' ? -1 : 1);
      epoch -= offsetMinutes * 60_000;
    }
    const date = new Date(epoch);
    // Date.UTC rolls 31 February over into March; that is not a valid date on the wire.
    return Number.isNaN(date.getTime()) || new Date(Date.UTC(Number(y), month - 1, day)).getUTCDate() !== day
      ? undefined
      : date;
  }

  toString(): string {
    return this.raw;
  }
}

const DATE_TIME = /^(\d{4})-?(\d{2})-?(\d{2})[Tt](\d{2}):?(\d{2}):?(\d{2})(?:[.,](\d+))?(Z|z|[+-]\d{2}:?\d{2})?$/;

/**
 * Encode exactly `text` inside a `<type>` element, with NO escaping and NO validation.
 * This is the fuzzing escape hatch: it lets a test put a `<double>` where an `<int>` belongs, send an illegal
 * character, or inject raw markup (for 'array' and 'struct' the text is the element's inner XML).
 * The decoder never produces it.
 */
export class XmlRpcTyped {
  constructor(readonly type: WireType, readonly text: string) {}
}

export type XmlRpcValue =
  | string
  | number
  | boolean
  | null
  | bigint
  | Uint8Array
  | XmlRpcDateTime
  | XmlRpcTyped
  | Date
  | XmlRpcValue[]
  | { [key: string]: XmlRpcValue };

/**
 * Path → wire type of every decoded value. '' is the root; struct members are joined with '.', array items
 * are `[i]`: 'code.geni_code', 'value.geni_slivers[0].geni_expires'.
 */
export type WireTypeIndex = Map<string, WireType>;

export type DecodedResponse =
  | { kind: 'value'; value: XmlRpcValue; wireTypes: WireTypeIndex }
  /** `problem` when the Fault breaks the XML-RPC rule that faultCode is an int (then faultCode is its text). */
  | { kind: 'fault'; faultCode: number | string; faultString: string; problem?: string };

export interface DecodeLimits {
  /**
   * Deepest nesting of values accepted (the root value is depth 1).
   * @defaultValue 64
   */
  maxDepth?: number;
  /**
   * Most XML elements in one document (a value is two to four of them). Real answers hold thousands; the limit
   * keeps the memory a hostile answer can take bounded.
   * @defaultValue 500,000
   */
  maxElements?: number;
  /**
   * Longest string (characters) a value may hold. Strings are always decoded whole up to it, and one past it is
   * reported as the limit it hit ('too-large'), never cut short.
   * @defaultValue 64 Mi (the client's default response cap)
   */
  maxStringLength?: number;
}

export const DEFAULT_DECODE_LIMITS: Required<DecodeLimits> = { maxDepth: 64, maxElements: 500_000, maxStringLength: 64 * 1024 * 1024 };

export function isStruct(value: XmlRpcValue | undefined): value is { [key: string]: XmlRpcValue } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array) &&
    !(value instanceof Date) &&
    !(value instanceof XmlRpcDateTime) &&
    !(value instanceof XmlRpcTyped)
  );
}

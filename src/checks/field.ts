import { isDeepStrictEqual } from 'node:util';
import { describeType, formatValue, type Finding } from '../core';
import type { AmResponse } from '../geni/methods';
import type { Check, CheckContext } from '../core';
import type { WireType, XmlRpcValue } from '../xmlrpc';
import { findingFor } from './describe';
import { toJsonValue } from './json-schemas';
import { resolvePath, type Resolved } from './paths';

const CHECK = 'field';
/** A required member that is not there: its own check id, so a case can prove it saw a value judged, not a gap. */
const CHECK_MISSING = 'field-missing';

export type ValueKind = 'string' | 'int' | 'double' | 'boolean' | 'struct' | 'array' | 'nil' | 'base64' | 'dateTime';

/** A predicate over a present value; the text says what it demands, for the Expected line. */
export type ValuePredicate = (value: XmlRpcValue) => boolean;

interface FieldOptions {
  /** When true, an absent member is fine; present ones must still pass. */
  optional: boolean;
}

/**
 * Checks on the value(s) at a path of the decoded return (see paths.ts for the syntax, including wildcards).
 * Unless `.ifPresent()` was used, an absent member is itself a finding for every check but `absent()`.
 */
export class FieldChecks {
  constructor(readonly path: string, private readonly options: FieldOptions = { optional: false }) {}

  /** The same checks, but an absent member passes. */
  ifPresent(): FieldChecks {
    return new FieldChecks(this.path, { optional: true });
  }

  present(): Check<AmResponse> {
    return this.each(['present'], 'Required member is missing', () => undefined);
  }

  absent(): Check<AmResponse> {
    return (res, ctx) =>
      resolvePath(res.raw, this.path)
        .filter((r) => r.present)
        .map((r) => this.finding(res, ctx, r, 'Member must be absent', ['member absent'], formatValue(r.value)));
  }

  equals(expected: XmlRpcValue): Check<AmResponse> {
    const want = toJsonValue(expected);
    return this.each([formatValue(expected)], 'Unexpected value', (value) =>
      isDeepStrictEqual(toJsonValue(value), want) ? undefined : formatValue(value));
  }

  oneOf(values: readonly XmlRpcValue[]): Check<AmResponse> {
    const wants = values.map(toJsonValue);
    return this.each(values.map((v) => formatValue(v)), 'Value is not one of the allowed values', (value) =>
      wants.some((w) => isDeepStrictEqual(toJsonValue(value), w)) ? undefined : formatValue(value));
  }

  /** The XML-RPC type the value was sent as (from the wire, so int and double, string and int are told apart). */
  wireType(...types: WireType[]): Check<AmResponse> {
    return (res, ctx) =>
      this.resolved(res).flatMap((r) => {
        if (!r.present) return this.missing(res, ctx, r, types.map((t) => `XML-RPC ${t}`));
        const sent = res.wireTypes?.get(r.path) ?? describeType(r.value);
        return types.includes(sent as WireType)
          ? []
          : [this.finding(res, ctx, r, 'Value sent with the wrong XML-RPC type', types.map((t) => `XML-RPC ${t}`), `${sent} ${formatValue(r.value)}`)];
      });
  }

  /** The decoded kind of the value (int vs double by value; use wireType for what was on the wire). */
  kind(...kinds: ValueKind[]): Check<AmResponse> {
    return this.each(kinds.map((k) => `a value of type ${k}`), 'Value has the wrong type', (value) => {
      const got = describeType(value);
      return kinds.includes(got as ValueKind) ? undefined : `${got} ${formatValue(value)}`;
    });
  }

  /** A non-empty string, array or struct. */
  nonEmpty(): Check<AmResponse> {
    return this.each(['a non-empty value'], 'Value is empty', (value) => {
      const size = typeof value === 'string' || Array.isArray(value) ? value.length
        : value !== null && typeof value === 'object' && describeType(value) === 'struct' ? Object.keys(value).length : 1;
      return size > 0 ? undefined : formatValue(value);
    });
  }

  matches(pattern: RegExp, what: string): Check<AmResponse> {
    return this.each([what], 'Value has the wrong form', (value) =>
      typeof value === 'string' && pattern.test(value) ? undefined : formatValue(value));
  }

  satisfies(predicate: ValuePredicate, expectedText: string): Check<AmResponse> {
    return this.each([expectedText], 'Value does not meet the requirement', (value) => (predicate(value) ? undefined : formatValue(value)));
  }

  private resolved(res: AmResponse): Resolved[] {
    const all = resolvePath(res.raw, this.path);
    return this.options.optional ? all.filter((r) => r.present) : all;
  }

  private finding(res: AmResponse, ctx: CheckContext, r: Resolved, title: string, expected: string[], actual: string): Finding {
    return findingFor(res, { check: CHECK, title, expected, actual, path: r.path, spec: ctx.spec });
  }

  private missing(res: AmResponse, ctx: CheckContext, r: Resolved, expected: string[]): Finding[] {
    return [findingFor(res, {
      check: CHECK_MISSING, title: 'Required member is missing', expected, actual: res.fault ? 'XML-RPC Fault (no value)' : 'member absent', path: r.path, spec: ctx.spec,
    })];
  }

  /** Runs `judge` on every present value; it returns the Actual text of a violation, or undefined. */
  private each(expected: string[], title: string, judge: (value: XmlRpcValue) => string | undefined): Check<AmResponse> {
    return (res, ctx) =>
      this.resolved(res).flatMap((r) => {
        if (!r.present) return this.missing(res, ctx, r, expected);
        const actual = judge(r.value as XmlRpcValue);
        return actual === undefined ? [] : [this.finding(res, ctx, r, title, expected, actual)];
      });
  }
}

/** Checks on the value at `path` of the decoded return: 'value.geni_api', 'geni_api', 'value.geni_slivers[*].geni_error'. */
export function field(path: string): FieldChecks {
  return new FieldChecks(path);
}

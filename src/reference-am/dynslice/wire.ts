import { isStruct, type XmlRpcValue } from '../../xmlrpc';

/**
 * ProtoGENI response codes (protogeni/lib/GeniResponse): the table the GENI AM API later adopted for geni_code, so
 * the numbers are the same. The dynslice server answers `{ code: <int>, value, output }`, never a nested struct.
 */
export const PG_CODE = {
  SUCCESS: 0,
  BADARGS: 1,
  ERROR: 2,
  FORBIDDEN: 3,
  SERVERERROR: 5,
  REFUSED: 7,
  SEARCHFAILED: 12,
} as const;

export type PgCode = (typeof PG_CODE)[keyof typeof PG_CODE];

/** A refusal a dynslice handler throws; the dispatcher turns it into `{ code, value: 0, output }`. */
export class DynsliceError extends Error {
  override readonly name = 'DynsliceError';
  constructor(readonly code: PgCode, message: string) {
    super(message);
  }
}

export const pgSuccess = (value: XmlRpcValue, output = ''): Record<string, XmlRpcValue> => ({ code: PG_CODE.SUCCESS, value, output });
export const pgError = (error: DynsliceError): Record<string, XmlRpcValue> => ({ code: error.code, value: 0, output: error.message });

/**
 * The named arguments of one call. ProtoGENI servers take a single struct of named arguments (how the elasticslice
 * library calls them); the server page writes a positional signature. A lone struct whose members include a
 * known argument name is taken as the named form; anything else is read positionally in the page's order.
 */
export function namedArguments(params: readonly XmlRpcValue[], names: readonly string[]): Record<string, XmlRpcValue> {
  const first = params[0];
  if (params.length === 1 && isStruct(first) && (names.length === 0 || names.some((n) => Object.hasOwn(first, n)))) return first;
  if (params.length > names.length) {
    throw new DynsliceError(PG_CODE.BADARGS, `expected at most ${names.length} arguments (${names.join(', ') || 'none'}), got ${params.length}`);
  }
  const named: Record<string, XmlRpcValue> = {};
  params.forEach((value, i) => {
    // Positional callers fill a skipped optional argument with '' or nil.
    if (value !== '' && value !== null) named[names[i]!] = value;
  });
  return named;
}

export function requireString(args: Record<string, XmlRpcValue>, name: string): string {
  const value = args[name];
  if (typeof value !== 'string' || value === '') throw new DynsliceError(PG_CODE.BADARGS, `missing or empty argument ${name} (a string)`);
  return value;
}

export function requireArray(args: Record<string, XmlRpcValue>, name: string): XmlRpcValue[] {
  const value = args[name];
  if (!Array.isArray(value)) throw new DynsliceError(PG_CODE.BADARGS, `missing argument ${name} (a list)`);
  return value;
}

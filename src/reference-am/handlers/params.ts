import type { XmlRpcValue } from '../../xmlrpc';
import { badArgs } from '../am-error';

/** A string parameter, e.g. slice_urn, rspec or action; anything else is BADARGS naming the parameter. */
export function stringParam(params: XmlRpcValue[], index: number, name: string): string {
  const value = params[index];
  if (typeof value !== 'string') throw badArgs(`${name} (parameter ${index + 1}) must be a string`);
  return value;
}

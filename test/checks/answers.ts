import { toAmResponse, type AmResponse } from '../../src/geni/methods';
import { decodeMethodResponse, encodeFault, encodeMethodResponse, XmlRpcTyped, type XmlRpcValue } from '../../src/xmlrpc';

/**
 * Hand-made answers for check tests. They go through the real XML-RPC encoder and decoder, so wire types are
 * exactly what a client would record (an XmlRpcTyped puts an odd type on the wire, e.g. geni_api as a string).
 */
export function answer(value: XmlRpcValue, exchangeId = 'x1', method = 'GetVersion'): AmResponse {
  const decoded = decodeMethodResponse(encodeMethodResponse(value));
  if (decoded.kind !== 'value') throw new Error('expected a value');
  return toAmResponse(method, { kind: 'value', exchangeId, value: decoded.value, wireTypes: decoded.wireTypes, durationMs: 1 });
}

export function fault(faultCode: number, faultString: string, exchangeId = 'x1', method = 'ListResources'): AmResponse {
  const decoded = decodeMethodResponse(encodeFault(faultCode, faultString));
  if (decoded.kind !== 'fault') throw new Error('expected a fault');
  return toAmResponse(method, { kind: 'fault', exchangeId, faultCode: decoded.faultCode, faultString: decoded.faultString, durationMs: 1 });
}

/** The v3 return struct. */
export function struct(geniCode: number, value?: XmlRpcValue, output?: string, extra: Record<string, XmlRpcValue> = {}): AmResponse {
  const s: Record<string, XmlRpcValue> = { code: { geni_code: geniCode }, ...extra };
  if (value !== undefined) s.value = value;
  if (output !== undefined) s.output = output;
  return answer(s);
}

export const ctx = { spec: 'am3#GetVersion', strict: false };

export const typed = (type: ConstructorParameters<typeof XmlRpcTyped>[0], text: string): XmlRpcTyped => new XmlRpcTyped(type, text);

export const GOOD_VERSION: Record<string, XmlRpcValue> = {
  geni_api: 3,
  geni_api_versions: { '3': 'https://am.example.net:12346/am/3' },
  geni_request_rspec_versions: [{
    type: 'GENI', version: '3', schema: 'http://www.geni.net/resources/rspec/3/request.xsd',
    namespace: 'http://www.geni.net/resources/rspec/3', extensions: [],
  }],
  geni_ad_rspec_versions: [{
    type: 'GENI', version: '3', schema: 'http://www.geni.net/resources/rspec/3/ad.xsd',
    namespace: 'http://www.geni.net/resources/rspec/3', extensions: [],
  }],
  geni_credential_types: [{ geni_type: 'geni_sfa', geni_version: '3' }],
  geni_single_allocation: false,
  geni_allocate: 'geni_many',
};

import { describe, expect, it } from 'vitest';
import { decodeMethodCall, decodeMethodResponse, XmlRpcDateTime, XmlRpcDecodeError, type DecodedResponse } from '../../src/xmlrpc';

const response = (valueXml: string): string =>
  `<?xml version="1.0"?>\n<methodResponse><params><param>${valueXml}</param></params></methodResponse>`;

function decodeValue(valueXml: string): Extract<DecodedResponse, { kind: 'value' }> {
  const decoded = decodeMethodResponse(response(valueXml));
  if (decoded.kind !== 'value') throw new Error(`expected a value, got ${JSON.stringify(decoded)}`);
  return decoded;
}

function decodeError(body: string | Uint8Array, maxDepth?: number): XmlRpcDecodeError {
  try {
    decodeMethodResponse(body, maxDepth === undefined ? undefined : { maxDepth });
  } catch (err) {
    if (err instanceof XmlRpcDecodeError) return err;
    throw err;
  }
  throw new Error('expected an XmlRpcDecodeError, but decoding succeeded');
}

describe('decoding scalars', () => {
  it.each([
    ['<value><int>42</int></value>', 42, 'int'],
    ['<value><i4> -7 </i4></value>', -7, 'i4'],
    ['<value><i8>9007199254740993</i8></value>', 9007199254740993n, 'i8'],
    ['<value><i8>12</i8></value>', 12, 'i8'],
    ['<value><double>-1.25e3</double></value>', -1250, 'double'],
    ['<value><double>2</double></value>', 2, 'double'],
    ['<value><boolean>1</boolean></value>', true, 'boolean'],
    ['<value><boolean>0</boolean></value>', false, 'boolean'],
    ['<value><string> spaced </string></value>', ' spaced ', 'string'],
    ['<value><string/></value>', '', 'string'],
    ['<value>untyped &amp; text</value>', 'untyped & text', 'string'],
    ['<value></value>', '', 'string'],
    ['<value><nil/></value>', null, 'nil'],
    ['<value><ex:nil xmlns:ex="http://ws.apache.org/xmlrpc/namespaces/extensions"/></value>', null, 'nil'],
    ['<value><string><![CDATA[<rspec/>]]></string></value>', '<rspec/>', 'string'],
  ])('%s', (xml, expected, wireType) => {
    const decoded = decodeValue(xml);
    expect(decoded.value).toEqual(expected);
    expect(decoded.wireTypes.get('')).toBe(wireType);
  });

  it('keeps dateTime text and parses the common forms', () => {
    const { value } = decodeValue('<value><dateTime.iso8601>19980717T14:08:55</dateTime.iso8601></value>');
    expect(value).toBeInstanceOf(XmlRpcDateTime);
    const dt = value as XmlRpcDateTime;
    expect(dt.raw).toBe('19980717T14:08:55');
    expect(dt.toDate()?.toISOString()).toBe('1998-07-17T14:08:55.000Z');
    expect(new XmlRpcDateTime('1996-12-19T16:39:57-08:00').toDate()?.toISOString()).toBe('1996-12-20T00:39:57.000Z');
    expect(new XmlRpcDateTime('1985-04-12T23:20:50.52Z').toDate()?.toISOString()).toBe('1985-04-12T23:20:50.520Z');
    expect(new XmlRpcDateTime('2024-02-30T00:00:00Z').toDate()).toBeUndefined();
    expect(new XmlRpcDateTime('tomorrow').toDate()).toBeUndefined();
  });

  it('decodes base64 with embedded whitespace', () => {
    const { value } = decodeValue('<value><base64>\n  AP8B\n  AA==\n</base64></value>');
    expect(Buffer.from(value as Uint8Array)).toEqual(Buffer.from([0, 255, 1, 0]));
  });

  it('decodes an encoding-declared Latin-1 body given as bytes', () => {
    const bytes = Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?><methodResponse><params><param><value>caf\xe9</value></param></params></methodResponse>`, 'latin1');
    expect(decodeMethodResponse(bytes)).toMatchObject({ kind: 'value', value: 'café' });
  });
});

describe('decoding containers', () => {
  it('indexes the wire type of every value by path', () => {
    const { value, wireTypes } = decodeValue(`
      <value><struct>
        <member><name>code</name><value><struct>
          <member><name>geni_code</name><value><i4>0</i4></value></member>
        </struct></value></member>
        <member><name>value</name><value><struct>
          <member><name>geni_slivers</name><value><array><data>
            <value><struct><member><name>geni_expires</name><value><dateTime.iso8601>20240101T00:00:00Z</dateTime.iso8601></value></member></struct></value>
            <value>plain</value>
          </data></array></value></member>
        </struct></value></member>
        <member><name>output</name><value/></member>
      </struct></value>`);
    expect([...wireTypes]).toEqual([
      ['', 'struct'],
      ['code', 'struct'],
      ['code.geni_code', 'i4'],
      ['value', 'struct'],
      ['value.geni_slivers', 'array'],
      ['value.geni_slivers[0]', 'struct'],
      ['value.geni_slivers[0].geni_expires', 'dateTime.iso8601'],
      ['value.geni_slivers[1]', 'string'],
      ['output', 'string'],
    ]);
    expect(Object.keys(value as object)).toEqual(['code', 'value', 'output']);
  });

  it('keeps member order and treats a "__proto__" member as plain data', () => {
    const { value } = decodeValue('<value><struct><member><name>z</name><value>1</value></member><member><name>__proto__</name><value><struct><member><name>polluted</name><value>yes</value></member></struct></value></member><member><name>a</name><value>2</value></member></struct></value>');
    expect(Object.keys(value as object)).toEqual(['z', '__proto__', 'a']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect((value as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('tolerates comments and whitespace between elements', () => {
    const { value } = decodeValue('<value>\n <!-- note -->\n <array>\n <data>\n <value><int>1</int></value>\n </data>\n </array>\n</value>');
    expect(value).toEqual([1]);
  });
});

describe('decoding faults and calls', () => {
  it('returns a fault as faultCode and faultString', () => {
    const xml = '<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>4</int></value></member><member><name>faultString</name><value><string>Too many parameters.</string></value></member></struct></value></fault></methodResponse>';
    expect(decodeMethodResponse(xml)).toEqual({ kind: 'fault', faultCode: 4, faultString: 'Too many parameters.' });
  });

  it('returns a fault whose faultCode is not an int with the problem named (Python xmlrpclib sends Fault("No such slice.", ...))', () => {
    const xml = '<methodResponse><fault><value><struct><member><name>faultCode</name><value>No such slice.</value></member><member><name>faultString</name><value>x</value></member></struct></value></fault></methodResponse>';
    expect(decodeMethodResponse(xml)).toEqual({ kind: 'fault', faultCode: 'No such slice.', faultString: 'x', problem: 'faultCode is string "No such slice.", expected an int' });
    const double = xml.replace('<value>No such slice.</value>', '<value><double>1.5</double></value>');
    expect(decodeMethodResponse(double)).toMatchObject({ kind: 'fault', faultCode: '1.5', problem: 'faultCode is double "1.5", expected an int' });
  });

  it('rejects a fault without faultCode, or whose faultCode is a struct, or whose faultString is not a string', () => {
    const fault = (members: string) => `<methodResponse><fault><value><struct>${members}</struct></value></fault></methodResponse>`;
    const str = '<member><name>faultString</name><value>x</value></member>';
    expect(() => decodeMethodResponse(fault(str))).toThrow(/expected a struct with faultCode and faultString/);
    expect(() => decodeMethodResponse(fault(`<member><name>faultCode</name><value><struct/></value></member>${str}`))).toThrow(/faultCode is struct, expected an int/);
    expect(() => decodeMethodResponse(fault('<member><name>faultCode</name><value><int>1</int></value></member><member><name>faultString</name><value><int>2</int></value></member>'))).toThrow(/faultString is int, expected a string/);
  });

  it('decodes a method call with and without params', () => {
    expect(decodeMethodCall('<methodCall><methodName> GetVersion </methodName></methodCall>')).toEqual({ method: 'GetVersion', params: [] });
    expect(decodeMethodCall('<methodCall><methodName>Status</methodName><params><param><value><array><data><value>urn:x</value></data></array></value></param><param><value><struct/></value></param></params></methodCall>')).toEqual({
      method: 'Status',
      params: [['urn:x'], {}],
    });
  });

  it('rejects a method call without a method name', () => {
    expect(() => decodeMethodCall('<methodCall><params/></methodCall>')).toThrow(/first child must be <methodName>/);
  });
});

describe('rejecting bad values, naming what and where', () => {
  it('names the struct member and the bad text', () => {
    const err = decodeError(response('<value><struct><member><name>a</name><value/></member><member><name>b</name><value/></member><member><name>geni_api</name><value><int>abc</int></value></member></struct></value>'));
    expect(err.reason).toBe('bad-value');
    expect(err.message).toBe("<value> at methodResponse/params/param/value/struct/member[3] ('geni_api'): <int> text 'abc' is not an integer");
  });

  it.each([
    ['<value><int>1.0</int></value>', /<int> text '1.0' is not an integer/],
    ['<value><int>2147483648</int></value>', /<int> 2147483648 is outside the 32-bit range/],
    ['<value><i8>9223372036854775808</i8></value>', /outside the 64-bit range/],
    ['<value><boolean>true</boolean></value>', /<boolean> text 'true' is not 0 or 1/],
    ['<value><boolean>2</boolean></value>', /not 0 or 1/],
    ['<value><double>1,5</double></value>', /<double> text '1,5' is not a number/],
    ['<value><double>NaN</double></value>', /is not a number/],
    ['<value><base64>A*B=</base64></value>', /<base64> text 'A\*B=' is not base64/],
    ['<value><base64>A</base64></value>', /is not base64/],
    ['<value><float>1</float></value>', /unknown type <float>/],
    ['<value><int>1</int><int>2</int></value>', /expected one type element/],
    ['<value><string>a<b/></string></value>', /<string> contains markup/],
    ['<value><nil>x</nil></value>', /<nil> must be empty/],
    ['<value><array><value/></array></value>', /expected exactly one <data>/],
    ['<value><array><data><value>1</value></data></array></value>', null],
  ])('%s', (xml, expected) => {
    if (expected === null) {
      expect(decodeValue(xml).value).toEqual(['1']);
      return;
    }
    const err = decodeError(response(xml));
    expect(['bad-value', 'not-xmlrpc']).toContain(err.reason);
    expect(err.message).toMatch(expected);
  });

  it('gives the line of the offending element', () => {
    const err = decodeError('<methodResponse>\n<params>\n<param>\n<value><boolean>yes</boolean></value>\n</param>\n</params>\n</methodResponse>');
    expect(err.line).toBe(4);
  });
});

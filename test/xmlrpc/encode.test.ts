import { describe, expect, it } from 'vitest';
import { encodeFault, encodeMethodCall, encodeMethodResponse, XmlRpcDateTime, XmlRpcTyped } from '../../src/xmlrpc';

/** The body of the single <value> of an encoded response. */
function encodedValue(value: Parameters<typeof encodeMethodResponse>[0]): string {
  const xml = encodeMethodResponse(value);
  const m = /<param>(.*)<\/param>/s.exec(xml);
  if (!m?.[1]) throw new Error(`no <param> in ${xml}`);
  return m[1];
}

describe('encoding numbers picks the narrowest honest wire type', () => {
  it.each([
    [0, '<value><int>0</int></value>'],
    [-0, '<value><int>0</int></value>'],
    [2 ** 31 - 1, '<value><int>2147483647</int></value>'],
    [-(2 ** 31), '<value><int>-2147483648</int></value>'],
    [2 ** 31, '<value><i8>2147483648</i8></value>'],
    [Number.MAX_SAFE_INTEGER, '<value><i8>9007199254740991</i8></value>'],
    [1.5, '<value><double>1.5</double></value>'],
    [1e20, '<value><double>100000000000000000000</double></value>'],
    [2n ** 62n, '<value><i8>4611686018427387904</i8></value>'],
  ])('%s → %s', (value, expected) => {
    expect(encodedValue(value)).toBe(expected);
  });

  it('refuses NaN and Infinity, which XML-RPC cannot carry', () => {
    expect(() => encodeMethodCall('m', [Number.NaN])).toThrow(/params\[0\]: NaN has no XML-RPC representation/);
    expect(() => encodeMethodCall('m', [{ a: [Infinity] }])).toThrow(/params\[0\]\.a\[0\]: Infinity/);
  });
});

describe('encoding other scalars', () => {
  it('writes booleans as 0/1, null as <nil/>, bytes as base64', () => {
    expect(encodedValue(true)).toBe('<value><boolean>1</boolean></value>');
    expect(encodedValue(false)).toBe('<value><boolean>0</boolean></value>');
    expect(encodedValue(null)).toBe('<value><nil/></value>');
    expect(encodedValue(new Uint8Array([0, 255, 1]))).toBe('<value><base64>AP8B</base64></value>');
  });

  it('writes a Date in the XML-RPC spec form, and an XmlRpcDateTime verbatim', () => {
    expect(encodedValue(new Date(Date.UTC(2024, 4, 2, 10, 11, 9, 500)))).toBe('<value><dateTime.iso8601>20240502T10:11:09Z</dateTime.iso8601></value>');
    expect(encodedValue(new XmlRpcDateTime('2024-05-02T10:11:09+02:00'))).toBe('<value><dateTime.iso8601>2024-05-02T10:11:09+02:00</dateTime.iso8601></value>');
  });

  it('escapes markup characters and CR in strings', () => {
    expect(encodedValue('a<b>&c\r')).toBe('<value><string>a&lt;b&gt;&amp;c&#13;</string></value>');
    expect(encodedValue('')).toBe('<value><string></string></value>');
  });

  it('refuses characters XML 1.0 forbids, naming where', () => {
    expect(() => encodeMethodCall('m', ['ok', { key: 'bell\u0007' }])).toThrow(/params\[1\]\.key: character U\+0007 at index 4/);
    expect(() => encodeMethodCall('m', ['\uD800'])).toThrow(TypeError);
  });

  it('sends XmlRpcTyped text exactly, unescaped (the fuzzing escape hatch)', () => {
    expect(encodedValue(new XmlRpcTyped('double', '3'))).toBe('<value><double>3</double></value>');
    expect(encodedValue(new XmlRpcTyped('int', 'x<y\u0007'))).toBe('<value><int>x<y\u0007</int></value>');
  });
});

describe('encoding containers and envelopes', () => {
  it('keeps struct member order and skips undefined members', () => {
    const options = { b: 1, a: 'x', skipped: undefined } as unknown as Record<string, number | string>;
    expect(encodedValue(options)).toBe(
      '<value><struct><member><name>b</name><value><int>1</int></value></member><member><name>a</name><value><string>x</string></value></member></struct></value>',
    );
  });

  it('writes arrays with <data>', () => {
    expect(encodedValue([1, 'a'])).toBe('<value><array><data><value><int>1</int></value><value><string>a</string></value></data></array></value>');
    expect(encodedValue([])).toBe('<value><array><data></data></array></value>');
  });

  it('writes a method call with its name escaped and all params', () => {
    expect(encodeMethodCall('GetVersion', [])).toBe('<?xml version="1.0"?>\n<methodCall><methodName>GetVersion</methodName><params></params></methodCall>\n');
    expect(encodeMethodCall('a&b', [1])).toContain('<methodName>a&amp;b</methodName><params><param><value><int>1</int></value></param></params>');
  });

  it('writes a fault as a struct with faultCode and faultString', () => {
    expect(encodeFault(-32700, 'parse error')).toBe(
      '<?xml version="1.0"?>\n<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>-32700</int></value></member>' +
        '<member><name>faultString</name><value><string>parse error</string></value></member></struct></value></fault></methodResponse>\n',
    );
    expect(() => encodeFault(1.5, 'x')).toThrow(/faultCode must be an integer, but received 1.5/);
  });
});

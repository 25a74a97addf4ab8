import { describe, expect, it } from 'vitest';
import { chooseRSpecFormat, describeFormats, dialectOf } from '../../src/geni/rspec-formats';
import { readRequest, serializeRequest } from '../../src/rspec';

const v = (type: string, version: string) => ({ type, version, extensions: [] });

describe('the RSpec format the harness asks an aggregate for', () => {
  it('prefers GENI 3, then ProtoGENI 2, in the spelling the aggregate advertised', () => {
    expect(chooseRSpecFormat([v('ProtoGENI', '2'), v('geni', '3')])).toEqual({ version: { type: 'geni', version: '3' }, dialect: 'geni3' });
    expect(chooseRSpecFormat([v('SFA', '1'), v('PROTOGENI', '2')])).toEqual({ version: { type: 'PROTOGENI', version: '2' }, dialect: 'pgv2' });
  });

  it('names a format it cannot write without a dialect, and asks for GENI 3 where nothing is advertised', () => {
    expect(chooseRSpecFormat([v('SFA', '1')])).toEqual({ version: { type: 'SFA', version: '1' } });
    expect(chooseRSpecFormat([])).toEqual({ version: { type: 'GENI', version: '3' }, dialect: 'geni3' });
    expect(dialectOf({ type: ' Geni ', version: '3' })).toBe('geni3');
    expect(describeFormats([v('SFA', '1'), v('ProtoGENI', '2')])).toBe('SFA 1, ProtoGENI 2');
  });

  it('writes a ProtoGENI 2 request that reads back as the same model', () => {
    const model = { type: 'request' as const, nodes: [{ clientId: 'n0', interfaces: [] }], links: [] };
    const xml = serializeRequest(model, { dialect: 'pgv2' });
    expect(xml).toContain('xmlns="http://www.protogeni.net/resources/rspec/2"');
    expect(readRequest(xml)).toEqual(model);
  });
});

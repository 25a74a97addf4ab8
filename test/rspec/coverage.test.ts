import { describe, expect, it } from 'vitest';
import { checkManifestCoversRequest } from '../../src/rspec';
import { fixture } from './helpers';

describe('checkManifestCoversRequest', () => {
  it('passes a manifest that answers every node and link with the bound components', () => {
    expect(checkManifestCoversRequest(fixture('request-valid.xml'), fixture('manifest-valid.xml'))).toEqual([]);
  });

  it('names a request node missing from the manifest', () => {
    const manifest = fixture('manifest-valid.xml').replace('client_id="right"', 'client_id="renamed"');
    const findings = checkManifestCoversRequest(fixture('request-valid.xml'), manifest);
    expect(findings).toEqual([expect.objectContaining({ rule: 'manifest-covers-request', line: 9, path: '/rspec/node[2]', severity: 'error' })]);
    expect(findings[0]!.message).toContain('request node "right" is missing from the manifest');
  });

  it('names a missing link', () => {
    const manifest = fixture('manifest-valid.xml').replace('client_id="lan0"', 'client_id="lan1"');
    expect(checkManifestCoversRequest(fixture('request-valid.xml'), manifest)[0]!.message).toContain('request link "lan0"');
  });

  it('requires the component the request bound', () => {
    const manifest = fixture('manifest-valid.xml').replace('node+alpha" component_manager_id', 'node+gamma" component_manager_id');
    const findings = checkManifestCoversRequest(fixture('request-valid.xml'), manifest);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain('bound to component_id "urn:publicid:IDN+test.example+node+alpha" but the manifest gives "urn:publicid:IDN+test.example+node+gamma"');
  });

  it('turns an unparseable manifest into a finding instead of throwing', () => {
    expect(checkManifestCoversRequest(fixture('request-valid.xml'), '<rspec>')).toEqual([
      expect.objectContaining({ rule: 'not-well-formed', severity: 'error' }),
    ]);
  });
});

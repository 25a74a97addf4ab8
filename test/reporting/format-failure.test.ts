import { describe, expect, it } from 'vitest';
import { formatFailure } from '../../src/reporting';
import type { CaseResult } from '../../src/runner/types';
import { ERRORED, FAILED, SKIPPED, exchange } from './fixtures';

describe('formatFailure', () => {
  it('prints the B12 block: header, requirement with anchor, aligned findings, transcript pointer', () => {
    expect(formatFailure(FAILED, { reportsDir: 'reports/2024-05-02T10-11-09Z' })).toBe(
      [
        '✗ am3.allocate.rejects-dup-client-id  Allocate with two nodes sharing a client_id',
        '  → MUST: The aggregate rejects the request  [am3#Allocate]',
        '  1) Unexpected geni_code  (geni-code)',
        '    Expected: geni_code BADARGS (1)',
        '              geni_code ERROR (2)',
        '      Actual: geni_code SUCCESS (0)',
        '        Path: code.geni_code',
        '        Spec: am3#Allocate',
        '   Exchanges: x2',
        '        Hint: run with --verbose to print the request RSpec',
        '  2) Manifest is not valid  (rspec-xsd)',
        '    Expected: a manifest valid against manifest.xsd',
        "      Actual: element 'node': missing attribute 'component_id'",
        '        Path: /rspec/node[2]',
        '        Spec: am3/common#RSpec',
        '   Exchanges: x2',
        '  Transcript: reports/2024-05-02T10-11-09Z/cases/am3.allocate.rejects-dup-client-id.json (x1, x2)',
      ].join('\n'),
    );
  });

  it('prints a harness error with its phase, message and exchanges', () => {
    expect(formatFailure(ERRORED)).toBe(
      [
        'E am2.listresources.available  ListResources with geni_available',
        '  → MUST: The aggregate lists only available resources  [am2#ListResources]',
        '       Phase: transport',
        '     Message: connect ECONNREFUSED 192.0.2.1:12346',
        '   Exchanges: x1',
        '  Transcript: cases/am2.listresources.available.json (x1)',
      ].join('\n'),
    );
  });

  it('prints the reason of a skipped case', () => {
    expect(formatFailure(SKIPPED)).toContain('      Reason: the aggregate advertises geni_single_allocation');
    expect(formatFailure(SKIPPED)).toContain('(no exchanges)');
  });

  it('never inlines a whole RSpec: long or multi-line values are truncated by formatValue', () => {
    const rspec = `<rspec type="manifest">\n${'  <node client_id="n" component_id="urn:publicid:IDN+x+node+pc1"/>\n'.repeat(200)}</rspec>`;
    const result: CaseResult = {
      ...FAILED,
      outcome: { kind: 'fail', findings: [{ check: 'rspec-xsd', title: 'Manifest is not valid', expected: ['valid'], actual: rspec, exchangeIds: [] }] },
    };
    const block = formatFailure(result);
    const actualLine = block.split('\n').find((line) => line.startsWith('      Actual: ')) ?? '';
    expect(actualLine.length).toBeLessThan(200);
    expect(actualLine.endsWith('…')).toBe(true);
    expect(block.split('\n')).toHaveLength(7); // header, requirement, title, Expected, Actual, Spec, Transcript
  });

  it('summarises many exchanges instead of listing them all', () => {
    const exchanges = Array.from({ length: 40 }, (_, i) => exchange(`x${i + 1}`, 'Status'));
    expect(formatFailure({ ...FAILED, exchanges })).toContain('(x1 … x40, 40 exchanges)');
  });

  it('says so when a case has no spec anchor rather than leaving the brackets empty', () => {
    expect(formatFailure({ ...FAILED, spec: [] })).toContain('[no spec anchor]');
  });
});

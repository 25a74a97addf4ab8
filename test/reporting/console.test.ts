import { describe, expect, it } from 'vitest';
import { createConsoleReporter, type ConsoleReporterOptions } from '../../src/reporting';
import { ERRORED, FAILED, PASSED, SKIPPED, UNSUPPORTED, WARNED, feed, runEvents } from './fixtures';

async function consoleOutput(options: Partial<ConsoleReporterOptions> = {}, events = runEvents()): Promise<string> {
  let text = '';
  await feed(createConsoleReporter({ write: (chunk) => (text += chunk), ...options }), events);
  return text;
}

describe('createConsoleReporter', () => {
  it('prints one line per case with its mark, id, title and duration', async () => {
    const lines = (await consoleOutput()).split('\n');
    expect(lines).toContain('✓ am3.getversion.envelope  GetVersion with no options (12 ms)');
    expect(lines).toContain('✗ am3.allocate.rejects-dup-client-id  Allocate with two nodes sharing a client_id (230 ms)');
    expect(lines).toContain('! am3.getversion.compression  GetVersion with geni_compressed (8 ms)');
    expect(lines).toContain('E am2.listresources.available  ListResources with geni_available (3001 ms)');
    expect(lines).toContain('- am3.allocate.single-sliver  Allocate twice in one slice (0 ms)  skipped: the aggregate advertises geni_single_allocation');
    expect(lines).toContain('~ am3.getversion.geni-credential-types  GetVersion advertises ABAC credentials (1 ms)  unsupported: ABAC credentials are optional and not offered');
  });

  it('prints the blocks of failures and errors after the case lines, and not those of other outcomes', async () => {
    const output = await consoleOutput();
    const lastCaseLine = output.indexOf('~ am3.getversion.geni-credential-types');
    expect(output.indexOf('  1) Unexpected geni_code  (geni-code)')).toBeGreaterThan(lastCaseLine);
    expect(output.indexOf('       Phase: transport')).toBeGreaterThan(lastCaseLine);
    expect(output).not.toContain('Field has the wrong type');
    expect(output).not.toContain('      Reason:');
  });

  it('ends with one summary line that counts errors apart from failures, after the reports it names', async () => {
    const lines = (await consoleOutput({ reportFiles: ['reports/index.html', 'reports/junit.xml'] })).trimEnd().split('\n');
    expect(lines.at(-2)).toBe('Reports: reports/index.html, reports/junit.xml');
    expect(lines.at(-1)).toBe('1 passed, 1 failed, 1 errors, 1 warned, 1 unsupported, 1 skipped in 3.5 s');
    expect(lines.filter((l) => /\d+ passed/.test(l))).toHaveLength(1);
  });

  it('prints a skip reason whole, however long', async () => {
    const reason = `no slice credential can be had: ${'the aggregate said no. '.repeat(20)}end`;
    const output = await consoleOutput({}, runEvents([{ ...SKIPPED, outcome: { kind: 'skip', reason } }]));
    expect(output).toContain(`skipped: ${reason}`);
  });

  it('keeps a progress line under the case lines on a terminal, rewritten in place', async () => {
    const output = await consoleOutput({ progress: true });
    expect(output).toContain('\r\x1b[K[1/6] am3.getversion.envelope…');
    expect(output).toMatch(/\r\x1b\[K\[6\/6\]/);
    // a case line clears the status before it (what a terminal shows is the text after the last carriage return)
    const caseLine = output.split('\n').find((l) => l.includes('✓ am3.getversion.envelope'));
    expect(caseLine?.split('\r').at(-1)).toMatch(/^\x1b\[K✓ am3\.getversion\.envelope/);
    expect(await consoleOutput()).not.toContain('\r');
  });

  it('prints no ANSI codes unless asked, and colours the marks when asked', async () => {
    expect(await consoleOutput()).not.toContain('\x1b[');
    const coloured = await consoleOutput({ color: true });
    expect(coloured).toContain('\x1b[31m✗\x1b[39m am3.allocate.rejects-dup-client-id');
    expect(coloured.trimEnd().split('\n').at(-1)).toBe('1 passed, 1 failed, 1 errors, 1 warned, 1 unsupported, 1 skipped in 3.5 s');
  });

  it('warns visibly when TLS verification was off', async () => {
    expect(await consoleOutput()).toContain('TLS verification of the aggregate is OFF (--insecure)');
  });

  it('adds warned blocks and case notes when verbose', async () => {
    const output = await consoleOutput({ verbose: true });
    expect(output).toContain('  Field has the wrong type  (field-type)');
    expect(output).toContain('    note: the aggregate ignored geni_compressed');
  });

  it('points transcripts into the reports directory it is given', async () => {
    expect(await consoleOutput({ reportsDir: 'reports' })).toContain('  Transcript: reports/cases/am3.allocate.rejects-dup-client-id.json (x1, x2)');
  });

  it('still prints the details and the CI line when the run is interrupted', async () => {
    const lines = (await consoleOutput({}, runEvents([PASSED, FAILED, ERRORED], { finish: false }))).trimEnd().split('\n');
    expect(lines).toContain('The run did not finish; counts cover the cases that did.');
    expect(lines.at(-1)).toMatch(/^1 passed, 1 failed, 1 errors, 0 warned, 0 unsupported, 0 skipped in /);
  });

  it('counts from the run summary', async () => {
    const lines = (await consoleOutput({}, runEvents([PASSED, PASSED, SKIPPED, UNSUPPORTED, WARNED]))).trimEnd().split('\n');
    expect(lines.at(-1)).toBe('2 passed, 0 failed, 0 errors, 1 warned, 1 unsupported, 1 skipped in 3.5 s');
  });
});

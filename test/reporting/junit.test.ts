import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseXml } from 'libxmljs2';
import type { Document, Element } from 'libxmljs2';
import { describe, expect, it } from 'vitest';
import { createJUnitReporter, type JUnitFlavor } from '../../src/reporting';
import type { CaseResult } from '../../src/runner/types';
import { ERRORED, FAILED, PASSED, SKIPPED, UNSUPPORTED, WARNED, exchange, feed, runEvents } from './fixtures';

const GOLDEN = join(import.meta.dirname, 'junit.golden.xml');

async function junitFor(events: Parameters<typeof feed>[1], flavor?: JUnitFlavor): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'junit-')), 'reports', 'junit.xml');
  await feed(createJUnitReporter({ path, flavor }), events);
  return readFileSync(path, 'utf8');
}

/** Timestamps are the only part allowed to vary between runs of the same events. */
function normaliseTimestamps(xml: string): string {
  return xml.replace(/timestamp="[^"]*"/g, 'timestamp="T"').replace(/name="started-at" value="[^"]*"/g, 'name="started-at" value="T"');
}

function testcase(doc: Document, id: string): Element {
  const element = doc.get<Element>(`//testcase[@name='${id}']`);
  if (element === null) throw new Error(`no testcase for ${id}`);
  return element;
}

function attr(element: Element | null, name: string): string | undefined {
  return element?.attr(name)?.value();
}

describe('createJUnitReporter', () => {
  it('writes exactly the golden XML for a fixed run', async () => {
    const xml = await junitFor(runEvents());
    // To accept an intended change of format: UPDATE_GOLDEN=1 npx vitest run test/reporting/junit.test.ts
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, xml);
    expect(normaliseTimestamps(xml)).toBe(normaliseTimestamps(readFileSync(GOLDEN, 'utf8')));
  });

  it('writes a conformance failure as <failure> and never as <error>', async () => {
    const doc = parseXml(await junitFor(runEvents()));
    const failed = testcase(doc, FAILED.id);
    expect(failed.find('error')).toHaveLength(0);
    const failure = failed.get<Element>('failure');
    expect(attr(failure, 'type')).toBe('geni-code');
    expect(attr(failure, 'message')).toBe('Unexpected geni_code');
    const body = failure?.text() ?? '';
    expect(body).toContain('    Expected: geni_code BADARGS (1)\n              geni_code ERROR (2)\n      Actual: geni_code SUCCESS (0)');
    // every finding is in the body, not only the first
    expect(body).toContain('2) Manifest is not valid  (rspec-xsd)');
    expect(body).toContain('        Spec: am3/common#RSpec');
    expect(body).toContain('  Transcript: cases/am3.allocate.rejects-dup-client-id.json (x1, x2)');
  });

  it('writes a harness error as <error> typed by its phase and never as <failure>', async () => {
    const doc = parseXml(await junitFor(runEvents()));
    const errored = testcase(doc, ERRORED.id);
    expect(errored.find('failure')).toHaveLength(0);
    const error = errored.get<Element>('error');
    expect(attr(error, 'type')).toBe('transport');
    expect(attr(error, 'message')).toBe('connect ECONNREFUSED 192.0.2.1:12346');
    expect(error?.text()).toContain('   Exchanges: x1');
  });

  it('counts failures, errors and skips per suite and overall', async () => {
    const doc = parseXml(await junitFor(runEvents()));
    const root = doc.root();
    expect([attr(root, 'tests'), attr(root, 'failures'), attr(root, 'errors'), attr(root, 'skipped')]).toEqual(['6', '1', '1', '2']);
    const suites = doc.find<Element>('/testsuites/testsuite').map((s) => attr(s, 'name'));
    expect(suites).toEqual(['am3', 'am2']);
    const am3 = doc.get<Element>("//testsuite[@name='am3']");
    const am3Cases = doc.find<Element>("//testsuite[@name='am3']/testcase");
    expect(attr(am3, 'tests')).toBe(String(am3Cases.length));
    expect(attr(am3, 'failures')).toBe(String(am3Cases.filter((c) => c.get('failure')).length));
    expect(attr(am3, 'errors')).toBe(String(am3Cases.filter((c) => c.get('error')).length));
    expect(attr(am3, 'skipped')).toBe(String(am3Cases.filter((c) => c.get('skipped')).length));
  });

  it('maps skip and unsupported to <skipped> with a message that says which', async () => {
    const doc = parseXml(await junitFor(runEvents()));
    const messages = doc.find<Element>('//skipped').map((s) => attr(s, 'message')).sort();
    expect(messages).toEqual([
      'skipped: the aggregate advertises geni_single_allocation',
      'unsupported: ABAC credentials are optional and not offered',
    ]);
  });

  it('names each testcase by its stable id and keeps the title in the body', async () => {
    const doc = parseXml(await junitFor(runEvents()));
    expect(doc.find<Element>('//testcase').map((t) => attr(t, 'name'))).toEqual([PASSED, FAILED, WARNED, SKIPPED, UNSUPPORTED, ERRORED].map((r) => r.id)); // grouped by suite
    const passed = testcase(doc, PASSED.id);
    expect(passed.get<Element>("properties/property[@name='title']")?.attr('value')?.value()).toBe(PASSED.title);
    expect(passed.get<Element>('system-out')?.text().split('\n').slice(0, 2)).toEqual([`${PASSED.id}  ${PASSED.title}`, `title: ${PASSED.title}`]);
  });

  it('writes a skip reason whole, however long', async () => {
    const reason = `the aggregate advertises geni_single_allocation ${'and more '.repeat(40)}end`;
    const doc = parseXml(await junitFor(runEvents([{ ...SKIPPED, outcome: { kind: 'skip', reason } }])));
    expect(attr(doc.get<Element>('//skipped'), 'message')).toBe(`skipped: ${reason}`);
  });

  it('makes a warned case visible: WARN in its body, its outcome property and the suite warnings count; a failure under --strict', async () => {
    const lenient = parseXml(await junitFor(runEvents([WARNED, PASSED])));
    const warned = testcase(lenient, WARNED.id);
    expect(warned.find('failure')).toHaveLength(0);
    const out = warned.get<Element>('system-out')?.text() ?? '';
    expect(out.split('\n')[0]).toBe('WARN: passed with SHOULD-level findings (a failure under --strict)');
    expect(out).toContain('Field has the wrong type  (field-type)');
    expect(attr(warned.get<Element>("properties/property[@name='outcome']"), 'value')).toBe('warn');
    expect(attr(lenient.get<Element>("//testsuite/properties/property[@name='warnings']"), 'value')).toBe('1');

    const strict = parseXml(await junitFor(runEvents([WARNED], { strict: true })));
    const failure = testcase(strict, WARNED.id).get<Element>('failure');
    expect(attr(failure, 'type')).toBe('field-type');
  });

  it('shows the run context and an insecure run clearly in suite properties, and the transcript per case', async () => {
    const doc = parseXml(await junitFor(runEvents([PASSED])));
    const property = (xpath: string, name: string): string | undefined =>
      attr(doc.get<Element>(`${xpath}/properties/property[@name='${name}']`), 'value');
    expect(property('//testsuite', 'insecure')).toBe('true');
    expect(property('//testsuite', 'seed')).toBe('1934221');
    expect(property('//testsuite', 'am-urn')).toBe('urn:publicid:IDN+am.example.net+authority+am');
    expect(property('//testsuite', 'api-version')).toBe('3');
    expect(property('//testcase', 'transcript')).toBe('cases/am3.getversion.envelope.json');
    expect(property('//testcase', 'spec')).toBe('am3#GetVersion');
  });

  it('starts from a fresh builder, so a second report does not carry the first one’s cases', async () => {
    await junitFor(runEvents([FAILED]));
    const doc = parseXml(await junitFor(runEvents([PASSED])));
    expect(doc.find('//testcase').map((t) => attr(t as Element, 'classname'))).toEqual(['am3.getversion']);
  });

  it('writes what it has on close when the run never finished', async () => {
    const doc = parseXml(await junitFor(runEvents([PASSED, ERRORED], { finish: false })));
    expect(doc.find('//testcase')).toHaveLength(2);
  });

  it('writes nothing when no run started', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'junit-')), 'junit.xml');
    await feed(createJUnitReporter({ path }), []);
    expect(existsSync(path)).toBe(false);
  });

  it('keeps the XML well-formed when a finding echoes a CDATA terminator', async () => {
    const echoing: CaseResult = {
      ...FAILED,
      outcome: {
        kind: 'fail',
        findings: [{ check: 'x', title: 'Echo', expected: ['a]]>b'], actual: 'c]]>d]]>e', exchangeIds: [] }],
      },
      exchanges: [exchange('x1', 'Allocate')],
    };
    const doc = parseXml(await junitFor(runEvents([echoing])));
    const body = doc.get<Element>('//failure')?.text() ?? '';
    expect(body).toContain('Actual: c]]&gt;d]]&gt;e');
    expect(body).toContain('Transcript:');
  });
});

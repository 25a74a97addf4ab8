import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHtml } from 'libxmljs2';
import type { Element } from 'libxmljs2';
import { describe, expect, it } from 'vitest';
import { createHtmlReporter, renderHtmlReport } from '../../src/reporting';
import { prettyXml } from '../../src/reporting/pretty-xml';
import type { CaseResult } from '../../src/runner/types';
import { ALL_RESULTS, FAILED, PASSED, exchange, feed, runEvents, runStarted } from './fixtures';

async function htmlFor(events: Parameters<typeof feed>[1]): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'html-')), 'index.html');
  await feed(createHtmlReporter({ path }), events);
  return readFileSync(path, 'utf8');
}

describe('renderHtmlReport', () => {
  it('is one self-contained page whose policy forbids loading anything', async () => {
    const html = await htmlFor(runEvents());
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">`);
    const doc = parseHtml(html);
    expect(doc.find('//link[@href] | //script[@src] | //img[@src] | //iframe')).toHaveLength(0);
    expect(doc.find<Element>('//article').map((a) => a.attr('data-id')?.value())).toHaveLength(ALL_RESULTS.length);
  });

  it('escapes whatever an aggregate sent: markup in a finding or a body is text, never markup', async () => {
    const hostile: CaseResult = {
      ...FAILED,
      outcome: { kind: 'fail', findings: [{ check: 'x', title: '<img src=x onerror=alert(1)>', expected: ['"><script>alert(2)</script>'], actual: "</pre><script>alert(3)</script>", exchangeIds: [] }] },
      exchanges: [exchange('x1', 'Allocate<script>', '<methodCall/>', '<methodResponse></pre><script>alert(4)</script>')],
    };
    const html = await htmlFor(runEvents([hostile]));
    expect(html).not.toMatch(/<script>alert|<img src=x/);
    const doc = parseHtml(html);
    expect(doc.find('//script')).toHaveLength(1); // the page's own filter script
    expect(doc.get<Element>('//article//code[@class="actual"]')?.text()).toBe('</pre><script>alert(3)</script>');
  });

  it('says when a run did not finish, and when TLS verification was off', () => {
    const run = runStarted();
    const html = renderHtmlReport({ run: run.type === 'run-started' ? run : undefined, results: [PASSED], summary: null });
    const doc = parseHtml(html);
    expect(doc.get<Element>('//header')?.attr('data-verdict')?.value()).toBe('INCOMPLETE');
    expect(doc.get<Element>('//*[@id="insecure"]')?.text()).toContain('TLS verification of the aggregate was OFF');
  });

  it('passes when every case passed', async () => {
    const doc = parseHtml(await htmlFor(runEvents([PASSED])));
    expect(doc.get<Element>('//header')?.attr('data-verdict')?.value()).toBe('PASS');
  });
});

describe('prettyXml', () => {
  it('puts one element on a line and an element holding only text on one line with it', () => {
    expect(prettyXml('<?xml version="1.0"?><methodResponse><params><param><value><int>0</int></value></param></params></methodResponse>')).toBe(
      ['<?xml version="1.0"?>', '<methodResponse>', '  <params>', '    <param>', '      <value>', '        <int>0</int>', '      </value>', '    </param>', '  </params>', '</methodResponse>'].join('\n'),
    );
  });

  it('indents an escaped document inside a string beneath it, unescaped', () => {
    expect(prettyXml('<string>&lt;rspec&gt;&lt;node a="1 &amp;amp; 2"/&gt;&lt;/rspec&gt;</string>').split('\n')).toEqual([
      '<string>', '  <rspec>', '    <node a="1 &amp; 2"/>', '  </rspec>', '</string>',
    ]);
  });

  it('gives back text that is not XML, and never fails on broken markup', () => {
    expect(prettyXml('HTTP 502 Bad Gateway')).toBe('HTTP 502 Bad Gateway');
    const broken = '<a><b>text</a></c><<d';
    expect(() => prettyXml(broken)).not.toThrow();
    expect(prettyXml(broken).replace(/\s+/g, '')).toBe(broken.replace(/\s+/g, ''));
  });
});

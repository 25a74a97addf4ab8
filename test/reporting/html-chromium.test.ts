/**
 * reports/index.html as a browser renders it: headless Chromium (Debian's package) loads the page from disk and the
 * test reads the rendered DOM, clicks the filters and opens a transcript (never a picture).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHtmlReporter } from '../../src/reporting';
import type { HarnessEvent } from '../../src/runner/events';
import type { CaseResult } from '../../src/runner/types';
import { HeadlessChromium, type Page } from '../helpers/headless-chromium';
import { ALL_RESULTS, ERRORED, FAILED, PASSED, SKIPPED, UNSUPPORTED, WARNED, exchange, feed, runEvents } from './fixtures';

const ALLOCATE_REQUEST =
  '<?xml version="1.0"?><methodCall><methodName>Allocate</methodName><params><param><value><string>urn:publicid:IDN+ch+slice+s1</string></value></param>' +
  '<param><value><string>&lt;rspec type="request" xmlns="http://www.geni.net/resources/rspec/3"&gt;&lt;node client_id="a"/&gt;&lt;node client_id="a"/&gt;&lt;/rspec&gt;</string></value></param></params></methodCall>';

const failed: CaseResult = { ...FAILED, exchanges: [exchange('x1', 'GetVersion'), exchange('x2', 'Allocate', ALLOCATE_REQUEST)] };
const results = [PASSED, failed, WARNED, ERRORED, SKIPPED, UNSUPPORTED];

let browser: HeadlessChromium;
let page: Page;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'html-report-'));
  const path = join(dir, 'index.html');
  const events = runEvents(results).map((e): HarnessEvent => (e.type === 'run-started' ? { ...e, command: ['--seed', '1934221', '--fault', 'allocate-accepts-dup'] } : e));
  await feed(createHtmlReporter({ path, specLink: (anchor) => `https://groups.geni.net/geni/wiki/GAPI_AM_API_V3#${anchor.split('#')[1] ?? ''}` }), events);
  browser = HeadlessChromium.launch();
  page = await browser.open(pathToFileURL(path).href);
}, 120_000);

afterAll(async () => {
  await browser?.close();
}, 60_000);

/** The ids of the cases the page shows now, top to bottom. */
const visibleIds = (): Promise<string[]> =>
  page.evaluate("[...document.querySelectorAll('article.case')].filter((c) => c.offsetParent !== null).map((c) => c.dataset.id)");

const setFilter = (js: string): Promise<unknown> => page.evaluate(`(() => { ${js}; })()`);

describe('reports/index.html in headless Chromium', () => {
  it('shows the verdict, the counts and the command that repeats the run', async () => {
    const header = await page.evaluate<{ verdict: string; counts: string[]; reproduce: string; seed: string }>(`(() => ({
      verdict: document.querySelector('#verdict .verdict-word').textContent,
      counts: [...document.querySelectorAll('#verdict .count')].map((c) => c.textContent),
      reproduce: document.getElementById('reproduce').textContent,
      seed: document.getElementById('seed').textContent,
    }))()`);
    // an error (the harness could not judge a case) outranks a failure
    expect(header.verdict).toBe('ERROR');
    expect(header.counts).toEqual(['1 failed', '1 errors', '1 warned', '1 unsupported', '1 skipped', '1 passed']);
    expect(header.reproduce).toBe("geni-harness run --seed 1934221 --fault allocate-accepts-dup --case 'am3.*' --case 'am2.listresources.*'");
    expect(header.seed).toBe('1934221');
  });

  it('lists failures first, then errors, warnings, unsupported, skipped and passed cases', async () => {
    expect(await visibleIds()).toEqual([FAILED.id, ERRORED.id, WARNED.id, UNSUPPORTED.id, SKIPPED.id, PASSED.id]);
  });

  it('shows a failure open, each finding with expected, actual, path and a link to its spec anchor', async () => {
    const finding = await page.evaluate<{ open: boolean; rows: Record<string, string>; links: string[]; caseReproduce: string }>(`(() => {
      const article = document.querySelector('article.case.fail');
      const rows = {};
      for (const tr of article.querySelectorAll('.finding')[0].querySelectorAll('tr')) rows[tr.querySelector('th').textContent] = tr.querySelector('td').innerText;
      return {
        open: article.querySelector('details').open,
        rows,
        links: [...article.querySelectorAll('.finding a.spec-link')].map((a) => a.href),
        caseReproduce: article.querySelector('.case-reproduce').textContent,
      };
    })()`);
    expect(finding.open).toBe(true);
    expect(finding.rows.Expected).toBe('geni_code BADARGS (1)\ngeni_code ERROR (2)');
    expect(finding.rows.Actual).toBe('geni_code SUCCESS (0)');
    expect(finding.rows.Path).toBe('code.geni_code');
    expect(finding.links).toEqual(['https://groups.geni.net/geni/wiki/GAPI_AM_API_V3#Allocate', 'https://groups.geni.net/geni/wiki/GAPI_AM_API_V3#RSpec']);
    expect(finding.caseReproduce).toBe(`geni-harness run --seed 1934221 --fault allocate-accepts-dup --suite am3 --case ${FAILED.id}`);
  });

  it('filters by outcome, level, suite, tag and text, and says how many cases it shows', async () => {
    await setFilter("const box = document.querySelector('#filters input[value=pass]'); box.click()");
    expect(await visibleIds()).not.toContain(PASSED.id);
    expect(await page.evaluate('document.getElementById("shown-count").textContent')).toBe('5 of 6 cases');

    await setFilter("const s = document.getElementById('filter-level'); s.value = 'SHOULD'; s.dispatchEvent(new Event('change'))");
    expect(await visibleIds()).toEqual([WARNED.id]);
    await setFilter("const s = document.getElementById('filter-level'); s.value = ''; s.dispatchEvent(new Event('change'))");

    await setFilter("const s = document.getElementById('filter-suite'); s.value = 'am2'; s.dispatchEvent(new Event('change'))");
    expect(await visibleIds()).toEqual([ERRORED.id]);
    await setFilter("const s = document.getElementById('filter-suite'); s.value = ''; s.dispatchEvent(new Event('change'))");

    await setFilter("const s = document.getElementById('filter-tag'); s.value = 'compression'; s.dispatchEvent(new Event('change'))");
    expect(await visibleIds()).toEqual([WARNED.id]);
    await setFilter("const s = document.getElementById('filter-tag'); s.value = ''; s.dispatchEvent(new Event('change'))");

    await setFilter("const t = document.getElementById('filter-text'); t.value = 'single-sliver'; t.dispatchEvent(new Event('input'))");
    expect(await visibleIds()).toEqual([SKIPPED.id]);
    await setFilter("const t = document.getElementById('filter-text'); t.value = 'nothing matches this'; t.dispatchEvent(new Event('input'))");
    expect(await visibleIds()).toEqual([]);
    expect(await page.evaluate('document.getElementById("none-shown").offsetParent !== null')).toBe(true);

    await setFilter("const t = document.getElementById('filter-text'); t.value = ''; t.dispatchEvent(new Event('input')); document.querySelector('#filters input[value=pass]').click()");
    expect(await visibleIds()).toHaveLength(ALL_RESULTS.length);
  });

  it('shows each exchange as indented XML-RPC, an RSpec inside a string indented beneath it', async () => {
    const text = await page.evaluate<string>(`(() => {
      const exchange = document.querySelector('article.case.fail details.exchange:last-of-type');
      exchange.open = true;
      return exchange.querySelector('pre.xml').innerText;
    })()`);
    const lines = text.split('\n');
    expect(lines).toContain('  <methodName>Allocate</methodName>');
    expect(lines).toContain('          <rspec type="request" xmlns="http://www.geni.net/resources/rspec/3">');
    expect(lines).toContain('            <node client_id="a"/>');
  });

  it('opens a finding’s exchange when its link is followed', async () => {
    const opened = await page.evaluate<boolean>(`(async () => {
      const link = document.querySelector('article.case.fail .finding a[href*="-x2"]');
      const exchange = document.getElementById(link.getAttribute('href').slice(1));
      exchange.open = false;
      link.click();
      await new Promise((r) => setTimeout(r, 200));
      return exchange.open;
    })()`);
    expect(opened).toBe(true);
  });

  it('loads nothing: no resource besides the page itself', async () => {
    expect(await page.evaluate('performance.getEntriesByType("resource").length')).toBe(0);
    expect(await page.evaluate('document.querySelectorAll("link[href], script[src], img[src], iframe").length')).toBe(0);
  });
});

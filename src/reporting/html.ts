import { redactText } from '../core';
import type { Finding, OutcomeKind } from '../core';
import type { Exchange } from '../client';
import type { Reporter, RunSummary } from '../runner/events';
import { reportId } from '../runner/types';
import type { CaseResult } from '../runner/types';
import { endOfRunReporter, type RunRecord, type RunStarted } from './end-of-run';
import { writeReportFile } from './report-json';
import { prettyXml } from './pretty-xml';
import { transcriptPathFor } from './transcript-path';

export interface HtmlReporterOptions {
  /** Where the page goes, e.g. 'reports/index.html'. */
  path: string;
  /** The URL of a spec anchor id ('am3#Allocate'); an anchor without one is shown as text. */
  specLink?: (anchor: string) => string | undefined;
}

/**
 * Writes reports/index.html: one self-contained page (styles, script and data inline; a Content-Security-Policy
 * that forbids loading anything) a person reads after a run. A verdict header with the counts, the target, the seed
 * and the command that repeats the run; filters by outcome, level, tag and suite; then every case, failures first,
 * with its findings (expected, actual, path, spec link, exchanges), its reason or error, the command that repeats
 * it alone, and its exchanges as indented, redacted XML-RPC. Written when the run finishes, and on close if it
 * never finished. Everything shown goes through redactText.
 */
export function createHtmlReporter(options: HtmlReporterOptions): Reporter {
  return endOfRunReporter((record) => writeReportFile(options.path, renderHtmlReport(record, options)));
}

/** Failures first: what a reader came for, then what needs a look, then what passed. */
const OUTCOME_ORDER: OutcomeKind[] = ['fail', 'error', 'warn', 'unsupported', 'skip', 'pass'];

const OUTCOME_LABEL: Record<OutcomeKind, string> = {
  fail: 'failed', error: 'errors', warn: 'warned', unsupported: 'unsupported', skip: 'skipped', pass: 'passed',
};

/** A body longer than this is cut on the page; the transcript file has it whole. */
const BODY_SHOWN_MAX = 256 * 1024;

export function renderHtmlReport(record: RunRecord, options: Pick<HtmlReporterOptions, 'specLink'> = {}): string {
  const { run, results, summary } = record;
  const verdict = verdictOf(summary);
  const targetName = run?.target.label ?? run?.target.name ?? 'unknown target';
  const ordered = OUTCOME_ORDER.flatMap((kind) => results.filter((r) => r.outcome.kind === kind));
  const link = options.specLink ?? (() => undefined);
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="geni-harness">
<title>${esc(`geni-harness: ${verdict.word} — ${targetName}`)}</title>
<style>${STYLE}</style>
</head>
<body>
${header(run, results, summary, verdict)}
${filters(results)}
<main id="cases">
${ordered.map((result) => caseArticle(result, run, link)).join('\n')}
</main>
<p id="none-shown" hidden>No case matches the filters.</p>
<footer>geni-harness report${run === undefined ? '' : ` · run ${esc(run.runId)}`} · transcripts as JSON under <code>cases/</code> · private keys, credentials and signatures are redacted</footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
  return redactText(html);
}

interface Verdict {
  word: 'PASS' | 'FAIL' | 'ERROR' | 'INCOMPLETE';
  className: string;
}

function verdictOf(summary: RunSummary | null): Verdict {
  if (summary === null) return { word: 'INCOMPLETE', className: 'error' };
  if (summary.exitCode === 2) return { word: 'ERROR', className: 'error' };
  if (summary.exitCode === 1) return { word: 'FAIL', className: 'fail' };
  return { word: 'PASS', className: 'pass' };
}

function header(run: RunStarted | undefined, results: CaseResult[], summary: RunSummary | null, verdict: Verdict): string {
  const counts = summary?.byKind ?? countByKind(results);
  const countItems = OUTCOME_ORDER.map((kind) => `<li class="count ${kind}" data-kind="${kind}"><b>${counts[kind]}</b> ${OUTCOME_LABEL[kind]}</li>`).join('');
  const facts: Array<[string, string]> = [];
  if (run !== undefined) {
    const target = run.target;
    if (target.label !== undefined) facts.push(['Label', `<code id="target-label">${esc(target.label)}</code>`]);
    facts.push(['Target', esc(target.name)]);
    for (const [suite, url] of Object.entries(target.urls)) facts.push([`URL ${esc(suite)}`, `<code>${esc(url)}</code>`]);
    if (target.amUrn !== undefined) facts.push(['Aggregate', `<code>${esc(target.amUrn)}</code>${target.amType === undefined ? '' : ` (${esc(target.amType)})`}`]);
    facts.push(['Seed', `<code id="seed">${run.seed}</code>`]);
    facts.push(['Strict', run.strict ? 'yes: SHOULD-level findings fail' : 'no']);
    if (target.faults.length > 0) facts.push(['Reference-AM faults', esc(target.faults.join(', '))]);
    facts.push(['Started', esc(run.startedAt)]);
  }
  if (summary !== null) facts.push(['Duration', `${(summary.durationMs / 1000).toFixed(1)} s`]);
  const insecure = run?.target.insecure === true ? '<p class="insecure" id="insecure">TLS verification of the aggregate was OFF (--insecure): its identity was not checked.</p>' : '';
  const incomplete = summary === null ? '<p class="incomplete">The run did not finish: the counts cover the cases that did.</p>' : '';
  const command = run === undefined ? '' : `<p class="reproduce">Repeat this run: <code id="reproduce">${esc(shellCommand(runCommand(run)))}</code></p>`;
  return `<header id="verdict" class="verdict ${verdict.className}" data-verdict="${verdict.word}">
<h1><span class="verdict-word">${verdict.word}</span> ${esc(run?.target.label ?? run?.target.name ?? '')}</h1>
<ul class="counts">${countItems}</ul>
${incomplete}${insecure}
<dl class="facts">${facts.map(([name, value]) => `<dt>${name}</dt><dd>${value}</dd>`).join('')}</dl>
${command}
</header>`;
}

function filters(results: CaseResult[]): string {
  const present = new Set(results.map((r) => r.outcome.kind));
  const outcomeBoxes = OUTCOME_ORDER.filter((kind) => present.has(kind))
    .map((kind) => `<label><input type="checkbox" name="outcome" value="${kind}" checked> ${OUTCOME_LABEL[kind]}</label>`).join(' ');
  const tags = [...new Set(results.flatMap((r) => r.tags))].sort();
  const suites = [...new Set(results.map((r) => r.suite))].sort();
  const select = (id: string, label: string, values: string[]): string =>
    `<label>${label} <select id="${id}"><option value="">all</option>${values.map((v) => `<option value="${esc(v)}">${esc(v)}</option>`).join('')}</select></label>`;
  return `<section id="filters" aria-label="filters">
<fieldset><legend>Outcome</legend>${outcomeBoxes}</fieldset>
${select('filter-level', 'Level', ['MUST', 'SHOULD'])}
${select('filter-suite', 'Suite', suites)}
${select('filter-tag', 'Tag', tags)}
<label>Find <input type="search" id="filter-text" placeholder="case id or title"></label>
<span id="shown-count">${results.length} of ${results.length} cases</span>
</section>`;
}

function caseArticle(result: CaseResult, run: RunStarted | undefined, link: (anchor: string) => string | undefined): string {
  const id = reportId(result);
  const outcome = result.outcome;
  const anchorId = caseElementId(id);
  const open = outcome.kind === 'fail' || outcome.kind === 'error' ? ' open' : '';
  const body: string[] = [];
  body.push(`<p class="requirement"><b>${result.level}</b>: ${esc(result.requirement)}</p>`);
  body.push(`<p class="spec">Spec: ${result.spec.length > 0 ? result.spec.map((a) => specAnchor(a, link)).join(', ') : 'no spec anchor'}</p>`);
  if (result.tags.length > 0) body.push(`<p class="tags">Tags: ${result.tags.map((t) => `<span class="tag">${esc(t)}</span>`).join(' ')}</p>`);
  switch (outcome.kind) {
    case 'fail':
    case 'warn':
      body.push(findingsTable(outcome.findings, result, anchorId, link));
      break;
    case 'error':
      body.push(`<div class="error-detail"><p><b>Harness error</b> (${esc(outcome.phase)}): ${esc(outcome.message)}</p>${outcome.exchangeIds.length > 0 ? `<p>Exchanges: ${exchangeRefs(outcome.exchangeIds, anchorId)}</p>` : ''}</div>`);
      break;
    case 'skip':
    case 'unsupported':
      body.push(`<p class="reason"><b>${outcome.kind === 'skip' ? 'Skipped' : 'Unsupported'}:</b> ${esc(outcome.reason)}</p>`);
      break;
    case 'pass':
      break;
  }
  if (result.expectation !== undefined) {
    const e = result.expectation;
    const verdict = { met: 'as expected: not counted against the run', 'unexpected-pass': 'it passed: this counts as a failure until the entry is removed', expired: `the entry expired${e.until === undefined ? '' : ` on ${esc(e.until)}`}: this counts as a failure`, different: 'it ended otherwise: graded as usual' }[e.status];
    body.push(`<p class="expectation ${e.status}" data-expectation="${e.status}"><b>Expected ${esc(e.outcome)}</b>: ${esc(e.reason)}${e.until === undefined ? '' : ` (until ${esc(e.until)})`} — ${verdict}</p>`);
  }
  if (result.notes.length > 0) body.push(`<ul class="notes">${result.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`);
  if (run !== undefined) {
    body.push(`<p class="reproduce">Repeat this case: <code class="case-reproduce">${esc(shellCommand(caseCommand(run, result)))}</code></p>`);
  }
  body.push(transcript(result, anchorId));
  return `<article class="case ${outcome.kind}" id="${anchorId}" data-id="${esc(id)}" data-outcome="${outcome.kind}" data-level="${result.level}" data-suite="${esc(result.suite)}" data-tags="${esc(` ${result.tags.join(' ')} `)}" data-text="${esc(`${id} ${result.title}`.toLowerCase())}">
<details${open}><summary><span class="badge ${outcome.kind}">${outcome.kind.toUpperCase()}</span>${expectationBadge(result)} <code class="case-id">${esc(id)}</code> <span class="title">${esc(result.title)}</span> <span class="meta">${result.level} · ${esc(result.suite)} · ${Math.round(result.durationMs)} ms</span></summary>
${body.join('\n')}
</details>
</article>`;
}

function expectationBadge(result: CaseResult): string {
  const status = result.expectation?.status;
  if (status === undefined || status === 'different') return '';
  const label = { met: 'expected', 'unexpected-pass': 'unexpected pass', expired: 'expectation expired' }[status];
  return ` <span class="badge expectation-${status}">${label}</span>`;
}

function findingsTable(findings: Finding[], result: CaseResult, anchorId: string, link: (anchor: string) => string | undefined): string {
  const rows = findings.map((f) => {
    const rowsOf: Array<[string, string]> = [
      ['Expected', f.expected.length > 0 ? `<ul>${f.expected.map((e) => `<li><code>${esc(e)}</code></li>`).join('')}</ul>` : '(no alternative given)'],
      ['Actual', `<code class="actual">${esc(f.actual)}</code>`],
    ];
    if (f.path !== undefined) rowsOf.push(['Path', `<code class="path">${esc(f.path)}</code>`]);
    rowsOf.push(['Spec', specAnchor(f.spec ?? result.spec[0] ?? '', link)]);
    if (f.exchangeIds.length > 0) rowsOf.push(['Exchanges', exchangeRefs(f.exchangeIds, anchorId)]);
    if (f.grade === 'strict-only') rowsOf.push(['Grade', 'strict-only (tolerated unless --strict)']);
    if (f.hint !== undefined) rowsOf.push(['Hint', esc(f.hint)]);
    return `<div class="finding" data-check="${esc(f.check)}"><h3>${esc(f.title)} <small>(${esc(f.check)})</small></h3>
<table>${rowsOf.map(([name, value]) => `<tr><th>${name}</th><td>${value}</td></tr>`).join('')}</table></div>`;
  });
  return `<section class="findings">${rows.join('\n')}</section>`;
}

function specAnchor(anchor: string, link: (anchor: string) => string | undefined): string {
  if (anchor === '') return 'no spec anchor';
  const url = link(anchor);
  return url === undefined ? `<code>${esc(anchor)}</code>` : `<a class="spec-link" href="${esc(url)}" rel="noreferrer">${esc(anchor)}</a>`;
}

function exchangeRefs(ids: string[], anchorId: string): string {
  return ids.map((x) => `<a href="#${anchorId}-${domId(x)}">${esc(x)}</a>`).join(', ');
}

function transcript(result: CaseResult, anchorId: string): string {
  const file = transcriptPathFor(reportId(result));
  const exchanges = result.exchanges.map((x) => exchangeBlock(x, anchorId)).join('\n');
  return `<section class="transcript"><h3>Transcript <small><a href="${esc(file)}">${esc(file)}</a></small></h3>
${result.exchanges.length === 0 ? '<p class="none">No exchanges.</p>' : exchanges}</section>`;
}

function exchangeBlock(exchange: Exchange, anchorId: string): string {
  const status = exchange.response === undefined ? 'no response' : `HTTP ${exchange.response.httpStatus}`;
  const parts = [`<h4>Request <small>${exchange.request.bytes} bytes</small></h4>${bodyBlock(exchange.request.body)}`];
  if (exchange.response !== undefined) {
    parts.push(`<h4>Response <small>${exchange.response.bytes} bytes${exchange.response.contentType === undefined ? '' : `, ${esc(exchange.response.contentType)}`}</small></h4>${bodyBlock(exchange.response.body)}`);
  }
  if (exchange.error !== undefined) parts.push(`<p class="exchange-error"><b>Error:</b> ${esc(exchange.error)}</p>`);
  return `<details class="exchange" id="${anchorId}-${domId(exchange.id)}"><summary><code>${esc(exchange.id)}</code> <b>${esc(exchange.method)}</b> → ${status} <span class="meta">${Math.round(exchange.durationMs)} ms · ${esc(exchange.endpoint)}</span></summary>
${parts.join('\n')}</details>`;
}

function bodyBlock(body: string): string {
  const redacted = redactText(body);
  const cut = redacted.length > BODY_SHOWN_MAX;
  const shown = prettyXml(cut ? redacted.slice(0, BODY_SHOWN_MAX) : redacted);
  return `<pre class="xml">${esc(shown)}</pre>${cut ? `<p class="cut">Cut at ${BODY_SHOWN_MAX} characters; the transcript file has it whole.</p>` : ''}`;
}

/** `geni-harness run …` for the whole run: its arguments and its selection. */
function runCommand(run: RunStarted): string[] {
  const selection = [
    ...(run.selection.shard === undefined ? [] : ['--shard', `${run.selection.shard.index}/${run.selection.shard.count}`]),
    ...run.selection.suites.flatMap((s) => ['--suite', s]),
    ...run.selection.cases.flatMap((c) => ['--case', c]),
    ...run.selection.tags.flatMap((t) => ['--tag', t]),
  ];
  return ['geni-harness', 'run', ...baseArguments(run), ...selection];
}

/** `geni-harness run …` for this case alone, in the suite it ran in. */
function caseCommand(run: RunStarted, result: CaseResult): string[] {
  return ['geni-harness', 'run', ...baseArguments(run), '--suite', result.suite, '--case', result.id];
}

function baseArguments(run: RunStarted): string[] {
  if (run.command !== undefined) return run.command;
  // Without the run's own arguments, what the event says: enough to repeat a run against the embedded AM.
  return [
    ...(run.target.name === 'reference' ? [] : ['--target', run.target.name]),
    ...(run.target.label === undefined ? [] : ['--target-name', run.target.label]),
    '--seed', String(run.seed),
    ...(run.strict ? ['--strict'] : []),
    ...run.target.faults.flatMap((f) => ['--fault', f]),
  ];
}

/** POSIX shell quoting: words that need it go in single quotes. */
export function shellCommand(words: string[]): string {
  return words.map((w) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

function countByKind(results: CaseResult[]): RunSummary['byKind'] {
  const counts: RunSummary['byKind'] = { pass: 0, fail: 0, warn: 0, unsupported: 0, skip: 0, error: 0 };
  for (const result of results) counts[result.outcome.kind] += 1;
  return counts;
}

/** HTML text and attribute escaping (quotes too, so the same function serves both). */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The element id of a case on its run's page (the merged matrix links to it). */
export function caseElementId(id: string): string {
  return `case-${domId(id)}`;
}

function domId(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]/g, (c) => `_${c.charCodeAt(0).toString(16)}_`);
}

const STYLE = `
:root { --pass:#1a7f37; --fail:#cf222e; --warn:#9a6700; --error:#8250df; --skip:#6e7781; --unsupported:#0969da; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1200px; padding: 0 16px 32px; color: #1f2328; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12.5px; }
.verdict { border-left: 8px solid var(--skip); padding: 8px 16px; margin: 16px 0; background: #f6f8fa; }
.verdict.pass { border-color: var(--pass); } .verdict.fail { border-color: var(--fail); } .verdict.error { border-color: var(--error); }
.verdict h1 { margin: 4px 0; font-size: 22px; } .verdict-word { letter-spacing: .05em; }
.verdict.pass .verdict-word { color: var(--pass); } .verdict.fail .verdict-word { color: var(--fail); } .verdict.error .verdict-word { color: var(--error); }
.counts { list-style: none; padding: 0; margin: 6px 0; display: flex; gap: 16px; flex-wrap: wrap; }
.count.pass b { color: var(--pass); } .count.fail b { color: var(--fail); } .count.warn b { color: var(--warn); } .count.error b { color: var(--error); }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 8px 0; } .facts dt { color: #59636e; } .facts dd { margin: 0; }
.insecure, .incomplete { color: var(--fail); font-weight: 600; }
#filters { position: sticky; top: 0; background: #fff; padding: 8px 0; border-bottom: 1px solid #d1d9e0; display: flex; gap: 12px; flex-wrap: wrap; align-items: center; z-index: 1; }
#filters fieldset { border: 0; padding: 0; margin: 0; display: inline-flex; gap: 8px; } #filters legend { float: left; margin-right: 6px; color: #59636e; }
#shown-count { color: #59636e; margin-left: auto; }
.case { border-bottom: 1px solid #d1d9e0; } .case > details > summary { cursor: pointer; padding: 6px 0; }
.badge { display: inline-block; min-width: 7.5em; text-align: center; font-size: 11px; font-weight: 700; color: #fff; border-radius: 3px; padding: 1px 4px; background: var(--skip); }
.badge.pass { background: var(--pass); } .badge.fail { background: var(--fail); } .badge.warn { background: var(--warn); } .badge.error { background: var(--error); } .badge.unsupported { background: var(--unsupported); }
.meta, small { color: #59636e; font-weight: normal; }
.badge.expectation-met { background: #6e7781; } .badge.expectation-unexpected-pass, .badge.expectation-expired { background: var(--fail); }
.expectation { font-style: italic; } .expectation.unexpected-pass, .expectation.expired { color: var(--fail); }
.case > details > :not(summary) { margin-left: 24px; }
.finding { border-left: 3px solid var(--fail); padding: 2px 10px; margin: 8px 0; } .case.warn .finding { border-color: var(--warn); }
.finding h3 { font-size: 14px; margin: 4px 0; } .finding table { border-collapse: collapse; } .finding th { text-align: right; vertical-align: top; padding: 2px 10px 2px 0; color: #59636e; font-weight: 600; }
.finding ul { margin: 0; padding-left: 18px; }
.tag { background: #ddf4ff; border-radius: 10px; padding: 0 8px; font-size: 12px; }
.transcript h3 { font-size: 14px; } .exchange { margin: 4px 0; } .exchange summary { cursor: pointer; }
pre.xml { background: #f6f8fa; padding: 8px; overflow-x: auto; white-space: pre; max-height: 480px; overflow-y: auto; }
.exchange-error, .error-detail { color: var(--error); }
footer { margin-top: 24px; color: #59636e; font-size: 12px; }
`;

/** The filters: every case is on the page; this only hides those that do not match. */
const SCRIPT = `
(function () {
  var cases = Array.prototype.slice.call(document.querySelectorAll('article.case'));
  var boxes = Array.prototype.slice.call(document.querySelectorAll('#filters input[name=outcome]'));
  var level = document.getElementById('filter-level');
  var suite = document.getElementById('filter-suite');
  var tag = document.getElementById('filter-tag');
  var text = document.getElementById('filter-text');
  var count = document.getElementById('shown-count');
  var none = document.getElementById('none-shown');
  function apply() {
    var outcomes = {};
    boxes.forEach(function (b) { if (b.checked) outcomes[b.value] = true; });
    var needle = text.value.trim().toLowerCase();
    var shown = 0;
    cases.forEach(function (c) {
      var d = c.dataset;
      var ok = outcomes[d.outcome] === true
        && (level.value === '' || d.level === level.value)
        && (suite.value === '' || d.suite === suite.value)
        && (tag.value === '' || d.tags.indexOf(' ' + tag.value + ' ') >= 0)
        && (needle === '' || d.text.indexOf(needle) >= 0);
      c.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = shown + ' of ' + cases.length + ' cases';
    none.hidden = shown !== 0;
  }
  boxes.concat([level, suite, tag]).forEach(function (el) { el.addEventListener('change', apply); });
  text.addEventListener('input', apply);
  function reveal() {
    if (location.hash.length < 2) return;
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    for (var el = target; el; el = el.parentElement) if (el.tagName === 'DETAILS') el.open = true;
    if (target) target.scrollIntoView();
  }
  window.addEventListener('hashchange', reveal);
  reveal();
  apply();
})();
`;

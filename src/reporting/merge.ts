/**
 * `geni-harness merge`: runs from separate CI jobs (one per aggregate, or shards of one aggregate) combined into one
 * reports directory: junit.xml with every run's suites kept apart by target label, results.json listing the runs,
 * and index.html with a compliance matrix (case × aggregate). The runs stay where they are; the merged files point
 * into them (transcripts, per-run pages).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ConfigError, errorMessage, type OutcomeKind } from '../core';
import type { RunSummary, TargetInfo } from '../runner/events';
import { reportId, type CaseResult } from '../runner/types';
import type { RunRecord, RunStarted } from './end-of-run';
import { caseElementId, esc, shellCommand } from './html';
import { buildJUnitXml, type JUnitFlavor } from './junit';
import { toReportJson, writeReportFile } from './report-json';
import { RESULTS_FORMAT, RESULTS_FORMAT_VERSION } from './results-json';
import { transcriptPathFor } from './transcript-path';

export const MERGED_FORMAT = 'geni-harness/merged-results';
export const MERGED_FORMAT_VERSION = 1;

/** One run's reports directory, read back. */
export interface LoadedRun {
  /** The directory as given. */
  dir: string;
  /** The column it goes in: its --target-name, else its target's name ('reference', the URL). */
  label: string;
  record: RunRecord;
}

/** Reads a run's results.json and its transcripts (for the exchanges); a directory that is not a run is a one-line error. */
export function loadRun(dir: string): LoadedRun {
  const path = join(dir, 'results.json');
  if (!existsSync(path)) throw new ConfigError(`${dir} holds no results.json (give the reports directory of a geni-harness run)`);
  let doc: ResultsDocument;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8')) as ResultsDocument;
  } catch (err) {
    throw new ConfigError(`${path} is not JSON: ${errorMessage(err)}`);
  }
  if (doc.format !== RESULTS_FORMAT || doc.formatVersion !== RESULTS_FORMAT_VERSION) {
    throw new ConfigError(`${path} is not a ${RESULTS_FORMAT} document of version ${RESULTS_FORMAT_VERSION} (format ${JSON.stringify(doc.format)}, version ${JSON.stringify(doc.formatVersion)})`);
  }
  const target = doc.target ?? { name: 'unknown', urls: {}, insecure: false, faults: [] };
  const run: RunStarted = {
    type: 'run-started',
    runId: doc.runId ?? 'unknown',
    startedAt: doc.startedAt ?? new Date(0).toISOString(),
    target,
    seed: doc.seed ?? 0,
    strict: doc.strict ?? false,
    selection: doc.selection ?? { cases: [], tags: [], suites: [] },
    caseCount: doc.cases.length,
    ...(doc.command !== undefined && { command: doc.command }),
  };
  const results = doc.cases.map((entry): CaseResult => {
    const { transcript, ...rest } = entry;
    return { ...rest, exchanges: readExchanges(join(dir, transcript ?? transcriptPathFor(reportId(entry)))) };
  });
  return { dir, label: target.label ?? target.name, record: { run, results, summary: doc.summary } };
}

interface ResultsDocument {
  format?: unknown;
  formatVersion?: unknown;
  runId: string | null;
  startedAt: string | null;
  target: TargetInfo | null;
  seed: number | null;
  strict: boolean | null;
  selection: RunStarted['selection'] | null;
  command?: string[];
  summary: RunSummary | null;
  cases: Array<Omit<CaseResult, 'exchanges'> & { transcript?: string }>;
}

/** The exchanges of a transcript file; none when it is missing or unreadable (the merged report still points at it). */
function readExchanges(path: string): CaseResult['exchanges'] {
  try {
    const transcript = JSON.parse(readFileSync(path, 'utf8')) as { exchanges?: CaseResult['exchanges'] };
    return Array.isArray(transcript.exchanges) ? transcript.exchanges : [];
  } catch {
    return [];
  }
}

export interface MergeOptions {
  /** Where the merged junit.xml, results.json and index.html go. */
  outDir: string;
  flavor?: JUnitFlavor;
  specLink?: (anchor: string) => string | undefined;
}

export interface MergeOutcome {
  columns: string[];
  summary: RunSummary;
  files: string[];
}

/**
 * Merges runs into `outDir`. Runs with the same label are one column (shards of one target); a case reported twice
 * in one column is an error that asks for distinct --target-name values.
 */
export async function mergeRuns(runs: LoadedRun[], options: MergeOptions): Promise<MergeOutcome> {
  if (runs.length === 0) throw new ConfigError('merge needs at least one reports directory');
  const out = resolve(options.outDir);
  const columns = columnsOf(runs);
  const where = (run: LoadedRun): string => relative(out, resolve(run.dir)) || '.';

  const junit = buildJUnitXml(
    runs.map((r) => ({ run: labelled(r), results: r.record.results, reportsDir: where(r) })),
    options.flavor ?? 'default',
  );
  const summary = summaryOf(runs);
  const results = {
    format: MERGED_FORMAT,
    formatVersion: MERGED_FORMAT_VERSION,
    summary,
    columns: columns.map((c) => ({ label: c.label, runs: c.runs.map(where), summary: summaryOf(c.runs) })),
    runs: runs.map((r) => ({ dir: where(r), label: r.label, runId: r.record.run?.runId ?? null, target: r.record.run?.target ?? null, seed: r.record.run?.seed ?? null, summary: r.record.summary })),
    cases: matrixRows(columns).map((row) => ({
      id: row.id,
      title: row.title,
      level: row.level,
      outcomes: Object.fromEntries(row.cells.map((cell, i) => [columns[i]!.label, cell === undefined ? null : cell.result.outcome.kind])),
    })),
  };
  const files = [join(out, 'junit.xml'), join(out, 'results.json'), join(out, 'index.html')];
  await writeReportFile(files[0]!, junit);
  await writeReportFile(files[1]!, toReportJson(results));
  await writeReportFile(files[2]!, renderMatrix(columns, summary, where));
  return { columns: columns.map((c) => c.label), summary, files };
}

/** A run's header with its label set, so its JUnit suites are named `<label>/<suite>`. */
function labelled(run: LoadedRun): RunStarted | undefined {
  const header = run.record.run;
  return header === undefined ? undefined : { ...header, target: { ...header.target, label: run.label } };
}

interface Column {
  label: string;
  runs: LoadedRun[];
  byId: Map<string, { result: CaseResult; run: LoadedRun }>;
}

function columnsOf(runs: LoadedRun[]): Column[] {
  const columns = new Map<string, Column>();
  for (const run of runs) {
    let column = columns.get(run.label);
    if (column === undefined) {
      column = { label: run.label, runs: [], byId: new Map() };
      columns.set(run.label, column);
    }
    column.runs.push(run);
    for (const result of run.record.results) {
      const id = reportId(result);
      const earlier = column.byId.get(id);
      if (earlier !== undefined) {
        throw new ConfigError(`${earlier.run.dir} and ${run.dir} both report ${id} for target ${JSON.stringify(run.label)}: give the runs distinct --target-name values (runs with one name are shards of one target)`);
      }
      column.byId.set(id, { result, run });
    }
  }
  return [...columns.values()];
}

const SEVERITY: Record<OutcomeKind, number> = { fail: 0, error: 1, warn: 2, unsupported: 3, skip: 4, pass: 5 };

interface Row {
  id: string;
  title: string;
  level: string;
  cells: Array<{ result: CaseResult; run: LoadedRun } | undefined>;
}

/** One row per case id any run reported; rows with the worst outcome anywhere first, then by id. */
function matrixRows(columns: Column[]): Row[] {
  const ids = [...new Set(columns.flatMap((c) => [...c.byId.keys()]))];
  const rows = ids.map((id): Row => {
    const cells = columns.map((c) => c.byId.get(id));
    const any = cells.find((cell) => cell !== undefined)!;
    return { id, title: any.result.title, level: any.result.level, cells };
  });
  const worst = (row: Row): number => Math.min(...row.cells.map((cell) => (cell === undefined ? 6 : SEVERITY[cell.result.outcome.kind])));
  return rows.sort((a, b) => worst(a) - worst(b) || a.id.localeCompare(b.id));
}

/** The counts of some runs; the exit code is the worst of theirs (a run that never finished counts as 2). */
function summaryOf(runs: LoadedRun[]): RunSummary {
  const byKind = { pass: 0, fail: 0, warn: 0, unsupported: 0, skip: 0, error: 0 };
  for (const run of runs) for (const r of run.record.results) byKind[r.outcome.kind] += 1;
  const worst = Math.max(0, ...runs.map((r) => r.record.summary?.exitCode ?? 2));
  return {
    total: Object.values(byKind).reduce((a, b) => a + b, 0),
    byKind,
    durationMs: runs.reduce((total, r) => total + (r.record.summary?.durationMs ?? 0), 0),
    exitCode: worst === 2 ? 2 : worst === 1 ? 1 : 0,
  };
}

const MARK: Record<OutcomeKind, string> = { pass: 'pass', fail: 'FAIL', warn: 'warn', error: 'ERROR', skip: 'skip', unsupported: 'n/a' };

/** The compliance matrix page: like index.html of a run, self-contained, with a cell per case and aggregate. */
function renderMatrix(columns: Column[], summary: RunSummary, where: (run: LoadedRun) => string): string {
  const rows = matrixRows(columns);
  const verdict = summary.exitCode === 2 ? 'ERROR' : summary.exitCode === 1 ? 'FAIL' : 'PASS';
  const head = columns.map((c) => {
    const s = summaryOf(c.runs);
    const target = c.runs[0]?.record.run?.target;
    return `<th class="column" data-label="${esc(c.label)}"><span class="label">${esc(c.label)}</span>${target?.amUrn === undefined ? '' : `<br><small>${esc(target.amUrn)}</small>`}<br><small class="column-counts">${s.byKind.pass} pass · ${s.byKind.fail} fail · ${s.byKind.error} error · ${s.byKind.warn} warn</small></th>`;
  }).join('');
  const body = rows.map((row) => {
    const cells = row.cells.map((cell) => {
      if (cell === undefined) return '<td class="cell none" data-outcome="none">—</td>';
      const kind = cell.result.outcome.kind;
      const href = `${where(cell.run)}/index.html#${caseElementId(reportId(cell.result))}`;
      return `<td class="cell ${kind}" data-outcome="${kind}"><a href="${esc(href)}">${MARK[kind]}</a></td>`;
    }).join('');
    const kinds = new Set(row.cells.map((cell) => cell?.result.outcome.kind ?? 'none'));
    return `<tr class="row" data-id="${esc(row.id)}" data-kinds="${esc(` ${[...kinds].join(' ')} `)}"><th class="case"><code>${esc(row.id)}</code> <small>${esc(row.title)} · ${esc(row.level)}</small></th>${cells}</tr>`;
  }).join('\n');
  const repeat = columns.flatMap((c) => c.runs.map((r) => r.record.run)).filter((r) => r !== undefined)
    .map((r) => `<li><code>${esc(shellCommand(['geni-harness', 'run', ...(r.command ?? ['--seed', String(r.seed)])]))}</code></li>`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="generator" content="geni-harness merge">
<title>${esc(`geni-harness: ${verdict} — ${columns.map((c) => c.label).join(', ')}`)}</title>
<style>${MATRIX_STYLE}</style>
</head>
<body>
<header id="verdict" class="verdict ${verdict.toLowerCase()}" data-verdict="${verdict}">
<h1><span class="verdict-word">${verdict}</span> ${columns.length} aggregate${columns.length === 1 ? '' : 's'}, ${rows.length} cases</h1>
<p class="counts">${summary.byKind.pass} passed · ${summary.byKind.fail} failed · ${summary.byKind.error} errors · ${summary.byKind.warn} warned · ${summary.byKind.unsupported} unsupported · ${summary.byKind.skip} skipped</p>
<details><summary>Commands that repeat the runs</summary><ul>${repeat}</ul></details>
</header>
<p><label><input type="checkbox" id="only-differences"> only cases that did not pass everywhere</label></p>
<table id="matrix">
<thead><tr><th>case</th>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table>
<footer>geni-harness merge · each cell links to that run's report</footer>
<script>${MATRIX_SCRIPT}</script>
</body>
</html>
`;
}

const MATRIX_STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px; color: #1f2328; }
.verdict { border-left: 8px solid #6e7781; padding: 6px 14px; background: #f6f8fa; margin-bottom: 12px; }
.verdict.pass { border-color: #1a7f37; } .verdict.fail { border-color: #cf222e; } .verdict.error { border-color: #8250df; }
.verdict h1 { font-size: 20px; margin: 4px 0; }
table { border-collapse: collapse; } th, td { border: 1px solid #d1d9e0; padding: 2px 8px; }
thead th { position: sticky; top: 0; background: #fff; vertical-align: bottom; }
th.case { text-align: left; font-weight: normal; } small { color: #59636e; }
td.cell { text-align: center; font-weight: 600; } td.cell a { color: inherit; text-decoration: none; display: block; }
td.pass { background: #dafbe1; color: #1a7f37; } td.fail { background: #ffebe9; color: #cf222e; } td.error { background: #fbefff; color: #8250df; }
td.warn { background: #fff8c5; color: #9a6700; } td.skip, td.unsupported, td.none { color: #6e7781; }
`;

const MATRIX_SCRIPT = `
(function () {
  var box = document.getElementById('only-differences');
  box.addEventListener('change', function () {
    document.querySelectorAll('#matrix tr.row').forEach(function (row) {
      row.hidden = box.checked && row.dataset.kinds.trim() === 'pass';
    });
  });
})();
`;

/**
 * Compares the project's XSD verdict with the reference verdict (xmllint with the published schemas) for
 * every row of the corpus's VERDICTS.tsv. Only the XSD verdict is compared; the semantic rules go beyond
 * the published schemas, so their findings are listed separately and never count as disagreement.
 *
 *   npx tsx scripts/corpus-agreement.ts [--corpus DIR]     (default: ../shared/corpus from the project root)
 *
 * It also checks that the corpus has files of both verdicts and that `geni-harness validate --json` gives the same
 * verdicts for all files at once. `npm run corpus` runs it; .ci/run calls it when ../shared/corpus exists (the
 * corpus is never copied into the project, so `npm test` does not need it).
 *
 * Exit 0 when every file agrees, 1 on any disagreement, 2 when the corpus cannot be read.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateRSpec } from '../src/rspec';
import { SEMANTIC_RULES } from '../src/rspec/findings';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface VerdictRow {
  file: string;
  type: string;
  namespace: string;
  verdict: 'valid' | 'invalid';
  schema: string;
  firstError: string;
}

export function readVerdicts(corpus: string): VerdictRow[] {
  const table = path.join(corpus, 'VERDICTS.tsv');
  if (!existsSync(table)) throw new Error(`corpus not found: ${table} does not exist (pass --corpus DIR)`);
  const [header, ...rows] = readFileSync(table, 'utf8').split('\n').filter((line) => line.trim() !== '');
  const columns = header!.split('\t');
  const column = (name: string): number => {
    const index = columns.indexOf(name);
    if (index < 0) throw new Error(`${table}: no "${name}" column in header ${JSON.stringify(header)}`);
    return index;
  };
  const [file, type, namespace, verdict, schema, firstError] = ['file', 'type', 'namespace', 'verdict', 'schema', 'first_error'].map(column) as [number, number, number, number, number, number];
  return rows.map((line, index) => {
    const cells = line.split('\t');
    const value = cells[verdict];
    if (value !== 'valid' && value !== 'invalid') throw new Error(`${table} line ${index + 2}: verdict ${JSON.stringify(value)} is neither valid nor invalid`);
    return { file: cells[file]!, type: cells[type]!, namespace: cells[namespace]!, verdict: value, schema: cells[schema]!, firstError: cells[firstError] ?? '' };
  });
}

export interface Agreement {
  row: VerdictRow;
  ours: 'valid' | 'invalid';
  firstFinding?: string;
  semantic: string[];
}

/** Our XSD-only verdict: parse, namespace and schema findings count; semantic rules and notices do not. */
export function compareRow(corpus: string, row: VerdictRow): Agreement {
  const result = validateRSpec(readFileSync(path.join(corpus, row.file)));
  const structural = result.findings.filter((finding) => finding.severity === 'error' && !SEMANTIC_RULES.includes(finding.rule));
  return {
    row,
    ours: result.schemaValid ? 'valid' : 'invalid',
    firstFinding: structural[0] && `${structural[0].line ?? '?'}: ${structural[0].rule}: ${structural[0].message}`,
    semantic: result.findings
      .filter((finding) => SEMANTIC_RULES.includes(finding.rule))
      .map((finding) => `line ${finding.line ?? '?'}: ${finding.severity} ${finding.rule}: ${finding.message}`),
  };
}


/** `geni-harness validate --json` on every corpus file at once: the files whose `valid` differs from VERDICTS.tsv. */
export async function validateCommandDisagreements(corpus: string, rows: VerdictRow[]): Promise<string[]> {
  const { validateCommand } = await import('../src/cli/commands/validate');
  let stdout = '';
  await validateCommand(['--json', ...rows.map((r) => path.join(corpus, r.file))], { stdout: (text) => { stdout += text; }, stderr: () => {} });
  const results = JSON.parse(stdout) as Array<{ file: string; valid: boolean }>;
  if (results.length !== rows.length) return [`validate --json reported ${results.length} files for ${rows.length}`];
  return rows.filter((row, i) => (results[i]!.valid ? 'valid' : 'invalid') !== row.verdict).map((r) => r.file);
}

async function main(argv: string[]): Promise<number> {
  const corpusIndex = argv.indexOf('--corpus');
  const corpus = corpusIndex >= 0 ? path.resolve(argv[corpusIndex + 1] ?? '') : path.resolve(projectRoot, '../shared/corpus');
  let rows: VerdictRow[];
  try {
    rows = readVerdicts(corpus);
  } catch (err) {
    console.error(`corpus-agreement: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  console.log(`comparing the XSD verdict only (semantic rules are listed separately) for ${rows.length} files in ${corpus}`);
  // A corpus of one verdict only would prove nothing about the other.
  const verdicts = new Set(rows.map((row) => row.verdict));
  if (!verdicts.has('valid') || !verdicts.has('invalid')) {
    console.error(`corpus-agreement: ${corpus} needs files of both verdicts, has only ${[...verdicts].join(', ') || 'none'}`);
    return 1;
  }
  let agreeing = 0;
  let semanticCount = 0;
  const semanticLines: string[] = [];
  for (const row of rows) {
    const agreement = compareRow(corpus, row);
    if (agreement.ours === row.verdict) {
      agreeing += 1;
    } else {
      console.log(`DISAGREE ${row.file}: reference ${row.verdict} (${row.firstError || 'no error'}), ours ${agreement.ours}${agreement.firstFinding ? ` (${agreement.firstFinding})` : ''}`);
    }
    semanticCount += agreement.semantic.length;
    for (const line of agreement.semantic) semanticLines.push(`  ${row.file} ${line}`);
  }
  if (semanticLines.length > 0) {
    console.log('semantic findings (not part of the XSD comparison):');
    for (const line of semanticLines) console.log(line);
  }
  console.log(`corpus agreement: ${agreeing}/${rows.length} files agree (XSD verdict); semantic findings: ${semanticCount}`);
  const viaCommand = await validateCommandDisagreements(corpus, rows);
  for (const file of viaCommand) console.log(`DISAGREE (geni-harness validate --json) ${file}`);
  console.log(`geni-harness validate --json: ${rows.length - viaCommand.length}/${rows.length} files agree`);
  return agreeing === rows.length && viaCommand.length === 0 ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}

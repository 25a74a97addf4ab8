import { parseFlags, type Io } from '../args';
import { loadCases } from '../../runner/registry';
import { requirementCoverage, type CoverageReport } from '../../runner/coverage';

export const HELP = `usage: geni-harness coverage [--json] [--uncovered]

Lists every requirement of the catalogue (src/geni/requirements.ts: the normative statements of the GENI AM API
pages and the draft change sets, each quoted with its level) with the cases that check it, then the requirements
no case checks, each with the catalogue's reason, and the share of MUST, SHOULD and MAY statements covered.

  --json        the whole report as JSON: requirements (with their cases), uncovered, byLevel
  --uncovered   list only the requirements no case checks`;

function percent(report: CoverageReport, level: 'MUST' | 'SHOULD' | 'MAY'): string {
  const { covered, total, percent: p } = report.byLevel[level];
  return `${level} ${covered}/${total} (${p}%)`;
}

export async function coverageCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseFlags(args, { json: { type: 'boolean' }, uncovered: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, 'coverage');
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const report = requirementCoverage(await loadCases());
  if (values.json) {
    io.stdout(JSON.stringify(report, null, 2));
    return 0;
  }
  if (!values.uncovered) {
    for (const r of report.requirements) {
      io.stdout(`${r.level.padEnd(6)} ${r.id.padEnd(52)} ${r.cases.length === 0 ? '(no case)' : r.cases.join(', ')}`);
    }
    io.stdout('');
  }
  io.stdout(`Not covered (${report.uncovered.length}):`);
  for (const u of report.uncovered) io.stdout(`${u.level.padEnd(6)} ${u.id.padEnd(52)} ${u.reason ?? '(no reason given)'}`);
  io.stdout('');
  io.stdout(`Covered: ${percent(report, 'MUST')}, ${percent(report, 'SHOULD')}, ${percent(report, 'MAY')}`);
  return 0;
}

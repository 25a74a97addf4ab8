import { parseFlags, type Io } from '../args';
import { loadCases, selectCases } from '../../runner/registry';

export const HELP = `usage: geni-harness list [--case GLOB]... [--tag TAG]... [--suite NAME]... [--json]
  Lists the cases (id, level, title), selected as \`run\` selects them; --json gives every case's record
  (requirement, spec anchors, suites, tags, the reference-AM faults it detects).`;

export async function listCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseFlags(args, {
    json: { type: 'boolean' }, case: { type: 'string', multiple: true }, tag: { type: 'string', multiple: true }, suite: { type: 'string', multiple: true },
  }, 'list');
  const cases = selectCases(await loadCases(), { cases: values.case, tags: values.tag, suites: values.suite });
  if (values.json) {
    io.stdout(JSON.stringify(cases.map(({ id, title, requirement, requirements, level, spec, suites, tags, detects }) =>
      ({ id, title, requirement, requirements: requirements ?? [], level, spec, suites: suites.map((s) => s.name), tags, detects: detects ?? [] })), null, 2));
    return 0;
  }
  for (const c of cases) io.stdout(`${c.id.padEnd(56)} ${c.level.padEnd(6)} ${c.title}`);
  io.stdout(`${cases.length} cases`);
  return 0;
}

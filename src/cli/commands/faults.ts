import { parseFlags, type Io } from '../args';
import { loadCases } from '../../runner/registry';
import { REFERENCE_FAULTS } from '../../reference-am';
import { SM_FAULTS } from '../../reference-sm';

/**
 * The deliberate faults of the reference AM and of the reference slice manager, each joined with the cases that
 * declare they catch it (`detects`); `component` says which of the two commits it.
 */
export async function faultCatalog(): Promise<Array<{ name: string; component: 'reference-am' | 'reference-sm'; description: string; detectedBy: string[] }>> {
  const cases = await loadCases();
  const catalog = [
    ...REFERENCE_FAULTS.map((f) => ({ ...f, component: 'reference-am' as const })),
    ...SM_FAULTS.map((f) => ({ ...f, component: 'reference-sm' as const })),
  ];
  return catalog.map((f) => ({
    name: f.name,
    component: f.component,
    description: f.description,
    detectedBy: cases.filter((c) => c.detects?.includes(f.name)).map((c) => c.id),
  }));
}

export const HELP = `usage: geni-harness faults [--json]
  Lists the embedded reference AM's deliberate faults (switch one on with \`run --fault NAME\`) and the cases
  that catch each.`;

export async function faultsCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseFlags(args, { json: { type: 'boolean' } }, 'faults');
  const catalog = await faultCatalog();
  if (values.json) {
    io.stdout(JSON.stringify(catalog, null, 2));
    return 0;
  }
  for (const f of catalog) {
    io.stdout(`${f.name}  (${f.component})\n    ${f.description}\n    detected by: ${f.detectedBy.join(', ') || '(no case yet)'}`);
  }
  return 0;
}

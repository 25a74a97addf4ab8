import { parseFlags, type Io } from '../args';
import { loadCases } from '../../runner/registry';
import { REFERENCE_FAULTS } from '../../reference-am';

/** The reference AM's faults joined with the cases that declare they catch them (`detects`). */
export async function faultCatalog(): Promise<Array<{ name: string; description: string; detectedBy: string[] }>> {
  const cases = await loadCases();
  return REFERENCE_FAULTS.map((f) => ({
    name: f.name,
    description: f.description,
    detectedBy: cases.filter((c) => c.detects?.includes(f.name)).map((c) => c.id),
  }));
}

export async function faultsCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseFlags(args, { json: { type: 'boolean' } }, 'faults');
  const catalog = await faultCatalog();
  if (values.json) {
    io.stdout(JSON.stringify(catalog, null, 2));
    return 0;
  }
  for (const f of catalog) {
    io.stdout(`${f.name}\n    ${f.description}\n    detected by: ${f.detectedBy.join(', ') || '(no case yet)'}`);
  }
  return 0;
}

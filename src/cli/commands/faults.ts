import { parseFlags, type Io } from '../args';
import { loadCases } from '../../runner/registry';
import { REFERENCE_FAULTS } from '../../reference-am';
import { CLIENT_ENDPOINT_FAULTS } from '../../reference-dynslice-client';
import { SM_FAULTS } from '../../reference-sm';

export interface FaultCatalogEntry {
  name: string;
  /** The embedded peer that commits it. */
  component: 'reference-am' | 'reference-sm' | 'reference-dynslice-client';
  description: string;
  /** The suite that sees it, when it is not an AM API version's (dynslice, dynslice-client). */
  suite?: string;
  /** The check whose finding shows it, when the fault names one. */
  check?: string;
  /** The cases that declare they catch it (`detects`): each fails with the fault switched on. */
  detectedBy: string[];
}

/**
 * The deliberate faults of the reference AM (with its dynslice server), the reference slice manager and the
 * reference dynslice client endpoint, each joined with the cases that declare they catch it (`detects`);
 * `component` says which commits it.
 */
export async function faultCatalog(): Promise<FaultCatalogEntry[]> {
  const cases = await loadCases();
  const detecting = (name: string) => cases.filter((c) => c.detects?.includes(name)).map((c) => c.id);
  return [
    ...REFERENCE_FAULTS.map((f): FaultCatalogEntry => ({
      name: f.name, component: 'reference-am', description: f.description,
      ...(f.suite !== undefined && { suite: f.suite }), ...(f.check !== undefined && { check: f.check }), detectedBy: detecting(f.name),
    })),
    ...SM_FAULTS.map((f): FaultCatalogEntry => ({ name: f.name, component: 'reference-sm', description: f.description, detectedBy: detecting(f.name) })),
    ...CLIENT_ENDPOINT_FAULTS.map((f): FaultCatalogEntry => ({
      name: f.name, component: 'reference-dynslice-client', description: f.description, suite: 'dynslice-client', check: f.check, detectedBy: detecting(f.name),
    })),
  ];
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
    const seenBy = f.check ? ` (check ${f.check})` : '';
    io.stdout(`${f.name}  (${f.component}${f.suite ? `, suite ${f.suite}` : ''})
    ${f.description}
    detected by: ${f.detectedBy.join(', ') || '(no case yet)'}${seenBy}`);
  }
  return 0;
}

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
  /** The ids of the cases that declare they catch it (`detects`): each fails with the fault switched on. */
  detectedBy: string[];
  /** The check ids whose findings must fire (those of `detections`, each listed once). */
  checks: string[];
  /** Each detecting case with the check whose finding it must show when the fault is on. */
  detections: Array<{ case: string; check: string }>;
}

/**
 * The deliberate faults of the reference AM (with its dynslice server), the reference slice manager and the
 * reference dynslice client endpoint, each joined with the cases that declare they catch it (`detects`) and the
 * check whose finding each of them must show; `component` says which peer commits it.
 */
export async function faultCatalog(): Promise<FaultCatalogEntry[]> {
  const cases = await loadCases();
  const entry = (f: { name: string; description: string; suite?: string }, component: FaultCatalogEntry['component']): FaultCatalogEntry => {
    const detections = cases.flatMap((c) => (c.detects ?? []).filter((d) => d.fault === f.name).map((d) => ({ case: c.id, check: d.check })));
    return {
      name: f.name, component, description: f.description, ...(f.suite !== undefined && { suite: f.suite }),
      detectedBy: [...new Set(detections.map((d) => d.case))],
      checks: [...new Set(detections.map((d) => d.check))],
      detections,
    };
  };
  return [
    ...REFERENCE_FAULTS.map((f) => entry(f, 'reference-am')),
    ...SM_FAULTS.map((f) => entry(f, 'reference-sm')),
    ...CLIENT_ENDPOINT_FAULTS.map((f) => entry({ ...f, suite: 'dynslice-client' }, 'reference-dynslice-client')),
  ];
}

export const HELP = `usage: geni-harness faults [--json]
  Lists the embedded reference AM's deliberate faults (switch one on with \`run --fault NAME\`) and the cases
  that catch each, with the check whose finding each case must show.`;

export async function faultsCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseFlags(args, { json: { type: 'boolean' } }, 'faults');
  const catalog = await faultCatalog();
  if (values.json) {
    io.stdout(JSON.stringify(catalog, null, 2));
    return 0;
  }
  for (const f of catalog) {
    const by = f.detections.map((d) => `${d.case} (${d.check})`).join(', ');
    io.stdout(`${f.name}  (${f.component}${f.suite ? `, suite ${f.suite}` : ''})
    ${f.description}
    detected by: ${by || '(no case yet)'}`);
  }
  return 0;
}

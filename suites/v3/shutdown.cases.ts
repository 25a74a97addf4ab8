/**
 * Shutdown(slice_urn, credentials, options): an emergency stop of the slice at this aggregate; value is true.
 * Afterwards no other operation on the slice's slivers is allowed (they stay for forensics, so the runner's cleanup
 * may itself be refused: each case uses a fresh slice).
 */
import { envelope, field, geniCode } from '../../src/checks';
import type { AmResponse } from '../../src/geni/methods';
import { defineCases } from '../../src/runner/define';

import type { AllocatedSlice } from './sliver-steps';
import { allocatedSlice, rfc3339, rspecVersion, secondsFromNow, withClientIdPrefix } from './sliver-steps';
import { am3, type AmCaseContext } from '../../src/runner/am-suites';
import type { RequirementId } from '../../src/geni/requirements';

/** A slice with allocated slivers that has then been shut down (precondition: Shutdown succeeds). */
async function shutDownSlice(t: AmCaseContext): Promise<AllocatedSlice> {
  const allocated = await allocatedSlice(t);
  const res = await t.am.Shutdown(allocated.slice.urn, allocated.slice.credentials, {});
  if (res.envelope?.geniCode !== 0) t.skip(`precondition: Shutdown answered geni_code ${String(res.envelope?.geniCode)} (exchange ${res.exchangeId})`);
  return allocated;
}

/** What each operation after Shutdown sends; every one of them must be refused. */
const AFTER_SHUTDOWN: Array<{ slug: string; method: string; call: (t: AmCaseContext, s: AllocatedSlice) => Promise<AmResponse> }> = [
  {
    slug: 'allocate', method: 'Allocate',
    call: async (t, s) => t.am.Allocate(s.slice.urn, s.slice.credentials, withClientIdPrefix(await t.requestRSpec(), 'after-'), {}),
  },
  { slug: 'renew', method: 'Renew', call: (t, s) => t.am.Renew([s.slice.urn], s.slice.credentials, rfc3339(secondsFromNow(1800)), {}) },
  { slug: 'provision', method: 'Provision', call: (t, s) => t.am.Provision([s.slice.urn], s.slice.credentials, { geni_rspec_version: rspecVersion(t) }) },
];

export default defineCases(am3, { tags: ['shutdown', 'destructive'], spec: ['am3#Shutdown'] }, [
  {
    id: 'am3.shutdown.returns-true',
    requirements: ['v3.shutdown.blocks-slice'],
    title: 'Shutdown a slice with allocated slivers',
    requirement: 'Succeeds with value true',
    async run(t) {
      const { slice } = await allocatedSlice(t);
      t.verify(await t.am.Shutdown(slice.urn, slice.credentials, {}), [envelope.shape(), geniCode.success(), field('value').equals(true)]);
    },
  },
  ...AFTER_SHUTDOWN.map(({ slug, method, call }) => ({
    id: `am3.shutdown.blocks-${slug}`,
    requirements: ['v3.shutdown.blocks-slice'] as RequirementId[],
    title: `${method} on a slice after Shutdown`,
    requirement: `After Shutdown no other operation on the slice is allowed: ${method} is refused`,
    spec: [`am3#${method}`],
    tags: ['errors' as const],
    detects: [{ fault: 'shutdown-not-enforced', check: 'geni-code' as const }],
    async run(t: AmCaseContext) {
      const shut = await shutDownSlice(t);
      t.verify(await call(t, shut), [envelope.shape(), geniCode.refusal()]);
    },
  })),
]);

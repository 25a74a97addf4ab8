/**
 * Shutdown(slice_urn, credentials, options) in AM API v2: an emergency stop; value is a boolean. Afterwards the
 * slice is frozen for forensics: RenewSliver and DeleteSliver are refused as UNAVAILABLE (gcf am2), and so is a new
 * CreateSliver. The runner's cleanup is itself refused then, and leaves a note (each case uses a fresh slice).
 */
import type { AmResponse } from '../../src/geni/methods';
import { envelope, field, geniCode } from '../../src/checks';
import type { GeniCodeName } from '../../src/geni/error-codes';
import { defineCases } from '../../src/runner/define';

import type { CreatedSlice } from './v2-steps';
import { createdSlice, rfc3339, secondsFromNow, shutDownSlice } from './v2-steps';
import { am2, type AmCaseContext } from '../../src/runner/am-suites';
import type { RequirementId } from '../../src/geni/requirements';
import type { Detection } from '../../src/core';

/** What each operation after Shutdown sends, and the code the spec prefers for refusing it. */
const AFTER_SHUTDOWN: Array<{ slug: string; method: string; preferred: GeniCodeName[]; detects: Detection[]; call: (t: AmCaseContext, s: CreatedSlice) => Promise<AmResponse> }> = [
  { slug: 'renewsliver', method: 'RenewSliver', preferred: ['UNAVAILABLE'], detects: [{ fault: 'v2-shutdown-not-enforced', check: 'geni-code' }], call: (t, s) => t.v2.RenewSliver(s.slice.urn, s.slice.credentials, rfc3339(secondsFromNow(86_400)), {}) },
  { slug: 'deletesliver', method: 'DeleteSliver', preferred: ['UNAVAILABLE'], detects: [{ fault: 'v2-shutdown-not-enforced', check: 'geni-code' }], call: (t, s) => t.v2.DeleteSliver(s.slice.urn, s.slice.credentials, {}) },
  // A slice that is shut down still has its slivers, so ALREADYEXISTS is as right an answer as UNAVAILABLE.
  { slug: 'createsliver', method: 'CreateSliver', preferred: ['UNAVAILABLE', 'ALREADYEXISTS'], detects: [], call: async (t, s) => t.v2.CreateSliver(s.slice.urn, s.slice.credentials, s.request, [], {}) },
];

export default defineCases(am2, { tags: ['shutdown', 'destructive'], spec: ['am2#Shutdown'] }, [
  {
    id: 'am2.shutdown.returns-true',
    requirements: ['v1.shutdown.boolean'],
    title: 'Shutdown a slice with slivers',
    requirement: 'Succeeds with value the XML-RPC boolean true',
    async run(t) {
      const { slice } = await createdSlice(t);
      t.verify(await t.v2.Shutdown(slice.urn, slice.credentials, {}), [envelope.shape(), geniCode.success(), field('value').equals(true), field('value').wireType('boolean')]);
    },
  },
  ...AFTER_SHUTDOWN.map(({ slug, method, preferred, detects, call }) => ({
    id: `am2.shutdown.blocks-${slug}`,
    requirements: ['v3.shutdown.blocks-slice'] as RequirementId[],
    title: `${method} on a slice after Shutdown`,
    requirement: `After Shutdown the slice is frozen: ${method} is refused (${preferred.join(' or ')} preferred)`,
    spec: [`am2#${method}`, 'am2#ErrorCodes'],
    tags: ['errors' as const],
    detects,
    async run(t: AmCaseContext) {
      const shut = await shutDownSlice(t);
      t.verify(await call(t, shut), [envelope.shape(), geniCode.refusal(...preferred)]);
    },
  })),
]);

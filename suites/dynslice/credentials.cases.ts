import { pgAnswer } from '../../src/checks';
import type { Detection } from '../../src/core';
import type { XmlRpcValue } from '../../src/xmlrpc';
import { defineCases } from '../../src/runner/define';
import { dynslice, type DynsliceCaseContext } from '../../src/runner/dynslice-suites';
import type { SliceFixture } from '../../src/runner/fixtures-types';

/**
 * The slice-scoped dynslice methods check credentials as the aggregate does (GeniApiCredentials): a credential
 * for another slice, an expired one, one from an untrusted signer, or none at all is refused. FORBIDDEN is
 * ProtoGENI's code for it; another refusal is tolerated unless --strict. The server shares the aggregate's credential
 * checks (the reference does), so the aggregate's credential faults (accepts-expired-credential, …) show here too.
 */
type Defect = (t: DynsliceCaseContext, slice: SliceFixture) => Promise<XmlRpcValue[]> | XmlRpcValue[];

const DEFECTS: Array<{ slug: string; what: string; defect: Defect; detects?: Detection[] }> = [
  { slug: 'other-slice', what: 'a valid credential for another slice', defect: (t, s) => t.creds.otherSlice(s), detects: [{ fault: 'dynslice-skips-slice-check', check: 'pg-code' }, { fault: 'accepts-wrong-slice-credential', check: 'pg-code' }] },
  { slug: 'user-credential', what: 'the user credential instead of a slice credential', defect: (t) => t.creds.user() },
  { slug: 'expired', what: 'an expired slice credential', defect: (t, s) => t.creds.expired(s), detects: [{ fault: 'accepts-expired-credential', check: 'pg-code' }] },
  { slug: 'untrusted-signer', what: 'a slice credential signed by an authority the server does not trust', defect: (t, s) => t.creds.untrustedSigner(s), detects: [{ fault: 'accepts-untrusted-signer', check: 'pg-code' }] },
  { slug: 'none', what: 'an empty credentials list', defect: () => [] },
];

export default defineCases(dynslice, { tags: ['dynslice', 'credentials', 'errors'], spec: ['credentials#Validation'] }, [
  ...DEFECTS.map(({ slug, what, defect, detects }) => ({
    id: `dynslice.credentials.register-${slug}`,
    title: `SetSliceClientEndpoint with ${what}`,
    requirement: 'Only a valid credential for the slice authorises registering a client endpoint for it',
    spec: ['dynslice/server#SetSliceClientEndpoint'],
    ...(detects && { detects }),
    async run(t: DynsliceCaseContext) {
      const slice = await t.newSlice();
      const res = await t.server.SetSliceClientEndpoint({ slice_urn: slice.urn, url: t.endpoint.url, credentials: await defect(t, slice) });
      t.verify(res, [pgAnswer.refusal('FORBIDDEN')]);
    },
  })),
  {
    id: 'dynslice.credentials.remove-other-slice',
    title: 'RemoveSliceClientEndpoint with a valid credential for another slice',
    requirement: 'Only a valid credential for the slice authorises removing its client endpoint',
    spec: ['dynslice/server#RemoveSliceClientEndpoint'],
    detects: [{ fault: 'dynslice-skips-slice-check', check: 'pg-code' }],
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.register(slice), [pgAnswer.success()]);
      t.verify(await t.server.RemoveSliceClientEndpoint({ slice_urn: slice.urn, credentials: await t.creds.otherSlice(slice) }), [pgAnswer.refusal('FORBIDDEN')]);
    },
  },
  {
    id: 'dynslice.credentials.values-other-slice',
    title: 'SetSliceResourceValues with a valid credential for another slice',
    requirement: 'Only a valid credential for the slice authorises setting the values of its nodes',
    spec: ['dynslice/server#SetSliceResourceValues'],
    detects: [{ fault: 'dynslice-skips-slice-check', check: 'pg-code' }],
    async run(t) {
      const slice = await t.newSlice();
      await t.addNodes(slice, ['dyn-a']);
      const res = await t.server.SetSliceResourceValues({ slice_urn: slice.urn, credentials: await t.creds.otherSlice(slice), values: [{ client_id: 'dyn-a', value: 0.5 }] });
      t.verify(res, [pgAnswer.refusal('FORBIDDEN')]);
    },
  },
]);

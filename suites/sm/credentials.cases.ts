import { geniCode, sm } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { sm as smSuite } from '../../src/runner/sm-suite';
import { GENI3, needPeers } from './sm-steps';

/*
 * The SM is an aggregate to its callers: it checks their credentials itself (SFA's checkCredentials) before
 * fanning anything out, and refuses what any aggregate would.
 */
export default defineCases(smSuite, { tags: ['credentials', 'auth'], spec: ['credentials#Validation', 'am3/common#Credentials'] }, [
  {
    id: 'sm.credentials.none',
    title: 'ListResources through the slice manager with no credential',
    requirement: 'Without a credential of the caller the SM refuses (FORBIDDEN) and asks no aggregate',
    level: 'MUST',
    tags: ['listresources'],
    async run(t) {
      const { response, calls } = await t.observe(() => t.sm.ListResources([], { geni_rspec_version: GENI3, cached: false }));
      t.verify(response, [geniCode.refusal('FORBIDDEN')]);
      t.verify(calls, [sm.noCalls('the caller has no credential', [response.exchangeId])]);
    },
  },
  {
    id: 'sm.credentials.other-owner',
    title: 'Status through the slice manager with a slice credential owned by someone else',
    requirement: "A credential whose owner is not the caller's certificate is refused (CREDENTIAL_MISMATCH) before anything is forwarded",
    level: 'MUST',
    tags: ['status'],
    async run(t) {
      needPeers(t, 1);
      const slice = await t.newSlice();
      const someoneElses = t.asPeeredSm(0).sliceCredentials(slice);
      const { response, calls } = await t.observe(() => t.sm.Status([slice.urn], someoneElses, {}));
      t.verify(response, [geniCode.refusal('CREDENTIAL_MISMATCH')]);
      t.verify(calls, [sm.noCalls("the caller's credential is not theirs", [response.exchangeId])]);
    },
  },
  {
    id: 'sm.credentials.user-credential-for-slice',
    title: 'Describe of a slice through the slice manager with the user credential',
    requirement: 'A call on a slice needs a credential over that slice; the user credential is refused (CREDENTIAL_MISMATCH)',
    level: 'MUST',
    tags: ['describe'],
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.sm.Describe([slice.urn], t.userCredentials(), { geni_rspec_version: GENI3 }), [geniCode.refusal('CREDENTIAL_MISMATCH')]);
    },
  },
]);

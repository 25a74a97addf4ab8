import { geniCode } from '../../src/checks';
import type { GeniCodeName } from '../../src/geni/error-codes';
import type { RequirementId } from '../../src/geni/requirements';
import type { DelegationVariantName } from '../../src/runner/fixtures-types';
import { defineCases } from '../../src/runner/define';
import { am3, type AmCaseContext } from '../../src/runner/am-suites';
import type { CaseDefinition } from '../../src/runner/types';
import { rspecVersion } from './sliver-steps';

/*
 * Delegated credentials (GeniApiCredentials "Delegation"): "the owner re-signs their own credential, granting a
 * subset of their own rights to a new owner. The delegated credential should be for the same target, for the same
 * or a shorter duration, include the original credential in the parent field, be signed by the original
 * credential's subject, and grant a subset of the original credential's privileges." Slice managers act on their
 * callers' behalf this way, so an aggregate must accept a proper delegation and refuse one that breaks a rule.
 *
 * Each case asks Describe of a fresh slice with a credential that another user of the authority owns and
 * delegated to the harness's user. The spec names no geni_code for a broken delegation, so any refusal passes,
 * except an altered parent, which is an altered signature (CREDENTIAL_INVALID).
 */

async function describeDelegated(t: AmCaseContext, variant: DelegationVariantName) {
  const slice = await t.newSlice();
  return t.am.Describe([slice.urn], t.creds.delegated(slice, variant), { geni_rspec_version: rspecVersion(t) });
}

type DelegationCase = Parameters<typeof defineCases<AmCaseContext>>[2][number];

/**
 * What each broken rule violates. The delegation rules themselves are a "should" addressed to whoever delegates;
 * the aggregate's duty to refuse rests on the validation rules (valid signatures, root signer with authority,
 * privileges granted by the credentials presented).
 */
const VIOLATES: Record<Exclude<DelegationVariantName, 'valid'>, RequirementId[]> = {
  'parent-signature': ['cred.validation.signature', 'cred.delegation.rules'],
  'signed-by-parent-owner': ['cred.delegation.rules', 'cred.validation.root-signer-authority'],
  'same-target': ['cred.delegation.rules', 'v3c.credentials.slice-credential-authorizes'],
  'no-wider-privileges': ['cred.delegation.rules', 'v3c.credentials.privileges'],
  'privileges-delegatable': ['cred.delegation.allowed', 'v3c.credentials.privileges'],
  'expires-within-parent': ['cred.delegation.rules', 'v3c.credentials.valid'],
};

function refusedCase(variant: Exclude<DelegationVariantName, 'valid'>, title: string, requirement: string, fault: string, preferred: GeniCodeName[] = []): DelegationCase {
  return {
    id: `am3.delegation.refuses-${variant}`,
    requirements: VIOLATES[variant],
    title,
    requirement,
    detects: [{ fault, check: 'geni-code' }],
    async run(t) {
      t.verify(await describeDelegated(t, variant), [geniCode.refusal(...preferred)]);
    },
  };
}

const cases: Array<CaseDefinition<AmCaseContext>> = defineCases(am3, { tags: ['credentials', 'auth', 'describe'], spec: ['credentials#Delegation', 'am3#Describe'] }, [
  {
    id: 'am3.delegation.accepts-valid',
    requirements: ['cred.delegation.allowed', 'v3c.credentials.valid'],
    title: 'Describe with a slice credential its owner delegated to the caller',
    requirement: 'A properly delegated credential (same target, subset of privileges, no later expiry, signed by the parent owner) authorises the call',
    tags: ['smoke'],
    async run(t) {
      t.verify(await describeDelegated(t, 'valid'), [geniCode.success()]);
    },
  },
  refusedCase('parent-signature', 'Describe with a delegated credential whose parent was altered after signing',
    "Every signature in the delegation chain verifies; an altered parent is refused (CREDENTIAL_INVALID)", 'delegation-parent-signature-unchecked', ['CREDENTIAL_INVALID']),
  refusedCase('signed-by-parent-owner', 'Describe with a credential delegated by someone who does not own its parent',
    "The delegation is signed by the parent credential's owner, recursively up the chain; another signer is refused", 'delegation-signer-unchecked'),
  refusedCase('same-target', "Describe with a delegated credential whose parent is over another slice",
    'A delegated credential is for the same target as its parent; a different one is refused', 'delegation-target-unchecked'),
  refusedCase('no-wider-privileges', 'Describe with a delegated credential granting info where the parent holds only resolve',
    "A delegated credential grants a subset of its parent's privileges; a wider one is refused", 'delegation-widens-privileges'),
  refusedCase('privileges-delegatable', 'Describe with a credential delegated from a parent whose privileges are not delegatable',
    'Only privileges the parent marks can_delegate may be delegated; others are refused', 'delegation-ignores-can-delegate'),
  refusedCase('expires-within-parent', 'Describe with a delegated credential expiring an hour after its parent',
    'A delegated credential lasts no longer than its parent; a later expiry is refused', 'delegation-outlives-parent'),
]);

export default cases;

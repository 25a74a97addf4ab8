import type { Check } from '../../src/core';
import { geniCode } from '../../src/checks';
import { v1 } from '../../src/checks/v1';
import type { GeniCodeName } from '../../src/geni/error-codes';
import type { AmResponse, ApiVersion } from '../../src/geni/methods';
import type { RequirementId } from '../../src/geni/requirements';
import type { DelegationVariantName } from '../../src/runner/fixtures-types';
import { defineCases } from '../../src/runner/define';
import { am1, am2, am3, type AmCaseContext } from '../../src/runner/am-suites';
import type { CaseDefinition } from '../../src/runner/types';

/*
 * Delegated credentials (GeniApiCredentials "Delegation"), in every AM API version: "the owner re-signs their own
 * credential, granting a subset of their own rights to a new owner. The delegated credential should be for the same
 * target, for the same or a shorter duration, include the original credential in the parent field, be signed by
 * the original credential's subject, and grant a subset of the original credential's privileges." Slice managers
 * act on their callers' behalf this way (an SFA SM in front of v2 aggregates as much as v3 ones), so an aggregate
 * must accept a proper delegation and refuse one that breaks a rule.
 *
 * Each case asks for the manifest (v1/v2 ListResources with geni_slice_urn, v3 Describe) of a slice holding
 * resources reserved with the slice's own credential (the run's shared reserved slice: the cases only read it), with
 * a credential that another user of the authority owns and delegated to the harness's user. The slice holds
 * slivers, so only the credential decides: an aggregate that answers "unknown slice" before it looks at credentials
 * cannot pass a refusal without checking one. The spec names no geni_code for a broken delegation, so any refusal passes (v1: a Fault or false), except
 * an altered parent, which is an altered signature (CREDENTIAL_INVALID).
 */

/** The manifest call accepted, per version. */
const ACCEPTED: Record<ApiVersion, Check<AmResponse>> = { 1: v1.succeeded(), 2: geniCode.success(), 3: geniCode.success() };
/** The manifest call refused, per version; v2 and v3 prefer the codes given. */
const REFUSED: Record<ApiVersion, (preferred: GeniCodeName[]) => Check<AmResponse>> = {
  1: () => v1.refused(),
  2: (preferred) => geniCode.refusal(...preferred),
  3: (preferred) => geniCode.refusal(...preferred),
};

async function manifestDelegated(t: AmCaseContext, variant: DelegationVariantName): Promise<AmResponse> {
  // A failed reservation skips the case (a precondition).
  const slice = await t.sharedSlice('reserved-slice');
  return t.lifecycle.manifest({ urn: slice.urn, credentials: t.creds.delegated(slice, variant) });
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
    id: `delegation.refuses-${variant}`,
    requirements: VIOLATES[variant],
    title,
    requirement,
    // v2 and v3 see an accepted delegation in the geni_code, v1 in a success where a Fault or false belongs.
    detects: [{ fault, check: 'geni-code' }, { fault, check: 'v1-error' }],
    needs: ['reserved-slice'],
    async run(t) {
      t.verify(await manifestDelegated(t, variant), [REFUSED[t.api](preferred)]);
    },
  };
}

const cases: Array<CaseDefinition<AmCaseContext>> = defineCases([am1, am2, am3], { tags: ['credentials', 'auth', 'destructive'], spec: ['credentials#Delegation', 'am1#ListResources', 'am2#ListResources', 'am3#Describe'] }, [
  {
    id: 'delegation.accepts-valid',
    requirements: ['cred.delegation.allowed', 'v3c.credentials.valid'],
    title: "The slice's manifest with a slice credential its owner delegated to the caller",
    requirement: 'A properly delegated credential (same target, subset of privileges, no later expiry, signed by the parent owner) authorises the call',
    tags: ['smoke'],
    needs: ['reserved-slice'],
    async run(t) {
      t.verify(await manifestDelegated(t, 'valid'), [ACCEPTED[t.api]]);
    },
  },
  refusedCase('parent-signature', "The slice's manifest with a delegated credential whose parent was altered after signing",
    'Every signature in the delegation chain verifies; an altered parent is refused (CREDENTIAL_INVALID)', 'delegation-parent-signature-unchecked', ['CREDENTIAL_INVALID']),
  refusedCase('signed-by-parent-owner', "The slice's manifest with a credential delegated by someone who does not own its parent",
    "The delegation is signed by the parent credential's owner, recursively up the chain; another signer is refused", 'delegation-signer-unchecked'),
  refusedCase('same-target', "The slice's manifest with a delegated credential whose parent is over another slice",
    'A delegated credential is for the same target as its parent; a different one is refused', 'delegation-target-unchecked'),
  refusedCase('no-wider-privileges', "The slice's manifest with a delegated credential granting info where the parent holds only resolve",
    "A delegated credential grants a subset of its parent's privileges; a wider one is refused", 'delegation-widens-privileges'),
  refusedCase('privileges-delegatable', "The slice's manifest with a credential delegated from a parent whose privileges are not delegatable",
    'Only privileges the parent marks can_delegate may be delegated; others are refused', 'delegation-ignores-can-delegate'),
  refusedCase('expires-within-parent', "The slice's manifest with a delegated credential expiring an hour after its parent",
    'A delegated credential lasts no longer than its parent; a later expiry is refused', 'delegation-outlives-parent'),
]);

export default cases;

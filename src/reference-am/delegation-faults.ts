import type { DelegationRule } from '../credentials';
import type { FaultSet, ReferenceFaultName } from './faults';

/** Each delegation fault is an aggregate that forgets exactly one rule when it verifies a delegated credential. */
const RULE_FORGOTTEN_BY: Record<DelegationRule, ReferenceFaultName> = {
  'parent-signature': 'delegation-parent-signature-unchecked',
  'signed-by-parent-owner': 'delegation-signer-unchecked',
  'same-target': 'delegation-target-unchecked',
  'no-wider-privileges': 'delegation-widens-privileges',
  'privileges-delegatable': 'delegation-ignores-can-delegate',
  'expires-within-parent': 'delegation-outlives-parent',
};

/** The delegation rules the aggregate does not check, given its switched-on faults. */
export function waivedDelegationRules(faults: FaultSet): ReadonlySet<DelegationRule> {
  return new Set((Object.entries(RULE_FORGOTTEN_BY) as Array<[DelegationRule, ReferenceFaultName]>).filter(([, fault]) => faults.has(fault)).map(([rule]) => rule));
}

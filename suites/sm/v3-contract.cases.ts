/**
 * The AM API v3 contract as the slice manager presents it: the am3 cases that apply to an SM, run against the SM's
 * URL (issue 15, item 4). Each keeps its requirement, level, anchors and tags; its id is `sm.v3.` + the v3 case's id
 * without its `am3.` (`am3.describe.manifest-valid` → `sm.v3.describe.manifest-valid`, `lifecycle.reserve-status-release`
 * → `sm.v3.lifecycle.reserve-status-release`: `--case 'sm.v3.*'` selects them all), its suite is `sm`, and its body gets the
 * am3 case context at the SM (SmCaseContext.presentedAsV3): slices, credentials, request RSpecs built from the SM's
 * merged advertisement. It names no reference-AM fault: the SM's faults are proved by the sm cases that claim them.
 *
 * The merged view: where a v3 check expects one aggregate's answer, the checks take the SM's answer as the sum of its
 * aggregates' (see NOT_FOR_SM and src/checks for what they set aside, each finding says so).
 *
 * Every am3 case is either here or in NOT_FOR_SM with the reason (test/runner/sm-suite.test.ts holds the list whole).
 */
import { REQUIREMENTS } from '../../src/geni/requirements';
import type { CaseDefinition } from '../../src/runner/types';
import type { AmCaseContext } from '../../src/runner/am-suites';
import { sm, type SmCaseContext } from '../../src/runner/sm-suite';
import sharedCredentials from '../shared/credentials.cases';
import sharedDelegation from '../shared/delegation.cases';
import sharedLifecycle from '../shared/lifecycle.cases';
import sharedLogin from '../shared/login.cases';
import allocate from '../v3/allocate.cases';
import del from '../v3/delete.cases';
import describe from '../v3/describe.cases';
import getVersion from '../v3/get-version.cases';
import lifecycle from '../v3/lifecycle.cases';
import listResources from '../v3/list-resources.cases';
import login from '../v3/login.cases';
import operationalAction from '../v3/operational-action.cases';
import options from '../v3/options.cases';
import protocol from '../v3/protocol.cases';
import provision from '../v3/provision.cases';
import renew from '../v3/renew.cases';
import shutdown from '../v3/shutdown.cases';
import singleSliver from '../v3/single-sliver.cases';
import status from '../v3/status.cases';
import propModes from '../v3/properties/modes.cases';
import propOptions from '../v3/properties/options.cases';
import propRawXmlRpc from '../v3/properties/raw-xmlrpc.cases';
import propRenewDelete from '../v3/properties/renew-delete.cases';
import propRequests from '../v3/properties/requests.cases';
import propStateful from '../v3/properties/stateful.cases';

/** Every case of the am3 suite, from the files above. */
export const AM3_CASES: ReadonlyArray<CaseDefinition<AmCaseContext>> = [
  sharedCredentials, sharedDelegation, sharedLifecycle, sharedLogin,
  allocate, del, describe, getVersion, lifecycle, listResources, login, operationalAction, options, protocol, provision, renew, shutdown,
  singleSliver, status, propModes, propOptions, propRawXmlRpc, propRenewDelete, propRequests, propStateful,
].flat().filter((c) => c.suites.some((s) => s.name === 'am3'));

const ALL_OR_NOTHING =
  'AM API v3 makes Allocate all or nothing at one aggregate; an SFA slice manager forwards the request to each aggregate it names ' +
  '(to every one when a node names none) and keeps what each allocated, with no transaction across them: a request one aggregate ' +
  'refuses is allocated at the others. What the SM answers then is judged by sm.property.failing-peers and sm.allocate.*';
const NO_LOGINS = 'the peer aggregates behind the slice manager run no SSH service on their nodes (node logins are the am suites\' business; an SM is not on the login path)';

/** The am3 cases that cannot apply to a slice manager, each with the reason (ids of the v3 cases). */
export const NOT_FOR_SM: Readonly<Record<string, string>> = {
  'am3.property.invalid-request-changes-nothing': ALL_OR_NOTHING,
  'am3.property.beyond-capacity-fails-whole': ALL_OR_NOTHING,
  'am3.property.fitting-request-allocated': ALL_OR_NOTHING,
  'am3.property.sliver-state-machine': `${ALL_OR_NOTHING} (an unbound node becomes one sliver per aggregate)`,
  'am3.property.geni-allocate-contract':
    'its generated requests join nodes of different aggregates by links; every aggregate gets the whole request and refuses a link to ' +
    'interfaces it does not hold (links across aggregates need stitching, which no SM case claims)',
  'am3.property.best-effort-provision': 'it needs an aggregate that documents failure injection in GetVersion; a slice manager documents none of its aggregates\'',
  'am3.listresources.allocated-node-not-available':
    'an SFA slice manager serves ListResources from its advertisement cache unless asked `cached: false` (sm.cache.* judge that cache, ' +
    'sm.cache.cached-false-sees-change that it sees a change at an aggregate)',
  'delegation.accepts-valid':
    'the credential another user delegated to the caller keeps no delegatable privilege, so the caller cannot delegate it on to the SM, ' +
    'which then forwards its own credential (sm.allocate.forwards-delegated-credential and sm.allocate.without-delegation cover what it forwards; ' +
    'the delegation.refuses-* cases run through the SM)',
  'login.manifest-lists-login': NO_LOGINS,
  'login.given-key-logs-in': NO_LOGINS,
  'login.other-keys-refused': NO_LOGINS,
  'am3.login.update-users-new-key': NO_LOGINS,
};

/** The id of the SM's run of a v3 case. */
export const smIdOf = (v3Id: string): string => `sm.v3.${v3Id.replace(/^am3\./, '')}`;

/** The SM's run of a v3 case: same record, its id under `sm.v3.`, the am3 context at the SM's URL. */
export function presentedBySm(c: CaseDefinition<AmCaseContext>): CaseDefinition<SmCaseContext> {
  const { detects: _detects, suites: _suites, run, ...record } = c;
  return {
    ...record,
    id: smIdOf(c.id),
    suites: [sm],
    // A case shared by am1..am3 cites each version's wording; the SM presents v3.
    ...(c.requirements && { requirements: c.requirements.filter((id) => (REQUIREMENTS[id].api as ReadonlyArray<number>).includes(3)) }),
    async run(t) {
      await run(await t.presentedAsV3());
    },
  };
}

export default AM3_CASES.filter((c) => NOT_FOR_SM[c.id] === undefined).map(presentedBySm);

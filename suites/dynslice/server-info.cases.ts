import { dynslice as checks, pgAnswer } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { dynslice } from '../../src/runner/dynslice-suites';

/** The informational methods of the dynslice server: no credentials, no slice (seed 002). */
export default defineCases(dynslice, { tags: ['dynslice', 'getversion'] }, [
  {
    id: 'dynslice.getversion.integer',
    title: 'dynslice GetVersion with no arguments',
    requirement: 'GetVersion returns an integer representing the dynslice API version, in a ProtoGENI {code, value, output} answer',
    spec: ['dynslice/server#GetVersion', 'dynslice/client#Responses'],
    tags: ['smoke', 'envelope'],
    detects: [{ fault: 'dynslice-getversion-struct', check: 'dynslice-version' }],
    async run(t) {
      t.verify(await t.server.GetVersion(), [pgAnswer.shape(), pgAnswer.success(), checks.versionInteger()]);
    },
  },
  {
    id: 'dynslice.defaults.shape',
    title: 'GetServerDefaults with no arguments',
    requirement: 'GetServerDefaults returns a dictionary with maxwaittime (seconds, at least 0) and policy (a policy name)',
    spec: ['dynslice/server#GetServerDefaults'],
    detects: [{ fault: 'dynslice-maxwaittime-as-string', check: 'dynslice-server-defaults' }],
    tags: ['envelope'],
    async run(t) {
      t.verify((await t.defaults()).response, [pgAnswer.shape(), pgAnswer.success(), checks.serverDefaults()]);
    },
  },
  {
    id: 'dynslice.defaults.policy-listed',
    title: 'GetServerDefaults policy against ListSliceResourceValuePolicies',
    requirement: 'The default policy is one of the policies the server lists, so a client can select it by name',
    spec: ['dynslice/server#GetServerDefaults', 'dynslice/server#ListSliceResourceValuePolicies'],
    detects: [{ fault: 'dynslice-default-policy-lowercase', check: 'dynslice-server-defaults' }],
    async run(t) {
      const listed = await t.policyNames();
      t.verify((await t.defaults()).response, [checks.defaultPolicyListed(listed)]);
    },
  },
  {
    id: 'dynslice.policies.pairs',
    title: 'ListSliceResourceValuePolicies with no arguments',
    requirement: 'The policies are a non-empty list of (name, description) pairs with unique names',
    spec: ['dynslice/server#ListSliceResourceValuePolicies'],
    detects: [{ fault: 'dynslice-policies-names-only', check: 'dynslice-policies' }],
    tags: ['envelope'],
    async run(t) {
      t.verify(await t.server.ListSliceResourceValuePolicies(), [pgAnswer.shape(), pgAnswer.success(), checks.policyList()]);
    },
  },
  {
    id: 'dynslice.policies.client-and-lifo',
    title: 'ListSliceResourceValuePolicies names CLIENT and LIFO',
    requirement: "The server supports the two policies the page describes, 'CLIENT' and 'LIFO'",
    level: 'SHOULD',
    spec: ['dynslice/server#Policies'],
    detects: [{ fault: 'dynslice-lists-client-only', check: 'dynslice-policies' }],
    async run(t) {
      t.verify(await t.server.ListSliceResourceValuePolicies(), [checks.listsPagePolicies()]);
    },
  },
  {
    id: 'dynslice.protocol.unknown-method',
    title: 'A method the dynslice API does not define',
    requirement: 'An unknown method is refused (an XML-RPC Fault or a non-zero code), never answered as a success',
    spec: ['dynslice/server#GetVersion'],
    tags: ['errors'],
    async run(t) {
      t.verify(await t.server.callRaw('GeniHarnessNoSuchMethod', []), [pgAnswer.refusal()]);
    },
  },
]);

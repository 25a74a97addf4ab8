import { envelope, geniCode } from '../../src/checks';
import { toAmResponse } from '../../src/geni/methods';
import { defineCases } from '../../src/runner/define';
import { rspecVersion } from './sliver-steps';
import { am3 } from '../../src/runner/am-suites';

/** A method no AM API version defines. */
const UNKNOWN_METHOD = 'GeniHarnessNoSuchMethod';
/** A methodCall cut off mid-document: not well-formed XML, so no XML-RPC request at all. */
const TRUNCATED_CALL = '<?xml version="1.0"?>\n<methodCall><methodName>GetVersion</methodName><params><param><value><struct>';

export default defineCases(am3, { tags: ['errors'], spec: ['am3/common#Faults'] }, [
  {
    id: 'am3.protocol.urns-as-string',
    requirements: ['v2.return.no-fault-for-application-errors', 'v2.return.struct-everywhere'],
    title: 'Describe with the slice URN as a string where the urns array belongs',
    requirement: 'A wrongly typed argument is an application error: BADARGS in the return struct, not an XML-RPC Fault',
    spec: ['am3/common#URNs', 'am3/common#ErrorCodes'],
    tags: ['describe'],
    detects: [{ fault: 'error-as-fault', check: 'error-as-fault' }],
    async run(t) {
      const slice = await t.newSlice();
      const res = await t.am.call('Describe', [slice.urn, slice.credentials, { geni_rspec_version: rspecVersion(t) }]);
      t.verify(res, [geniCode.refusal('BADARGS')]);
    },
  },
  {
    id: 'am3.protocol.credentials-as-string',
    requirements: ['v2.return.no-fault-for-application-errors', 'v2.return.struct-everywhere'],
    title: 'ListResources with a string where the credentials array belongs',
    requirement: 'A wrongly typed argument is an application error: BADARGS in the return struct, not an XML-RPC Fault',
    spec: ['am3/common#Credentials', 'am3/common#ErrorCodes'],
    tags: ['listresources', 'credentials'],
    detects: [{ fault: 'error-as-fault', check: 'error-as-fault' }],
    async run(t) {
      const res = await t.am.call('ListResources', ['not a credentials array', { geni_rspec_version: rspecVersion(t) }]);
      t.verify(res, [geniCode.refusal('BADARGS')]);
    },
  },
  {
    id: 'am3.protocol.unknown-method-refused',
    requirements: ['v2.return.code-nonzero-on-error', 'v2.return.malformed-is-fault'],
    title: 'A call to a method the API does not define',
    requirement: 'An undefined method is never answered with success',
    async run(t) {
      t.verify(await t.am.call(UNKNOWN_METHOD, [{}]), [envelope.neverSuccess()]);
    },
  },
  {
    id: 'am3.protocol.unknown-method-fault',
    requirements: ['v2.return.malformed-is-fault'],
    title: 'A call to a method the API does not define: the kind of answer',
    requirement: 'Errors the XML-RPC layer defines, such as an unknown method, are XML-RPC Faults',
    async run(t) {
      t.verify(await t.am.call(UNKNOWN_METHOD, [{}]), [envelope.isFault()]);
    },
  },
  {
    id: 'am3.protocol.malformed-body-refused',
    requirements: ['v2.return.code-nonzero-on-error', 'v2.return.malformed-is-fault'],
    title: 'A request body that is not well-formed XML',
    requirement: 'A malformed XML-RPC request is never answered with success',
    tags: ['fuzz'],
    async run(t) {
      t.verify(toAmResponse('malformed-body', await t.client.callRaw('malformed-body', TRUNCATED_CALL)), [envelope.neverSuccess()]);
    },
  },
  {
    id: 'am3.protocol.malformed-body-fault',
    requirements: ['v2.return.malformed-is-fault'],
    title: 'A request body that is not well-formed XML: the kind of answer',
    requirement: 'A malformed XML-RPC request raises an XML-RPC Fault',
    tags: ['fuzz'],
    async run(t) {
      t.verify(toAmResponse('malformed-body', await t.client.callRaw('malformed-body', TRUNCATED_CALL)), [envelope.isFault()]);
    },
  },
]);

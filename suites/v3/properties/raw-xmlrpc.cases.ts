/** Raw fuzzing of the v3 XML-RPC layer (see raw-calls.ts). */
import { defineCases } from '../../../src/runner/define';
import { rfc3339, rspecVersion, secondsFromNow } from '../sliver-steps';
import { rawCallProperty } from './raw-calls';
import { readTargetAdvertisement, sharedSliverType, unboundRequest } from './property-steps';
import { am3 } from '../../../src/runner/am-suites';

export default defineCases(am3, { tags: ['property', 'fuzz', 'errors'], spec: ['am3/common#Faults'] }, [
  {
    id: 'am3.property.raw-calls-never-succeed',
    requirements: ['v2.return.malformed-is-fault', 'v2.return.code-nonzero-on-error', 'v2.return.struct-everywhere'],
    title: 'Generated malformed XML-RPC calls of ListResources, Describe, Allocate, Renew, Status and Delete, and unknown methods',
    requirement: 'A malformed call is never answered with success: an undecodable body or an unknown method is an XML-RPC Fault, a decodable call of a wrong type is the return struct with a non-zero geni_code, one with a wrong number of parameters that or a Fault ("a malformed XMLRPC request should still raise an XMLRPC Fault"); the aggregate keeps answering',
    spec: ['am3/common#ReturnStruct', 'am3/common#ErrorCodes'],
    detects: [{ fault: 'error-as-fault', check: 'xmlrpc-fault' }],
    async run(t) {
      const slice = await t.newSlice();
      const vm = sharedSliverType(t, await readTargetAdvertisement(t));
      const version = rspecVersion(t);
      await rawCallProperty(t, {
        ListResources: [t.creds.user(), { geni_rspec_version: version }],
        Describe: [[slice.urn], slice.credentials, { geni_rspec_version: version }],
        Allocate: [slice.urn, slice.credentials, unboundRequest('raw', 1, vm), {}],
        Renew: [[slice.urn], slice.credentials, rfc3339(secondsFromNow(1800)), {}],
        Status: [[slice.urn], slice.credentials, {}],
        Delete: [[slice.urn], slice.credentials, {}],
      }, 'am3/common#Faults');
    },
  },
]);

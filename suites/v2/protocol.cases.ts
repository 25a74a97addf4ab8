/**
 * The v2 calling convention (change set B): every method but GetVersion takes a final options struct, and a client
 * that calls the v1 way (no options) is told off rather than served; methods that do not exist are an XML-RPC-layer
 * error.
 */
import { envelope, geniCode } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { createdSlice } from './v2-steps';
import { am2 } from '../../src/runner/am-suites';

export default defineCases(am2, { tags: ['envelope', 'errors'], spec: ['am2/draft#ChangeSetB'] }, [
  {
    id: 'am2.protocol.sliverstatus-without-options',
    requirements: ['v2.options.required-argument'],
    title: 'SliverStatus called the v1 way, without the options argument',
    requirement: 'options is required on every method but GetVersion: a call without it is not served (a Fault or a non-zero geni_code)',
    tags: ['options', 'status', 'destructive'],
    async run(t) {
      const { slice } = await createdSlice(t);
      t.verify(await t.v2.call('SliverStatus', [slice.urn, slice.credentials]), [envelope.neverSuccess()]);
    },
  },
  {
    id: 'am2.protocol.listresources-without-options',
    requirements: ['v2.options.required-argument'],
    title: 'ListResources with the credentials only',
    requirement: 'ListResources without its options struct is not served (a Fault or a non-zero geni_code)',
    tags: ['options', 'listresources'],
    async run(t) {
      t.verify(await t.v2.call('ListResources', [t.creds.user()]), [envelope.neverSuccess()]);
    },
  },
  {
    id: 'am2.protocol.unknown-method',
    requirements: ['v2.return.malformed-is-fault', 'v2.return.code-nonzero-on-error'],
    title: 'A call to a method the AM API does not define (GetVersionPlus)',
    requirement: 'An unknown method is never a success: an XML-RPC Fault (the XML-RPC layer) or a non-zero geni_code',
    async run(t) {
      t.verify(await t.v2.call('GetVersionPlus', [{}]), [envelope.neverSuccess()]);
    },
  },
  {
    id: 'am2.protocol.error-output',
    requirements: ['v2.return.output-on-error', 'v2.return.code-struct'],
    title: 'SliverStatus of a slice with no slivers: the error return',
    requirement: 'An error return is the struct with a non-zero geni_code in code and an output string explaining it, not the draft code/option pair',
    spec: ['am2#ReturnStruct'],
    tags: ['status'],
    detects: [{ fault: 'v2-draft-code-shape', check: 'envelope' }],
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.v2.SliverStatus(slice.urn, slice.credentials, {}), [envelope.shape(), geniCode.refusal()]);
    },
  },
]);

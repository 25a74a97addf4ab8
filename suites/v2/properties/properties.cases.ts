/**
 * AM API v2 properties over generated inputs: raw XML-RPC fuzzing (the v2 return struct for application errors,
 * Faults only for the XML-RPC layer), unknown options ignored by ListResources, and RenewSliver to generated RFC
 * 3339 times never past the slice credential.
 */
import fc from 'fast-check';
import { amOptionsWithUnknownKeys, rfc3339Date } from '../../../generators';
import { envelope, geniCode, readGeniDate } from '../../../src/checks';
import { defineCases } from '../../../src/runner/define';
import { judge, requireStep } from '../../v3/properties/property-steps';
import { rawCallProperty } from '../../v3/properties/raw-calls';
import { rfc3339, rspecVersion, secondsFromNow } from '../v2-steps';
import { am2 } from '../../../src/runner/am-suites';

const MINUTE = 60_000;

export default defineCases(am2, { tags: ['property'] }, [
  {
    id: 'am2.property.raw-calls-never-succeed',
    requirements: ['v2.return.malformed-is-fault', 'v2.return.code-nonzero-on-error'],
    title: 'Generated malformed XML-RPC calls of ListResources, CreateSliver, SliverStatus, RenewSliver and DeleteSliver, and unknown methods',
    requirement: 'A malformed call is never answered with success: an undecodable body or an unknown method is an XML-RPC Fault, a decodable call of a wrong type is the v2 return struct with a non-zero geni_code, one with a wrong number of parameters that or a Fault ("a malformed XMLRPC request should still raise an XMLRPC Fault")',
    spec: ['am2/draft#ChangeSetB', 'am2#ErrorCodes'],
    tags: ['fuzz', 'errors'],
    async run(t) {
      const slice = await t.newSlice();
      const version = rspecVersion(t);
      await rawCallProperty(t, {
        ListResources: [t.creds.user(), { geni_rspec_version: version }],
        CreateSliver: [slice.urn, slice.credentials, await t.requestRSpec(), [], {}],
        SliverStatus: [slice.urn, slice.credentials, {}],
        RenewSliver: [slice.urn, slice.credentials, rfc3339(secondsFromNow(1800)), {}],
        DeleteSliver: [slice.urn, slice.credentials, {}],
      }, 'am2/draft#ChangeSetB');
    },
  },
  {
    id: 'am2.property.unknown-options-ignored',
    requirements: ['v1.listresources.extra-options', 'v2.options.accepted'],
    title: 'ListResources with generated v2 options plus aggregate-specific keys',
    requirement: 'Aggregates ignore options they do not understand: ListResources succeeds with them as without them',
    spec: ['am2/draft#ChangeSetB', 'am2#ListResources'],
    tags: ['options', 'listresources'],
    detects: [{ fault: 'v2-draft-code-shape', check: 'envelope' }],
    async run(t) {
      const check = judge(t, 'am2/draft#ChangeSetB');
      const versions = t.version.adRSpecVersions.map((v) => ({ type: v.type, version: v.version }));
      await t.property({
        arbitrary: amOptionsWithUnknownKeys(2, { method: 'ListResources', rspecVersions: versions }),
        describe: ({ options, unknownKeys }) => `ListResources with ${JSON.stringify(options)} (unknown: ${unknownKeys.join(', ')})`,
        async check({ options, unknownKeys }, scope) {
          const known = Object.fromEntries(Object.entries(options).filter(([k]) => !unknownKeys.includes(k)));
          const baseline = await scope.v2.ListResources(scope.creds.user(), known);
          const withUnknown = await scope.v2.ListResources(scope.creds.user(), options);
          return [...check(baseline, [geniCode.success()]), ...check(withUnknown, [envelope.shape(), geniCode.success()])];
        },
      });
    },
  },
  {
    id: 'am2.property.renew-within-credential',
    requirements: ['v1.renewsliver.within-credential', 'v3c.expiry.within-credential'],
    title: 'RenewSliver to generated RFC 3339 times (offsets, fractions) under slice credentials of generated lifetimes',
    requirement: 'RenewSliver never extends past the slice credential: a time beyond it is refused (OUTOFRANGE preferred)',
    spec: ['am2#RenewSliver', 'credentials#Expiry'],
    tags: ['renew', 'expiry', 'destructive'],
    detects: [{ fault: 'v2-renewsliver-past-credential', check: 'geni-code' }],
    async run(t) {
      const request = await t.requestRSpec();
      const check = judge(t, 'am2#RenewSliver');
      const now = Date.now();
      const soon = (minutes: number) => new Date(now + minutes * MINUTE);
      await t.property({
        arbitrary: fc.record({
          credentialMinutes: fc.integer({ min: 30, max: 3 * 24 * 60 }),
          target: rfc3339Date({ min: soon(10), max: soon(5 * 24 * 60) }),
        }),
        describe: ({ credentialMinutes, target }) => `RenewSliver to ${target}, slice credential expiring in ${credentialMinutes} min`,
        async check({ credentialMinutes, target }, scope) {
          // Instants relative to when the inputs were generated, so a re-run sees the same order (see the v3 case).
          const slice = await scope.newSlice({ expiresInSeconds: Math.round((now + credentialMinutes * MINUTE - Date.now()) / 1000) });
          const created = await scope.v2.CreateSliver(slice.urn, slice.credentials, request, [], {});
          requireStep(t, created, 'CreateSliver');
          const res = await scope.v2.RenewSliver(slice.urn, slice.credentials, target, {});
          return readGeniDate(target)!.getTime() > slice.expires.getTime() ? check(res, [envelope.shape(), geniCode.refusal('OUTOFRANGE')]) : check(res, [envelope.shape()]);
        },
      });
    },
  },
]);

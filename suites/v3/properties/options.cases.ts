/**
 * Properties of the options struct over generated option combinations: unknown (aggregate-specific) keys are
 * ignored, mistyped standard keys are refused in the return struct rather than crashing the call, compression
 * changes only the encoding, and geni_available lists exactly the available part of the full advertisement.
 * Where busy resources matter, each run first occupies a generated part of the aggregate in a fresh slice.
 */
import fc from 'fast-check';
import { amOptionsWithUnknownKeys, mistypedOptions, requestRSpec } from '../../../generators';
import { envelope, geniCode, manifest, rspec } from '../../../src/checks';
import { properties } from '../../../src/checks/properties';
import type { AmResponse, Options } from '../../../src/geni/methods';
import { defineCases } from '../../../src/runner/define';
import { serializeRequest, type RequestRSpec } from '../../../src/rspec';
import { MANIFEST, rspecVersion } from '../sliver-steps';
import { describeRequest, judge, readTargetAdvertisement, sharedSliverType, requireStep, unboundRequest, type PropertyScope } from './property-steps';
import { am3, type AmCaseContext } from '../../../src/runner/am-suites';

/** Methods whose options the properties vary, and how each is called on a slice holding one sliver. */
type SliceMethod = 'ListResources' | 'Describe' | 'Status' | 'Delete';
const METHODS: readonly SliceMethod[] = ['ListResources', 'Describe', 'Status', 'Delete'];

async function callWith(scope: PropertyScope, method: SliceMethod, slice: { urn: string; credentials: unknown[] }, options: Options): Promise<AmResponse> {
  const credentials = slice.credentials as never;
  switch (method) {
    case 'ListResources': return scope.am.ListResources(scope.creds.user(), options);
    case 'Describe': return scope.am.Describe([slice.urn], credentials, options);
    case 'Status': return scope.am.Status([slice.urn], credentials, options);
    case 'Delete': return scope.am.Delete([slice.urn], credentials, options);
  }
}

/** Occupies what `occupy` asks for in a fresh slice (nothing when it has no nodes); a refusal is a precondition (skip). */
async function occupied(t: AmCaseContext, scope: PropertyScope, occupy: RequestRSpec) {
  const slice = await scope.newSlice();
  if (occupy.nodes.length === 0) return { slice, occupiedAny: false };
  requireStep(t, await scope.am.Allocate(slice.urn, slice.credentials, serializeRequest(occupy), {}), 'Allocate of a fitting request');
  return { slice, occupiedAny: true };
}

export default defineCases(am3, { tags: ['property', 'options'], spec: ['am3/common#Options'] }, [
  {
    id: 'am3.property.unknown-options-ignored',
    requirements: ['v2.options.accepted', 'v3c.structs.extra-entries-optional'],
    title: 'ListResources, Describe, Status and Delete with generated options plus aggregate-specific keys',
    requirement: 'Aggregates ignore options they do not understand: the call answers as it does without the unknown keys',
    tags: ['listresources', 'describe', 'status', 'delete'],
    detects: [{ fault: 'unknown-option-rejected', check: 'geni-code' }],
    async run(t) {
      const ad = await readTargetAdvertisement(t);
      const vm = sharedSliverType(t, ad);
      const check = judge(t, 'am3/common#Options');
      const versions = t.version.adRSpecVersions.map((v) => ({ type: v.type, version: v.version }));
      const arbitrary = fc.constantFrom(...METHODS).chain((method) =>
        amOptionsWithUnknownKeys(3, { method, rspecVersions: versions }).map((o) => ({ method, ...o })));
      await t.property({
        arbitrary,
        describe: ({ method, options, unknownKeys }) => `${method} with ${JSON.stringify(options)} (unknown: ${unknownKeys.join(', ')})`,
        async check({ method, options, unknownKeys }, scope) {
          const known = Object.fromEntries(Object.entries(options).filter(([k]) => !unknownKeys.includes(k)));
          const answers: AmResponse[] = [];
          // A slice with one sliver per call for Delete, which changes its slice; the calls that only read share one.
          let slice: Awaited<ReturnType<PropertyScope['newSlice']>> | undefined;
          for (const opts of [known, options]) {
            if (!slice || method === 'Delete') {
              slice = await scope.newSlice();
              const seeded = await scope.am.Allocate(slice.urn, slice.credentials, unboundRequest('opt', 1, vm), {});
              requireStep(t, seeded, 'Allocate of one unbound node');
            }
            answers.push(await callWith(scope, method, slice, opts));
          }
          const [baseline, withUnknown] = answers as [AmResponse, AmResponse];
          return [
            ...check(baseline, [geniCode.success()]),
            ...check(withUnknown, [envelope.shape(), geniCode.success()]),
          ];
        },
      });
    },
  },
  {
    id: 'am3.property.mistyped-options-answered-in-struct',
    requirements: ['v2.return.no-fault-for-application-errors', 'v2.return.struct-everywhere'],
    title: 'ListResources, Describe, Status and Delete with one standard option of the wrong type',
    requirement: 'A mistyped option is an application-level problem: the answer is the return struct (BADARGS, or success if the aggregate ignores it), never an XML-RPC Fault',
    spec: ['am3/common#Faults', 'am3/common#ErrorCodes'],
    tags: ['errors', 'fuzz'],
    detects: [{ fault: 'mistyped-option-crashes', check: 'xmlrpc-fault' }, { fault: 'error-as-fault', check: 'xmlrpc-fault' }],
    async run(t) {
      const ad = await readTargetAdvertisement(t);
      const vm = sharedSliverType(t, ad);
      const check = judge(t, 'am3/common#Faults');
      const versions = t.version.adRSpecVersions.map((v) => ({ type: v.type, version: v.version }));
      const arbitrary = fc.constantFrom(...METHODS).chain((method) => mistypedOptions(3, { method, rspecVersions: versions }).map((o) => ({ method, ...o })));
      await t.property({
        arbitrary,
        describe: ({ method, mistyped }) => `${method}: ${mistyped.breaks}`,
        async check({ method, options }, scope) {
          const slice = await scope.newSlice();
          const seeded = await scope.am.Allocate(slice.urn, slice.credentials, unboundRequest('typ', 1, vm), {});
          requireStep(t, seeded, 'Allocate of one unbound node');
          return check(await callWith(scope, method, slice, options), [envelope.notFault(), envelope.shape()]);
        },
      });
    },
  },
  {
    id: 'am3.property.compressed-decodes-to-plain',
    requirements: ['v3d.listresources.compressed', 'v3.describe.options-honored'],
    title: 'ListResources and Describe with generated option combinations, with and without geni_compressed',
    requirement: 'geni_compressed changes only the encoding: the zlib+base64 value decodes to the same RSpec the same call returns uncompressed',
    spec: ['am3/common#geni_compressed', 'am3#ListResources', 'am3#Describe'],
    tags: ['compression', 'listresources', 'describe'],
    detects: [{ fault: 'ignores-compressed', check: 'rspec-compression' }, { fault: 'compressed-drops-available-filter', check: 'rspec-compression' }],
    async run(t) {
      const ad = await readTargetAdvertisement(t);
      const check = judge(t, 'am3/common#geni_compressed');
      const version = rspecVersion(t);
      await t.property({
        arbitrary: fc.record({
          occupy: requestRSpec({ advertisement: ad, bound: true, capacity: 'fit', nodes: { min: 0, max: 3 }, links: { max: 0 } }),
          available: fc.option(fc.boolean(), { nil: undefined }),
        }),
        describe: ({ occupy, available }) => `geni_available ${String(available)} after occupying ${describeRequest(occupy)}`,
        async check({ occupy, available }, scope) {
          const { slice, occupiedAny } = await occupied(t, scope, occupy);
          const options = { geni_rspec_version: version, ...(available !== undefined && { geni_available: available }) };
          const plain = await scope.am.ListResources(scope.creds.user(), options);
          const compressed = await scope.am.ListResources(scope.creds.user(), { ...options, geni_compressed: true });
          const found = [
            ...check(plain, [geniCode.success(), rspec.plain()]),
            ...check(compressed, [geniCode.success(), rspec.compressedEquals(typeof plain.envelope?.value === 'string' ? plain.envelope.value : '')]),
          ];
          if (!occupiedAny) return found;
          const plainManifest = await scope.am.Describe([slice.urn], slice.credentials, { geni_rspec_version: version });
          const compressedManifest = await scope.am.Describe([slice.urn], slice.credentials, { geni_rspec_version: version, geni_compressed: true });
          return [...found, ...check(compressedManifest, [geniCode.success(), manifest.compressedMatches(plainManifest, MANIFEST)])];
        },
      });
    },
  },
  {
    id: 'am3.property.available-is-subset',
    requirements: ['v3d.listresources.available'],
    title: 'ListResources with geni_available after occupying generated parts of the aggregate',
    requirement: 'The geni_available advertisement lists only nodes of the full advertisement, each available now, and every node the full one says is available',
    spec: ['am3/common#geni_available', 'am3#ListResources'],
    tags: ['listresources'],
    detects: [{ fault: 'available-ignored', check: 'available-subset' }, { fault: 'compressed-drops-available-filter', check: 'available-subset' }],
    async run(t) {
      const ad = await readTargetAdvertisement(t);
      const check = judge(t, 'am3/common#geni_available');
      const version = rspecVersion(t);
      await t.property({
        arbitrary: fc.record({
          occupy: requestRSpec({ advertisement: ad, bound: true, capacity: 'fit', nodes: { min: 0, max: 4 }, links: { max: 0 } }),
          compressed: fc.boolean(),
        }),
        describe: ({ occupy, compressed }) => `geni_compressed ${compressed} after occupying ${describeRequest(occupy)}`,
        async check({ occupy, compressed }, scope) {
          await occupied(t, scope, occupy);
          const full = await scope.am.ListResources(scope.creds.user(), { geni_rspec_version: version, geni_compressed: compressed });
          const available = await scope.am.ListResources(scope.creds.user(), { geni_rspec_version: version, geni_compressed: compressed, geni_available: true });
          return [
            ...check(full, [geniCode.success()]),
            ...check(available, [geniCode.success(), properties.availableSubsetOf(full), ...(compressed ? [] : [rspec.allNodesAvailable()])]),
          ];
        },
      });
    },
  },
]);

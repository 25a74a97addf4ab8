import { GENI3_FORMAT, envelope, field, geniCode, getVersion as v3GetVersion, sm } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { sm as smSuite } from '../../src/runner/sm-suite';
import type { Check } from '../../src/core';
import type { AmResponse } from '../../src/geni/methods';

/** Every peer of the harness is named in the SM's `peers` (by its hrn), with its URL. */
const listsPeers = (peers: ReadonlyArray<{ hrn: string; url: string }>): Check<AmResponse> => (res, ctx) => {
  const value = res.envelope?.value;
  const listed = value && typeof value === 'object' && !Array.isArray(value) && 'peers' in value ? (value as { peers: unknown }).peers : undefined;
  const map = listed && typeof listed === 'object' ? (listed as Record<string, unknown>) : {};
  return peers.filter((p) => map[p.hrn] !== p.url).map((p) => ({
    check: 'slice-manager', title: 'Aggregate missing from the slice manager peers', expected: [`peers[${JSON.stringify(p.hrn)}] = ${p.url}`],
    actual: JSON.stringify(map[p.hrn] ?? null), path: 'value.peers', spec: ctx.spec, exchangeIds: [res.exchangeId],
  }));
};

export default defineCases(smSuite, { tags: ['getversion'], spec: ['sfa-sm#GetVersion', 'am3#GetVersion'] }, [
  {
    id: 'sm.getversion.slicemgr',
    title: 'GetVersion of the slice manager',
    requirement: "The SM says it is one (interface 'slicemgr'), names itself with an authority URN, lists its peers as absolute URLs, and its geni_api_versions URLs speak HTTPS",
    level: 'MUST',
    tags: ['smoke'],
    detects: [{ fault: 'getversion-plain-http-api-versions', check: 'slice-manager' }],
    async run(t) {
      t.verify(await t.sm.GetVersion(), [envelope.shape(), geniCode.success(), field('value.geni_api').equals(3), sm.getVersion()]);
    },
  },
  {
    id: 'sm.getversion.lists-its-aggregates',
    title: 'GetVersion names every aggregate of the slice manager in peers',
    requirement: 'Every aggregate in aggregates.xml appears in peers under its hrn with its URL (SFA GetVersion: "peers explicitly in aggregates.xml")',
    level: 'SHOULD',
    async run(t) {
      t.verify(await t.sm.GetVersion(), [listsPeers(t.peers.list)]);
    },
  },
  {
    id: 'sm.getversion.rspec-versions',
    title: 'GetVersion of the slice manager lists its RSpec versions',
    requirement: 'Like any v3 aggregate, the SM lists geni_request_rspec_versions and geni_ad_rspec_versions (the v3 diff of SFA dropped them)',
    level: 'MUST',
    spec: ['am3/details#GetVersion'],
    detects: [{ fault: 'getversion-omits-rspec-versions', check: 'field-missing' }],
    async run(t) {
      t.verify(await t.sm.GetVersion(), [v3GetVersion.advertisesRSpec('request', GENI3_FORMAT), v3GetVersion.advertisesRSpec('ad', GENI3_FORMAT)]);
    },
  },
]);


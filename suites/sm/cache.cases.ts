import { geniCode, sm } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { sm as smSuite } from '../../src/runner/sm-suite';
import { GENI3, PGV2, PGV2_NS } from './sm-steps';

/*
 * The advertisement cache (SFA_SM_CACHING): ListResources without a slice may be answered from the cache of the
 * last fresh fan-out, one per RSpec version; `cached: false` asks every aggregate again.
 */
export default defineCases(smSuite, { tags: ['listresources'], spec: ['sfa-sm#Cache'] }, [
  {
    id: 'sm.cache.identical-when-cached',
    title: 'ListResources twice with the default cached option',
    requirement: 'A cached advertisement is served as it was: the second answer is byte for byte the first',
    level: 'MUST',
    async run(t) {
      await t.sm.ListResources(t.userCredentials(), { geni_rspec_version: GENI3, cached: false });
      const first = await t.sm.ListResources(t.userCredentials(), { geni_rspec_version: GENI3 });
      const second = await t.sm.ListResources(t.userCredentials(), { geni_rspec_version: GENI3 });
      t.verify(second, [geniCode.success(), sm.sameDocument(first)]);
    },
  },
  {
    id: 'sm.cache.served-without-fan-out',
    title: 'ListResources answered from the cache',
    requirement: 'A cached advertisement is served without asking the aggregates again (that is what the cache is for)',
    level: 'SHOULD',
    async run(t) {
      await t.sm.ListResources(t.userCredentials(), { geni_rspec_version: GENI3, cached: false });
      const { response, calls } = await t.observe(() => t.sm.ListResources(t.userCredentials(), { geni_rspec_version: GENI3 }));
      t.verify(calls, [sm.noCalls('the advertisement was just cached', [response.exchangeId])]);
    },
  },
  {
    id: 'sm.cache.cached-false-sees-change',
    title: 'ListResources with cached: false after an aggregate changed',
    requirement: 'cached: false asks the aggregates again: a change at one of them since the cached advertisement shows',
    level: 'MUST',
    detects: [{ fault: 'cache-ignores-cached-false', check: 'slice-manager' }],
    async run(t) {
      await t.sm.ListResources(t.userCredentials(), { geni_rspec_version: GENI3, cached: false });
      const cached = await t.sm.ListResources(t.userCredentials(), { geni_rspec_version: GENI3 });
      await t.peers.changeAdvertisement(0);
      const fresh = await t.sm.ListResources(t.userCredentials(), { geni_rspec_version: GENI3, cached: false });
      t.verify(fresh, [geniCode.success(), sm.showsChangeAt(t.peers.list[0]!, cached)]);
    },
  },
  {
    id: 'sm.cache.per-rspec-version',
    title: 'ListResources as ProtoGENI v2 right after a cached GENI v3 advertisement',
    requirement: 'The cache is kept per RSpec version: a ProtoGENI v2 request gets a ProtoGENI v2 document, never the cached GENI v3 one',
    level: 'MUST',
    spec: ['am3/details#ListResources'],
    detects: [{ fault: 'cache-shared-across-versions', check: 'slice-manager' }],
    async run(t) {
      const version = await t.sm.GetVersion();
      const ads = version.envelope?.value && typeof version.envelope.value === 'object' ? JSON.stringify((version.envelope.value as Record<string, unknown>).geni_ad_rspec_versions ?? '') : '';
      if (!/protogeni/i.test(ads)) t.unsupported('the slice manager advertises no ProtoGENI v2 advertisement, so there is no second version to cache');
      await t.sm.ListResources(t.userCredentials(), { geni_rspec_version: GENI3, cached: false });
      await t.sm.ListResources(t.userCredentials(), { geni_rspec_version: GENI3 });
      const pg = await t.sm.ListResources(t.userCredentials(), { geni_rspec_version: PGV2 });
      t.verify(pg, [geniCode.success(), sm.inNamespace(PGV2_NS), sm.validBesideStatistics('advertisement')]);
    },
  },
]);

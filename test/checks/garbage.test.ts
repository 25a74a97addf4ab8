import { describe, expect, it } from 'vitest';
import {
  envelope, field, geniCode, getVersion, login, manifest, rspec, slivers, sm, time, urn, v1, v2, valueMatches, dates, FieldChecks,
  type FanOut, type ForwardedCall, type ManifestLogins, type ObservedLogin,
} from '../../src/checks';
import { properties } from '../../src/checks/properties';
import { CHECK_IDS, type Check, type CheckContext, type Finding } from '../../src/core';
import { toAmResponse, type AmResponse } from '../../src/geni/methods';
import type { XmlRpcValue } from '../../src/xmlrpc';

/*
 * Every check, fed an answer it cannot read, returns a finding: never none (a garbage answer would pass) and never
 * a throw (a harness error instead of the aggregate's fail). The table names every check of every namespace; a
 * check added to a namespace without a row here fails the completeness test below.
 */

const ctx: CheckContext = { strict: false, spec: 'am3#GetVersion' };
let n = 0;
const answer = (value: XmlRpcValue): AmResponse => toAmResponse('Method', { kind: 'value', value, exchangeId: `x${++n}`, wireTypes: undefined } as never);
const faultAnswer = (): AmResponse => toAmResponse('Method', { kind: 'fault', faultCode: 2, faultString: 'boom', exchangeId: `x${++n}` } as never);

/** The kinds of garbage: each row says which of them its check must answer with a finding. */
const GARBAGE = {
  /** The decoded answer is a bare string where a struct belongs. */
  'not-a-struct': () => answer('garbage'),
  /** The return struct with every member of the wrong type. */
  'wrong-types': () => answer({ code: { geni_code: 'zero' }, value: 42, output: 7 }),
  /** A successful return struct whose RSpecs (value, value.geni_rspec) do not parse. */
  'unparsable-rspec': () => answer({ code: { geni_code: 0 }, value: { geni_rspec: '<rspec><node', geni_urn: 'urn:x', geni_slivers: [] }, output: '' }),
  /** A successful return struct whose value is an RSpec string that does not parse. */
  'unparsable-rspec-value': () => answer({ code: { geni_code: 0 }, value: '<rspec><node', output: '' }),
  /** An XML-RPC Fault. */
  fault: () => faultAnswer(),
} as const;
type Garbage = keyof typeof GARBAGE;
const ALL: Garbage[] = Object.keys(GARBAGE) as Garbage[];
const STRUCTLESS: Garbage[] = ['not-a-struct', 'wrong-types', 'fault'];

const date = new Date('2030-01-01T00:00:00Z');
const peer = { index: 0, hrn: 'x.peer0', urn: 'urn:publicid:IDN+x:peer0+authority+am', url: 'https://127.0.0.1:1/am/3', authorityName: 'x:peer0' };
const readable = answer({ code: { geni_code: 0 }, value: { geni_rspec: '<rspec/>', geni_slivers: [] }, output: '' });

interface Row { name: string; check: () => Check<AmResponse>; findingOn: Garbage[] }
const row = (name: string, check: () => Check<AmResponse>, findingOn: Garbage[] = STRUCTLESS): Row => ({ name, check, findingOn });

/** Checks of an AmResponse: the garbage each must answer with a finding (the rest it must merely survive). */
const AM_RESPONSE_CHECKS: Row[] = [
  row('geniCode.success', () => geniCode.success()),
  row('geniCode.is', () => geniCode.is('BADARGS')),
  row('geniCode.refusal', () => geniCode.refusal('BADARGS'), ['not-a-struct', 'wrong-types', 'fault']),
  row('envelope.shape', () => envelope.shape()),
  // An XML-RPC Fault is what notFault reports; any decodable answer (garbage or not) is not a Fault.
  row('envelope.notFault', () => envelope.notFault(), ['fault']),
  row('envelope.isFault', () => envelope.isFault(), ['not-a-struct', 'wrong-types', 'unparsable-rspec']),
  row('envelope.neverSuccess', () => envelope.neverSuccess(), ['unparsable-rspec', 'unparsable-rspec-value']),
  row('field.present', () => field('value.geni_api').present()),
  row('field.equals', () => field('value.geni_api').equals(3)),
  row('field.oneOf', () => field('value.geni_allocate').oneOf(['geni_single'])),
  row('field.wireType', () => field('value.geni_api').wireType('int')),
  row('field.kind', () => field('value').kind('struct')),
  row('field.nonEmpty', () => field('value.geni_slivers').nonEmpty()),
  row('field.matches', () => field('value.geni_urn').matches(/^urn:publicid:IDN\+/, 'a GENI URN')),
  row('field.satisfies', () => field('value').satisfies(() => false, 'something')),
  row('valueMatches', () => valueMatches('v3/sliver-list')),
  row('rspec.validAs', () => rspec.validAs('advertisement'), ['not-a-struct', 'wrong-types', 'fault', 'unparsable-rspec-value']),
  // plain judges compression only: an unparsable plain document is readable for that (validAs reports the parse).
  row('rspec.plain', () => rspec.plain(), ['not-a-struct', 'wrong-types', 'fault']),
  row('rspec.compressedEquals', () => rspec.compressedEquals('<rspec/>'), ['not-a-struct', 'wrong-types', 'fault', 'unparsable-rspec-value']),
  row('rspec.allNodesAvailable', () => rspec.allNodesAvailable(), ['not-a-struct', 'wrong-types', 'fault', 'unparsable-rspec-value']),
  row('rspec.nodesNotAvailable', () => rspec.nodesNotAvailable(['urn:publicid:IDN+x+node+a']), ['not-a-struct', 'wrong-types', 'fault', 'unparsable-rspec-value']),
  row('rspec.nodesSubsetOf', () => rspec.nodesSubsetOf('<rspec/>'), ['not-a-struct', 'wrong-types', 'fault', 'unparsable-rspec-value']),
  row('dates.rfc3339', () => dates.rfc3339('value.geni_slivers[*].geni_expires'), ['not-a-struct', 'wrong-types', 'fault']),
  row('urn.ofType', () => urn.ofType('value.geni_urn', 'slice')),
  row('getVersion.advertisesRSpec', () => getVersion.advertisesRSpec('ad', [{ type: 'GENI', version: '3' }])),
  row('getVersion.acceptsCredentialType', () => getVersion.acceptsCredentialType('geni_sfa', ['3'])),
  row('getVersion.apiVersionsKeyedByNumber', () => getVersion.apiVersionsKeyedByNumber()),
  row('getVersion.geniMembersAmong', () => getVersion.geniMembersAmong(['geni_api'])),
  row('getVersion.rspecTypesAmong', () => getVersion.rspecTypesAmong('value.geni_ad_rspec_versions', ['geni'])),
  row('getVersion.listsApiVersion', () => getVersion.listsApiVersion('3')),
  row('slivers.allInState', () => slivers.allInState('geni_allocated', 'value.geni_slivers')),
  row('slivers.operationalIn', () => slivers.operationalIn(['geni_ready'], 'value.geni_slivers')),
  row('slivers.operationalIn (advertised machine)', () => slivers.operationalIn({
    standard: ['geni_ready'], after: { action: 'geni_start', settled: true },
    advertised: { machines: [{ sliverTypes: [], states: [{ name: 'up', actions: [], waits: [] }] }], sliverTypes: new Map() },
  }, 'value.geni_slivers')),
  row('slivers.operationalUnchangedSince', () => slivers.operationalUnchangedSince(readable, 'value.geni_slivers')),
  row('slivers.urnsEqual', () => slivers.urnsEqual(['urn:publicid:IDN+x+sliver+1'], 'value.geni_slivers')),
  row('slivers.excludes', () => slivers.excludes(['urn:publicid:IDN+x+sliver+1'], 'value.geni_slivers')),
  row('slivers.urnsNew', () => slivers.urnsNew(['urn:publicid:IDN+x+sliver+1'], 'value.geni_slivers')),
  row('slivers.count', () => slivers.count(1, 'value.geni_slivers')),
  row('slivers.nonEmpty', () => slivers.nonEmpty('value.geni_slivers')),
  row('slivers.sliverUrnsValid', () => slivers.sliverUrnsValid('value.geni_slivers')),
  row('slivers.errorFieldPresent', () => slivers.errorFieldPresent('value.geni_slivers')),
  row('slivers.errorFieldAbsent', () => slivers.errorFieldAbsent('value.geni_slivers')),
  row('slivers.noErrorsWithoutBestEffort', () => slivers.noErrorsWithoutBestEffort('value.geni_slivers')),
  row('slivers.noneLive', () => slivers.noneLive('value.geni_slivers')),
  row('slivers.noneUnlessRefused', () => slivers.noneUnlessRefused('value.geni_slivers')),
  row('manifest.coversRequest', () => manifest.coversRequest('<rspec type="request"/>', 'value.geni_rspec'), [...STRUCTLESS, 'unparsable-rspec']),
  row('manifest.namesSlivers', () => manifest.namesSlivers('value.geni_rspec'), [...STRUCTLESS, 'unparsable-rspec']),
  row('manifest.describesNoResources', () => manifest.describesNoResources('value.geni_rspec'), [...STRUCTLESS, 'unparsable-rspec']),
  row('manifest.compressedMatches', () => manifest.compressedMatches(readable, 'value.geni_rspec'), [...STRUCTLESS, 'unparsable-rspec']),
  row('time.expiresNoLaterThan', () => time.expiresNoLaterThan(date, 'value.geni_slivers')),
  row('time.expiresWithin', () => time.expiresWithin(date, 60, 'value.geni_slivers')),
  row('time.expiresAfter', () => time.expiresAfter(date, 'value.geni_slivers')),
  row('time.expiriesUnchangedSince', () => time.expiriesUnchangedSince(readable, 'value.geni_slivers')),
  // v1 answers are plain values: a string is a v1 success (ListResources), so 'not-a-struct' is readable there.
  row('v1.returns', () => v1.returns('boolean'), ['not-a-struct', 'wrong-types', 'fault']),
  row('v1.succeeded', () => v1.succeeded(), ['fault']),
  row('v1.returnsTrue', () => v1.returnsTrue(), ['not-a-struct', 'wrong-types', 'fault']),
  row('v1.refused', () => v1.refused(), ['not-a-struct', 'wrong-types']),
  row('v1.advertisesRSpec', () => v1.advertisesRSpec('ad', [{ type: 'GENI', version: '3' }])),
  row('v1.defaultAdAdvertised', () => v1.defaultAdAdvertised()),
  row('v2.statusPrecedence', () => v2.statusPrecedence()),
  row('v2.resourcesUnchangedSince', () => v2.resourcesUnchangedSince(answer({ code: { geni_code: 0 }, value: { geni_resources: [] }, output: '' }))),
  row('v2.manifestMatchesRequest', () => v2.manifestMatchesRequest('<rspec type="request"/>'), [...STRUCTLESS, 'unparsable-rspec-value']),
  row('v2.manifestUnchangedSince', () => v2.manifestUnchangedSince(answer({ code: { geni_code: 0 }, value: '<rspec type="manifest"/>', output: '' })), [...STRUCTLESS, 'unparsable-rspec-value']),
  row('properties.unchangedSince', () => properties.unchangedSince(readable, 'value.geni_slivers')),
  row('properties.agreesWith', () => properties.agreesWith(readable, 'value.geni_slivers')),
  row('properties.errorsExactlyOn', () => properties.errorsExactlyOn(['urn:publicid:IDN+x+sliver+1'], 'value.geni_slivers')),
  row('properties.matchesModel', () => properties.matchesModel([{ urn: 'urn:publicid:IDN+x+sliver+1', allocation: 'geni_allocated' } as never], 'value.geni_slivers')),
  row('properties.availableSubsetOf', () => properties.availableSubsetOf(answer({ code: { geni_code: 0 }, value: '<rspec type="advertisement"/>', output: '' })), [...STRUCTLESS, 'unparsable-rspec-value']),
  row('sm.statistics', () => sm.statistics('ListResources', [peer]), [...STRUCTLESS, 'unparsable-rspec-value']),
  row('sm.noStackTrace', () => sm.noStackTrace(), ['not-a-struct', 'wrong-types', 'fault']),
  row('sm.validBesideStatistics', () => sm.validBesideStatistics('advertisement'), [...STRUCTLESS, 'unparsable-rspec-value']),
  row('sm.emptyRepeatAnswer', () => sm.emptyRepeatAnswer('ListResources')),
  row('sm.sameDocument', () => sm.sameDocument(answer({ code: { geni_code: 0 }, value: '<rspec/>', output: '' })), [...STRUCTLESS, 'unparsable-rspec-value']),
  row('sm.showsChangeAt', () => sm.showsChangeAt(peer, answer({ code: { geni_code: 0 }, value: '<rspec/>', output: '' })), [...STRUCTLESS, 'unparsable-rspec-value']),
  row('sm.inNamespace', () => sm.inNamespace('http://www.geni.net/resources/rspec/3'), [...STRUCTLESS, 'unparsable-rspec-value']),
  row('sm.failureReported', () => sm.failureReported(peer), [...STRUCTLESS, 'unparsable-rspec-value']),
  row('sm.sameCodeAs', () => sm.sameCodeAs(answer({ code: { geni_code: 7 }, value: '', output: 'x' })), ['not-a-struct', 'wrong-types', 'fault', 'unparsable-rspec']),
  row('sm.definedCode', () => sm.definedCode(), ['not-a-struct', 'wrong-types']),
  row('sm.getVersion', () => sm.getVersion()),
];

/** The checks of other observed values, each fed garbage of its own kind. */
const garbageCall: ForwardedCall = { peer: 9, method: 'Bogus', params: ['not', 'the', 'parameters'], receivedAt: Number.NaN, result: 'garbage' };
const garbageFanOut: FanOut = { response: answer('garbage'), calls: [garbageCall] };
const OTHER_CHECKS: Array<{ name: string; run: () => Finding[] }> = [
  { name: 'sm.sliversAddUp', run: () => sm.sliversAddUp('Allocate', [peer])(garbageFanOut, ctx) },
  { name: 'sm.nodesAddUp', run: () => sm.nodesAddUp()(garbageFanOut, ctx) },
  { name: 'sm.noCalls', run: () => sm.noCalls('a cached answer', ['x1'])([garbageCall], ctx) },
  { name: 'sm.calledOnceEach', run: () => sm.calledOnceEach('ListResources', [peer], ['x1'])([garbageCall], ctx) },
  { name: 'sm.forwardedCallId', run: () => sm.forwardedCallId('ListResources', 'id-1', ['x1'])([{ ...garbageCall, method: 'ListResources' }], ctx) },
  { name: 'sm.forwardedOptions', run: () => sm.forwardedOptions('ListResources', { geni_available: true }, ['x1'])([{ ...garbageCall, method: 'ListResources' }], ctx) },
  { name: 'sm.forwardedCredentials', run: () => sm.forwardedCredentials('ListResources', 'urn:publicid:IDN+x+authority+sm', undefined, ['x1'])([{ ...garbageCall, method: 'ListResources' }], ctx) },
  { name: 'sm.noCallsTo', run: () => sm.noCallsTo({ ...peer, index: 9 }, ['x1'])([garbageCall], ctx) },
  { name: 'sm.answeredWithin', run: () => sm.answeredWithin(1_000, 100)({ error: 'garbage', elapsedMs: Number.NaN, exchangeIds: [] }, ctx) },
  {
    name: 'login.servicesComplete',
    run: () => login.servicesComplete()({ label: 'the manifest', exchangeId: 'x1', nodes: [{ clientId: 'n0', logins: [{ authentication: 'ssh-keys', hostname: '', username: '', port: 'twenty-two' }] }] } as unknown as ManifestLogins, ctx),
  },
  { name: 'login.loggedIn', run: () => login.loggedIn()({ target: { host: '', port: Number.NaN, username: '' }, key: { label: 'k', fingerprint: '' }, outcome: { kind: 'garbage' }, exchangeId: 'x1' } as ObservedLogin, ctx) },
];

/**
 * Checks whose observed value the harness itself makes (its peers' log, its SSH client's result, its reading of
 * a manifest), where "garbage" has no meaning, or where no finding is the right answer to it; each says why.
 */
const NOT_FED_GARBAGE: Record<string, string> = {
  'field.absent': 'an absent member is what it demands: garbage has none of it',
  'sm.calledInParallel': "reads the peers' log; with fewer than two calls of the method there is nothing to compare (calledOnceEach reports missing calls)",
  'login.servicePerNode': "reads the harness's parse of the manifests; a manifest listing no SSH login at all means the aggregate offers none (the case reports unsupported)",
  'login.refused': "reads the harness's own SSH attempt: any outcome but a login that ran is the refusal it wants",
};

describe('every check answers garbage with a finding, never with none or a throw', () => {
  it.each(AM_RESPONSE_CHECKS.map((r) => [r.name, r] as const))('%s', (_name, r) => {
    for (const kind of ALL) {
      let findings: Finding[] = [];
      expect(() => { findings = r.check()(GARBAGE[kind](), ctx); }, `${r.name} on ${kind}`).not.toThrow();
      if (r.findingOn.includes(kind)) {
        expect(findings.length, `${r.name} on ${kind}: no finding`).toBeGreaterThan(0);
        for (const f of findings) expect(CHECK_IDS as readonly string[], `${r.name}: check id ${f.check}`).toContain(f.check);
      }
    }
  });

  it.each(OTHER_CHECKS.map((r) => [r.name, r] as const))('%s', (_name, r) => {
    let findings: Finding[] = [];
    expect(() => { findings = r.run(); }, r.name).not.toThrow();
    expect(findings.length, `${r.name}: no finding`).toBeGreaterThan(0);
    for (const f of findings) expect(CHECK_IDS as readonly string[], `${r.name}: check id ${f.check}`).toContain(f.check);
  });

  it('every check not fed garbage says why', () => {
    expect(Object.entries(NOT_FED_GARBAGE).filter(([, why]) => why.trim().length < 20).map(([name]) => name)).toEqual([]);
  });

  it('the table names every check of every namespace', () => {
    const namespaces: Record<string, object> = { geniCode, envelope, rspec, dates, urn, getVersion, slivers, manifest, time, v1, v2, properties, sm, login };
    const fieldMethods = Object.getOwnPropertyNames(FieldChecks.prototype).filter((m) => !['constructor', 'ifPresent', 'resolved', 'finding', 'missing', 'each'].includes(m));
    const listed = new Set([...AM_RESPONSE_CHECKS.map((r) => r.name), ...OTHER_CHECKS.map((r) => r.name), ...Object.keys(NOT_FED_GARBAGE), 'valueMatches']);
    const all = [...Object.entries(namespaces).flatMap(([ns, o]) => Object.keys(o).map((k) => `${ns}.${k}`)), ...fieldMethods.map((m) => `field.${m}`)];
    expect(all.filter((name) => !listed.has(name))).toEqual([]);
  });
});

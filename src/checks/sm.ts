/**
 * Checks on a slice manager: what it answered, judged against what its aggregates (the harness's peers) received
 * and answered meanwhile. Pure functions like every check: the observed value is the SM's answer, or the calls the
 * peers recorded, or both (a FanOut).
 */
import { DOMParser, type Element } from '@xmldom/xmldom';
import type libxmljs from 'libxmljs2';
import { formatValue, type Check, type Finding } from '../core';
import { GENI_CODES } from '../geni/error-codes';
import type { AmResponse } from '../geni/methods';
import { parseUrn } from '../geni/urn';
import { RSpecParseError } from '../rspec/errors';
import { parseXmlSafely } from '../rspec/parse';
import { decodeCompressedRSpec, type RSpecType } from '../rspec/validate';
import type { XmlRpcValue } from '../xmlrpc';
import { describeAnswer, findingFor } from './describe';
import { SLICE_MANAGER_EXTENSION_XPATH, validateReceived } from './rspec';
import { resolvePath } from './paths';

/** A call one of the harness's peer aggregates received (src/peer-aggregates records them), as checks read it. */
export interface ForwardedCall {
  peer: number;
  method: string;
  params: XmlRpcValue[];
  callerUrn?: string;
  receivedAt: number;
  answeredAt?: number;
  /** The peer's whole return struct, when it answered normally. */
  result?: XmlRpcValue;
}

/** A peer as checks need it. */
export interface PeerRef {
  index: number;
  hrn: string;
  urn: string;
  url: string;
  /** Its sub-authority: the authority part of every sliver URN it makes. */
  authorityName: string;
}

/** The SM's answer to one call, with the calls the peers received while it was handled. */
export interface FanOut {
  response: AmResponse;
  calls: ForwardedCall[];
}

/** Whether the SM answered at all, and how long it took. */
export interface TimedAnswer {
  response?: AmResponse;
  /** The harness error when there was no answer (a timeout, a broken connection). */
  error?: string;
  elapsedMs: number;
  exchangeIds: string[];
}

const CHECK = 'slice-manager';

/** Where the options struct sits in each v3 method's parameters (and the credentials list). */
const OPTIONS_AT: Record<string, number> = {
  ListResources: 1, Describe: 2, Allocate: 3, Renew: 3, Provision: 2, Status: 2, PerformOperationalAction: 3, Delete: 2, Shutdown: 2,
};
const CREDENTIALS_AT: Record<string, number> = {
  ListResources: 0, Describe: 1, Allocate: 1, Renew: 1, Provision: 1, Status: 1, PerformOperationalAction: 1, Delete: 1, Shutdown: 1,
};

/** SFA's empty answers for a call_id already handled (seed 000). */
export const EMPTY_REPEAT_VALUES: Record<string, XmlRpcValue> = {
  ListResources: '', Allocate: '', Provision: '', Delete: '', Renew: true, Status: {}, Describe: {},
};

const isStruct = (v: unknown): v is Record<string, XmlRpcValue> => !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);

function rspecAt(res: AmResponse, at: string): string | undefined {
  const [target] = resolvePath(res.raw, at);
  if (!target?.present || typeof target.value !== 'string') return undefined;
  const text = target.value;
  if (text.trimStart().startsWith('<')) return text;
  try {
    return decodeCompressedRSpec(text);
  } catch {
    return undefined;
  }
}

function parsed(xml: string): libxmljs.Document | undefined {
  try {
    return parseXmlSafely(xml, 'RSpec');
  } catch (err) {
    if (err instanceof RSpecParseError) return undefined;
    throw err;
  }
}

const missingRSpec = (res: AmResponse, at: string, spec: string | undefined): Finding =>
  findingFor(res, { check: CHECK, title: 'Merged RSpec missing', expected: ['an RSpec string'], actual: describeAnswer(res), path: at, spec });

const STATISTICS_XPATH = SLICE_MANAGER_EXTENSION_XPATH;

/** Text that only a stack trace writes: Python's traceback header and frames, or JavaScript's "at f (file:1:2)". */
const STACK_TEXT = /Traceback \(most recent call last\)|File "[^"]+", line \d+|\bat \S.*:\d+:\d+\)?/;

function optionsOf(call: ForwardedCall): Record<string, XmlRpcValue> {
  const options = call.params[OPTIONS_AT[call.method] ?? -1];
  return isStruct(options) ? options : {};
}

/** owner_urn of a credential document and of its parent (a light read: checks do not verify signatures). */
function credentialOwners(xml: string): { owner?: string; parentOwner?: string } {
  if (/<!DOCTYPE/i.test(xml)) return {};
  const doc = new DOMParser({ onError: () => undefined }).parseFromString(xml, 'text/xml');
  const root = doc.documentElement;
  if (!root) return {};
  const credential = childElement(root, 'credential');
  const owner = credential && childElement(credential, 'owner_urn')?.textContent?.trim();
  const parent = credential && childElement(credential, 'parent');
  const parentCredential = parent && childElement(parent, 'credential');
  const parentOwner = parentCredential && childElement(parentCredential, 'owner_urn')?.textContent?.trim();
  return { ...(owner && { owner }), ...(parentOwner && { parentOwner }) };
}

function childElement(parent: Element, name: string): Element | undefined {
  for (let n = parent.firstChild; n; n = n.nextSibling) if (n.nodeType === 1 && (n as Element).localName === name) return n as Element;
  return undefined;
}

/** The sliver list a peer answered with: value.geni_slivers, or value itself (Renew, Delete, POA). */
function peerSlivers(call: ForwardedCall): string[] | undefined {
  const result = call.result;
  if (!isStruct(result) || !isStruct(result.code) || result.code.geni_code !== 0) return undefined;
  const value = result.value;
  const list = Array.isArray(value) ? value : isStruct(value) ? value.geni_slivers : undefined;
  if (!Array.isArray(list)) return undefined;
  return list.flatMap((s) => (isStruct(s) && typeof s.geni_sliver_urn === 'string' ? [s.geni_sliver_urn] : []));
}

export const sm = {
  /**
   * The merged RSpec at `at` carries `<statistics call="call">` naming every aggregate in `called` exactly once,
   * with a numeric elapsed and a status of success or exception (exception for those in `failed`), and no other.
   */
  statistics(call: string, called: readonly PeerRef[], failed: readonly PeerRef[] = [], at = 'value'): Check<AmResponse> {
    return (res, ctx) => {
      const xml = rspecAt(res, at);
      if (xml === undefined) return [missingRSpec(res, at, ctx.spec)];
      const doc = parsed(xml);
      if (!doc) return [findingFor(res, { check: CHECK, title: 'Merged RSpec is not XML', expected: ['a well-formed RSpec'], actual: formatValue(xml, 60), path: at, spec: ctx.spec })];
      const blocks = (doc.find(STATISTICS_XPATH) as libxmljs.Element[]).filter((e) => e.attr('call')?.value() === call);
      if (blocks.length !== 1) {
        return [findingFor(res, {
          check: CHECK, title: 'Slice manager statistics missing', expected: [`one <statistics call="${call}"> element`],
          actual: `${blocks.length} such elements`, path: at, spec: ctx.spec,
        })];
      }
      const entries = blocks[0]!.find("./*[local-name()='aggregate']") as libxmljs.Element[];
      const findings: Finding[] = [];
      const f = (title: string, expected: string[], actual: string, line?: number) =>
        findings.push(findingFor(res, { check: CHECK, title, expected, actual, path: `${at}${line !== undefined ? ` line ${line}` : ''}`, spec: ctx.spec }));
      for (const peer of called) {
        const mine = entries.filter((e) => e.attr('name')?.value() === peer.hrn);
        if (mine.length !== 1) f('Aggregate not listed exactly once in statistics', [`one <aggregate name="${peer.hrn}">`], `${mine.length} entries for ${peer.hrn}`);
        const wanted = failed.some((p) => p.index === peer.index) ? 'exception' : 'success';
        for (const entry of mine) {
          const status = entry.attr('status')?.value();
          if (status !== wanted && (status === 'success' || status === 'exception')) {
            f(wanted === 'exception' ? 'Failed aggregate reported as a success' : 'Answering aggregate reported as failed', [`status="${wanted}"`], `status=${formatValue(status)} for ${peer.hrn}`, entry.line());
          }
        }
      }
      for (const entry of entries) {
        const name = entry.attr('name')?.value();
        if (!called.some((p) => p.hrn === name)) f('Statistics name an aggregate that was not called', called.map((p) => p.hrn), formatValue(name), entry.line());
        const elapsed = entry.attr('elapsed')?.value();
        if (elapsed === undefined || !/^\d+(\.\d+)?([eE][-+]?\d+)?$/.test(elapsed.trim())) f('Statistics elapsed is not a number', ['elapsed seconds, e.g. "0.132"'], formatValue(elapsed), entry.line());
        const status = entry.attr('status')?.value();
        if (status !== 'success' && status !== 'exception') f('Statistics status is not success or exception', ['success', 'exception'], formatValue(status), entry.line());
      }
      return findings;
    };
  },

  /** No stack trace in the RSpec: no <tb_frame> elements, no traceback text (internals are not the caller's business). */
  noStackTrace(at = 'value'): Check<AmResponse> {
    return (res, ctx) => {
      const xml = rspecAt(res, at);
      const doc = xml === undefined ? undefined : parsed(xml);
      if (!doc) {
        // Nothing to look into is no proof there is no traceback: say so (the validity checks say why it does not read).
        return [findingFor(res, {
          check: CHECK, title: 'Statistics cannot be read', expected: ['an RSpec whose <statistics> can be searched for tracebacks'],
          actual: xml === undefined ? describeAnswer(res) : formatValue(xml, 80), path: at, spec: ctx.spec,
        })];
      }
      const frames = doc.find("//*[local-name()='tb_frame']") as libxmljs.Element[];
      const texts = (doc.find("//*[local-name()='exc_info']") as libxmljs.Element[]).filter((e) => STACK_TEXT.test(e.attr('name')?.value() ?? '') || STACK_TEXT.test(e.text()));
      if (frames.length === 0 && texts.length === 0) return [];
      const where = frames[0] ?? texts[0]!;
      return [findingFor(res, {
        check: CHECK, title: 'Stack trace in the slice manager statistics', expected: ['a one-line reason per failed aggregate, no traceback'],
        actual: frames.length > 0 ? `${frames.length} <tb_frame> elements, e.g. ${formatValue(where.toString(), 100)}` : formatValue(where.toString(), 120),
        path: `${at} line ${where.line()}`, spec: ctx.spec,
      })];
    };
  },

  /**
   * The merged RSpec at `at` is valid once the slice manager's own extension (<statistics>, which no GENI schema
   * defines) is set aside; the note says how much was set aside.
   */
  validBesideStatistics(type: RSpecType, at = 'value'): Check<AmResponse> {
    return (res, ctx) => {
      const xml = rspecAt(res, at);
      if (xml === undefined) return [missingRSpec(res, at, ctx.spec)];
      const doc = parsed(xml);
      if (!doc) return [findingFor(res, { check: 'rspec', title: 'RSpec is not valid', expected: [`a valid ${type} RSpec`], actual: 'not well-formed XML', path: at, spec: ctx.spec })];
      const statistics = doc.find(STATISTICS_XPATH) as libxmljs.Element[];
      for (const element of statistics) element.remove();
      if (statistics.length > 0) {
        ctx.note?.(`${at}: set aside ${statistics.length} <statistics> element${statistics.length > 1 ? 's' : ''} (the SFA slice manager's extension, in no namespace and in no GENI schema) before validating`);
      }
      // Validated in the document sandbox, like every RSpec an aggregate sends (src/checks/rspec.ts).
      const result = validateReceived(doc.toString(), { expectedType: type }, ctx, res.exchangeId);
      return result.findings.filter((f) => f.severity === 'error').map((f) => findingFor(res, {
        check: 'rspec', title: 'RSpec is not valid', expected: [`a valid ${type} RSpec once <statistics> is set aside (${f.rule})`], actual: f.message,
        path: `${at}${f.path ? ` ${f.path}` : ''}`, spec: ctx.spec,
        ...(statistics.length > 0 && { hint: `${statistics.length} <statistics> element(s) were set aside before validating` }),
      }));
    };
  },

  /**
   * The merged sliver list at `at` is exactly the slivers the peers returned for `method`: as many as their sum,
   * each made by one peer, and each URN of that peer's authority.
   */
  sliversAddUp(method: string, peers: readonly PeerRef[], at = 'value.geni_slivers'): Check<FanOut> {
    return ({ response: res, calls }, ctx) => {
      const [target] = resolvePath(res.raw, at);
      const merged = Array.isArray(target?.value) ? target.value.flatMap((s) => (isStruct(s) && typeof s.geni_sliver_urn === 'string' ? [s.geni_sliver_urn] : [])) : undefined;
      if (!merged) {
        return [findingFor(res, { check: CHECK, title: 'Merged sliver list missing', expected: ['an array of sliver structs'], actual: target?.present ? formatValue(target.value) : describeAnswer(res), path: at, spec: ctx.spec })];
      }
      const byPeer = new Map<number, string[]>();
      for (const call of calls.filter((c) => c.method === method)) byPeer.set(call.peer, [...(byPeer.get(call.peer) ?? []), ...(peerSlivers(call) ?? [])]);
      const total = [...byPeer.values()].reduce((n, list) => n + list.length, 0);
      const findings: Finding[] = [];
      if (merged.length !== total) {
        const parts = [...byPeer.entries()].map(([i, list]) => `peer${i}: ${list.length}`).join(', ') || 'no peer answered';
        findings.push(findingFor(res, {
          check: CHECK, title: 'Merged geni_slivers do not add up', expected: [`${total} slivers (${parts})`], actual: `${merged.length} slivers`, path: at, spec: ctx.spec,
        }));
      }
      for (const urn of merged) {
        const makers = [...byPeer.entries()].filter(([, list]) => list.includes(urn)).map(([i]) => i);
        if (makers.length !== 1) {
          findings.push(findingFor(res, { check: CHECK, title: 'Sliver not made by exactly one aggregate', expected: ['a sliver one peer returned'], actual: `${formatValue(urn)} returned by ${makers.length} peers`, path: at, spec: ctx.spec }));
          continue;
        }
        const peer = peers.find((p) => p.index === makers[0]);
        const authority = parseUrn(urn)?.authority;
        if (peer && authority?.toLowerCase() !== peer.authorityName.toLowerCase()) {
          findings.push(findingFor(res, {
            check: CHECK, title: 'Sliver URN not of the aggregate that made it', expected: [`authority ${peer.authorityName}`], actual: `${formatValue(urn)} from ${peer.hrn}`, path: at, spec: ctx.spec,
          }));
        }
      }
      return findings;
    };
  },

  /**
   * The merged advertisement at `at` holds every node the called peers advertised (their ListResources answers):
   * as many nodes as their sum, each component_id of one of them.
   */
  nodesAddUp(at = 'value'): Check<FanOut> {
    const componentIds = (xml: string): string[] => {
      const doc = parsed(xml);
      return doc ? (doc.find("/*[local-name()='rspec']/*[local-name()='node']") as libxmljs.Element[]).map((n) => n.attr('component_id')?.value() ?? '') : [];
    };
    return ({ response: res, calls }, ctx) => {
      const xml = rspecAt(res, at);
      if (xml === undefined) return [missingRSpec(res, at, ctx.spec)];
      const merged = componentIds(xml);
      const advertised = calls.filter((c) => c.method === 'ListResources').flatMap((c) => {
        const r = c.result;
        return isStruct(r) && isStruct(r.code) && r.code.geni_code === 0 && typeof r.value === 'string' ? componentIds(r.value) : [];
      });
      const missing = advertised.filter((id) => !merged.includes(id));
      if (merged.length === advertised.length && missing.length === 0) return [];
      return [findingFor(res, {
        check: CHECK, title: 'Merged advertisement does not hold every node the aggregates advertised', expected: [`${advertised.length} nodes, those of every answering aggregate`],
        actual: `${merged.length} nodes${missing.length > 0 ? `; missing e.g. ${formatValue(missing[0])}` : ''}`, path: at, spec: ctx.spec,
      })];
    };
  },

  /** A repeated call_id gets SFA's empty value for `method` (and success), nothing else. */
  emptyRepeatAnswer(method: string): Check<AmResponse> {
    const empty = EMPTY_REPEAT_VALUES[method];
    return (res, ctx) => {
      const value = res.envelope?.value;
      const same = res.envelope?.geniCode === 0 && JSON.stringify(value) === JSON.stringify(empty);
      return same ? [] : [findingFor(res, {
        check: CHECK, title: 'Repeated call_id not answered with the empty value', expected: [`geni_code SUCCESS (0) and value ${formatValue(empty)}`],
        actual: `${describeAnswer(res)}; value ${formatValue(value, 80)}`, path: 'value', spec: ctx.spec,
      })];
    };
  },

  /** No peer received any of these calls (a repeated call_id, or a call that must not be forwarded). */
  noCalls(why: string, exchangeIds: string[]): Check<ForwardedCall[]> {
    return (calls, ctx) => calls.length === 0 ? [] : [{
      check: CHECK, title: 'Aggregates called when they must not be', expected: [`no call at any aggregate (${why})`],
      actual: calls.slice(0, 5).map((c) => `peer${c.peer} ${c.method}`).join(', ') + (calls.length > 5 ? `, … (${calls.length})` : ''), spec: ctx.spec, exchangeIds,
    }];
  },

  /** Each of `peers` received exactly one `method` call, and no other peer did. */
  calledOnceEach(method: string, peers: readonly PeerRef[], exchangeIds: string[]): Check<ForwardedCall[]> {
    return (calls, ctx) => {
      const of = calls.filter((c) => c.method === method);
      const findings: Finding[] = [];
      for (const peer of peers) {
        const n = of.filter((c) => c.peer === peer.index).length;
        if (n !== 1) findings.push({ check: CHECK, title: 'Aggregate not called exactly once', expected: [`one ${method} at ${peer.hrn}`], actual: `${n} calls`, spec: ctx.spec, exchangeIds });
      }
      for (const call of of.filter((c) => !peers.some((p) => p.index === c.peer))) {
        findings.push({ check: CHECK, title: 'Aggregate called that should not be', expected: peers.map((p) => p.hrn), actual: `peer${call.peer} received ${method}`, spec: ctx.spec, exchangeIds });
      }
      return findings;
    };
  },

  /** Every forwarded `method` call carries the caller's call_id in its options. */
  forwardedCallId(method: string, callId: string, exchangeIds: string[]): Check<ForwardedCall[]> {
    return (calls, ctx) => calls.filter((c) => c.method === method && optionsOf(c).call_id !== callId).map((c) => ({
      check: CHECK, title: 'call_id not forwarded', expected: [`options.call_id ${formatValue(callId)}`], actual: `peer${c.peer} got ${formatValue(optionsOf(c).call_id)}`,
      path: `params[${OPTIONS_AT[method]}].call_id`, spec: ctx.spec, exchangeIds,
    }));
  },

  /** Every forwarded option of the caller arrived unchanged (the SM may add call_id and set geni_rspec_version). */
  forwardedOptions(method: string, sent: Record<string, XmlRpcValue>, exchangeIds: string[]): Check<ForwardedCall[]> {
    return (calls, ctx) => calls.filter((c) => c.method === method).flatMap((c) => {
      const got = optionsOf(c);
      return Object.entries(sent).filter(([k, v]) => JSON.stringify(got[k]) !== JSON.stringify(v)).map(([k, v]) => ({
        check: CHECK, title: 'Option not forwarded as sent', expected: [`${k} = ${formatValue(v)}`], actual: `peer${c.peer} got ${formatValue(got[k])}`,
        path: `params[${OPTIONS_AT[method]}].${k}`, spec: ctx.spec, exchangeIds,
      }));
    });
  },

  /**
   * Every forwarded `method` call presents one credential to the aggregate, owned by the slice manager (its GID)
   * and, when `delegatedBy` is given, delegated by that caller (its parent's owner); never the caller's own.
   */
  forwardedCredentials(method: string, smUrn: string, delegatedBy: string | undefined, exchangeIds: string[]): Check<ForwardedCall[]> {
    return (calls, ctx) => calls.filter((c) => c.method === method).flatMap((c) => {
      const creds = c.params[CREDENTIALS_AT[method] ?? -1];
      const docs = Array.isArray(creds) ? creds.flatMap((x) => (typeof x === 'string' ? [x] : isStruct(x) && typeof x.geni_value === 'string' ? [x.geni_value] : [])) : [];
      const f = (actual: string): Finding => ({
        check: CHECK, title: 'Forwarded credential is not the one delegated to the slice manager',
        expected: [delegatedBy ? `one credential owned by ${smUrn}, delegated by ${delegatedBy}` : `credentials owned by ${smUrn}`], actual: `peer${c.peer}: ${actual}`,
        path: `params[${CREDENTIALS_AT[method]}]`, spec: ctx.spec, exchangeIds,
      });
      if (docs.length === 0) return [f(`no credential (${formatValue(creds, 60)})`)];
      return docs.flatMap((xml) => {
        const { owner, parentOwner } = credentialOwners(xml);
        if (owner !== smUrn) return [f(`a credential owned by ${owner ?? '(unreadable)'}`)];
        if (delegatedBy !== undefined && parentOwner !== delegatedBy) return [f(`a credential of the slice manager not delegated by the caller (parent owner ${parentOwner ?? 'none'})`)];
        return [];
      });
    });
  },

  /** No call at `peer` (the aggregate of the peered slice manager that is calling). */
  noCallsTo(peer: PeerRef, exchangeIds: string[]): Check<ForwardedCall[]> {
    return (calls, ctx) => {
      const back = calls.filter((c) => c.peer === peer.index);
      return back.length === 0 ? [] : [{
        check: CHECK, title: "Call forwarded back to the calling slice manager's own aggregate", expected: [`no call at ${peer.hrn}`],
        actual: back.map((c) => c.method).join(', '), spec: ctx.spec, exchangeIds,
      }];
    };
  },

  /** The `method` calls overlapped in time: every peer had received its call before any peer answered. */
  calledInParallel(method: string, exchangeIds: string[]): Check<ForwardedCall[]> {
    return (calls, ctx) => {
      const of = calls.filter((c) => c.method === method);
      const lastArrival = Math.max(...of.map((c) => c.receivedAt));
      const answered = of.filter((c) => c.answeredAt !== undefined).map((c) => c.answeredAt!);
      if (of.length < 2 || answered.length === 0 || lastArrival <= Math.min(...answered)) return [];
      const late = of.filter((c) => c.receivedAt > Math.min(...answered)).map((c) => `peer${c.peer}`);
      return [{
        check: CHECK, title: 'Aggregates called one after another', expected: ['every aggregate called before the first one answers (a parallel fan-out)'],
        actual: `${late.join(', ')} called only after peer${of.find((c) => c.answeredAt === Math.min(...answered))!.peer} had answered`, spec: ctx.spec, exchangeIds,
      }];
    };
  },

  /** The same document as `first` (two cached advertisements). */
  sameDocument(first: AmResponse, at = 'value'): Check<AmResponse> {
    return (res, ctx) => {
      const a = rspecAt(first, at);
      const b = rspecAt(res, at);
      return a !== undefined && a === b ? [] : [findingFor(res, {
        check: CHECK, title: 'Cached advertisement differs from the one before', expected: ['byte for byte the advertisement of the previous call'],
        actual: b === undefined ? describeAnswer(res) : `${b.length} characters against ${a?.length ?? 0}`, path: at, spec: ctx.spec, exchangeIds: [first.exchangeId, res.exchangeId],
      })];
    };
  },

  /** The nodes of `peer` in this advertisement show a different availability than in `cached`. */
  showsChangeAt(peer: PeerRef, cached: AmResponse, at = 'value'): Check<AmResponse> {
    const busyAt = (res: AmResponse): string | undefined => {
      const xml = rspecAt(res, at);
      const doc = xml === undefined ? undefined : parsed(xml);
      if (!doc) return undefined;
      const nodes = doc.find("/*[local-name()='rspec']/*[local-name()='node']") as libxmljs.Element[];
      return nodes.filter((n) => n.attr('component_manager_id')?.value() === peer.urn)
        .map((n) => `${n.attr('component_id')?.value()}=${(n.find("./*[local-name()='available']") as libxmljs.Element[])[0]?.attr('now')?.value()}`).sort().join(' ');
    };
    return (res, ctx) => {
      const before = busyAt(cached);
      const after = busyAt(res);
      return after !== undefined && after !== before ? [] : [findingFor(res, {
        check: CHECK, title: 'Fresh advertisement does not show the change at an aggregate', expected: [`availability at ${peer.hrn} as it is now, not as cached`],
        actual: after === undefined ? describeAnswer(res) : 'the same availability as the cached advertisement', path: at, spec: ctx.spec, exchangeIds: [cached.exchangeId, res.exchangeId],
      })];
    };
  },

  /** The advertisement's root is in `namespace` (the RSpec version asked for). */
  inNamespace(namespace: string, at = 'value'): Check<AmResponse> {
    return (res, ctx) => {
      const xml = rspecAt(res, at);
      const doc = xml === undefined ? undefined : parsed(xml);
      const actual = doc?.root()?.namespace()?.href() ?? '(none)';
      return actual === namespace ? [] : [findingFor(res, {
        check: CHECK, title: 'Advertisement is not in the requested RSpec version', expected: [namespace], actual: doc ? actual : describeAnswer(res), path: at, spec: ctx.spec,
      })];
    };
  },

  /** The combined answer does not claim success and names the failed aggregate (by hrn, URN or URL). */
  failureReported(peer: PeerRef): Check<AmResponse> {
    return (res, ctx) => {
      const names = (text: string) => [peer.hrn, peer.urn, peer.url].some((n) => text.includes(JSON.stringify(n).slice(1, -1)));
      // A Fault reports a failure too; it must still say which aggregate failed.
      if (res.fault) {
        return names(JSON.stringify(res.fault.faultString)) ? [] : [findingFor(res, {
          check: CHECK, title: 'Failed aggregate not named', expected: [`a faultString naming ${peer.hrn} (or its URN or URL)`], actual: formatValue(res.fault.faultString, 100), path: 'faultString', spec: ctx.spec,
        })];
      }
      const findings: Finding[] = [];
      if (res.envelope?.geniCode === 0) {
        findings.push(findingFor(res, { check: CHECK, title: 'Success claimed although an aggregate failed', expected: [`a non-zero geni_code for the failure at ${peer.hrn}`], actual: describeAnswer(res), path: 'code.geni_code', spec: ctx.spec }));
      }
      if (!names(JSON.stringify([res.envelope?.output ?? '', res.envelope?.value ?? '']))) {
        findings.push(findingFor(res, { check: CHECK, title: 'Failed aggregate not named', expected: [`output naming ${peer.hrn} (or its URN or URL)`], actual: formatValue(res.envelope?.output, 100), path: 'output', spec: ctx.spec }));
      }
      return findings;
    };
  },

  /** The same geni_code as `other` (the same outcomes at the aggregates, in another order of answers). */
  sameCodeAs(other: AmResponse): Check<AmResponse> {
    return (res, ctx) => res.envelope?.geniCode === other.envelope?.geniCode ? [] : [findingFor(res, {
      check: CHECK, title: 'Combined geni_code depends on which aggregate answered first', expected: [`${describeAnswer(other)} (as when the aggregates answered in the other order)`],
      actual: describeAnswer(res), path: 'code.geni_code', spec: ctx.spec, exchangeIds: [other.exchangeId, res.exchangeId],
    })];
  },

  /** geni_code is a code of the GENI table (GAPI_AM_API_V3/CommonConcepts), not an invented one such as -1. */
  definedCode(): Check<AmResponse> {
    const known = new Set<number>(Object.values(GENI_CODES));
    return (res) => {
      const code = res.envelope?.geniCode;
      return code !== undefined && known.has(code) ? [] : [findingFor(res, {
        check: 'geni-code', title: 'geni_code is not a GENI error code', expected: ['a code from the GENI table (0 to 26)'], actual: describeAnswer(res), path: 'code.geni_code', spec: 'am3/common#ErrorCodes',
      })];
    };
  },

  /** The slice manager answered (anything) within its per-aggregate deadline plus `marginMs`. */
  answeredWithin(deadlineMs: number, marginMs: number): Check<TimedAnswer> {
    return (t, ctx) => t.response && t.elapsedMs <= deadlineMs + marginMs ? [] : [{
      check: CHECK, title: 'Slice manager did not answer within its deadline', expected: [`an answer within ${deadlineMs} ms (+${marginMs} ms) while one aggregate never answers`],
      actual: t.response ? `an answer after ${t.elapsedMs} ms` : `no answer after ${t.elapsedMs} ms (${t.error ?? 'no response'})`, spec: ctx.spec, exchangeIds: t.exchangeIds,
    }];
  },

  /** GetVersion of a slice manager: interface slicemgr, an authority URN, peers as absolute URLs, HTTPS API URLs. */
  getVersion(): Check<AmResponse> {
    return (res, ctx) => {
      const value = res.envelope?.value;
      if (!isStruct(value)) return [findingFor(res, { check: CHECK, title: 'GetVersion value is not a struct', expected: ['a struct'], actual: describeAnswer(res), path: 'value', spec: ctx.spec })];
      const findings: Finding[] = [];
      const f = (title: string, expected: string, actual: unknown, path: string) => findings.push(findingFor(res, { check: CHECK, title, expected: [expected], actual: formatValue(actual), path, spec: ctx.spec }));
      if (value.interface !== 'slicemgr') f('Slice manager does not say it is one', "interface 'slicemgr'", value.interface, 'value.interface');
      const urn = typeof value.urn === 'string' ? parseUrn(value.urn) : undefined;
      if (!urn || urn.type.toLowerCase() !== 'authority') f('Slice manager URN is not an authority URN', 'urn:publicid:IDN+<authority>+authority+<name>', value.urn, 'value.urn');
      if (!isStruct(value.peers)) f('Slice manager peers missing', 'a struct of peer name → URL', value.peers, 'value.peers');
      else for (const [name, url] of Object.entries(value.peers)) if (typeof url !== 'string' || !/^https?:\/\/[^\s/]+/.test(url)) f('Peer URL is not an absolute URL', 'an absolute URL', url, `value.peers.${name}`);
      const versions = isStruct(value.geni_api_versions) ? value.geni_api_versions : {};
      for (const [v, url] of Object.entries(versions)) if (typeof url !== 'string' || !url.startsWith('https://')) f('API URL is not HTTPS', 'an https:// URL (AM API calls need TLS with client certificates)', url, `value.geni_api_versions.${v}`);
      return findings;
    };
  },
};

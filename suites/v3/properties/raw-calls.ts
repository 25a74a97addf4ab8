/**
 * The raw XML-RPC fuzzing property shared by the v2 and v3 suites: correct calls of the version's methods, each
 * broken by one generated mutation (generators/xmlrpc rawXmlRpcCall), or a call of a method that does not exist,
 * sent byte for byte. What the answer must be follows from the mutation, as data: a body the XML-RPC layer cannot
 * decode, or an unknown method, is an XML-RPC Fault; a call that decodes but does not fit the method's signature is
 * an application error, so the return struct with a non-zero geni_code, except that a wrong number of parameters may
 * also be a Fault (see ANSWER). Never success. The aggregate must still
 * answer GetVersion after each call. Not a .cases.ts file.
 */
import fc from 'fast-check';
import { rawXmlRpcCall, type RawCallMutation } from '../../../generators';
import { errorMessage, type Finding } from '../../../src/core';
import { envelope, geniCode } from '../../../src/checks';
import { toAmResponse, type AmResponse } from '../../../src/geni/methods';
import type { Check } from '../../../src/core';
import { encodeMethodCall, type XmlRpcValue } from '../../../src/xmlrpc';
import { judge } from './property-steps';
import type { AmCaseContext } from '../../../src/runner/am-suites';

/** One generated input: the bytes to send and what they are. */
export interface RawInput {
  label: string;
  body: string;
  kind: RawCallMutation['kind'] | 'unknown-method';
  description: string;
  /** Whether the XML-RPC layer can decode it into a call of a method the API has. */
  reachesApplication: boolean;
}

/**
 * What the answer must be. A call with too few or too many parameters decodes, but cannot be dispatched to the
 * method: change set B keeps "a malformed XMLRPC request should still raise an XMLRPC Fault", and aggregates on
 * Python's SimpleXMLRPCServer (gcf, SFA) answer it with one before the method runs, so either a Fault or the return
 * struct with a non-zero code is right there.
 */
type Answer = 'xmlrpc-level' | 'application-level' | 'fault-or-application';
const APPLICATION_LEVEL: Array<Check<AmResponse>> = [envelope.notFault(), envelope.shape(), envelope.neverSuccess()];
const ANSWER: Record<Answer, Array<Check<AmResponse>>> = {
  'xmlrpc-level': [envelope.isFault()],
  'application-level': APPLICATION_LEVEL,
  'fault-or-application': [(res, ctx) => (res.fault ? [] : APPLICATION_LEVEL.flatMap((check) => check(res, ctx)))],
};
const SIGNATURE_MISMATCH: ReadonlySet<RawInput['kind']> = new Set(['missing-param', 'extra-param']);

function expectedAnswer(input: RawInput): Answer {
  if (!input.reachesApplication) return 'xmlrpc-level';
  return SIGNATURE_MISMATCH.has(input.kind) ? 'fault-or-application' : 'application-level';
}

/** Raw inputs over `calls` (method → correct params), plus calls of made-up method names. */
export function rawInputs(calls: Record<string, XmlRpcValue[]>): fc.Arbitrary<RawInput> {
  const mutated = Object.entries(calls).map(([method, params]) =>
    rawXmlRpcCall(method, params, { hugeString: { min: 65_536, max: 262_144 } }).map((raw): RawInput => ({
      label: `${method} (${raw.mutation.kind})`, body: raw.body, kind: raw.mutation.kind, description: `${method}: ${raw.mutation.description}`,
      reachesApplication: raw.mutation.expected.decodes,
    })));
  const known = new Set(Object.keys(calls).map((m) => m.toLowerCase()));
  const unknown = fc.stringMatching(/^[A-Z][A-Za-z]{3,15}$/).filter((name) => !known.has(name.toLowerCase()) && name !== 'GetVersion').map((name): RawInput => ({
    label: name, body: encodeMethodCall(name, [{}]), kind: 'unknown-method', description: `${name}: a method the API does not have`, reachesApplication: false,
  }));
  return fc.oneof({ weight: Object.keys(calls).length, arbitrary: fc.oneof(...mutated) }, { weight: 1, arbitrary: unknown });
}

/** Sends the generated raw calls; the counterexample is the smallest mutation answered the wrong way. */
export async function rawCallProperty(t: AmCaseContext, calls: Record<string, XmlRpcValue[]>, spec: string): Promise<void> {
  const check = judge(t, spec);
  await t.property({
    arbitrary: rawInputs(calls),
    describe: (input) => `${input.description} (${input.body.length} bytes)`,
    async check(input, scope) {
      const found: Finding[] = [];
      try {
        const res = toAmResponse(input.label, await scope.client.callRaw(input.label, input.body));
        found.push(...check(res, ANSWER[expectedAnswer(input)]));
      } catch (err) {
        found.push({
          check: 'xmlrpc-answer', title: 'Malformed call got no XML-RPC answer', expected: ['an XML-RPC Fault', 'the return struct'],
          actual: errorMessage(err), spec: 'am3/common#Faults', exchangeIds: scope.client.transcript.entries.slice(-1).map((e) => e.id),
        });
      }
      // Still up: the next well-formed call is answered.
      const alive = await scope.client.call('GetVersion', []).then((r) => toAmResponse('GetVersion', r), () => undefined);
      if (!alive) {
        found.push({
          check: 'liveness', title: 'Aggregate stopped answering after a malformed call', expected: ['GetVersion answered'], actual: 'no answer',
          spec: 'am3/common#Faults', exchangeIds: scope.client.transcript.entries.slice(-1).map((e) => e.id),
        });
      } else {
        found.push(...check(alive, [geniCode.success()]));
      }
      return found;
    },
  });
  t.verify(await t.am.GetVersion(), [geniCode.success()]);
}

import type { XmlRpcValue } from '../xmlrpc';

/** What the harness's callback endpoint knows about a call when it decides how to answer it. */
export interface ScriptInput {
  method: string;
  params: XmlRpcValue[];
  /** params[0].nodelist when it is a list. */
  nodelist?: XmlRpcValue[];
  /** How many calls of this method the endpoint had answered before this one. */
  index: number;
}

/**
 * How the endpoint answers one call. The client-side API allows plain SUCCESS for every method, and for
 * NotifyDeletePending also "the same list with max_wait_time 0" on the nodes the client gives up (seed 003).
 */
export type ScriptedAnswer =
  | { kind: 'success' }
  /** NotifyDeletePending: echo the nodelist with max_wait_time 0 on these node_ids ('all': every node). Other methods: SUCCESS. */
  | { kind: 'release'; nodeIds: readonly string[] | 'all' }
  /** Answer `then`, but only after `delayMs`. */
  | { kind: 'slow'; delayMs: number; then: ScriptedAnswer }
  /** An HTML page instead of XML-RPC, as a misconfigured web server in front of a client would send. */
  | { kind: 'garbage' }
  | { kind: 'error'; code: number; output: string }
  | { kind: 'fault'; faultCode: number; faultString: string };

export type CallbackScript = (call: ScriptInput) => ScriptedAnswer;

/** The script builders cases use (`answer.release(['pc1'])`, `answer.slowly(2000)`). */
export const answer = {
  /** Plain SUCCESS to everything: the elasticslice stub endpoint. */
  success: (): CallbackScript => () => ({ kind: 'success' }),
  /** Release the given nodes (or all) at the first NotifyDeletePending that names them; SUCCESS otherwise. */
  release: (nodeIds: readonly string[] | 'all'): CallbackScript => () => ({ kind: 'release', nodeIds }),
  /** Every answer (SUCCESS unless `inner` says otherwise) only after `delayMs`. */
  slowly: (delayMs: number, inner: CallbackScript = answer.success()): CallbackScript => (call) => ({ kind: 'slow', delayMs, then: inner(call) }),
  /** NotifyDeletePending gets garbage; everything else SUCCESS (so the registration itself works). */
  garbageToPending: (): CallbackScript => (call) => (call.method === 'NotifyDeletePending' ? { kind: 'garbage' } : { kind: 'success' }),
} as const;

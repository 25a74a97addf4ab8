import fc from 'fast-check';
import { clientAnswer, pgAnswer } from '../../src/checks';
import { dynsliceEndpointApi } from '../../src/dynslice';
import { defineCases } from '../../src/runner/define';
import { dynsliceClient } from '../../src/runner/dynslice-suites';
import type { XmlRpcValue } from '../../src/xmlrpc';

/**
 * The client-side API (seed 003), with the harness playing the dynslice server: what a client endpoint answers to
 * each method, to countdowns, and to input it should not get.
 */
export default defineCases(dynsliceClient, { tags: ['dynslice'], spec: ['dynslice/client#Responses'] }, [
  {
    id: 'dynslice-client.getversion.no-params',
    title: 'GetVersion with no argument (params=None)',
    requirement: 'GetVersion takes an optional params argument and answers SUCCESS in a {code, value, output} answer',
    spec: ['dynslice/client#GetVersion'],
    tags: ['smoke', 'getversion', 'envelope'],
    detects: [{ fault: 'client-getversion-bare-string', check: 'pg-envelope' }, { fault: 'client-getversion-needs-params', check: 'pg-envelope' }],
    async run(t) {
      t.verify(await t.endpoint.GetVersion(), [pgAnswer.answered(), pgAnswer.shape(), pgAnswer.success()]);
    },
  },
  {
    id: 'dynslice-client.getversion.empty-params',
    title: 'GetVersion with an empty params struct',
    requirement: 'GetVersion with a params struct answers SUCCESS like without one',
    spec: ['dynslice/client#GetVersion'],
    tags: ['getversion'],
    detects: [{ fault: 'client-getversion-bare-string', check: 'pg-envelope' }],
    async run(t) {
      const res = await t.endpoint.GetVersion({});
      t.verify(res, [pgAnswer.answered(), pgAnswer.shape(), pgAnswer.success()]);
      const output = res.envelope?.output;
      if (typeof output === 'string' && output !== '') t.note(`client endpoint version: ${output}`);
    },
  },
  {
    id: 'dynslice-client.values.required-keys',
    title: 'SetResourceValues with node_id and value for two nodes',
    requirement: 'SetResourceValues with the keys every item must have answers SUCCESS',
    spec: ['dynslice/client#SetResourceValues'],
    detects: [{ fault: 'client-values-requires-client-id', check: 'pg-code' }],
    tags: ['smoke'],
    async run(t) {
      const nodelist = t.nodes(2).map((n, i) => ({ node_id: n.node_id!, value: i === 0 ? 0.25 : 1 }));
      t.verify(await t.endpoint.SetResourceValues(nodelist), [pgAnswer.answered(), pgAnswer.shape(), pgAnswer.success()]);
    },
  },
  {
    id: 'dynslice-client.values.optional-keys',
    title: 'SetResourceValues with client_id and component_urn too',
    requirement: 'The optional keys the server may send (client_id, component_urn) are accepted',
    spec: ['dynslice/client#SetResourceValues'],
    detects: [{ fault: 'client-values-rejects-extra-keys', check: 'pg-code' }],
    async run(t) {
      const nodelist = t.nodes(2).map((n) => ({ ...n, value: 0.5 }));
      t.verify(await t.endpoint.SetResourceValues(nodelist), [pgAnswer.answered(), pgAnswer.success()]);
    },
  },
  {
    id: 'dynslice-client.values.empty-nodelist',
    title: 'SetResourceValues with an empty nodelist',
    requirement: 'An empty list of nodes is a list like any other: the answer is SUCCESS, not a dropped connection',
    spec: ['dynslice/client#SetResourceValues'],
    detects: [{ fault: 'client-crashes-on-empty-nodelist', check: 'client-answers' }],
    async run(t) {
      t.verify(await t.endpoint.SetResourceValues([]), [pgAnswer.answered(), pgAnswer.success()]);
    },
  },
  {
    id: 'dynslice-client.pending.answer-form',
    title: 'NotifyDeletePending announcing one node, then at the next tick that node and a second one',
    requirement: 'The answer is SUCCESS, or the same list with max_wait_time 0 on the nodes the client releases and nothing else changed',
    spec: ['dynslice/client#NotifyDeletePending'],
    detects: [{ fault: 'client-answers-changed-list', check: 'client-release-answer' }, { fault: 'client-answer-drops-keys', check: 'client-release-answer' }, { fault: 'client-release-as-negative', check: 'client-release-answer' }],
    async run(t) {
      const [first, second] = t.nodes(2);
      for (const nodelist of [[{ ...first!, max_wait_time: 30 }], [{ ...first!, max_wait_time: 29 }, { ...second!, max_wait_time: 29 }]]) {
        t.verify(await t.endpoint.NotifyDeletePending(nodelist), [pgAnswer.answered(), pgAnswer.shape(), pgAnswer.success(), clientAnswer.pendingAnswer(nodelist)]);
      }
    },
  },
  {
    id: 'dynslice-client.pending.cannot-wait',
    title: 'NotifyDeletePending with max_wait_time 0 (the server cannot wait)',
    requirement: 'A notice the server cannot wait on is answered like any other: SUCCESS, or the same list with max_wait_time 0',
    spec: ['dynslice/client#NotifyDeletePending'],
    detects: [{ fault: 'client-answer-drops-keys', check: 'client-release-answer' }, { fault: 'client-release-as-negative', check: 'client-release-answer' }],
    async run(t) {
      const nodelist = t.nodes(2, 0);
      t.verify(await t.endpoint.NotifyDeletePending(nodelist), [pgAnswer.answered(), pgAnswer.success(), clientAnswer.pendingAnswer(nodelist)]);
    },
  },
  {
    id: 'dynslice-client.pending.unknown-key',
    title: 'NotifyDeletePending whose items carry a key the interface does not name',
    requirement: 'Items must have "at least" the named keys: an extra key is tolerated, and the answer is SUCCESS',
    spec: ['dynslice/client#NotifyDeletePending'],
    detects: [{ fault: 'client-fails-on-unknown-key', check: 'pg-code' }],
    async run(t) {
      const nodelist = t.nodes(1, 60).map((n) => ({ ...n, geniharness_extension: 'ignore me' }));
      t.verify(await t.endpoint.NotifyDeletePending(nodelist), [pgAnswer.answered(), pgAnswer.success(), clientAnswer.pendingAnswer(nodelist)]);
    },
  },
  {
    id: 'dynslice-client.pending.empty-nodelist',
    title: 'NotifyDeletePending with an empty nodelist',
    requirement: 'An empty notice is answered SUCCESS, not with a dropped connection',
    spec: ['dynslice/client#NotifyDeletePending'],
    detects: [{ fault: 'client-crashes-on-empty-nodelist', check: 'client-answers' }],
    async run(t) {
      t.verify(await t.endpoint.NotifyDeletePending([]), [pgAnswer.answered(), pgAnswer.success()]);
    },
  },
  {
    id: 'dynslice-client.pending.countdowns',
    title: 'Generated countdowns: NotifyDeletePending sequences over one to four nodes, then NotifyDeleteComplete',
    requirement: 'Every NotifyDeletePending answer is SUCCESS or the list sent with max_wait_time 0 on released nodes, and NotifyDeleteComplete answers SUCCESS',
    spec: ['dynslice/client#NotifyDeletePending', 'dynslice/client#NotifyDeleteComplete'],
    tags: ['property'],
    detects: [{ fault: 'client-answers-changed-list', check: 'client-release-answer' }, { fault: 'client-answer-drops-keys', check: 'client-release-answer' }, { fault: 'client-release-as-negative', check: 'client-release-answer' }],
    async run(t) {
      const ctx = { spec: 'dynslice/client#NotifyDeletePending', strict: t.strict };
      // A countdown as a correct server sends it: a starting wait, then non-increasing waits, one call per tick; each
      // node joins the reclaim at some tick (a server adds nodes as it needs more back), so lists mix new and old.
      const countdownArb = fc.record({
        joinAt: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }),
        start: fc.integer({ min: 0, max: 600 }),
        steps: fc.array(fc.integer({ min: 0, max: 120 }), { minLength: 1, maxLength: 4 }),
        optionalKeys: fc.boolean(),
      });
      await t.property({
        arbitrary: countdownArb,
        describe: (c) => `${c.joinAt.length} node(s) joining at ticks ${c.joinAt.join(', ')}, waits ${[c.start, ...c.steps].reduce<number[]>((acc, s, i) => [...acc, i === 0 ? s : Math.max(0, acc.at(-1)! - s)], []).join(' → ')}${c.optionalKeys ? '' : ' (node_id and max_wait_time only)'}`,
        async check(c, scope) {
          const api = dynsliceEndpointApi(scope.client);
          const nodes = t.nodes(c.joinAt.length).map((n) => (c.optionalKeys ? n : { node_id: n.node_id! }));
          let wait = c.start;
          const findings = [];
          for (const [tick, step] of [0, ...c.steps].entries()) {
            wait = Math.max(0, wait - step);
            const nodelist: XmlRpcValue[] = nodes.filter((_, i) => c.joinAt[i]! <= tick).map((n) => ({ ...n, max_wait_time: wait }));
            if (nodelist.length === 0) continue;
            const res = await api.NotifyDeletePending(nodelist);
            findings.push(...[pgAnswer.answered(), pgAnswer.success(), clientAnswer.pendingAnswer(nodelist)].flatMap((check) => check(res, ctx)));
          }
          const done = await api.NotifyDeleteComplete(nodes.map((n) => ({ ...n, max_wait_time: 0 })));
          findings.push(...[pgAnswer.answered(), pgAnswer.success()].flatMap((check) => check(done, { ...ctx, spec: 'dynslice/client#NotifyDeleteComplete' })));
          return findings;
        },
      });
    },
  },
  {
    id: 'dynslice-client.complete.after-pending',
    title: 'NotifyDeleteComplete after NotifyDeletePending for the same node',
    requirement: 'The only valid response to NotifyDeleteComplete is SUCCESS',
    spec: ['dynslice/client#NotifyDeleteComplete'],
    detects: [{ fault: 'client-complete-bare-true', check: 'pg-envelope' }],
    async run(t) {
      const nodes = t.nodes(1, 10);
      t.verify(await t.endpoint.NotifyDeletePending(nodes), [pgAnswer.success()]);
      t.verify(await t.endpoint.NotifyDeleteComplete(nodes.map((n) => ({ ...n, max_wait_time: 0 }))), [pgAnswer.answered(), pgAnswer.shape(), pgAnswer.success()]);
    },
  },
  {
    id: 'dynslice-client.complete.unannounced',
    title: 'NotifyDeleteComplete for a node never announced pending (the server could not wait)',
    requirement: 'The only valid response to NotifyDeleteComplete is SUCCESS, whatever the client knew of the nodes',
    spec: ['dynslice/client#NotifyDeleteComplete'],
    detects: [{ fault: 'client-complete-error', check: 'pg-code' }],
    async run(t) {
      t.verify(await t.endpoint.NotifyDeleteComplete(t.nodes(1, 0)), [pgAnswer.answered(), pgAnswer.success()]);
    },
  },
  {
    id: 'dynslice-client.bad-input.missing-nodelist',
    title: 'NotifyDeletePending with a params struct that has no nodelist',
    requirement: 'Bad input gets an answer (an error preferred), never a dropped connection',
    spec: ['dynslice/client#NotifyDeletePending'],
    tags: ['errors'],
    detects: [{ fault: 'client-drops-connection-on-bad-input', check: 'client-answers' }],
    async run(t) {
      t.verify(await t.endpoint.callRaw('NotifyDeletePending', [{}]), [pgAnswer.answered(), pgAnswer.errorPreferred()]);
    },
  },
  {
    id: 'dynslice-client.bad-input.wrong-types',
    title: 'Generated malformed calls: a missing key, wrong types for nodelist, node_id, value or max_wait_time',
    requirement: 'Every malformed call gets an XML-RPC answer (an error preferred), never a dropped connection',
    spec: ['dynslice/client#NotifyDeletePending', 'dynslice/client#SetResourceValues'],
    tags: ['errors', 'property'],
    detects: [{ fault: 'client-drops-connection-on-bad-input', check: 'client-answers' }],
    async run(t) {
      const ctx = { spec: 'dynslice/client#Responses', strict: t.strict };
      // Values of the wrong type for a list, a string, a number (and numbers no countdown or value can have).
      const notList = fc.constantFrom<XmlRpcValue>('pc1', true, 7, {});
      const notString = fc.constantFrom<XmlRpcValue>(true, 7, [], {});
      const notNumber = fc.oneof(fc.constantFrom<XmlRpcValue>('soon', true, [], {}), fc.integer({ min: -5, max: -1 }));
      const params = fc.oneof(
        fc.constant<XmlRpcValue[]>([]),
        fc.constant<XmlRpcValue[]>([{}]),
        notList.map((nodelist): XmlRpcValue[] => [{ nodelist }]),
        notString.map((node_id): XmlRpcValue[] => [{ nodelist: [{ node_id, max_wait_time: 30, value: 0.5 }] }]),
        notNumber.map((n): XmlRpcValue[] => [{ nodelist: [{ node_id: 'geniharness-bad-input', max_wait_time: n, value: n }] }]),
        fc.constant<XmlRpcValue[]>([{ nodelist: [{ max_wait_time: 30, value: 0.5 }] }]),
        fc.constant<XmlRpcValue[]>([{ nodelist: ['not a struct'] }]),
      );
      await t.property({
        arbitrary: fc.tuple(fc.constantFrom('NotifyDeletePending', 'SetResourceValues', 'NotifyDeleteComplete'), params),
        describe: ([method, p]) => `${method}(${JSON.stringify(p)})`,
        async check([method, p], scope) {
          const res = await dynsliceEndpointApi(scope.client).callRaw(method, p);
          return [pgAnswer.answered(), pgAnswer.errorPreferred()].flatMap((check) => check(res, ctx));
        },
      });
    },
  },
  {
    id: 'dynslice-client.protocol.unknown-method',
    title: 'A method the client-side API does not define',
    requirement: 'An unknown method is refused (an XML-RPC Fault or an error code), not answered SUCCESS and not with a dropped connection',
    detects: [{ fault: 'client-unknown-method-success', check: 'pg-code' }],
    tags: ['errors'],
    async run(t) {
      t.verify(await t.endpoint.callRaw('GeniHarnessNoSuchMethod', [{}]), [pgAnswer.answered(), pgAnswer.refusal()]);
    },
  },
  {
    id: 'dynslice-client.protocol.malformed-xml',
    title: 'A request body that is not well-formed XML',
    requirement: 'An XML-RPC server answers a body it cannot parse with a Fault, not a dropped connection',
    tags: ['errors'],
    async run(t) {
      t.verify(await t.endpoint.sendBytes('(malformed XML)', '<?xml version="1.0"?><methodCall><methodName>NotifyDeletePending</methodName><params><param>'), [pgAnswer.answered(), pgAnswer.refusal()]);
    },
  },
  {
    id: 'dynslice-client.protocol.concurrent',
    title: 'Two NotifyDeletePending calls at the same time',
    requirement: 'A server may call again before an earlier call is answered; both get an answer',
    spec: ['dynslice/client#NotifyDeletePending'],
    async run(t) {
      const [a, b] = [t.nodes(1, 30), t.nodes(1, 30)];
      const answers = await Promise.all([t.endpoint.NotifyDeletePending(a), t.endpoint.NotifyDeletePending(b)]);
      t.verify(answers[0]!, [pgAnswer.answered(), pgAnswer.success(), clientAnswer.pendingAnswer(a)]);
      t.verify(answers[1]!, [pgAnswer.answered(), pgAnswer.success(), clientAnswer.pendingAnswer(b)]);
    },
  },
]);

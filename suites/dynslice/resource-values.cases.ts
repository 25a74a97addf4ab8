import fc from 'fast-check';
import { dynslice as checks, pgAnswer, resourceValues } from '../../src/checks';
import { pgSucceeded, NODE_IDENTIFIER_KEYS, type NodeIdentifierKey } from '../../src/dynslice';
import { defineCases } from '../../src/runner/define';
import { dynslice } from '../../src/runner/dynslice-suites';
import { XmlRpcTyped, type XmlRpcValue } from '../../src/xmlrpc';

/** Names no slice holds, for the "not a member of your slice" cases. */
const STRANGER = { node_id: 'geniharness-no-such-node', vname: 'geniharness-nobody', component_urn: 'urn:publicid:IDN+geni-harness.invalid+node+nothing', client_id: 'geniharness-nobody' };

/** A value for SetSliceResourceValues and what kind of value it is. */
type Candidate = { kind: 'inside' | 'outside' | 'not-a-number' | 'string'; value: XmlRpcValue; shown: string };

const candidate = (kind: Candidate['kind']) => (value: XmlRpcValue, shown = String(value)): Candidate => ({ kind, value, shown });
/** Inside [0, 1] (bounds included), outside it, NaN and infinities as a Python client would send them, strings. */
const VALUE_DOMAIN: fc.Arbitrary<Candidate> = fc.oneof(
  fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true })).map((v) => candidate('inside')(v)),
  fc.oneof(fc.double({ min: 1, max: 1e9, minExcluded: true, noNaN: true }), fc.double({ min: -1e9, max: 0, maxExcluded: true, noNaN: true })).map((v) => candidate('outside')(v)),
  fc.constantFrom('nan', 'inf', '-inf').map((text) => candidate('not-a-number')(new XmlRpcTyped('double', text), text)),
  fc.oneof(fc.constantFrom('0.5', '1', ''), fc.string({ maxLength: 8 })).map((v) => candidate('string')(v, JSON.stringify(v))),
);

export default defineCases(dynslice, { tags: ['dynslice'], spec: ['dynslice/server#SetSliceResourceValues'] }, [
  {
    id: 'dynslice.values.members',
    title: 'SetSliceResourceValues for every node of the slice, by each kind of identifier, at 0.0 and 1.0',
    requirement: 'The method returns success for values in the supported range 0.0 to 1.0 on nodes of your slice, however they are identified',
    tags: ['smoke'],
    async run(t) {
      const slice = await t.newSlice();
      await t.addNodes(slice, ['dyn-a', 'dyn-b']);
      t.verify(await t.register(slice, { policy: 'CLIENT' }), [pgAnswer.success()]);
      const a = (await t.nodesOf(slice, ['dyn-a'])).get('dyn-a')!;
      const set = (values: XmlRpcValue[]) => t.server.SetSliceResourceValues({ slice_urn: slice.urn, credentials: t.creds.slice(slice), values });
      t.verify(await set([{ client_id: 'dyn-a', value: 0 }, { client_id: 'dyn-b', value: 1 }]), [pgAnswer.shape(), pgAnswer.success()]);
      t.verify(await set([{ node_id: a.node_id, value: 0.5 }]), [pgAnswer.success()]);
      t.verify(await set([{ vname: 'dyn-a', value: 0.5 }]), [pgAnswer.success()]);
      if (a.component_urn) t.verify(await set([{ component_urn: a.component_urn, value: 0.5 }]), [pgAnswer.success()]);
    },
  },
  {
    id: 'dynslice.values.non-member',
    title: 'SetSliceResourceValues for a client_id no node of the slice has',
    requirement: 'The method fails when you set a value for a node identifier that is not a member of your slice',
    tags: ['errors'],
    detects: [{ fault: 'dynslice-accepts-non-member', check: 'pg-code' }],
    async run(t) {
      const slice = await t.newSlice();
      await t.addNodes(slice, ['dyn-a']);
      t.verify(await t.server.SetSliceResourceValues({ slice_urn: slice.urn, credentials: t.creds.slice(slice), values: [{ client_id: STRANGER.client_id, value: 0.5 }] }), [pgAnswer.refusal()]);
    },
  },
  {
    id: 'dynslice.values.other-slice-node',
    title: 'SetSliceResourceValues naming, by node_id, a node of another of your slices',
    requirement: 'A node that belongs to another slice is not a member of this one, so the method fails',
    tags: ['errors'],
    detects: [{ fault: 'dynslice-accepts-non-member', check: 'pg-code' }],
    async run(t) {
      const [mine, other] = [await t.newSlice(), await t.newSlice()];
      await t.addNodes(mine, ['dyn-a']);
      await t.addNodes(other, ['dyn-x']);
      t.verify(await t.register(other), [pgAnswer.success()]);
      const x = (await t.nodesOf(other, ['dyn-x'])).get('dyn-x')!;
      t.verify(await t.server.SetSliceResourceValues({ slice_urn: mine.urn, credentials: t.creds.slice(mine), values: [{ node_id: x.node_id, value: 0.5 }] }), [pgAnswer.refusal()]);
    },
  },
  {
    id: 'dynslice.values.node-id-before-client-id',
    title: 'SetSliceResourceValues entries whose node_id and client_id disagree about membership',
    requirement: 'Identifiers are checked in the order node_id, vname, component_urn, client_id: node_id decides when it is present',
    tags: ['errors'],
    detects: [{ fault: 'dynslice-client-id-before-node-id', check: 'dynslice-identifier-precedence' }],
    async run(t) {
      const slice = await t.newSlice();
      await t.addNodes(slice, ['dyn-a']);
      t.verify(await t.register(slice), [pgAnswer.success()]);
      const a = (await t.nodesOf(slice, ['dyn-a'])).get('dyn-a')!;
      const set = (entry: Record<string, XmlRpcValue>) => t.server.SetSliceResourceValues({ slice_urn: slice.urn, credentials: t.creds.slice(slice), values: [{ ...entry, value: 0.5 }] });
      t.verify(await set({ node_id: a.node_id, client_id: STRANGER.client_id }), [checks.identifierPrecedence({ node_id: 'member', client_id: 'stranger' })]);
      t.verify(await set({ node_id: STRANGER.node_id, client_id: 'dyn-a' }), [checks.identifierPrecedence({ node_id: 'stranger', client_id: 'member' })]);
    },
  },
  {
    id: 'dynslice.values.identifier-precedence',
    title: 'SetSliceResourceValues with generated combinations of identifiers naming a member or a stranger',
    requirement: 'Success exactly when the first identifier present, in the order node_id, vname, component_urn, client_id, names a node of the slice',
    tags: ['property', 'errors'],
    detects: [{ fault: 'dynslice-client-id-before-node-id', check: 'dynslice-identifier-precedence' }],
    async run(t) {
      const slice = await t.newSlice();
      await t.addNodes(slice, ['dyn-a']);
      t.verify(await t.register(slice), [pgAnswer.success()]);
      const a = (await t.nodesOf(slice, ['dyn-a'])).get('dyn-a')!;
      const member: Record<NodeIdentifierKey, string | undefined> = { node_id: a.node_id, vname: 'dyn-a', component_urn: a.component_urn, client_id: 'dyn-a' };
      const usable = NODE_IDENTIFIER_KEYS.filter((k) => member[k] !== undefined);
      const role = fc.constantFrom<'member' | 'stranger' | undefined>('member', 'stranger', undefined);
      await t.property({
        arbitrary: fc.record(Object.fromEntries(usable.map((k) => [k, role])) as Record<NodeIdentifierKey, fc.Arbitrary<'member' | 'stranger' | undefined>>)
          .filter((roles) => usable.some((k) => roles[k] !== undefined)),
        describe: (roles) => usable.filter((k) => roles[k]).map((k) => `${k}=${roles[k]}`).join(', '),
        async check(roles, scope) {
          const entry: Record<string, XmlRpcValue> = { value: 0.5 };
          for (const k of usable) if (roles[k]) entry[k] = roles[k] === 'member' ? member[k]! : STRANGER[k];
          const res = await t.serverVia(scope.client).SetSliceResourceValues({ slice_urn: slice.urn, credentials: t.creds.slice(slice), values: [entry] });
          return checks.identifierPrecedence(roles)(res, { spec: 'dynslice/server#SetSliceResourceValues', strict: t.strict });
        },
      });
    },
  },
  {
    id: 'dynslice.values.value-domain',
    title: 'SetSliceResourceValues with generated values inside and outside 0.0 to 1.0, NaN, infinities and strings',
    requirement: 'Values in the supported range 0.0 to 1.0 succeed; any other value is refused, or at least never reaches the client as a resource value outside that range',
    tags: ['property'],
    detects: [{ fault: 'dynslice-values-out-of-range', check: 'dynslice-resource-values' }],
    async run(t) {
      const slice = await t.newSlice();
      await t.addNodes(slice, ['dyn-a']);
      t.verify(await t.register(slice, { policy: 'CLIENT' }), [pgAnswer.success()]);
      await t.nodesOf(slice, ['dyn-a']);
      const accepted: string[] = [];
      await t.property({
        arbitrary: VALUE_DOMAIN,
        describe: (c) => `${c.kind} value ${c.shown}`,
        async check(c, scope) {
          const since = Date.now();
          const res = await t.serverVia(scope.client).SetSliceResourceValues({ slice_urn: slice.urn, credentials: t.creds.slice(slice), values: [{ client_id: 'dyn-a', value: c.value }] });
          const ctx = { spec: 'dynslice/server#SetSliceResourceValues', strict: t.strict };
          if (c.kind === 'inside') return pgAnswer.success()(res, ctx);
          if (!pgSucceeded(res)) return [];
          // The page is silent on refusing other values; what it does say is that a client sees values in [0, 1].
          accepted.push(c.shown);
          await t.endpoint.waitFor((calls) => calls.some((x) => x.method === 'SetResourceValues' && x.arrivedAt >= since), 1_000);
          return resourceValues.inRange()(t.endpoint.calls.filter((x) => x.arrivedAt >= since), ctx);
        },
      });
      if (accepted.length > 0) t.note(`accepted values outside 0.0 to 1.0 without a refusal: ${[...new Set(accepted)].slice(0, 5).join(', ')}`);
    },
  },
  {
    id: 'dynslice.values.unset-is-one',
    title: 'Under CLIENT, the values the server reports after a value is set for one of two nodes',
    requirement: 'Under CLIENT the server uses the client-set values, and 1.0 for each node without one',
    spec: ['dynslice/server#Policies', 'dynslice/client#SetResourceValues'],
    detects: [{ fault: 'dynslice-unset-value-zero', check: 'dynslice-resource-values' }],
    async run(t) {
      const slice = await t.newSlice();
      await t.addNodes(slice, ['dyn-a', 'dyn-b']);
      t.verify(await t.register(slice, { policy: 'CLIENT' }), [pgAnswer.success()]);
      const since = Date.now();
      t.verify(await t.server.SetSliceResourceValues({ slice_urn: slice.urn, credentials: t.creds.slice(slice), values: [{ client_id: 'dyn-a', value: 0.25 }] }), [pgAnswer.success()]);
      const reported = await t.awaitCallbacks((calls) => calls.some((c) => c.method === 'SetResourceValues' && c.arrivedAt >= since));
      if (!reported) t.unsupported('the server sent no SetResourceValues after the values changed, so the values it holds cannot be observed');
      t.verify(t.endpoint.calls.filter((c) => c.arrivedAt >= since), [resourceValues.clientValues({ 'dyn-a': 0.25, 'dyn-b': 1 }), resourceValues.inRange()]);
    },
  },
  {
    id: 'dynslice.values.lifo-order',
    title: 'Under LIFO, the values the server reports for a node allocated before another',
    requirement: 'LIFO values follow how long the slice has held each node: the longest-held highest, the newest lowest',
    spec: ['dynslice/server#Policies', 'dynslice/client#SetResourceValues'],
    detects: [{ fault: 'dynslice-lifo-inverted', check: 'lifo-order' }],
    async run(t) {
      const slice = await t.newSlice();
      await t.addNodes(slice, ['dyn-old', 'dyn-new']);
      t.verify(await t.register(slice, { policy: 'LIFO' }), [pgAnswer.success()]);
      const named = (calls: readonly { method?: string; nodelist?: XmlRpcValue[] }[]) =>
        calls.some((c) => c.method === 'SetResourceValues' && ['dyn-old', 'dyn-new'].every((id) => JSON.stringify(c.nodelist ?? []).includes(`"${id}"`)));
      if (!(await t.awaitCallbacks(named))) t.unsupported('the server sent no SetResourceValues naming both nodes, so its LIFO values cannot be observed');
      t.verify(t.endpoint.calls, [resourceValues.lifoOrdered(['dyn-old', 'dyn-new']), resourceValues.inRange()]);
    },
  },
]);

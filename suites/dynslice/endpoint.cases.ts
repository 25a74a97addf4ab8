import { pgAnswer } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { dynslice } from '../../src/runner/dynslice-suites';

/** SetSliceClientEndpoint, SetSliceClientOptions and RemoveSliceClientEndpoint (seed 002). */
export default defineCases(dynslice, { tags: ['dynslice'] }, [
  {
    id: 'dynslice.endpoint.register',
    title: 'SetSliceClientEndpoint with the slice credential and the default policy and wait',
    requirement: 'Registering a client endpoint for one of your slices succeeds',
    spec: ['dynslice/server#SetSliceClientEndpoint'],
    detects: [{ fault: 'dynslice-register-requires-policy', check: 'pg-code' }],
    tags: ['smoke'],
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.register(slice), [pgAnswer.shape(), pgAnswer.success()]);
    },
  },
  {
    id: 'dynslice.endpoint.defwaittime-at-max',
    title: 'SetSliceClientEndpoint with defwaittime equal to maxwaittime',
    requirement: 'A defwaittime of exactly maxwaittime is within what the server is willing to wait, and is accepted',
    spec: ['dynslice/server#SetSliceClientEndpoint', 'dynslice/server#GetServerDefaults'],
    detects: [{ fault: 'dynslice-defwaittime-at-max-refused', check: 'pg-code' }],
    async run(t) {
      const maxwaittime = (await t.defaults()).maxwaittime ?? t.skip('GetServerDefaults gives no maxwaittime');
      t.verify(await t.register(await t.newSlice(), { defwaittime: maxwaittime }), [pgAnswer.success()]);
    },
  },
  {
    id: 'dynslice.endpoint.defwaittime-over-max',
    title: 'SetSliceClientEndpoint with defwaittime one second over maxwaittime',
    requirement: 'The method fails when the client asks for a defwaittime longer than the server maxwaittime',
    spec: ['dynslice/server#SetSliceClientEndpoint', 'dynslice/server#GetServerDefaults'],
    tags: ['errors'],
    detects: [{ fault: 'dynslice-defwaittime-over-max', check: 'pg-code' }],
    async run(t) {
      const maxwaittime = (await t.defaults()).maxwaittime ?? t.skip('GetServerDefaults gives no maxwaittime');
      t.verify(await t.register(await t.newSlice(), { defwaittime: maxwaittime + 1 }), [pgAnswer.shape(), pgAnswer.refusal('BADARGS')]);
    },
  },
  {
    id: 'dynslice.endpoint.each-policy',
    title: 'SetSliceClientEndpoint with each policy ListSliceResourceValuePolicies lists',
    requirement: 'A client can select any listed policy when it registers ("should only fail" for a defwaittime over the maximum)',
    spec: ['dynslice/server#SetSliceClientEndpoint', 'dynslice/server#ListSliceResourceValuePolicies'],
    async run(t) {
      const slice = await t.newSlice();
      for (const policy of await t.policyNames()) t.verify(await t.register(slice, { policy }), [pgAnswer.success()]);
    },
  },
  {
    id: 'dynslice.endpoint.unknown-policy',
    title: 'SetSliceClientEndpoint with a policy the server does not list',
    requirement: 'A policy the server does not offer cannot be honoured, so registering with it is refused rather than silently replaced',
    spec: ['dynslice/server#SetSliceClientEndpoint', 'dynslice/server#Policies'],
    tags: ['errors'],
    detects: [{ fault: 'dynslice-unknown-policy-accepted', check: 'pg-code' }],
    async run(t) {
      t.verify(await t.register(await t.newSlice(), { policy: 'GENIHARNESS-NO-SUCH-POLICY' }), [pgAnswer.refusal('BADARGS')]);
    },
  },
  {
    id: 'dynslice.options.without-registration',
    title: 'SetSliceClientOptions for a slice with no client endpoint',
    requirement: 'Options are set "for an existing slice_urn" registration; without one the call fails',
    level: 'SHOULD',
    spec: ['dynslice/server#SetSliceClientOptions'],
    detects: [{ fault: 'dynslice-options-without-registration', check: 'pg-code' }],
    tags: ['errors'],
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.server.SetSliceClientOptions({ slice_urn: slice.urn, credentials: t.creds.slice(slice), policy: (await t.defaults()).policy }), [pgAnswer.refusal('SEARCHFAILED')]);
    },
  },
  {
    id: 'dynslice.options.each-policy',
    title: 'SetSliceClientOptions switching to each listed policy',
    requirement: 'A registered client can change the resource value policy it selected to any listed one',
    spec: ['dynslice/server#SetSliceClientOptions'],
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.register(slice), [pgAnswer.success()]);
      for (const policy of await t.policyNames()) {
        t.verify(await t.server.SetSliceClientOptions({ slice_urn: slice.urn, credentials: t.creds.slice(slice), policy }), [pgAnswer.success()]);
      }
    },
  },
  {
    id: 'dynslice.options.defwaittime-bounds',
    title: 'SetSliceClientOptions with defwaittime at maxwaittime, then one second over',
    requirement: 'The bound of SetSliceClientEndpoint holds for SetSliceClientOptions too: maxwaittime is accepted, maxwaittime + 1 refused',
    spec: ['dynslice/server#SetSliceClientOptions', 'dynslice/server#GetServerDefaults'],
    tags: ['errors'],
    detects: [{ fault: 'dynslice-options-skip-bound', check: 'pg-code' }, { fault: 'dynslice-defwaittime-at-max-refused', check: 'pg-code' }],
    async run(t) {
      const maxwaittime = (await t.defaults()).maxwaittime ?? t.skip('GetServerDefaults gives no maxwaittime');
      const slice = await t.newSlice();
      t.verify(await t.register(slice, { defwaittime: 0 }), [pgAnswer.success()]);
      const options = (defwaittime: number) => t.server.SetSliceClientOptions({ slice_urn: slice.urn, credentials: t.creds.slice(slice), defwaittime });
      t.verify(await options(maxwaittime), [pgAnswer.success()]);
      t.verify(await options(maxwaittime + 1), [pgAnswer.refusal('BADARGS')]);
    },
  },
  {
    id: 'dynslice.options.unknown-policy',
    title: 'SetSliceClientOptions with a policy the server does not list',
    requirement: 'Changing to a policy the server does not offer is refused',
    spec: ['dynslice/server#SetSliceClientOptions', 'dynslice/server#Policies'],
    tags: ['errors'],
    detects: [{ fault: 'dynslice-unknown-policy-accepted', check: 'pg-code' }],
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.register(slice), [pgAnswer.success()]);
      t.verify(await t.server.SetSliceClientOptions({ slice_urn: slice.urn, credentials: t.creds.slice(slice), policy: 'GENIHARNESS-NO-SUCH-POLICY' }), [pgAnswer.refusal('BADARGS')]);
    },
  },
  {
    id: 'dynslice.options.neither',
    title: 'SetSliceClientOptions with neither policy nor defwaittime',
    requirement: 'Both policy and defwaittime are optional, so a call with neither succeeds',
    spec: ['dynslice/server#SetSliceClientOptions'],
    detects: [{ fault: 'dynslice-options-neither-refused', check: 'pg-code' }],
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.register(slice), [pgAnswer.success()]);
      t.verify(await t.server.SetSliceClientOptions({ slice_urn: slice.urn, credentials: t.creds.slice(slice) }), [pgAnswer.shape(), pgAnswer.success()]);
    },
  },
  {
    id: 'dynslice.remove.registered',
    title: 'RemoveSliceClientEndpoint after SetSliceClientEndpoint',
    requirement: 'A registered client endpoint can be disassociated from its slice',
    spec: ['dynslice/server#RemoveSliceClientEndpoint'],
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.register(slice), [pgAnswer.success()]);
      t.verify(await t.server.RemoveSliceClientEndpoint({ slice_urn: slice.urn, credentials: t.creds.slice(slice) }), [pgAnswer.shape(), pgAnswer.success()]);
    },
  },
  {
    id: 'dynslice.remove.twice',
    title: 'RemoveSliceClientEndpoint twice',
    requirement: 'Removing an endpoint that is already gone is idempotent, or a defined error in the {code, value, output} answer',
    level: 'SHOULD',
    spec: ['dynslice/server#RemoveSliceClientEndpoint'],
    detects: [{ fault: 'dynslice-remove-twice-crashes', check: 'pg-envelope' }],
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.register(slice), [pgAnswer.success()]);
      const remove = () => t.server.RemoveSliceClientEndpoint({ slice_urn: slice.urn, credentials: t.creds.slice(slice) });
      t.verify(await remove(), [pgAnswer.success()]);
      t.verify(await remove(), [pgAnswer.shape()]);
    },
  },
]);

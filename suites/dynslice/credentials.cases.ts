import { pgAnswer } from '../../src/checks';
import type { Detection } from '../../src/core';
import type { PgResponse } from '../../src/dynslice';
import { defineCases } from '../../src/runner/define';
import { dynslice, type DynsliceCaseContext } from '../../src/runner/dynslice-suites';
import type { Credentials, SliceFixture } from '../../src/runner/fixtures-types';
import { CREDENTIAL_DEFECTS, type CredentialDefect } from '../shared/credential-defects';

/**
 * The slice-scoped dynslice methods check credentials as the aggregate does (GeniApiCredentials): the defects of the
 * shared table (suites/shared/credential-defects.ts) are refused here too. FORBIDDEN is ProtoGENI's code for any of
 * them; another refusal is tolerated unless --strict. The server shares the aggregate's credential checks (the
 * reference does), so the aggregate's credential faults a defect exposes show here too, as a `pg-code` finding.
 */

/** A slice-scoped dynslice call and the defects tried on it. */
interface Call {
  /** Kebab-case; the first half of the case id's last part. */
  slug: string;
  /** The call as a case title starts: "SetSliceClientEndpoint". */
  title: string;
  requirement: string;
  spec: string[];
  defects: string[];
  /** Prepares the slice (registers its endpoint, adds nodes) before the bad credential is sent. */
  prepare?(t: DynsliceCaseContext, slice: SliceFixture): Promise<void>;
  send(t: DynsliceCaseContext, slice: SliceFixture, credentials: Credentials): Promise<PgResponse>;
}

/** A credential for another slice also passes a server that never compares the target with the slice. */
const SKIPS_SLICE_CHECK: Detection = { fault: 'dynslice-skips-slice-check', check: 'pg-code' };

const CALLS: Call[] = [
  {
    slug: 'register', title: 'SetSliceClientEndpoint',
    requirement: 'Only a valid credential for the slice authorises registering a client endpoint for it',
    spec: ['dynslice/server#SetSliceClientEndpoint'],
    defects: ['other-slice', 'user-credential', 'expired', 'untrusted-signer', 'empty-list'],
    send: (t, slice, credentials) => t.server.SetSliceClientEndpoint({ slice_urn: slice.urn, url: t.endpoint.url, credentials }),
  },
  {
    slug: 'remove', title: 'RemoveSliceClientEndpoint',
    requirement: 'Only a valid credential for the slice authorises removing its client endpoint',
    spec: ['dynslice/server#RemoveSliceClientEndpoint'],
    defects: ['other-slice'],
    async prepare(t, slice) {
      t.verify(await t.register(slice), [pgAnswer.success()]);
    },
    send: (t, slice, credentials) => t.server.RemoveSliceClientEndpoint({ slice_urn: slice.urn, credentials }),
  },
  {
    slug: 'values', title: 'SetSliceResourceValues',
    requirement: 'Only a valid credential for the slice authorises setting the values of its nodes',
    spec: ['dynslice/server#SetSliceResourceValues'],
    defects: ['other-slice'],
    async prepare(t, slice) {
      await t.addNodes(slice, ['dyn-a']);
    },
    send: (t, slice, credentials) => t.server.SetSliceResourceValues({ slice_urn: slice.urn, credentials, values: [{ client_id: 'dyn-a', value: 0.5 }] }),
  },
];

/**
 * The aggregate's faults a defect exposes at the AM that it does not expose here: the user credential grants no
 * 'operate' privilege, so the dynslice server refuses it on privileges even when its target is never compared.
 */
const NOT_EXPOSED_HERE: Partial<Record<string, string[]>> = { 'user-credential': ['accepts-wrong-slice-credential'] };

/** The faults a defect exposes at the dynslice server: the aggregate's (seen as a ProtoGENI code), and its own. */
function detectionsOf(defect: CredentialDefect): Detection[] {
  const shared = (defect.detects ?? []).filter(({ fault }) => !NOT_EXPOSED_HERE[defect.slug]?.includes(fault))
    .map(({ fault }) => ({ fault, check: 'pg-code' as const }));
  return defect.slug === 'other-slice' ? [SKIPS_SLICE_CHECK, ...shared] : shared;
}

function refusalCase(call: Call, defect: CredentialDefect) {
  const detects = detectionsOf(defect);
  return {
    id: `dynslice.credentials.${call.slug}-${defect.slug}`,
    title: `${call.title} with ${defect.what}`,
    requirement: call.requirement,
    spec: [...call.spec, ...(defect.spec ?? [])],
    tags: defect.tags ?? [],
    ...(detects.length > 0 && { detects }),
    async run(t: DynsliceCaseContext) {
      const slice = await t.newSlice();
      await call.prepare?.(t, slice);
      t.verify(await call.send(t, slice, await defect.credentials(t.creds, slice)), [pgAnswer.refusal('FORBIDDEN')]);
    },
  };
}

export default defineCases(dynslice, { tags: ['dynslice', 'credentials', 'errors'], spec: ['credentials#Validation'] },
  CALLS.flatMap((call) => call.defects.map((slug) => refusalCase(call, CREDENTIAL_DEFECTS[slug]!))));

/**
 * Bad credentials are refused, in every AM API version: one table of credential defects × the calls that take a
 * credential, run over the version-neutral life cycle (t.lifecycle). How a refusal looks is per-version data: v1
 * fails with an XML-RPC Fault or false (gcf am1 raises Fault('Insufficient privileges')); v2 and v3 answer the return
 * struct with a non-zero code, and the spec names the code for each defect, which --strict then demands: 20 for a
 * malformed or altered credential, 21 expired, 22 not matching the caller or the slice, 23 untrusted signer,
 * FORBIDDEN (3) when no usable credential is left.
 *
 * Rows that only v3 can express (Describe of a slice, credential lists mixing good and bad) are cases of am3 alone.
 */
import { HarnessError, type Check, type Detection } from '../../src/core';
import { geniCode } from '../../src/checks';
import { v1 } from '../../src/checks/v1';
import type { GeniCodeName } from '../../src/geni/error-codes';
import type { AmResponse, ApiVersion } from '../../src/geni/methods';
import { am1, am2, am3, type AmCaseContext } from '../../src/runner/am-suites';
import { defineCases } from '../../src/runner/define';
import type { CredentialKit, Credentials, SliceFixture } from '../../src/runner/fixtures-types';
import type { CaseDefinition, Tag } from '../../src/runner/types';
import { rfc3339, rspecVersion, secondsFromNow } from '../v3/sliver-steps';
import { CREDENTIAL_DEFECTS, type CredentialDefect } from './credential-defects';

/** A refusal of a bad credential, per version; v2 and v3 prefer the code the spec names for the defect. */
const REFUSED: Record<ApiVersion, (preferred: GeniCodeName) => Check<AmResponse>> = {
  1: () => v1.refused(),
  2: (preferred) => geniCode.refusal(preferred),
  3: (preferred) => geniCode.refusal(preferred),
};

/** Any refusal, per version (how the caller was refused is not the point). */
const REFUSED_ANYHOW: Record<ApiVersion, Check<AmResponse>> = { 1: v1.refused(), 2: geniCode.refusal(), 3: geniCode.refusal() };

/** v1 errors sent as v2 structs: the v1 refusal check sees a struct where a Fault or false belongs. */
const V1_ERROR_AS_STRUCT: Detection = { fault: 'v1-error-as-struct', check: 'v1-error' };

/** ListResources served without any credential it knows (gcf: "no credentials, but also no target, so OK"). */
const NO_CREDENTIALS_SERVED: Detection = { fault: 'listresources-accepts-no-credentials', check: 'geni-code' };

/** A call that takes a credential, as the life cycle makes it, and the defects tried on it. */
interface Call {
  slug: string;
  /** The call as a case title starts: "ListResources", "Status (v1/v2 SliverStatus) of a slice with slivers,". */
  title: string;
  spec: string[];
  tags: Tag[];
  defects: string[];
  /** Extra faults a defect exposes on this call in one version (v1 errors sent as v2 structs). */
  detects?: Partial<Record<string, Detection[]>>;
  /**
   * What the call needs before the bad credential is sent: nothing, or a slice (with slivers when `reserved`; the
   * run's shared slice with slivers when `shared`, for a call that only reads it).
   */
  slice?: 'fresh' | 'reserved' | 'shared';
  send(t: AmCaseContext, credentials: Credentials, slice: SliceFixture | undefined): Promise<AmResponse>;
}

const CALLS: Call[] = [
  {
    slug: 'listresources', title: 'ListResources', spec: ['am1#ListResources', 'am2#ListResources', 'am3#ListResources'], tags: ['listresources'],
    defects: ['malformed', 'altered', 'untrusted-signer', 'malformed-signer-urn', 'expired', 'unknown-type', 'empty-list', 'other-owner'],
    detects: { malformed: [V1_ERROR_AS_STRUCT], altered: [V1_ERROR_AS_STRUCT], 'empty-list': [NO_CREDENTIALS_SERVED], 'unknown-type': [NO_CREDENTIALS_SERVED] },
    send: (t, credentials) => t.lifecycle.listResources(credentials),
  },
  {
    slug: 'status', title: 'Status (v1/v2 SliverStatus) of a slice with slivers,', spec: ['am1#SliverStatus', 'am2#SliverStatus', 'am3#Status'], tags: ['status', 'destructive'],
    defects: ['untrusted-signer', 'expired', 'other-owner', 'other-slice', 'user-credential', 'insufficient-privileges'],
    slice: 'shared',
    send: (t, credentials, slice) => t.lifecycle.status({ urn: slice!.urn, credentials }),
  },
  {
    slug: 'reserve', title: 'Reserving resources (v1/v2 CreateSliver, v3 Allocate) in a new slice,', spec: ['am1#CreateSliver', 'am2#CreateSliver', 'am3#Allocate'], tags: ['allocate', 'destructive'],
    defects: ['other-slice'],
    slice: 'fresh',
    send: async (t, credentials, slice) => (await t.lifecycle.reserve({ urn: slice!.urn, credentials }, await t.requestRSpec()))[0]!,
  },
  {
    slug: 'renew', title: 'Renewing (v1/v2 RenewSliver, v3 Renew) a slice with slivers,', spec: ['am1#RenewSliver', 'am2#RenewSliver', 'am3#Renew'], tags: ['renew', 'destructive'],
    defects: ['untrusted-signer'],
    slice: 'reserved',
    send: (t, credentials, slice) => t.lifecycle.renew({ urn: slice!.urn, credentials }, rfc3339(secondsFromNow(86_400))),
  },
  {
    slug: 'release', title: 'Releasing (v1/v2 DeleteSliver, v3 Delete) a slice with slivers,', spec: ['am1#DeleteSliver', 'am2#DeleteSliver', 'am3#Delete'], tags: ['delete', 'destructive'],
    defects: ['other-slice'],
    detects: { 'other-slice': [V1_ERROR_AS_STRUCT] },
    slice: 'reserved',
    send: (t, credentials, slice) => t.lifecycle.release({ urn: slice!.urn, credentials }),
  },
];

/** The slice a call needs; making it is a precondition (the case is skipped, with the reason, when that fails). */
async function sliceFor(t: AmCaseContext, kind: Call['slice']): Promise<SliceFixture | undefined> {
  if (kind === undefined) return undefined;
  if (kind === 'shared') return t.sharedSlice('reserved-slice');
  const slice = await t.newSlice();
  if (kind === 'reserved') {
    const answers = await t.lifecycle.reserve(slice, await t.requestRSpec());
    for (const res of answers) {
      if (t.lifecycle.successValue(res) === undefined) t.skip(`precondition: reserving resources answered ${res.fault ? `Fault ${res.fault.faultCode}` : `geni_code ${String(res.envelope?.geniCode)}`} (exchange ${res.exchangeId})`);
    }
  }
  return slice;
}

/** The case of one defect on one call, in every version. */
function refusalCase(call: Call, defect: CredentialDefect): Omit<CaseDefinition<AmCaseContext>, 'suites' | 'level'> {
  return {
    id: `credentials.${call.slug}-${defect.slug}`,
    title: `${call.title} with ${defect.what}`,
    requirement: defect.requirement,
    requirements: defect.requirements,
    spec: [...call.spec, ...(defect.spec ?? [])],
    tags: [...call.tags, ...(defect.tags ?? [])],
    detects: [...(defect.detects ?? []), ...(call.detects?.[defect.slug] ?? [])],
    ...(call.slice === 'shared' && { needs: ['reserved-slice'] as const }),
    async run(t) {
      const slice = await sliceFor(t, call.slice);
      // A call without a slice (ListResources) takes the user's credential: its defects build on that one, unless
      // the defect is about a slice (then a fresh slice's credential, owned by someone else or the like).
      const about = slice ?? (defect.needsSlice ? await t.newSlice() : undefined);
      t.verify(await call.send(t, await defect.credentials(t.creds, about), slice), [REFUSED[t.api](defect.preferred)]);
    },
  };
}

const EVERY_VERSION = defineCases([am1, am2, am3], { tags: ['credentials', 'auth'], spec: ['credentials#Validation'] }, [
  ...CALLS.flatMap((call) => call.defects.map((slug) => refusalCase(call, CREDENTIAL_DEFECTS[slug]!))),
  {
    id: 'credentials.listresources-without-client-certificate',
    requirements: ['v3c.protocol.require-client-certificates', 'v3c.protocol.xmlrpc-over-ssl'],
    title: 'ListResources over TLS without a client certificate, with the valid user credential',
    requirement: 'Aggregates require a client GENI certificate: a caller without one is refused (at the TLS handshake, by HTTP, a Fault or an error code), whatever credential it carries',
    spec: ['am1#ListResources', 'am2#ListResources', 'am3#ListResources', 'am3/common#APIProtocols'],
    tags: ['listresources'],
    detects: [{ fault: 'client-certificate-optional', check: 'geni-code' }],
    async run(t) {
      let res: AmResponse;
      try {
        res = await t.withoutClientCertificate().listResources(t.creds.user());
      } catch (err) {
        // The connection (handshake, HTTP status) refused the caller: what the requirement asks. The exchange is in
        // the transcript.
        if (!(err instanceof HarnessError && err.phase === 'transport')) throw err;
        t.note(`refused without a client certificate: ${err.message}`);
        return;
      }
      // A Fault refuses too: the call never reached the API.
      if (!res.fault) t.verify(res, [REFUSED_ANYHOW[t.api]]);
    },
  },
]);

/**
 * Describe of a slice that holds slivers here: valid with the slice's own credential, so only the credential
 * decides. A slice without slivers would let an aggregate that answers "unknown slice" before it looks at the
 * credential pass every refusal without ever checking one.
 */
async function describeWith(t: AmCaseContext, credentials: (c: CredentialKit, s: SliceFixture) => Credentials | Promise<Credentials>): Promise<AmResponse> {
  const slice = (await sliceFor(t, 'shared'))!;
  return t.am.Describe([slice.urn], await credentials(t.creds, slice), { geni_rspec_version: rspecVersion(t) });
}

const DESCRIBE_DEFECTS = ['malformed', 'altered', 'untrusted-signer', 'expired', 'other-slice', 'other-owner', 'user-credential', 'insufficient-privileges', 'unknown-type', 'empty-list'];

const V3_ONLY = defineCases(am3, { tags: ['credentials', 'auth'], spec: ['credentials#Validation', 'am3/common#Credentials'] }, [
  ...DESCRIBE_DEFECTS.map((slug) => {
    const defect = CREDENTIAL_DEFECTS[slug]!;
    return {
      id: `am3.credentials.describe-${slug}`,
      title: `Describe of a slice with slivers, with ${defect.what}`,
      requirement: defect.requirement,
      requirements: defect.requirements,
      spec: ['am3#Describe', ...(defect.spec ?? [])],
      tags: ['describe' as const, ...(defect.tags ?? [])],
      detects: defect.detects ?? [],
      needs: ['reserved-slice'] as const,
      async run(t: AmCaseContext) {
        t.verify(await describeWith(t, (c, s) => defect.credentials(c, s)), [REFUSED[t.api](defect.preferred)]);
      },
    };
  }),
  {
    id: 'am3.credentials.describe-own-slice-credential',
    requirements: ['v3c.credentials.slice-credential-authorizes'],
    title: 'Describe of a slice with slivers, with its own slice credential',
    requirement: 'A valid slice credential for the slice authorises Describe (the control for the refusals above)',
    spec: ['am3#Describe'],
    tags: ['describe', 'smoke'],
    needs: ['reserved-slice'],
    async run(t) {
      t.verify(await describeWith(t, (_c, s) => s.credentials), [geniCode.success()]);
    },
  },
  {
    id: 'am3.credentials.describe-malformed-beside-valid',
    requirements: ['v3c.credentials.slice-credential-authorizes', 'cred.list.semantics'],
    title: 'Describe with a malformed credential followed by the valid slice credential',
    requirement: 'Aggregates are robust to credentials they cannot use: the valid slice credential authorises the call',
    spec: ['am3#Describe'],
    tags: ['describe'],
    needs: ['reserved-slice'],
    async run(t) {
      t.verify(await describeWith(t, (c, s) => [...c.malformed(s), ...s.credentials]), [geniCode.success()]);
    },
  },
  {
    id: 'am3.credentials.listresources-unknown-type-beside-valid',
    requirements: ['v3c.credentials.user-credential-without-urns', 'cred.list.semantics'],
    title: 'ListResources with an unknown-type credential followed by the valid user credential',
    requirement: 'Aggregates pick out the credentials they understand and are robust to the rest: the valid one authorises the call',
    spec: ['am3#ListResources'],
    tags: ['listresources'],
    async run(t) {
      t.verify(await t.am.ListResources([...t.creds.unknownType(), ...t.creds.user()], { geni_rspec_version: rspecVersion(t) }), [geniCode.success()]);
    },
  },
  {
    id: 'am3.credentials.listresources-expired-beside-valid',
    requirements: ['cred.list.semantics', 'v3c.credentials.user-credential-without-urns'],
    title: 'ListResources with an expired credential followed by the valid user credential',
    requirement: 'One credential granting the needed privileges authorises the call, whatever else is in the list',
    level: 'SHOULD',
    spec: ['am3#ListResources'],
    tags: ['listresources', 'expiry'],
    async run(t) {
      t.verify(await t.am.ListResources([...t.creds.expired(), ...t.creds.user()], { geni_rspec_version: rspecVersion(t) }), [geniCode.success()]);
    },
  },
]);

export default [...EVERY_VERSION, ...V3_ONLY];

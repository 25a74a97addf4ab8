import type { XmlRpcValue } from '../xmlrpc';
import { v1Api, v2Api, v3Api, type AmResponse, type ApiVersion, type Options } from './methods';
import type { AmClient } from '../client/am-client';
import { GENI_CODES } from './error-codes';
import { GENI3_VERSION } from './rspec-formats';

/** The slice as the lifecycle needs it: its URN and its credentials already wrapped for the version. */
export interface LifecycleSlice {
  urn: string;
  credentials: XmlRpcValue[];
}

export interface LoginUser {
  urn: string;
  keys: string[];
}

/**
 * One version-neutral life cycle of a slice at an aggregate. Cases that state the same requirement for every
 * version call these; only the adapters below know each version's method names and argument order
 * (AM API v1/v2: CreateSliver, SliverStatus, RenewSliver, DeleteSliver; v3: Allocate + Provision, Status, Renew,
 * Delete). Each step returns every response it got, last one last.
 */
export interface Lifecycle {
  readonly api: ApiVersion;
  getVersion(): Promise<AmResponse>;
  /** The RSpec formats this life cycle asks for (the aggregate's choice among what it advertises). */
  readonly formats: LifecycleFormats;
  /** The advertisement, in `formats.ad`. */
  listResources(credentials: XmlRpcValue[], options?: { available?: boolean; compressed?: boolean; extra?: Options }): Promise<AmResponse>;
  /** Reserve and instantiate the resources of `rspec`: v1/v2 CreateSliver; v3 Allocate then Provision. */
  reserve(slice: LifecycleSlice, rspec: string, users?: LoginUser[]): Promise<AmResponse[]>;
  status(slice: LifecycleSlice): Promise<AmResponse>;
  /** The slice's manifest: v1/v2 ListResources with geni_slice_urn; v3 Describe. */
  manifest(slice: LifecycleSlice, options?: { compressed?: boolean }): Promise<AmResponse>;
  renew(slice: LifecycleSlice, expiration: string, options?: { extendAlap?: boolean }): Promise<AmResponse>;
  release(slice: LifecycleSlice): Promise<AmResponse>;
  shutdown(slice: LifecycleSlice): Promise<AmResponse>;
  /** Whether a release answer means nothing of the slice is left (deleted now, or never there). */
  isGone(res: AmResponse): boolean;
  /** The returned value of a successful call (v1: the plain return; v2/v3: `value` when geni_code is 0). */
  successValue(res: AmResponse): XmlRpcValue | undefined;
}

const valueOnCode0 = (res: AmResponse): XmlRpcValue | undefined => (res.envelope?.geniCode === 0 ? res.envelope.value : undefined);
const valueV1 = (res: AmResponse): XmlRpcValue | undefined => (res.fault || res.raw === false ? undefined : res.raw);

/** v2/v3: SUCCESS, or SEARCHFAILED (nothing there). */
const goneByCode = (res: AmResponse): boolean => res.envelope?.geniCode === GENI_CODES.SUCCESS || res.envelope?.geniCode === GENI_CODES.SEARCHFAILED;
/** v1 has no codes: true, or a Fault that says the slice is not known. */
const goneV1 = (res: AmResponse): boolean =>
  res.raw === true || (res.fault !== undefined && /no such|not found|unknown|does not exist/i.test(res.fault.faultString));

/**
 * The RSpec versions a life cycle names: `ad` for ListResources, `manifest` for Provision and Describe (v3 asks for
 * a manifest by a request format's type and version). Both are the aggregate's own spellings of what it advertises.
 */
export interface LifecycleFormats {
  ad: { type: string; version: string };
  manifest: { type: string; version: string };
}

const GENI3_FORMATS: LifecycleFormats = { ad: GENI3_VERSION, manifest: GENI3_VERSION };

/** The options of v1's ListResources predate the geni_ prefix for the RSpec version (change set A). */
const RSPEC_VERSION_OPTION: Record<ApiVersion, string> = { 1: 'rspec_version', 2: 'geni_rspec_version', 3: 'geni_rspec_version' };

function listOptions(api: ApiVersion, format: { type: string; version: string }, o: { available?: boolean; compressed?: boolean; extra?: Options } = {}): Options {
  return {
    [RSPEC_VERSION_OPTION[api]]: { ...format },
    ...(o.available !== undefined && { geni_available: o.available }),
    ...(o.compressed !== undefined && { geni_compressed: o.compressed }),
    ...o.extra,
  };
}

const usersValue = (users: LoginUser[] = []): XmlRpcValue[] => users.map((u) => ({ urn: u.urn, keys: u.keys }));

export const LIFECYCLES: Record<ApiVersion, (client: AmClient, formats?: LifecycleFormats) => Lifecycle> = {
  1: (client, formats = GENI3_FORMATS) => {
    const am = v1Api(client);
    return {
      api: 1,
      formats,
      getVersion: () => am.GetVersion(),
      listResources: (credentials, o) => am.ListResources(credentials, listOptions(1, formats.ad, o)),
      reserve: async (s, rspec, users) => [await am.CreateSliver(s.urn, s.credentials, rspec, usersValue(users))],
      status: (s) => am.SliverStatus(s.urn, s.credentials),
      manifest: (s, o) => am.ListResources(s.credentials, { ...listOptions(1, formats.ad, o), geni_slice_urn: s.urn }),
      renew: (s, expiration) => am.RenewSliver(s.urn, s.credentials, expiration),
      release: (s) => am.DeleteSliver(s.urn, s.credentials),
      shutdown: (s) => am.Shutdown(s.urn, s.credentials),
      isGone: goneV1,
      successValue: valueV1,
    };
  },
  2: (client, formats = GENI3_FORMATS) => {
    const am = v2Api(client);
    return {
      api: 2,
      formats,
      getVersion: () => am.GetVersion({}),
      listResources: (credentials, o) => am.ListResources(credentials, listOptions(2, formats.ad, o)),
      reserve: async (s, rspec, users) => [await am.CreateSliver(s.urn, s.credentials, rspec, usersValue(users), {})],
      status: (s) => am.SliverStatus(s.urn, s.credentials, {}),
      manifest: (s, o) => am.ListResources(s.credentials, { ...listOptions(2, formats.ad, o), geni_slice_urn: s.urn }),
      renew: (s, expiration, o = {}) => am.RenewSliver(s.urn, s.credentials, expiration, o.extendAlap ? { geni_extend_alap: true } : {}),
      release: (s) => am.DeleteSliver(s.urn, s.credentials, {}),
      shutdown: (s) => am.Shutdown(s.urn, s.credentials, {}),
      isGone: goneByCode,
      successValue: valueOnCode0,
    };
  },
  3: (client, formats = GENI3_FORMATS) => {
    const am = v3Api(client);
    return {
      api: 3,
      formats,
      getVersion: () => am.GetVersion({}),
      listResources: (credentials, o) => am.ListResources(credentials, listOptions(3, formats.ad, o)),
      reserve: async (s, rspec, users) => {
        const allocated = await am.Allocate(s.urn, s.credentials, rspec, {});
        if (allocated.envelope?.geniCode !== 0) return [allocated];
        const provisioned = await am.Provision([s.urn], s.credentials, { geni_rspec_version: { ...formats.manifest }, ...(users && { geni_users: usersValue(users) }) });
        return [allocated, provisioned];
      },
      status: (s) => am.Status([s.urn], s.credentials, {}),
      manifest: (s, o = {}) => am.Describe([s.urn], s.credentials, { geni_rspec_version: { ...formats.manifest }, ...(o.compressed !== undefined && { geni_compressed: o.compressed }) }),
      renew: (s, expiration, o = {}) => am.Renew([s.urn], s.credentials, expiration, o.extendAlap ? { geni_extend_alap: true } : {}),
      release: (s) => am.Delete([s.urn], s.credentials, {}),
      shutdown: (s) => am.Shutdown(s.urn, s.credentials, {}),
      isGone: goneByCode,
      successValue: valueOnCode0,
    };
  },
};

import type { XmlRpcValue } from '../xmlrpc';

export interface RSpecVersion {
  type: string;
  version: string;
  schema?: string;
  namespace?: string;
  extensions?: string[];
}

/** What the harness reads from a target's GetVersion, once per run. Tolerant: missing fields stay undefined. */
export interface GetVersionInfo {
  api?: number;
  apiVersions: Record<string, string>;
  requestRSpecVersions: RSpecVersion[];
  adRSpecVersions: RSpecVersion[];
  credentialTypes: Array<{ geni_type: string; geni_version: string }>;
  singleAllocation: boolean;
  allocate: 'geni_single' | 'geni_disjoint' | 'geni_many';
  amUrn?: string;
  amType?: string;
  /**
   * Names of draft methods the AM advertises it supports (e.g. UpdateSliver), from the `draft_methods` list in
   * the GetVersion value. No adopted spec names such a field (change set C is a draft), so this is the reference
   * AM's convention: a list of method names, outside the reserved geni_ prefix.
   */
  extraMethods: string[];
  raw: XmlRpcValue;
}

function asStruct(v: XmlRpcValue | undefined): Record<string, XmlRpcValue> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array) ? (v as Record<string, XmlRpcValue>) : undefined;
}

function rspecVersions(v: XmlRpcValue | undefined): RSpecVersion[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((e) => {
    const s = asStruct(e);
    if (!s || typeof s.type !== 'string' || typeof s.version !== 'string') return [];
    return [{
      type: s.type,
      version: s.version,
      schema: typeof s.schema === 'string' ? s.schema : undefined,
      namespace: typeof s.namespace === 'string' ? s.namespace : undefined,
      extensions: Array.isArray(s.extensions) ? s.extensions.filter((x): x is string => typeof x === 'string') : undefined,
    }];
  });
}

/** Reads a GetVersion return (the whole v2/v3 struct, or a v1 struct) into GetVersionInfo. */
export function readVersionInfo(raw: XmlRpcValue): GetVersionInfo {
  const top = asStruct(raw) ?? {};
  const value = asStruct(top.value) ?? top;
  const apiVersions: Record<string, string> = {};
  const av = asStruct(value.geni_api_versions);
  if (av) for (const [k, u] of Object.entries(av)) if (typeof u === 'string') apiVersions[k] = u;
  const creds = Array.isArray(value.geni_credential_types)
    ? value.geni_credential_types.flatMap((c) => {
        const s = asStruct(c);
        return s && typeof s.geni_type === 'string' ? [{ geni_type: s.geni_type, geni_version: String(s.geni_version) }] : [];
      })
    : [];
  const allocate = value.geni_allocate;
  const api = typeof value.geni_api === 'number' ? value.geni_api : typeof top.geni_api === 'number' ? top.geni_api : undefined;
  const extra = Array.isArray(value.draft_methods) ? value.draft_methods.filter((m): m is string => typeof m === 'string') : [];
  return {
    api,
    apiVersions,
    requestRSpecVersions: rspecVersions(value.geni_request_rspec_versions ?? value.request_rspec_versions),
    adRSpecVersions: rspecVersions(value.geni_ad_rspec_versions ?? value.ad_rspec_versions),
    credentialTypes: creds,
    singleAllocation: value.geni_single_allocation === true || value.geni_single_allocation === 1,
    allocate: allocate === 'geni_disjoint' || allocate === 'geni_many' ? allocate : 'geni_single',
    amUrn: typeof value.geni_am_id === 'string' ? value.geni_am_id : typeof value.urn === 'string' ? value.urn : undefined,
    amType: typeof value.geni_am_type === 'string' ? value.geni_am_type : undefined,
    extraMethods: extra,
    raw,
  };
}

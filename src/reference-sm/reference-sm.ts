import { errorMessage } from '../core';
import { VerificationCache, mintServiceCredential, mintServiceIdentity, type ServiceIdentity, type TestAuthority } from '../credentials';
import { GENI_CODES } from '../geni/error-codes';
import { urnToHrn } from '../geni/hrn';
import { startXmlRpcHttpsServer, XmlRpcFault, type XmlRpcDispatcher } from '../server';
import { HttpsTransport } from '../transport';
import { isStruct, type XmlRpcValue } from '../xmlrpc';
import { AdvertisementCache } from './ad-cache';
import type { AggregateEntry } from './aggregates-config';
import { CallIds } from './call-ids';
import { SmError } from './caller-credentials';
import { SmFaultSet } from './faults';
import { SliceManager, type SmCall, type SmEnv } from './sm-methods';

/**
 * The reference slice manager: an SFA-style SM speaking AM API v3 to its callers and to the aggregates it is
 * configured with (aggregates.xml). Like the reference AM it is an independent peer of the harness, with switchable
 * deliberate faults (SM_FAULTS) that prove the `sm` suite sees what it claims to.
 */

export interface ReferenceSmOptions {
  /** Trusted roots for callers and credentials; the CA signs the SM's GID. */
  authority: TestAuthority;
  aggregates: AggregateEntry[];
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** @defaultValue 0 (an ephemeral port) */
  port?: number;
  /** Names from SM_FAULTS. */
  faults?: string[];
  /** How long it waits for each aggregate. @defaultValue 30000 */
  peerTimeoutMs?: number;
  /** Larger aggregate answers count as failures. @defaultValue 16 MiB */
  maxResponseBytes?: number;
  /** Its GID; minted (`…+authority+sm`) when absent. */
  identity?: ServiceIdentity;
  /** @defaultValue () => new Date() */
  now?: () => Date;
  /** More CA certificates it trusts for callers and their credentials (an operator's own identity). */
  extraTrustedRootsPem?: string[];
}

export interface ReferenceSm {
  /** Its AM API v3 URL. */
  url: string;
  urn: string;
  hrn: string;
  /** Its GID (PEM): what callers delegate their credentials to. */
  gidPem: string;
  peerTimeoutMs: number;
  faults: string[];
  close(): Promise<void>;
}

export const REFERENCE_SM_CODE_VERSION = '0.1.0';
export const SM_PATH = '/sm/3';
const DEFAULT_PEER_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

type Handler = (sm: SliceManager, params: XmlRpcValue[], call: SmCall) => Promise<{ code: number; value: XmlRpcValue; output: string }> | { code: number; value: XmlRpcValue; output: string };

const struct = (v: XmlRpcValue | undefined, name: string): Record<string, XmlRpcValue> => {
  if (v === undefined) return {};
  if (!isStruct(v)) throw new SmError(GENI_CODES.BADARGS, `${name} must be a struct`);
  return v;
};
const text = (v: XmlRpcValue | undefined, name: string): string => {
  if (typeof v !== 'string') throw new SmError(GENI_CODES.BADARGS, `${name} must be a string`);
  return v;
};

const METHODS: Record<string, { arity: [number, number]; handler: Handler }> = {
  GetVersion: { arity: [0, 1], handler: (sm) => sm.GetVersion() },
  ListResources: { arity: [2, 2], handler: (sm, p, c) => sm.ListResources(p[0]!, struct(p[1], 'options'), c) },
  Describe: { arity: [3, 3], handler: (sm, p, c) => sm.Describe(p[0]!, p[1]!, struct(p[2], 'options'), c) },
  Allocate: { arity: [4, 4], handler: (sm, p, c) => sm.Allocate(text(p[0], 'slice_urn'), p[1]!, text(p[2], 'rspec'), struct(p[3], 'options'), c) },
  Renew: { arity: [4, 4], handler: (sm, p, c) => sm.Renew(p[0]!, p[1]!, p[2]!, struct(p[3], 'options'), c) },
  Provision: { arity: [3, 3], handler: (sm, p, c) => sm.Provision(p[0]!, p[1]!, struct(p[2], 'options'), c) },
  Status: { arity: [3, 3], handler: (sm, p, c) => sm.Status(p[0]!, p[1]!, struct(p[2], 'options'), c) },
  PerformOperationalAction: { arity: [4, 4], handler: (sm, p, c) => sm.PerformOperationalAction(p[0]!, p[1]!, p[2]!, struct(p[3], 'options'), c) },
  Delete: { arity: [3, 3], handler: (sm, p, c) => sm.Delete(p[0]!, p[1]!, struct(p[2], 'options'), c) },
  Shutdown: { arity: [3, 3], handler: (sm, p, c) => sm.Shutdown(text(p[0], 'slice_urn'), p[1]!, struct(p[2], 'options'), c) },
};

function envelope(code: number, value: XmlRpcValue, output: string): Record<string, XmlRpcValue> {
  return { code: { geni_code: code, am_type: 'sfa', am_code: code }, value, output };
}

export function smDispatcher(sm: SliceManager, clock: () => Date): XmlRpcDispatcher {
  return async (method, params, ctx) => {
    const entry = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
    if (!entry) throw new XmlRpcFault(-32601, `method ${JSON.stringify(method)} is not an AM API v3 method`);
    try {
      const [min, max] = entry.arity;
      if (params.length < min || params.length > max) throw new SmError(GENI_CODES.BADARGS, `${method} takes ${min === max ? min : `${min} to ${max}`} parameters, got ${params.length}`);
      const answer = await entry.handler(sm, params, { clientCertPem: ctx.peer.certPem, now: clock() });
      const result = envelope(answer.code, answer.value, answer.output);
      return method === 'GetVersion' ? { ...result, geni_api: 3 } : result;
    } catch (err) {
      if (err instanceof SmError) return envelope(err.geniCode, '', err.message);
      return envelope(GENI_CODES.SERVERERROR, '', `internal error in the reference slice manager: ${errorMessage(err)}`);
    }
  };
}

export async function startReferenceSm(options: ReferenceSmOptions): Promise<ReferenceSm> {
  const faults = new SmFaultSet(options.faults ?? []);
  const host = options.host ?? '127.0.0.1';
  const clock = options.now ?? (() => new Date());
  const identity = options.identity ?? mintServiceIdentity(options.authority, { hosts: [host] });
  const peerTimeoutMs = options.peerTimeoutMs ?? DEFAULT_PEER_TIMEOUT_MS;
  // Our GID is our client certificate towards the aggregates; they trust the same CA.
  const transport = new HttpsTransport({ certPem: identity.certPem, keyPem: identity.keyPem, caPem: options.authority.trustedRootsPem });
  const env: SmEnv = {
    gid: identity,
    hrn: urnToHrn(identity.urn) ?? identity.urn,
    ownCredentialXml: mintServiceCredential(options.authority, identity),
    aggregates: options.aggregates,
    transport,
    faults,
    deadlineMs: peerTimeoutMs,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    callIds: new CallIds(),
    cache: new AdvertisementCache(),
    verified: new VerificationCache(),
    trustedRootsPem: [...options.authority.trustedRootsPem, ...(options.extraTrustedRootsPem ?? [])],
    urls: {},
    codeVersion: REFERENCE_SM_CODE_VERSION,
  };
  const sm = new SliceManager(env);
  const server = await startXmlRpcHttpsServer({
    host,
    port: options.port ?? 0,
    tls: { certPem: identity.certPem, keyPem: identity.keyPem, caPem: env.trustedRootsPem, requireClientCert: true },
    routes: { [SM_PATH]: smDispatcher(sm, clock) },
  });
  env.urls['3'] = server.url(SM_PATH);
  return {
    url: env.urls['3'],
    urn: identity.urn,
    hrn: env.hrn,
    gidPem: identity.certPem,
    peerTimeoutMs,
    faults: faults.names,
    async close() {
      transport.close();
      await server.close();
    },
  };
}

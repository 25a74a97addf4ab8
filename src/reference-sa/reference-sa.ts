import { X509Certificate, randomUUID } from 'node:crypto';
import {
  SLICE_CREDENTIAL_PRIVILEGES, USER_CREDENTIAL_PRIVILEGES, certificateUrn, mintCredential, mintEndpointIdentity, sfaCredentialStruct,
  splitPemCertificates, type TestAuthority,
} from '../credentials';
import { SLICE_NAME_PATTERN, makeUrn, parseUrn } from '../geni/urn';
import { startXmlRpcHttpsServer, type XmlRpcDispatcher, type XmlRpcRequestContext } from '../server';
import type { XmlRpcValue } from '../xmlrpc';

/**
 * The reference slice authority: the part of the Common Federation API v2 (the "Uniform Clearinghouse API") that
 * omni's chapi framework speaks, so that a client holding only a user certificate of the test authority can make
 * its own slices and fetch their credentials, as it would at a federation's clearinghouse:
 *
 * - `/ch` (the federation registry): get_version; lookup('SERVICE', …) listing the SA, the MA and the aggregates it
 *   was told about (v1 names lookup_slice_authorities, lookup_member_authorities, lookup_aggregates too).
 * - `/sa`: get_version; create('SLICE', …), lookup('SLICE', …), update('SLICE', urn, …), get_credentials(slice_urn,
 *   …) (v1 names create_slice, lookup_slices, update_slice too).
 * - `/ma`: get_version; get_credentials(member_urn, …): the caller's own user credential.
 *
 * The caller is who its TLS client certificate says (chained to the authority's CA); credentials passed in are
 * accepted and not required (omni's `needcred` defaults to false). Every answer is `{code, value, output}`, codes as
 * the API numbers them. Slices live in projects (SLICE_PROJECT_URN is required at create, as at the GENI
 * clearinghouse); a slice's URN is `urn:publicid:IDN+<authority>:<project>+slice+<name>`, and its credential expires
 * with it. An independent peer: it never imports the harness side.
 */

/** Common Federation API return codes. */
export const SA_CODES = {
  NONE: 0, AUTHENTICATION_ERROR: 1, AUTHORIZATION_ERROR: 2, ARGUMENT_ERROR: 3, DATABASE_ERROR: 4, DUPLICATE_ERROR: 5,
  NOT_IMPLEMENTED_ERROR: 6, SERVER_ERROR: 7,
} as const;

/** The paths the three services answer on. */
export const SLICE_AUTHORITY_PATHS = { ch: '/ch', sa: '/sa', ma: '/ma' } as const;

const DAY_MS = 24 * 3600_000;
const MAX_CALLS_KEPT = 10_000;

export interface ReferenceSliceAuthorityOptions {
  authority: TestAuthority;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** @defaultValue 0 (one the system picks) */
  port?: number;
  /** Projects slices may be made in (names). @defaultValue ['harness'] */
  projects?: string[];
  /** A slice's lifetime when create names none. @defaultValue 7 days */
  defaultSliceSeconds?: number;
  /** The longest a slice may live from now (create or update). @defaultValue 60 days */
  maxSliceSeconds?: number;
  /** Aggregates the registry lists (lookup('SERVICE') with SERVICE_TYPE AGGREGATE_MANAGER). */
  aggregates?: Array<{ urn: string; url: string; name?: string }>;
  now?: () => Date;
}

export interface SliceRecord {
  urn: string;
  uid: string;
  name: string;
  projectUrn: string;
  description: string;
  ownerUrn: string;
  /** The owner's certificate (with its issuer, as a GID carries it): the slice credential's owner_gid. */
  ownerGidPem: string;
  created: Date;
  expires: Date;
}

export interface ReferenceSliceAuthority {
  /** The registry (omni_config `ch`), slice authority (`sa`) and member authority (`ma`) URLs. */
  urls: { ch: string; sa: string; ma: string };
  /** The SA's URN (its credentials' signer). */
  urn: string;
  projectUrns: string[];
  /** Every slice made here, in order. */
  readonly slices: readonly SliceRecord[];
  /** The calls served, in order (method and path; the latest 10,000): what a test asks of it. */
  readonly calls: ReadonlyArray<{ path: string; method: string; callerUrn?: string }>;
  close(): Promise<void>;
}

type Answer = { code: number; value: XmlRpcValue; output: string };

class SaError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

const ok = (value: XmlRpcValue): Answer => ({ code: SA_CODES.NONE, value, output: '' });

function isStruct(value: XmlRpcValue | undefined): value is Record<string, XmlRpcValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof Date);
}

/** options (a struct, or absent) and its `fields`/`match` member (a struct, or absent). */
function structArg(value: XmlRpcValue | undefined, what: string): Record<string, XmlRpcValue> {
  if (value === undefined || value === '') return {};
  if (!isStruct(value)) throw new SaError(SA_CODES.ARGUMENT_ERROR, `${what} must be a struct`);
  return value;
}

function credentialsArg(value: XmlRpcValue | undefined): void {
  if (value !== undefined && !Array.isArray(value)) throw new SaError(SA_CODES.ARGUMENT_ERROR, 'credentials must be an array');
}

function typeArg(value: XmlRpcValue | undefined, allowed: string): void {
  if (typeof value !== 'string' || value.toUpperCase() !== allowed) {
    throw new SaError(SA_CODES.NOT_IMPLEMENTED_ERROR, `object type ${JSON.stringify(value)} is not served here (only ${allowed})`);
  }
}

/** RFC 3339 / ISO 8601 (omni sends `2026-12-01T10:00:00Z` or with an offset), or an XML-RPC dateTime. */
function dateArg(value: XmlRpcValue | undefined, field: string): Date {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) throw new SaError(SA_CODES.ARGUMENT_ERROR, `${field} ${JSON.stringify(value)} is not a date and time`);
  return date;
}

/** The certificate a caller presented and its URN, or AUTHENTICATION_ERROR. */
function caller(ctx: XmlRpcRequestContext, authority: TestAuthority): { urn: string; gidPem: string } {
  const pem = ctx.peer.certPem;
  const urn = pem === undefined ? undefined : certificateUrn(pem);
  if (pem === undefined || urn === undefined) throw new SaError(SA_CODES.AUTHENTICATION_ERROR, 'no client certificate with a GENI URN in its subjectAltName');
  // A GID carries its issuer: the SA's own users get the SA certificate after theirs (the chain up to the CA).
  const sa = splitPemCertificates(authority.sa.certPem)[0]!;
  const issuedBySa = new X509Certificate(pem).checkIssued(new X509Certificate(sa));
  return { urn, gidPem: issuedBySa ? `${pem.trim()}\n${sa.trim()}\n` : pem };
}

function sliceFields(slice: SliceRecord, now: Date): Record<string, XmlRpcValue> {
  return {
    SLICE_URN: slice.urn, SLICE_UID: slice.uid, SLICE_NAME: slice.name, SLICE_PROJECT_URN: slice.projectUrn,
    SLICE_DESCRIPTION: slice.description, SLICE_CREATION: slice.created.toISOString(), SLICE_EXPIRATION: slice.expires.toISOString(),
    SLICE_EXPIRED: slice.expires.getTime() <= now.getTime(), SLICE_OWNER: slice.ownerUrn,
  };
}

/** A match value (a value or a list of values; SLICE_EXPIRED as a boolean or 't'/'f') against a field. */
function matches(field: XmlRpcValue | undefined, wanted: XmlRpcValue): boolean {
  const norm = (v: XmlRpcValue | undefined): string => (typeof v === 'boolean' ? (v ? 't' : 'f') : String(v)).toLowerCase().replace(/^true$/, 't').replace(/^false$/, 'f');
  return (Array.isArray(wanted) ? wanted : [wanted]).some((w) => norm(w) === norm(field));
}

function filtered(fields: Record<string, XmlRpcValue>, filter: XmlRpcValue | undefined): Record<string, XmlRpcValue> {
  if (!Array.isArray(filter) || filter.length === 0) return fields;
  return Object.fromEntries(Object.entries(fields).filter(([k]) => filter.includes(k)));
}

export async function startReferenceSliceAuthority(options: ReferenceSliceAuthorityOptions): Promise<ReferenceSliceAuthority> {
  const { authority } = options;
  const host = options.host ?? '127.0.0.1';
  const clock = options.now ?? (() => new Date());
  const projectUrns = (options.projects ?? ['harness']).map((p) => makeUrn(authority.name, 'project', p));
  const defaultMs = (options.defaultSliceSeconds ?? 7 * 24 * 3600) * 1000;
  const maxMs = (options.maxSliceSeconds ?? 60 * 24 * 3600) * 1000;
  const slices: SliceRecord[] = [];
  const calls: Array<{ path: string; method: string; callerUrn?: string }> = [];
  const identity = mintEndpointIdentity(authority, { hosts: [host], service: 'sa' });
  let urls: ReferenceSliceAuthority['urls'] = { ch: '', sa: '', ma: '' };

  const version = (services: string[]): Answer => ok({
    VERSION: '2', URN: authority.sa.urn, IMPLEMENTATION: { code_version: 'geni-harness reference slice authority' },
    SERVICES: services, CREDENTIAL_TYPES: [{ type: 'geni_sfa', version: '3' }], ROLES: ['LEAD', 'MEMBER'], FIELDS: {},
  });

  /** The unexpired slice of `urn` the caller owns, or the error a clearinghouse gives. */
  const ownSlice = (urn: XmlRpcValue | undefined, who: { urn: string }): SliceRecord => {
    if (typeof urn !== 'string') throw new SaError(SA_CODES.ARGUMENT_ERROR, 'slice_urn must be a string');
    const slice = slices.find((s) => s.urn === urn && s.expires.getTime() > clock().getTime());
    if (slice === undefined) throw new SaError(SA_CODES.ARGUMENT_ERROR, `Unknown slice urn ${urn}`);
    if (slice.ownerUrn !== who.urn) throw new SaError(SA_CODES.AUTHORIZATION_ERROR, `${who.urn} is not a member of slice ${urn}`);
    return slice;
  };

  const expiryWithin = (date: Date, now: Date): Date => {
    if (date.getTime() <= now.getTime()) throw new SaError(SA_CODES.ARGUMENT_ERROR, `SLICE_EXPIRATION ${date.toISOString()} is not in the future`);
    if (date.getTime() > now.getTime() + maxMs) throw new SaError(SA_CODES.ARGUMENT_ERROR, `SLICE_EXPIRATION ${date.toISOString()} is later than this authority allows (${maxMs / DAY_MS} days from now)`);
    return date;
  };

  const createSlice = (opts: Record<string, XmlRpcValue>, who: { urn: string; gidPem: string }): Answer => {
    const fields = structArg(opts.fields, 'options.fields');
    const name = fields.SLICE_NAME;
    if (typeof name !== 'string' || !SLICE_NAME_PATTERN.test(name)) {
      throw new SaError(SA_CODES.ARGUMENT_ERROR, `SLICE_NAME ${JSON.stringify(name)} is not a slice name (1-19 letters, digits and '-', not starting with '-')`);
    }
    const projectUrn = fields.SLICE_PROJECT_URN;
    if (typeof projectUrn !== 'string') throw new SaError(SA_CODES.ARGUMENT_ERROR, 'SLICE_PROJECT_URN is required: slices are made in a project');
    if (!projectUrns.includes(projectUrn)) throw new SaError(SA_CODES.ARGUMENT_ERROR, `Unknown project ${projectUrn} (this authority has ${projectUrns.join(', ')})`);
    const project = parseUrn(projectUrn)!.name;
    const urn = makeUrn(`${authority.name}:${project}`, 'slice', name);
    const now = clock();
    if (slices.some((s) => s.urn === urn && s.expires.getTime() > now.getTime())) {
      throw new SaError(SA_CODES.DUPLICATE_ERROR, `[DUPLICATE] DUPLICATE_ERROR: slice ${name} already exists in project ${project}`);
    }
    const expires = fields.SLICE_EXPIRATION === undefined ? new Date(now.getTime() + defaultMs) : expiryWithin(dateArg(fields.SLICE_EXPIRATION, 'SLICE_EXPIRATION'), now);
    expires.setMilliseconds(0);
    const slice: SliceRecord = {
      urn, uid: randomUUID(), name, projectUrn, description: typeof fields.SLICE_DESCRIPTION === 'string' ? fields.SLICE_DESCRIPTION : '',
      ownerUrn: who.urn, ownerGidPem: who.gidPem, created: now, expires,
    };
    slices.push(slice);
    return ok(sliceFields(slice, now));
  };

  const lookupSlices = (opts: Record<string, XmlRpcValue>, who: { urn: string }): Answer => {
    const match = structArg(opts.match, 'options.match');
    const now = clock();
    const found = slices.filter((s) => s.ownerUrn === who.urn).map((s) => sliceFields(s, now))
      .filter((fields) => Object.entries(match).every(([k, v]) => matches(fields[k], v)));
    return ok(Object.fromEntries(found.map((fields) => [fields.SLICE_URN as string, filtered(fields, opts.filter)])));
  };

  const updateSlice = (urn: XmlRpcValue | undefined, opts: Record<string, XmlRpcValue>, who: { urn: string }): Answer => {
    const slice = ownSlice(urn, who);
    const fields = structArg(opts.fields, 'options.fields');
    for (const key of Object.keys(fields)) {
      if (key !== 'SLICE_EXPIRATION' && key !== 'SLICE_DESCRIPTION') throw new SaError(SA_CODES.ARGUMENT_ERROR, `field ${key} cannot be updated`);
    }
    if (fields.SLICE_EXPIRATION !== undefined) {
      const expires = expiryWithin(dateArg(fields.SLICE_EXPIRATION, 'SLICE_EXPIRATION'), clock());
      expires.setMilliseconds(0);
      slice.expires = expires;
    }
    if (typeof fields.SLICE_DESCRIPTION === 'string') slice.description = fields.SLICE_DESCRIPTION;
    return ok(null);
  };

  const sliceCredentials = (urn: XmlRpcValue | undefined, who: { urn: string }): Answer => {
    const slice = ownSlice(urn, who);
    const xml = mintCredential({
      owner: { certPem: slice.ownerGidPem, urn: slice.ownerUrn }, target: { urn: slice.urn }, privileges: SLICE_CREDENTIAL_PRIVILEGES,
      expires: slice.expires, signer: authority.sa, signerChainPem: [authority.ca.certPem],
    });
    return ok([sfaCredentialStruct(xml, '3')]);
  };

  const userCredentials = (memberUrn: XmlRpcValue | undefined, who: { urn: string; gidPem: string }): Answer => {
    if (memberUrn !== who.urn) throw new SaError(SA_CODES.AUTHORIZATION_ERROR, `${who.urn} may fetch only its own credentials, not ${JSON.stringify(memberUrn)}'s`);
    const xml = mintCredential({
      owner: { certPem: who.gidPem, urn: who.urn }, target: { certPem: who.gidPem, urn: who.urn }, privileges: USER_CREDENTIAL_PRIVILEGES,
      expires: new Date(clock().getTime() + 30 * DAY_MS), signer: authority.sa, signerChainPem: [authority.ca.certPem],
    });
    return ok([sfaCredentialStruct(xml, '3')]);
  };

  const services = (opts: Record<string, XmlRpcValue>, only?: string): Answer => {
    const all: Array<Record<string, XmlRpcValue>> = [
      { SERVICE_URN: authority.sa.urn, SERVICE_URL: urls.sa, SERVICE_NAME: 'reference slice authority', SERVICE_TYPE: 'SLICE_AUTHORITY' },
      { SERVICE_URN: makeUrn(authority.name, 'authority', 'ma'), SERVICE_URL: urls.ma, SERVICE_NAME: 'reference member authority', SERVICE_TYPE: 'MEMBER_AUTHORITY' },
      ...(options.aggregates ?? []).map((a) => ({ SERVICE_URN: a.urn, SERVICE_URL: a.url, SERVICE_NAME: a.name ?? a.urn, SERVICE_TYPE: 'AGGREGATE_MANAGER' })),
    ];
    const match = { ...structArg(opts.match, 'options.match'), ...(only !== undefined && { SERVICE_TYPE: only }) };
    return ok(all.filter((s) => Object.entries(match).every(([k, v]) => matches(s[k], v))).map((s) => filtered(s, opts.filter)));
  };

  type Handler = (params: XmlRpcValue[], who: () => { urn: string; gidPem: string }) => Answer;
  const routes: Record<string, Record<string, Handler>> = {
    [SLICE_AUTHORITY_PATHS.ch]: {
      get_version: () => version(['SERVICE']),
      lookup: ([type, creds, opts]) => (typeArg(type, 'SERVICE'), credentialsArg(creds), services(structArg(opts, 'options'))),
      lookup_slice_authorities: ([opts]) => services(structArg(opts, 'options'), 'SLICE_AUTHORITY'),
      lookup_member_authorities: ([opts]) => services(structArg(opts, 'options'), 'MEMBER_AUTHORITY'),
      lookup_aggregates: ([opts]) => services(structArg(opts, 'options'), 'AGGREGATE_MANAGER'),
    },
    [SLICE_AUTHORITY_PATHS.sa]: {
      get_version: () => version(['SLICE']),
      create: ([type, creds, opts], who) => (typeArg(type, 'SLICE'), credentialsArg(creds), createSlice(structArg(opts, 'options'), who())),
      create_slice: ([creds, opts], who) => (credentialsArg(creds), createSlice(structArg(opts, 'options'), who())),
      lookup: ([type, creds, opts], who) => (typeArg(type, 'SLICE'), credentialsArg(creds), lookupSlices(structArg(opts, 'options'), who())),
      lookup_slices: ([creds, opts], who) => (credentialsArg(creds), lookupSlices(structArg(opts, 'options'), who())),
      update: ([type, urn, creds, opts], who) => (typeArg(type, 'SLICE'), credentialsArg(creds), updateSlice(urn, structArg(opts, 'options'), who())),
      update_slice: ([urn, creds, opts], who) => (credentialsArg(creds), updateSlice(urn, structArg(opts, 'options'), who())),
      get_credentials: ([urn, creds], who) => (credentialsArg(creds), sliceCredentials(urn, who())),
    },
    [SLICE_AUTHORITY_PATHS.ma]: {
      get_version: () => version(['MEMBER']),
      get_credentials: ([urn, creds], who) => (credentialsArg(creds), userCredentials(urn, who())),
    },
  };

  const dispatcherFor = (path: string): XmlRpcDispatcher => async (method, params, ctx) => {
    const handlers = routes[path]!;
    let callerUrn: string | undefined;
    const who = () => {
      const found = caller(ctx, authority);
      callerUrn = found.urn;
      return found;
    };
    try {
      const handler = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
      if (handler === undefined) throw new SaError(SA_CODES.NOT_IMPLEMENTED_ERROR, `${method} is not a method of ${path}`);
      return handler(params, who);
    } catch (err) {
      if (err instanceof SaError) return { code: err.code, value: null, output: err.message };
      return { code: SA_CODES.SERVER_ERROR, value: null, output: err instanceof Error ? err.message : String(err) };
    } finally {
      calls.push({ path, method, ...(callerUrn !== undefined && { callerUrn }) });
      // A long-lived serve keeps only the latest calls.
      if (calls.length > MAX_CALLS_KEPT) calls.splice(0, calls.length - MAX_CALLS_KEPT);
    }
  };

  const server = await startXmlRpcHttpsServer({
    host, port: options.port ?? 0,
    tls: { certPem: identity.certPem, keyPem: identity.keyPem, caPem: authority.trustedRootsPem },
    routes: Object.fromEntries(Object.values(SLICE_AUTHORITY_PATHS).map((path) => [path, dispatcherFor(path)])),
  });
  urls = { ch: server.url(SLICE_AUTHORITY_PATHS.ch), sa: server.url(SLICE_AUTHORITY_PATHS.sa), ma: server.url(SLICE_AUTHORITY_PATHS.ma) };
  return { urls, urn: authority.sa.urn, projectUrns, slices, calls, close: () => server.close() };
}

import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate, randomUUID } from 'node:crypto';
import { ConfigError, HarnessError, clipText, errorMessage, formatValue } from '../core';
import type { DynsliceRunSettings } from '../config';
import { AmClient, Transcript, type ResponseDecoder } from '../client';
import { decodeResponseInSandbox } from '../sandbox';
import { HttpsTransport } from '../transport';
import {
  loadAuthority, loadUserFiles, mintUser, mintUserCredential, parseCredential, type TestAuthority, type UserIdentity,
} from '../credentials';
import { toAmResponse, type ApiVersion } from '../geni/methods';
import { readVersionInfo, type GetVersionInfo } from '../geni/version-info';
import type { XmlRpcValue } from '../xmlrpc';
import type { CapacityLoss, KeptSlice } from './capacity';
import { serverUrnMismatch } from './server-identity';
import { HEARTBEAT_INTERVAL_MS, Ledger } from './ledger';
import { SliceAuthorityClient, type SliceAuthoritySettings } from './slice-authority';

/** Where and as whom the harness talks: everything a run needs to reach one aggregate. */
export interface TargetSpec {
  /** A human name for reports ('reference', or the URL). */
  name: string;
  /** The operator's label for the target (--target-name), which reports prefix suites with. */
  label?: string;
  /** Any of the aggregate's URLs; the URL of each API version is read from its GetVersion. */
  url: string;
  /** Client certificate and key (PEM files). Not needed when an authority mints the harness's own user. */
  certPath?: string;
  keyPath?: string;
  /** CA bundle(s) that the server certificate must chain to. */
  caPaths?: string[];
  /** Switch TLS server verification off (marked in every report). */
  insecure?: boolean;
  /** A test authority (see `geni-harness authority init`) the aggregate trusts: users, slices and credentials are minted from it. */
  authorityDir?: string;
  /**
   * A slice authority (omni_config's `sa`, a federation's clearinghouse) where the harness makes its own slices and
   * gets their credentials, with the user's own identity, when there is no test authority.
   */
  sliceAuthority?: SliceAuthoritySettings;
  /** The user's credential as omni saves it (XML, or a JSON geni_sfa struct). */
  userCredentialPath?: string;
  /**
   * Slice credentials of existing slices (omni's saved files). Without an authority the harness cannot make
   * slices, so cases that need one use these (their slivers are deleted after each case).
   */
  sliceCredentialPaths?: string[];
  /** Reference-AM faults switched on (reports only; the AM itself is started elsewhere). */
  faults?: string[];
  /** The embedded reference AM's personality (reports only). */
  personality?: string;
  /**
   * URLs of the target's other services by suite name (a dynslice server, a slice manager), for suites whose URL
   * GetVersion does not give: from the configuration (`--endpoint NAME=URL`) or the embedded reference.
   */
  endpoints?: Record<string, string>;
  /** How the dynslice suites reach and judge the target's dynslice server (the callback endpoint, the tick). */
  dynslice?: DynsliceRunSettings;
  /** Set when the target is an embedded reference AM: its instance id (for the ledger). */
  embeddedInstance?: string;
  amUrn?: string;
}

export interface SessionLimits {
  callTimeoutMs: number;
  maxResponseBytes: number;
}

export interface HarnessUser {
  certPem: string;
  keyPem: string;
  urn: string;
  /** Present when minted by the harness's authority. */
  identity?: UserIdentity;
}

function readPem(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read ${what} ${path}: ${errorMessage(err)}`);
  }
}

/** A CA bundle (--ca): PEM text holding at least one certificate that parses, else a one-line ConfigError. */
export function readCaBundle(path: string): string {
  const text = readPem(path, 'CA bundle');
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new ConfigError(`CA bundle ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (err) {
      throw new ConfigError(`CA bundle ${path}: certificate ${i + 1} of ${blocks.length} does not parse: ${errorMessage(err)}`);
    }
  }
  return text;
}

export interface SuppliedSlice {
  urn: string;
  credentialXml: string;
  expires: Date;
}

function suppliedSlice(xml: string, where: string): SuppliedSlice {
  try {
    const parsed = parseCredential(xml);
    if (!/\+slice\+/.test(parsed.targetUrn)) throw new Error(`its target ${parsed.targetUrn} is not a slice`);
    return { urn: parsed.targetUrn, credentialXml: xml, expires: parsed.expires };
  } catch (err) {
    throw new ConfigError(`slice credential ${where}: ${errorMessage(err)}`);
  }
}

/**
 * The harness's own user at an authority, minted once and kept beside it: slice credentials are bound to their
 * owner's certificate, so a later run (or `geni-harness cleanup`) must present the same certificate to delete
 * what an earlier, crashed run left behind.
 */
function persistentUser(authority: TestAuthority, authorityDir: string): UserIdentity {
  const dir = join(authorityDir, 'users');
  const file = join(dir, 'harness.json');
  if (existsSync(file)) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as UserIdentity;
    } catch (err) {
      throw new ConfigError(`cannot read the harness user ${file}: ${errorMessage(err)}`);
    }
  }
  const identity = mintUser(authority, 'harness');
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(identity), { mode: 0o600 });
  chmodSync(file, 0o600);
  return identity;
}

/**
 * Why a GetVersion answer cannot say which API versions the aggregate speaks (the run cannot locate its suites),
 * or undefined when it can. Tolerant like readVersionInfo: any geni_api or geni_api_versions member will do.
 */
function unusableVersionAnswer(raw: XmlRpcValue): string | undefined {
  const isStruct = (v: XmlRpcValue | undefined): v is Record<string, XmlRpcValue> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const proto: unknown = Object.getPrototypeOf(v);
    return proto === Object.prototype || proto === null;
  };
  const kind = (v: XmlRpcValue | undefined): string => {
    if (v === undefined) return 'absent';
    if (v === null) return 'nil';
    if (Array.isArray(v)) return 'an array';
    if (typeof v === 'object') return v instanceof Uint8Array ? 'base64' : v instanceof Date ? 'a dateTime' : 'not a struct';
    return `a ${typeof v}`;
  };
  if (!isStruct(raw)) return `the answer is ${kind(raw)} (${formatValue(raw, 80)}), not a struct`;
  const code = isStruct(raw.code) ? raw.code.geni_code : undefined;
  if (typeof code === 'number' && code !== 0) {
    return `it answered geni_code ${code}${typeof raw.output === 'string' && raw.output ? ` (${formatValue(raw.output, 200)})` : ''}`;
  }
  const value = 'value' in raw ? raw.value : raw; // v1 answers the struct itself
  if (!isStruct(value)) return `its value is ${kind(value)} (${formatValue(value, 80)}), not a struct`;
  if (!('geni_api' in value) && !('geni_api_versions' in value) && !('geni_api' in raw)) return 'its value has neither geni_api nor geni_api_versions';
  return undefined;
}

const SANDBOXED_DECODER: ResponseDecoder = (body, options) => decodeResponseInSandbox(body, options);

/** One run's connection to one aggregate: transport, identity, credentials, ledger and cached GetVersion. */
export class Session {
  private readonly versionCache = new Map<string, Promise<GetVersionInfo>>();
  /** Existing slices the user supplied credentials for (used when no authority can make new ones). */
  readonly suppliedSlices: SuppliedSlice[] = [];
  readonly runId: string;
  readonly versionTranscript = new Transcript();
  /** Where the run makes its slices without a test authority (TargetSpec.sliceAuthority); its calls go to its own transcript. */
  readonly sliceAuthority: SliceAuthorityClient | undefined;
  /** Capacity a refused reservation kept (CaseFixtures.auditCapacity): later skips for want of nodes name it. */
  readonly capacityLosses: CapacityLoss[] = [];
  /**
   * Slices a case could not release (a shut-down slice the aggregate rightly refuses to delete): they keep their
   * nodes, so later skips for want of nodes name them.
   */
  readonly keptSlices: KeptSlice[] = [];
  /** Keeps the heartbeat of this run's ledger entries fresh (how runs on other hosts sharing the ledger see it alive). */
  private readonly heartbeat: NodeJS.Timeout;

  private constructor(
    readonly spec: TargetSpec,
    readonly transport: HttpsTransport,
    readonly user: HarnessUser,
    private userCredential: string,
    readonly authority: TestAuthority | undefined,
    readonly ledger: Ledger,
    readonly limits: SessionLimits,
    runId?: string,
  ) {
    this.runId = runId ?? randomUUID();
    this.sliceAuthority = spec.sliceAuthority !== undefined && authority === undefined
      ? new SliceAuthorityClient(spec.sliceAuthority, (url) => this.client(url, this.sliceAuthority!.transcript), new Transcript())
      : undefined;
    this.heartbeat = setInterval(() => {
      try {
        ledger.beat();
      } catch {
        // A busy lock or a bad file: the next beat tries again, and the ledger's own writes report a bad file.
      }
    }, HEARTBEAT_INTERVAL_MS).unref();
  }

  /**
   * `sliceCredentialsOnly`: every call will carry a slice's own credential (cleanup of what the ledger names), so no
   * user credential is needed and none is asked for.
   */
  static open(spec: TargetSpec, options: { ledgerPath: string; limits: SessionLimits; runId?: string; sliceCredentialsOnly?: boolean }): Session {
    if (!/^https:\/\//i.test(spec.url)) {
      throw new ConfigError(`target URL must be https:// (GENI aggregates speak XML-RPC over HTTPS with client certificates), got ${spec.url}`);
    }
    const authority = spec.authorityDir ? loadAuthority(spec.authorityDir) : undefined;
    const suppliedSlices: SuppliedSlice[] = [];
    let user: HarnessUser;
    let userCredentialXml: string | undefined;
    if (spec.certPath || spec.keyPath) {
      if (!spec.certPath || !spec.keyPath) throw new ConfigError('--cert and --key must be given together');
      const files = loadUserFiles({ certPath: spec.certPath, keyPath: spec.keyPath, userCredentialPath: spec.userCredentialPath, sliceCredentialPaths: spec.sliceCredentialPaths });
      user = { certPem: files.certPem, keyPem: files.keyPem, urn: files.urn ?? 'unknown' };
      userCredentialXml = files.userCredentialXml;
      suppliedSlices.push(...files.sliceCredentialXml.map((xml, i) => suppliedSlice(xml, spec.sliceCredentialPaths?.[i] ?? 'slice credential')));
    } else if (authority) {
      const identity = persistentUser(authority, spec.authorityDir!);
      user = { certPem: identity.certPem, keyPem: identity.keyPem, urn: identity.urn, identity };
    } else {
      throw new ConfigError('no identity for the target: give --cert and --key (and --user-cred), or --authority DIR of a test authority the aggregate trusts');
    }
    // Without one, a member authority named beside the slice authority gives it (Session.ready).
    const fromMemberAuthority = !authority && spec.sliceAuthority?.memberAuthorityUrl !== undefined;
    if (!userCredentialXml && options.sliceCredentialsOnly !== true && !fromMemberAuthority) {
      if (!authority || !user.identity) {
        throw new ConfigError('no user credential: give --user-cred FILE, or use --authority DIR so the harness mints one');
      }
      userCredentialXml = mintUserCredential(authority, user.identity);
    }
    userCredentialXml ??= '';
    const ca = (spec.caPaths ?? []).map((p) => readCaBundle(p));
    if (authority && ca.length === 0) ca.push(...authority.trustedRootsPem);
    // A minted user certificate is issued by the SA, which the aggregate may know only through the CA: send the
    // chain (as a GENI user's certificate file from a clearinghouse usually carries it).
    const clientChain = user.identity && authority ? `${user.certPem.trimEnd()}\n${authority.sa.certPem}` : user.certPem;
    const transport = new HttpsTransport({ certPem: clientChain, keyPem: user.keyPem, caPem: ca.length ? ca : undefined, insecure: spec.insecure });
    // The same server checks, no client certificate: for the case that an aggregate requires one.
    const bareTransport = () => new HttpsTransport({ caPem: ca.length ? ca : undefined, insecure: spec.insecure }, { keepAlive: false });
    const session = new Session(spec, transport, user, userCredentialXml, authority, new Ledger(options.ledgerPath), options.limits, options.runId);
    session.bareTransport = bareTransport;
    session.suppliedSlices.push(...suppliedSlices);
    return session;
  }

  /** The user credential: given, minted by the test authority, or fetched from the member authority by `ready`. */
  get userCredentialXml(): string {
    return this.userCredential;
  }

  /**
   * What opening could not do synchronously: the user credential from the member authority (omni_config's `ma`)
   * when none was given and there is no test authority. Call once after `open`, before the first case.
   */
  async ready(): Promise<this> {
    if (this.userCredential === '' && this.sliceAuthority?.settings.memberAuthorityUrl !== undefined) {
      this.userCredential = await this.sliceAuthority.userCredential(this.user.urn);
    }
    return this;
  }

  /**
   * A client for `url` recording into `transcript`. Answers are decoded in the document sandbox (a deadline stops
   * the work, a memory budget bounds it); `deadline` (epoch ms) is the case's: no call of this client outlives it.
   */
  client(url: string, transcript: Transcript, options: { deadline?: number } = {}): AmClient {
    return new AmClient({
      url, transport: this.transport, transcript, decoder: SANDBOXED_DECODER,
      timeoutMs: this.limits.callTimeoutMs, maxResponseBytes: this.limits.maxResponseBytes,
      ...(options.deadline !== undefined && { deadline: options.deadline }),
    });
  }

  private bareTransport: (() => HttpsTransport) | undefined;

  /**
   * A client for `url` that presents no client certificate (a connection of its own, closed after each call), with
   * the server verification of the run. For the case that the aggregate refuses such a caller.
   */
  clientWithoutCertificate(url: string, transcript: Transcript, options: { deadline?: number } = {}): AmClient {
    if (!this.bareTransport) throw new HarnessError('internal', 'the session was opened without a transport for calls without a client certificate');
    const transport = this.bareTransport();
    this.closers.push(() => transport.close());
    return new AmClient({
      url, transport, transcript, decoder: SANDBOXED_DECODER,
      timeoutMs: this.limits.callTimeoutMs, maxResponseBytes: this.limits.maxResponseBytes,
      ...(options.deadline !== undefined && { deadline: options.deadline }),
    });
  }

  /** GetVersion at `url`, once per run (its exchange goes to the run's version transcript). */
  versionAt(url: string): Promise<GetVersionInfo> {
    let pending = this.versionCache.get(url);
    if (!pending) {
      pending = (async () => {
        const res = toAmResponse('GetVersion', await this.client(url, this.versionTranscript).call('GetVersion', []));
        if (res.fault) {
          throw new HarnessError('fixture', `GetVersion at ${url} answered with a Fault (${res.fault.faultCode}: ${clipText(res.fault.faultString)})`, { exchangeIds: [res.exchangeId], origin: 'target' });
        }
        const unusable = unusableVersionAnswer(res.raw ?? null);
        if (unusable) {
          throw new HarnessError('fixture', `GetVersion at ${url} names no AM API version: ${unusable}`, { exchangeIds: [res.exchangeId], origin: 'target' });
        }
        const info = readVersionInfo(res.raw ?? null);
        const mismatch = serverUrnMismatch(url, this.transport.serverNamesAt(url), [
          { urn: info.amUrn, source: 'its GetVersion' },
          { urn: this.spec.amUrn, source: 'the run\'s configuration' },
        ]);
        if (mismatch) throw new HarnessError('fixture', mismatch, { exchangeIds: [res.exchangeId], origin: 'target' });
        return info;
      })();
      this.versionCache.set(url, pending);
    }
    return pending;
  }

  /** The URL to use for API version `api`: the advertised one, else the given URL when it speaks that version. */
  async urlFor(api: ApiVersion): Promise<string | undefined> {
    const info = await this.versionAt(this.spec.url);
    // The URL the run was given speaks its own geni_api: use it as given (the aggregate's list may spell it
    // another way, or relatively, which am3.getversion.api-version-urls-absolute judges; it is no reason to stop).
    if (info.api === api) return this.spec.url;
    const advertised = info.apiVersions[String(api)];
    if (!advertised) return undefined;
    try {
      return new URL(advertised, this.spec.url).href;
    } catch {
      return undefined;
    }
  }

  /**
   * The API versions to test: every version the aggregate lists in geni_api_versions (each at its own URL), or
   * its geni_api alone when it lists none (a v1-only aggregate).
   */
  async advertisedApis(): Promise<ApiVersion[]> {
    const info = await this.versionAt(this.spec.url);
    const listed = Object.keys(info.apiVersions).map(Number).filter((n): n is ApiVersion => n === 1 || n === 2 || n === 3);
    if (listed.length > 0) return [...new Set(listed)].sort();
    return info.api === 1 || info.api === 2 || info.api === 3 ? [info.api] : [];
  }

  private readonly closers: Array<() => void | Promise<void>> = [];

  /** Something the run opened for this session (the dynslice callback endpoint) that must end with it. */
  onClose(close: () => void | Promise<void>): void {
    this.closers.push(close);
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const close of this.closers.splice(0)) void Promise.resolve().then(close).catch(() => undefined);
    this.transport.close();
  }
}

import https from 'node:https';
import tls from 'node:tls';
import type { IncomingMessage, ClientRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { errorMessage } from '../core';
import { TransportError, type TransportFailure } from './errors';

export interface TlsClientOptions {
  /** Our client certificate (PEM); AMs authenticate the caller by it. */
  certPem?: string;
  keyPem?: string;
  /** Trust anchors for the server certificate; when absent, Node's default CA list. */
  caPem?: string[];
  /** Accept any server certificate and host name (never for real targets unless asked). */
  insecure?: boolean;
}

export interface PostOptions {
  /** Limit for the whole exchange: connect, TLS handshake, request and complete response. */
  timeoutMs: number;
  /** The response body is abandoned as soon as it exceeds this many bytes. */
  maxResponseBytes: number;
  headers?: Record<string, string>;
}

/** How a server certificate names its holder (subjectAltName): host names and GENI URNs. */
export interface ServerNames {
  /** DNS and IP Address entries, as OpenSSL prints them ('DNS:am.example.net', 'IP Address:127.0.0.1'). */
  hostNames: string[];
  /** GENI URNs in URI entries (urn:publicid:IDN+…). */
  geniUrns: string[];
}

export interface RawHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  durationMs: number;
}

/** At most this many sends of one request while kept-alive connections turn out closed (see post). */
const MAX_SENDS = 3;

/** A reused keep-alive connection was reset before any answer: the request may be sent again. */
class StaleConnection extends Error {
  constructor(readonly error: TransportError) {
    super(error.message);
  }
}

/** OpenSSL / Node error codes that mean the TLS handshake or a certificate check failed. */
const TLS_CODE = /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|HOSTNAME_|EPROTO$|ERR_OSSL_)/;
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EADDRNOTAVAIL']);

/**
 * POSTs bytes over HTTPS with a client certificate and returns the raw answer. It knows nothing of XML-RPC.
 * Redirects are never followed (a 3xx comes back as is): an AM that redirects is something to report.
 */
export class HttpsTransport {
  private readonly agent: https.Agent;
  /** The names in the certificate each server (host:port) presented on its latest connection. */
  private readonly serverNamesByOrigin = new Map<string, ServerNames>();
  private readonly insecure: boolean;

  constructor(tlsOptions: TlsClientOptions, options: { keepAlive?: boolean } = {}) {
    const { certPem, keyPem, caPem, insecure = false } = tlsOptions;
    this.insecure = insecure;
    if ((certPem === undefined) !== (keyPem === undefined)) {
      throw new TransportError('config', 'TLS client options: certPem and keyPem must be given together');
    }
    let secureContext: tls.SecureContext;
    try {
      // Fail now, naming the problem, rather than on the first request with an OpenSSL code.
      secureContext = tls.createSecureContext({ cert: certPem, key: keyPem, ca: caPem });
    } catch (err) {
      throw new TransportError('config', `TLS client options: ${errorMessage(err)}`, { cause: err });
    }
    this.agent = new https.Agent({
      keepAlive: options.keepAlive ?? true,
      // Every connection shares this one context: without it each new connection parses the key, the
      // certificate and the CA bundle again (a slice manager opens one per aggregate). The PEMs themselves are
      // not agent options: the agent writes every TLS option into the name it files each request under, so they
      // would make a name of kilobytes to build and look up on every call (a third of a fan-out's client CPU).
      secureContext,
      rejectUnauthorized: !insecure,
      checkServerIdentity: checkGeniServerIdentity,
    });
  }

  async post(url: string, body: string | Buffer, options: PostOptions): Promise<RawHttpResponse> {
    const target = parseHttpsUrl(url);
    checkLimits(options);
    const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const started = performance.now();
    // A kept-alive connection the server closed while it sat idle (its keep-alive timeout, e.g. while this process
    // was busy minting credentials) is reset when we write on it, before the server read anything: the request is
    // sent again on a fresh connection, within the same time limit. A new connection's failure is never retried.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(url, target, payload, options, started);
      } catch (err) {
        const left = options.timeoutMs - (performance.now() - started);
        if (!(err instanceof StaleConnection)) throw err;
        if (attempt >= MAX_SENDS || left <= 0) throw err.error;
      }
    }
  }

  private send(url: string, target: URL, payload: Buffer, options: PostOptions, started: number): Promise<RawHttpResponse> {
    const timeoutMs = Math.max(1, options.timeoutMs - (performance.now() - started));
    return new Promise<RawHttpResponse>((resolve, reject) => {
      let settled = false;
      let handshakeDone = false;
      let responded = false;
      // Proof the server accepted our client certificate: TLS 1.2 finishes the handshake only after the server
      // checked it; under TLS 1.3 a server sends session tickets only once it has accepted the client's Finished.
      let certificateAccepted = false;
      let req: ClientRequest | undefined;
      const finish = (outcome: { ok: RawHttpResponse } | { error: TransportError | StaleConnection }): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if ('ok' in outcome) resolve(outcome.ok);
        else {
          req?.destroy();
          reject(outcome.error);
        }
      };
      const timer = setTimeout(() => {
        finish({ error: new TransportError('timeout', `${url}: no complete response within ${options.timeoutMs} ms`) });
      }, timeoutMs);

      req = https.request(
        {
          protocol: 'https:',
          hostname: target.hostname.replace(/^\[|\]$/g, ''),
          port: target.port || 443,
          path: `${target.pathname}${target.search}`,
          method: 'POST',
          agent: this.agent,
          headers: {
            'Content-Type': 'text/xml',
            'User-Agent': 'geni-harness',
            ...options.headers,
            'Content-Length': String(payload.length),
          },
        },
        (res) => {
          responded = true;
          this.readResponse(res, url, options, started, finish);
        },
      );
      req.on('socket', (socket) => {
        const tlsSocket = socket as tls.TLSSocket;
        // A reused keep-alive socket has finished its handshake long ago.
        if (!tlsSocket.connecting && tlsSocket.encrypted && tlsSocket.authorized !== undefined) {
          handshakeDone = true;
          certificateAccepted = true; // it answered on this connection before
          return; // listening for a handshake that already happened would leak one listener per call
        }
        tlsSocket.once('secureConnect', () => {
          handshakeDone = true;
          this.rememberServerNames(target.host, tlsSocket);
          if (tlsSocket.getProtocol() !== 'TLSv1.3') certificateAccepted = true;
        });
        tlsSocket.once('session', () => {
          certificateAccepted = true;
        });
      });
      req.on('error', (err) => {
        const freshConnection = req !== undefined && !req.reusedSocket;
        const error = classifyRequestError(err, url, { handshakeDone, freshConnection, certificateAccepted });
        const code = (err as NodeJS.ErrnoException).code;
        const stale = !freshConnection && !responded && (code === 'ECONNRESET' || code === 'EPIPE');
        finish({ error: stale ? new StaleConnection(error) : error });
      });
      req.end(payload);
    });
  }

  private readResponse(
    res: IncomingMessage,
    url: string,
    options: PostOptions,
    started: number,
    finish: (outcome: { ok: RawHttpResponse } | { error: TransportError }) => void,
  ): void {
    const tooLarge = (): TransportError =>
      new TransportError('too-large', `${url}: response exceeds the ${formatBytes(options.maxResponseBytes)} cap (maxResponseBytes ${options.maxResponseBytes})`);
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > options.maxResponseBytes) {
      finish({ error: tooLarge() });
      res.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    res.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > options.maxResponseBytes) {
        // Drop what we hold and stop reading so memory stays bounded whatever the server sends.
        chunks.length = 0;
        finish({ error: tooLarge() });
        res.destroy();
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => {
      finish({
        ok: {
          status: res.statusCode ?? 0,
          headers: flattenHeaders(res.headers),
          body: Buffer.concat(chunks, total),
          durationMs: Math.round((performance.now() - started) * 10) / 10,
        },
      });
    });
    res.on('error', (err) => {
      finish({ error: new TransportError('protocol', `${url}: response broke off after ${total} bytes (${errorMessage(err)})`, { cause: err }) });
    });
    res.on('aborted', () => {
      finish({ error: new TransportError('protocol', `${url}: response broke off after ${total} bytes (connection closed)`) });
    });
  }

  /**
   * The names in the certificate the server at `url` presented on the latest connection to it (undefined before
   * any, and always with `insecure`: nothing was verified then). The caller compares a certificate that names the
   * aggregate by URN only with the URN the aggregate gives itself (checkGeniServerIdentity accepted it on its chain).
   */
  serverNamesAt(url: string): ServerNames | undefined {
    if (this.insecure) return undefined;
    try {
      return this.serverNamesByOrigin.get(new URL(url).host);
    } catch {
      return undefined;
    }
  }

  private rememberServerNames(origin: string, socket: tls.TLSSocket): void {
    // A stand-in socket (nock in the harness's own tests) has no peer certificate to read.
    if (typeof socket.getPeerCertificate !== 'function') return;
    try {
      this.serverNamesByOrigin.set(origin, serverNames(socket.getPeerCertificate()));
    } catch {
      this.serverNamesByOrigin.delete(origin);
    }
  }

  /** Drop pooled keep-alive connections. */
  close(): void {
    this.agent.destroy();
  }
}

/**
 * The host-name check of a server certificate, as GENI aggregates need it. Their server certificates are often GENI
 * identity certificates: the aggregate's URN in the URI subjectAltName and no DNS or IP name at all (GENI
 * certificates name principals by URN: GeniApiCertificates). The chain is verified against the trusted CAs as for
 * any certificate; where it names no host, the host-name check cannot apply and the URN names the aggregate. A
 * certificate that names hosts must name this one.
 */
export function checkGeniServerIdentity(host: string, cert: tls.PeerCertificate): Error | undefined {
  const { hostNames, geniUrns } = serverNames(cert);
  if (hostNames.length === 0 && geniUrns.length > 0) return undefined;
  return tls.checkServerIdentity(host, cert);
}

/** The host names and GENI URNs a certificate's subjectAltName gives. */
export function serverNames(cert: Pick<tls.PeerCertificate, 'subjectaltname'>): ServerNames {
  const names = (cert.subjectaltname ?? '').split(/,\s*/).filter((n) => n !== '');
  return {
    hostNames: names.filter((n) => n.startsWith('DNS:') || n.startsWith('IP Address:')),
    geniUrns: names.filter((n) => /^URI:urn:publicid:IDN\+/i.test(n)).map((n) => n.slice('URI:'.length)),
  };
}

function parseHttpsUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (err) {
    throw new TransportError('config', `${JSON.stringify(url)} is not a valid URL`, { cause: err });
  }
  if (parsed.protocol !== 'https:') {
    throw new TransportError('config', `${url}: only https: URLs are supported (GENI aggregates require TLS with client certificates), but received ${parsed.protocol}`);
  }
  return parsed;
}

function checkLimits(options: PostOptions): void {
  if (!(options.timeoutMs > 0) || !Number.isFinite(options.timeoutMs)) {
    throw new TransportError('config', `timeoutMs must be a positive number, but received ${options.timeoutMs}`);
  }
  if (!Number.isInteger(options.maxResponseBytes) || options.maxResponseBytes <= 0) {
    throw new TransportError('config', `maxResponseBytes must be a positive integer, but received ${options.maxResponseBytes}`);
  }
}

function classifyRequestError(
  err: Error, url: string, connection: { handshakeDone: boolean; freshConnection: boolean; certificateAccepted: boolean },
): TransportError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const described = `${code ? `${code}: ` : ''}${err.message}`;
  const fail = (failure: TransportFailure, stage: string): TransportError =>
    new TransportError(failure, `${url}: ${stage} (${described})`, { cause: err });
  if (TLS_CODE.test(code) || /alert|certificate|handshake|ssl/i.test(err.message)) return fail('tls', 'TLS failure');
  if (CONNECT_CODES.has(code)) return fail('connect', 'cannot connect');
  if (code.startsWith('HPE_')) return fail('protocol', 'malformed HTTP response');
  if (!connection.handshakeDone) return fail('connect', 'connection closed before the TLS handshake completed');
  if (connection.freshConnection && !connection.certificateAccepted && (code === 'ECONNRESET' || code === 'EPIPE')) {
    // With TLS 1.3 the client finishes its handshake before the server has checked our certificate; a server
    // (Node's among them) that rejects it then just drops the connection without an alert. A brand-new
    // connection closed before any answer, and before the session tickets a server sends once it has accepted
    // the client, is therefore most likely a refused client certificate.
    return fail('tls', 'the server closed a new connection right after the TLS handshake without answering or sending a session ticket; it probably refused our client certificate');
  }
  if (connection.certificateAccepted) return fail('protocol', 'the server accepted our client certificate, then closed the connection without a response');
  return fail('protocol', 'connection closed before a response');
}

function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1).replace(/\.0$/, '')} KB`;
  return `${(n / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}

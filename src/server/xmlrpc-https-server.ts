import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { errorMessage } from '../core';
import { decodeMethodCall, encodeFault, encodeMethodResponse, encodeTextCodeFault, XmlRpcDecodeError, type XmlRpcValue } from '../xmlrpc';

/** What the TLS layer tells us about the caller. */
export interface PeerIdentity {
  certDer?: Buffer;
  certPem?: string;
  /** Node's rendering, e.g. 'URI:urn:publicid:IDN+example+user+alice, DNS:host'. */
  subjectAltName?: string;
  /** Whether the certificate chains to one of our CAs (always true when client certificates are required). */
  authorized?: boolean;
}

export interface XmlRpcRequestContext {
  path: string;
  peer: PeerIdentity;
  remoteAddress?: string;
  /** With remoteAddress, identifies the connection (tests use it to see keep-alive reuse). */
  remotePort?: number;
}

/** Throw from a dispatcher to answer with an XML-RPC fault. */
export class XmlRpcFault extends Error {
  override readonly name = 'XmlRpcFault';
  constructor(
    /** An int, as XML-RPC requires; text only for the reference AM's deliberate faults (what Python's xmlrpclib sends). */
    readonly faultCode: number | string,
    readonly faultString: string,
  ) {
    super(`fault ${faultCode}: ${faultString}`);
  }
}

/**
 * Lets a handler answer with exact bytes (used by deliberate faults: HTML instead of XML-RPC, a huge body, a slow
 * answer, no answer, or a connection dropped without any answer, as a crashing server does).
 */
export class RawHttpAnswer {
  constructor(
    readonly body: string | Buffer,
    readonly options?: { status?: number; contentType?: string; delayMs?: number; neverRespond?: boolean; dropConnection?: boolean },
  ) {}
}

export type XmlRpcDispatcher = (method: string, params: XmlRpcValue[], ctx: XmlRpcRequestContext) => Promise<XmlRpcValue | RawHttpAnswer>;

/**
 * One inbound exchange as it happened on the wire, for servers that must keep a record of what they were sent
 * (the harness's callback endpoint). Reported once the answer is out, or once it is known that none will be.
 */
export interface ServedExchange {
  path: string;
  /** When the request head arrived. */
  arrivedAt: Date;
  /** Milliseconds from arrival to the end of the answer (or to the decision not to answer). */
  durationMs: number;
  peer: PeerIdentity;
  remoteAddress?: string;
  /** The method name, when the body decoded as a methodCall. */
  method?: string;
  params?: XmlRpcValue[];
  request: { bytes: number; body: Buffer };
  /** Absent when no answer was sent (the dispatcher asked for none, or the connection went away first). */
  response?: { status: number; contentType: string; body: Buffer };
}

export interface XmlRpcHttpsServerOptions {
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** @defaultValue 0 (an ephemeral port) */
  port?: number;
  tls: {
    certPem: string;
    keyPem: string;
    caPem: string[];
    /** @defaultValue true: the handshake fails without a client certificate from one of `caPem`. */
    requireClientCert?: boolean;
  };
  /** Keyed by URL path, e.g. '/am/3'. */
  routes: Record<string, XmlRpcDispatcher>;
  /** Larger request bodies get HTTP 413. @defaultValue 16 MiB */
  maxRequestBytes?: number;
  /** Told about every POST to a known route, decodable or not, with what was answered. */
  onExchange?: (exchange: ServedExchange) => void;
}

export interface RunningXmlRpcServer {
  port: number;
  /** https://127.0.0.1:<port><path> (the host we listen on). */
  url(path: string): string;
  /** Stop listening and drop every connection, including keep-alive ones and requests left unanswered. */
  close(): Promise<void>;
}

/** XML-RPC fault codes from the "specification for fault code interoperability". */
export const FAULT_PARSE_ERROR = -32700;
export const FAULT_INTERNAL_ERROR = -32603;

const DEFAULT_MAX_REQUEST_BYTES = 16 * 1024 * 1024;

export async function startXmlRpcHttpsServer(options: XmlRpcHttpsServerOptions): Promise<RunningXmlRpcServer> {
  const host = options.host ?? '127.0.0.1';
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  const requireClientCert = options.tls.requireClientCert ?? true;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const server = https.createServer(
    {
      cert: options.tls.certPem,
      key: options.tls.keyPem,
      ca: options.tls.caPem,
      // Always ask, so an optional certificate still yields an identity; only reject when required.
      requestCert: true,
      rejectUnauthorized: requireClientCert,
    },
    (req, res) => {
      handleRequest(req, res, { routes: options.routes, maxRequestBytes, timers, onExchange: options.onExchange }).catch((err: unknown) => {
        // handleRequest answers every error itself; reaching here is our own bug, and it must not kill the server.
        if (!res.headersSent) sendText(res, 500, `internal server error: ${errorMessage(err)}`);
        else res.destroy();
      });
    },
  );
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A failed handshake (no or foreign client certificate) is the client's problem, not ours.
  server.on('tlsClientError', () => undefined);
  // No TLS 1.2 renegotiation (no GENI client needs it; TLS 1.3 dropped it): a connection keeps the client
  // certificate it began with, which peerIdentity reads once per connection.
  server.on('secureConnection', (socket: TLSSocket) => {
    socket.disableRenegotiation();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`XML-RPC server on ${host}: no TCP address after listen`);
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    port: address.port,
    url: (path) => `https://${urlHost}:${address.port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

interface HandlerConfig {
  routes: Record<string, XmlRpcDispatcher>;
  maxRequestBytes: number;
  timers: Set<NodeJS.Timeout>;
  onExchange?: (exchange: ServedExchange) => void;
}

/** Collects what one request brought and reports it once, when its answer is sent (or never will be). */
class ExchangeRecorder {
  private readonly arrived = Date.now();
  private method?: string;
  private params?: XmlRpcValue[];
  private body: Buffer = Buffer.alloc(0);
  private reported = false;

  constructor(
    private readonly path: string,
    private readonly req: IncomingMessage,
    private readonly sink?: (exchange: ServedExchange) => void,
  ) {}

  request(body: Buffer, call?: { method: string; params: XmlRpcValue[] }): void {
    this.body = body;
    this.method = call?.method;
    this.params = call?.params;
  }

  answered(status: number, contentType: string, body: Buffer | undefined): void {
    if (this.reported || !this.sink) return;
    this.reported = true;
    this.sink({
      path: this.path, arrivedAt: new Date(this.arrived), durationMs: Date.now() - this.arrived,
      peer: peerIdentity(this.req.socket as TLSSocket), remoteAddress: this.req.socket.remoteAddress,
      ...(this.method !== undefined && { method: this.method, params: this.params }),
      request: { bytes: this.body.length, body: this.body },
      ...(body !== undefined && { response: { status, contentType, body } }),
    });
  }
}

async function handleRequest(req: IncomingMessage, res: ServerResponse, config: HandlerConfig): Promise<void> {
  const path = new URL(req.url ?? '/', 'https://server.invalid').pathname;
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    sendText(res, 405, `method ${req.method ?? '?'} not allowed; XML-RPC uses POST`);
    req.resume();
    return;
  }
  const dispatcher = Object.hasOwn(config.routes, path) ? config.routes[path] : undefined;
  if (!dispatcher) {
    sendText(res, 404, `no XML-RPC endpoint at ${path}`);
    req.resume();
    return;
  }
  const recorder = new ExchangeRecorder(path, req, config.onExchange);
  // A connection that goes away before we answer is still an exchange someone sent us.
  res.on('close', () => recorder.answered(0, '', undefined));
  const body = await readBody(req, config.maxRequestBytes);
  if (body === 'too-large') {
    res.setHeader('Connection', 'close');
    // The rest of the body is never read; drop the connection once the answer is out.
    res.on('finish', () => req.destroy());
    sendText(res, 413, `request body exceeds ${config.maxRequestBytes} bytes`, recorder);
    return;
  }

  let call: { method: string; params: XmlRpcValue[] };
  try {
    call = decodeMethodCall(body);
  } catch (err) {
    recorder.request(body);
    const reason = err instanceof XmlRpcDecodeError ? err.message : errorMessage(err);
    sendXml(res, 200, encodeFault(FAULT_PARSE_ERROR, `parse error: ${reason}`), recorder);
    return;
  }
  recorder.request(body, call);

  const ctx: XmlRpcRequestContext = { path, peer: peerIdentity(req.socket as TLSSocket), remoteAddress: req.socket.remoteAddress, remotePort: req.socket.remotePort };
  let answer: XmlRpcValue | RawHttpAnswer;
  try {
    answer = await dispatcher(call.method, call.params, ctx);
  } catch (err) {
    sendXml(res, 200, faultFor(err), recorder);
    return;
  }
  if (answer instanceof RawHttpAnswer) {
    sendRaw(res, answer, config.timers, recorder);
    return;
  }
  let xml: string;
  try {
    xml = encodeMethodResponse(answer);
  } catch (err) {
    xml = encodeFault(FAULT_INTERNAL_ERROR, `internal error: cannot encode the result of ${call.method}: ${errorMessage(err)}`);
  }
  sendXml(res, 200, xml, recorder);
}

function faultFor(err: unknown): string {
  if (err instanceof XmlRpcFault) {
    try {
      return typeof err.faultCode === 'string' ? encodeTextCodeFault(err.faultCode, err.faultString) : encodeFault(err.faultCode, err.faultString);
    } catch (encodeErr) {
      return encodeFault(FAULT_INTERNAL_ERROR, `internal error: unencodable fault: ${errorMessage(encodeErr)}`);
    }
  }
  // The message may contain characters XML cannot carry; strip them rather than fail a second time.
  const message = errorMessage(err).replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '?');
  return encodeFault(FAULT_INTERNAL_ERROR, `internal error: ${message}`);
}

/** The body, or 'too-large' once it passes the cap (the rest is not read). */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      total += chunk.length;
      if (total > maxBytes) {
        done = true;
        chunks.length = 0;
        req.pause();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks, total));
    });
    req.on('error', (err) => {
      if (!done) reject(err);
    });
  });
}

/**
 * The client certificate of a connection, read once per connection: getPeerCertificate copies and converts the
 * whole certificate on every call, and a kept-alive connection carries many calls (a slice manager fanning out to
 * fifty aggregates sends each of them its calls on one connection). The server refuses renegotiation (TLS 1.3
 * has none; startXmlRpcHttpsServer disables it for 1.2), so the certificate a connection began with is the one it keeps.
 */
const identities = new WeakMap<TLSSocket, PeerIdentity>();

function peerIdentity(socket: TLSSocket): PeerIdentity {
  let identity = identities.get(socket);
  if (!identity) {
    identity = readPeerIdentity(socket);
    // A request arrives only after the handshake, so the certificate is known by then.
    if (typeof socket.getPeerCertificate === 'function') identities.set(socket, identity);
  }
  return identity;
}

function readPeerIdentity(socket: TLSSocket): PeerIdentity {
  const cert = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate(false) : undefined;
  if (!cert || !cert.raw) return { authorized: false };
  const base64 = cert.raw.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return {
    certDer: cert.raw,
    certPem: `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`,
    subjectAltName: cert.subjectaltname,
    authorized: socket.authorized,
  };
}

function sendXml(res: ServerResponse, status: number, xml: string, recorder?: ExchangeRecorder): void {
  const body = Buffer.from(xml, 'utf8');
  res.writeHead(status, { 'Content-Type': 'text/xml', 'Content-Length': body.length });
  res.end(body);
  recorder?.answered(status, 'text/xml', body);
}

function sendText(res: ServerResponse, status: number, text: string, recorder?: ExchangeRecorder): void {
  const body = Buffer.from(`${text}\n`, 'utf8');
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length });
  res.end(body);
  recorder?.answered(status, 'text/plain; charset=utf-8', body);
}

function sendRaw(res: ServerResponse, answer: RawHttpAnswer, timers: Set<NodeJS.Timeout>, recorder?: ExchangeRecorder): void {
  const { status = 200, contentType = 'text/xml', delayMs = 0, neverRespond = false, dropConnection = false } = answer.options ?? {};
  // Left hanging on purpose; close() destroys the socket.
  if (neverRespond) return;
  if (dropConnection) {
    res.socket?.destroy();
    return;
  }
  const send = (): void => {
    const body = typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : answer.body;
    res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': body.length });
    res.end(body);
    recorder?.answered(status, contentType, body);
  };
  if (delayMs <= 0) {
    send();
    return;
  }
  const timer = setTimeout(() => {
    timers.delete(timer);
    if (!res.destroyed) send();
  }, delayMs);
  timers.add(timer);
}

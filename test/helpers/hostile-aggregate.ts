import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Readable, pipeline } from 'node:stream';
import { initAuthority, mintAmIdentity } from '../../src/credentials';
import { RawHttpAnswer, XmlRpcFault } from '../../src/server';
import { decodeMethodCall, encodeFault, encodeMethodResponse, type XmlRpcValue } from '../../src/xmlrpc';

/**
 * The project's own hostile aggregate: XML-RPC over real TLS on 127.0.0.1 with client certificates, which misbehaves
 * in one named way, either in its GetVersion (the first call of every run: HOSTILE_VERSION_MODES) or in every call
 * after a proper GetVersion (HOSTILE_CALL_MODES). Whatever it does, a run against it must end by itself and write
 * its reports, every case that met the misbehaviour failed or errored with the exchange that shows it.
 */

/**
 * An answer whose body is streamed as it is produced (chunked, no Content-Length): a body that drips or never ends.
 * The stream is destroyed when the connection goes (the client hung up, or the server closed).
 */
export class StreamedAnswer {
  constructor(readonly body: Readable) {}
}

export type HostileAnswer = XmlRpcValue | RawHttpAnswer | StreamedAnswer;

/** What a mode may need to know about the aggregate it runs in. */
export interface HostileContext {
  /** This aggregate's AM API v3 URL (what a proper GetVersion names). */
  url: string;
}

/** A proper AM API v3 GetVersion answer naming `url`. */
export function properVersion(url: string): XmlRpcValue {
  return { code: { geni_code: 0 }, value: { geni_api: 3, geni_api_versions: { 3: url } }, output: '', geni_api: 3 };
}

/**
 * A body sent one byte every `everyMs` (a slowloris answer: the connection is never idle long enough for an idle
 * timer, so only a limit on the whole exchange ends it). Its timer stops when the connection goes.
 */
export function slowDrip(text: string, everyMs: number): Readable {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  let timer: NodeJS.Timeout | undefined;
  return new Readable({
    read() {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        this.push(at < bytes.length ? bytes.subarray(at, ++at) : null);
      }, everyMs);
    },
    destroy(err, done) {
      clearTimeout(timer);
      done(err);
    },
  });
}

/** A body that starts as an XML-RPC answer and never ends: 64 KiB chunks as fast as the client takes them. */
export function endlessBody(): Readable {
  const filler = Buffer.alloc(64 * 1024, 'a');
  let started = false;
  return new Readable({
    read() {
      if (started) {
        this.push(filler);
        return;
      }
      started = true;
      this.push('<?xml version="1.0"?><methodResponse><params><param><value><string>');
    },
  });
}

const ENTITY_BOMB = `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">${
  Array.from({ length: 9 }, (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`).join('')
}]><methodResponse><params><param><value>&j;</value></param></params></methodResponse>`;

export const HOSTILE_VERSION_MODES = {
  /** Reads the request and never answers. */
  hang: () => new RawHttpAnswer('', { neverRespond: true }),
  /** A proper GetVersion answer, one byte every 50 ms (about 20 s in all: longer than any call limit a test sets). */
  'slow-drip': ({ url }: HostileContext) => new StreamedAnswer(slowDrip(encodeMethodResponse(properVersion(url)), 50)),
  /** An answer whose body never ends (only the response-size cap stops it). */
  endless: () => new StreamedAnswer(endlessBody()),
  /** A DTD with a billion-laughs entity blow-up. */
  'entity-bomb': () => new RawHttpAnswer(ENTITY_BOMB),
  /** An external entity naming a local file, behind 70 KB of comment (a DTD refusal that reads only the start misses it). */
  'padded-xxe': () => new RawHttpAnswer(`<?xml version="1.0"?><!--${'x'.repeat(70 * 1024)}--><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><methodResponse><params><param><value>&x;</value></param></params></methodResponse>`),
  /** A proxy's error page with status 200. */
  html: () => new RawHttpAnswer('<html><body><h1>502 Bad Gateway</h1></body></html>', { status: 200, contentType: 'text/html' }),
  /** A well-formed answer whose value is a string, not the GetVersion struct. */
  'string-value': (): XmlRpcValue => ({ code: { geni_code: 0 }, value: 'GetVersion is not available today', output: '' }),
  /** A fault with a 10 MiB faultString. */
  'huge-fault': () => new RawHttpAnswer(`<?xml version="1.0"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>1</int></value></member><member><name>faultString</name><value><string>${'E'.repeat(10 * 1024 * 1024)}</string></value></member></struct></value></fault></methodResponse>`),
  /** 100,000 nested arrays (a recursive decoder overflows its stack). */
  'deep-nesting': () => new RawHttpAnswer(`<?xml version="1.0"?><methodResponse><params><param>${'<value><array><data>'.repeat(100_000)}</param></params></methodResponse>`),
  /** A geni_code that says the call failed. */
  'error-code': (): XmlRpcValue => ({ code: { geni_code: 5 }, value: 0, output: 'server is busy' }),
} satisfies Record<string, (ctx: HostileContext) => HostileAnswer>;

export type HostileVersionMode = keyof typeof HOSTILE_VERSION_MODES;

/**
 * The Faults of a fault storm, in turn: the interoperability codes and an aggregate's own, an empty faultString, a
 * Python traceback, a 256 KiB one, non-ASCII text.
 */
const STORM: Array<[number, string]> = [
  [-32603, 'internal error: database is locked'],
  [1, ''],
  [-32601, 'method not found'],
  [2, `Traceback (most recent call last):\n${'  File "am.py", line 1, in handler\n'.repeat(20)}KeyError: 'geni_rspec_version'`],
  [99_999, 'W'.repeat(256 * 1024)],
  [-32700, 'parse error: überraschend ☃'],
];

export const HOSTILE_CALL_MODES = {
  /** A proxy's error page with status 200. */
  html: () => new RawHttpAnswer('<html><body><h1>502 Bad Gateway</h1></body></html>', { status: 200, contentType: 'text/html' }),
  /** HTTP 503 with a text body. */
  'http-503': () => new RawHttpAnswer('Service Unavailable', { status: 503, contentType: 'text/plain' }),
  /** An external entity naming a local file. */
  xxe: () => new RawHttpAnswer('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><methodResponse><params><param><value>&x;</value></param></params></methodResponse>'),
  /** A DTD with a billion-laughs entity blow-up. */
  'entity-bomb': () => new RawHttpAnswer(ENTITY_BOMB),
  /** An answer cut off in the middle of its XML. */
  truncated: () => new RawHttpAnswer('<?xml version="1.0"?><methodResponse><params><param><value><struct><member><name>code'),
  /** 8 MiB of 'a' (past a test's response cap). */
  huge: () => new RawHttpAnswer(Buffer.alloc(8 * 1024 * 1024, 'a')),
  /** Reads the request and never answers. */
  silent: () => new RawHttpAnswer('', { neverRespond: true }),
  /** A success answer, one byte every 50 ms. */
  'slow-drip': () => new StreamedAnswer(slowDrip(encodeMethodResponse({ code: { geni_code: 0 }, value: '', output: '' }), 50)),
  /** An answer whose body never ends. */
  endless: () => new StreamedAnswer(endlessBody()),
  /** Every call a Fault, the next of STORM each time. */
  'fault-storm': (_ctx: HostileContext, call: number) => {
    const [code, text] = STORM[call % STORM.length]!;
    throw new XmlRpcFault(code, text);
  },
} satisfies Record<string, (ctx: HostileContext, call: number) => HostileAnswer>;

export type HostileCallMode = keyof typeof HOSTILE_CALL_MODES;

export interface HostileServer {
  /** https://127.0.0.1:<port><path> */
  url(path: string): string;
  /** Stops listening and drops every connection (streams and hanging answers end with them). */
  close(): Promise<void>;
}

/**
 * The hostile aggregate's own server: XML-RPC over TLS on 127.0.0.1 requiring a client certificate from `caPem`,
 * each path answered by its handler (a value, a thrown XmlRpcFault, a RawHttpAnswer's exact bytes, or a stream).
 * Kept apart from src/server (the reference AM's): it must be free to do what no well-behaved server does.
 */
export async function startHostileServer(options: {
  tls: { certPem: string; keyPem: string; caPem: string[] };
  routes: Record<string, (method: string) => Promise<HostileAnswer>>;
}): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const server = https.createServer(
    { cert: options.tls.certPem, key: options.tls.keyPem, ca: options.tls.caPem, requestCert: true, rejectUnauthorized: true },
    (req, res) => { void answer(req, res, options.routes); },
  );
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `https://127.0.0.1:${port}${path}`,
    close: () => new Promise<void>((r) => {
      server.close(() => r());
      for (const socket of sockets) socket.destroy();
    }),
  };
}

async function answer(req: IncomingMessage, res: ServerResponse, routes: Record<string, (method: string) => Promise<HostileAnswer>>): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const route = routes[new URL(req.url ?? '/', 'https://x.invalid').pathname];
  if (!route) {
    res.writeHead(404).end();
    return;
  }
  let result: HostileAnswer;
  try {
    result = await route(decodeMethodCall(Buffer.concat(chunks)).method);
  } catch (err) {
    const xml = err instanceof XmlRpcFault ? encodeFault(Number(err.faultCode), err.faultString) : encodeFault(-32603, String(err));
    res.writeHead(200, { 'Content-Type': 'text/xml' }).end(xml);
    return;
  }
  if (result instanceof StreamedAnswer) {
    res.writeHead(200, { 'Content-Type': 'text/xml' });
    // Ends the stream (and its timers) whichever side stops first; the client hanging up is the point.
    pipeline(result.body, res, () => undefined);
    return;
  }
  if (result instanceof RawHttpAnswer) {
    const { status = 200, contentType = 'text/xml', neverRespond = false, delayMs = 0 } = result.options ?? {};
    if (neverRespond) return; // close() destroys the socket
    const { body } = result;
    const send = (): void => { if (!res.destroyed) res.writeHead(status, { 'Content-Type': contentType }).end(body); };
    if (delayMs > 0) setTimeout(send, delayMs).unref();
    else send();
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/xml' }).end(encodeMethodResponse(result));
}

export interface HostileAggregate {
  url: string;
  /** The test authority the aggregate trusts (the run's `--authority`). */
  authorityDir: string;
  /** Calls the aggregate has received, by method. */
  calls: Map<string, number>;
  close(): Promise<void>;
}

/**
 * Starts a hostile aggregate that trusts a test authority made in `dir`: its GetVersion behaves as `getVersion`
 * (proper when not given), every other call as `calls` (a proper but empty success when not given).
 */
export async function startHostileAggregate(dir: string, modes: { getVersion?: HostileVersionMode; calls?: HostileCallMode }): Promise<HostileAggregate> {
  const authorityDir = `${dir}/authority`;
  const { authority } = initAuthority(authorityDir);
  const identity = mintAmIdentity(authority, { hosts: ['127.0.0.1'] });
  const calls = new Map<string, number>();
  let ctx: HostileContext = { url: '' };
  let answered = 0;
  const server = await startHostileServer({
    tls: { certPem: identity.certPem, keyPem: identity.keyPem, caPem: authority.trustedRootsPem },
    routes: {
      '/am/3': async (method) => {
        calls.set(method, (calls.get(method) ?? 0) + 1);
        if (method === 'GetVersion') return modes.getVersion ? HOSTILE_VERSION_MODES[modes.getVersion](ctx) : properVersion(ctx.url);
        if (modes.calls) return HOSTILE_CALL_MODES[modes.calls](ctx, answered++);
        return { code: { geni_code: 0 }, value: '', output: '' };
      },
    },
  });
  ctx = { url: server.url('/am/3') };
  return { url: ctx.url, authorityDir, calls, close: () => server.close() };
}

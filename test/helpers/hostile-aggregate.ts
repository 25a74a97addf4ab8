import { initAuthority, mintAmIdentity } from '../../src/credentials';
import { RawHttpAnswer, startXmlRpcHttpsServer, type RunningXmlRpcServer } from '../../src/server';
import type { XmlRpcValue } from '../../src/xmlrpc';

/**
 * The project's own hostile aggregate: XML-RPC over real TLS on 127.0.0.1 with client certificates, whose GetVersion
 * (the first call of every run) misbehaves in one named way. Whatever it does, a run against it must end by
 * itself, write its reports with every selected case an `error` naming the cause, and exit 1.
 */
export const HOSTILE_VERSION_MODES = {
  /** Reads the request and never answers. */
  hang: () => new RawHttpAnswer('', { neverRespond: true }),
  /** A DTD with a billion-laughs entity blow-up. */
  'entity-bomb': () => new RawHttpAnswer(`<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">${
    Array.from({ length: 9 }, (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`).join('')
  }]><methodResponse><params><param><value>&j;</value></param></params></methodResponse>`),
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
} satisfies Record<string, () => RawHttpAnswer | XmlRpcValue>;

export type HostileVersionMode = keyof typeof HOSTILE_VERSION_MODES;

export interface HostileAggregate {
  url: string;
  /** The test authority the aggregate trusts (the run's `--authority`). */
  authorityDir: string;
  close(): Promise<void>;
}

/** Starts a hostile aggregate whose GetVersion behaves as `mode`, trusting a test authority made in `dir`. */
export async function startHostileAggregate(mode: HostileVersionMode, dir: string): Promise<HostileAggregate> {
  const authorityDir = `${dir}/authority`;
  const { authority } = initAuthority(authorityDir);
  const identity = mintAmIdentity(authority, { hosts: ['127.0.0.1'] });
  const answer = HOSTILE_VERSION_MODES[mode];
  const server: RunningXmlRpcServer = await startXmlRpcHttpsServer({
    tls: { certPem: identity.certPem, keyPem: identity.keyPem, caPem: authority.trustedRootsPem },
    routes: { '/am/3': async () => answer() },
  });
  return { url: server.url('/am/3'), authorityDir, close: () => server.close() };
}

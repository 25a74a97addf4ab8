import https from 'node:https';
import type { UserIdentity } from '../../src/credentials';
import { decodeMethodResponse, encodeMethodCall, type DecodedResponse, type XmlRpcValue } from '../../src/xmlrpc';

/** One XML-RPC call over real TLS, presenting `user`'s certificate chain (none when null) and pinning `caPem`. */
export function rpcOverTls(caPem: string, url: string, method: string, params: XmlRpcValue[], user: UserIdentity | null): Promise<DecodedResponse> {
  const body = encodeMethodCall(method, params);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body) },
        ca: caPem,
        cert: user?.certChainPem,
        key: user?.keyPem,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve(decodeMethodResponse(Buffer.concat(chunks)));
          } catch (err) {
            reject(err);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

import { randomBytes } from 'node:crypto';
import type { TestAuthority } from '../credentials';
import { mintServiceIdentity } from '../credentials';
import { startXmlRpcHttpsServer, XmlRpcFault } from '../server';
import type { XmlRpcValue } from '../xmlrpc';
import { behaviourFromWire, peerInfoToWire, receivedCallToWire } from './control-protocol';
import type { PeerAggregates } from './peer-set';

export interface PeerControlServer {
  /** https://host:port/control/<token>: whoever holds it (and a certificate of the authority) drives the peers. */
  url: string;
  close(): Promise<void>;
}

const index = (v: XmlRpcValue | undefined): number => {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new XmlRpcFault(1, 'the peer index must be an integer');
  return v;
};

/** Serves PeerControl for `peers` over XML-RPC (see control-protocol.ts). */
export async function servePeerControl(peers: PeerAggregates, options: { authority: TestAuthority; host?: string; extraTrustedRootsPem?: string[] }): Promise<PeerControlServer> {
  const host = options.host ?? '127.0.0.1';
  const token = randomBytes(16).toString('hex');
  const identity = mintServiceIdentity(options.authority, { hosts: [host], name: 'peer-control' });
  const path = `/control/${token}`;
  const server = await startXmlRpcHttpsServer({
    host,
    tls: { certPem: identity.certPem, keyPem: identity.keyPem, caPem: [...options.authority.trustedRootsPem, ...(options.extraTrustedRootsPem ?? [])], requireClientCert: true },
    routes: {
      [path]: async (method, params) => {
        try {
          switch (method) {
            case 'Peers':
              return peers.peers.map(peerInfoToWire);
            case 'Mark':
              return await peers.mark();
            case 'Received':
              return (await peers.received(typeof params[0] === 'number' ? params[0] : 0)).map(receivedCallToWire);
            case 'Configure':
              await peers.configure(index(params[0]), behaviourFromWire(params[1] ?? {}));
              return true;
            case 'Reset':
              await peers.reset();
              return true;
            case 'ChangeAdvertisement':
              await peers.changeAdvertisement(index(params[0]));
              return true;
            default:
              throw new XmlRpcFault(-32601, `no control method ${JSON.stringify(method)}`);
          }
        } catch (err) {
          if (err instanceof XmlRpcFault) throw err;
          throw new XmlRpcFault(2, err instanceof Error ? err.message : String(err));
        }
      },
    },
  });
  return { url: server.url(path), close: () => server.close() };
}

import { AmClient } from '../../src/client';
import {
  createTestAuthority, delegateTo, mintSliceCredential, mintUser, mintUserCredential, sfaCredentialStruct, sliceUrn, userAsDelegator,
  type TestAuthority, type UserIdentity,
} from '../../src/credentials';
import { v3Api, type V3Api } from '../../src/geni/methods';
import { startPeerAggregates, type PeerAggregates, type PeerAggregatesOptions } from '../../src/peer-aggregates';
import { startReferenceSm, type ReferenceSm, type ReferenceSmOptions } from '../../src/reference-sm';
import { serializeRequest } from '../../src/rspec';
import { HttpsTransport } from '../../src/transport';
import type { XmlRpcValue } from '../../src/xmlrpc';

/** An authority, N peer aggregates, the reference SM in front of them, and alice calling the SM. */
export interface SmWorld {
  authority: TestAuthority;
  alice: UserIdentity;
  peers: PeerAggregates;
  sm: ReferenceSm;
  am: V3Api;
  transport: HttpsTransport;
  userCredentials(): XmlRpcValue[];
  /** Alice's slice credential for `slice` plus the one she delegated to the SM (what sfi sends). */
  sliceCredentials(slice: string, delegate?: boolean): XmlRpcValue[];
  close(): Promise<void>;
}

let shared: { authority: TestAuthority; alice: UserIdentity } | undefined;

export async function startSmWorld(options: { peers?: number; peerOptions?: Partial<PeerAggregatesOptions>; sm?: Partial<ReferenceSmOptions> } = {}): Promise<SmWorld> {
  shared ??= (() => {
    const authority = createTestAuthority();
    return { authority, alice: mintUser(authority, 'alice') };
  })();
  const { authority, alice } = shared;
  const peers = await startPeerAggregates({ authority, count: options.peers ?? 3, ...options.peerOptions });
  const sm = await startReferenceSm({
    authority,
    aggregates: peers.peers.map((p) => ({ hrn: p.hrn, url: p.url, urn: p.urn })),
    peerTimeoutMs: 3000,
    ...options.sm,
  });
  const transport = new HttpsTransport({ certPem: `${alice.certPem}${authority.sa.certPem}`, keyPem: alice.keyPem, caPem: authority.trustedRootsPem });
  const am = v3Api(new AmClient({ url: sm.url, transport, timeoutMs: 60_000 }));
  const userCredential = mintUserCredential(authority, alice);
  const smGid = { certPem: sm.gidPem, urn: sm.urn };
  return {
    authority, alice, peers, sm, am, transport,
    // A user credential's privileges are not delegatable: for ListResources the SM forwards its own credential.
    userCredentials: () => [sfaCredentialStruct(userCredential)],
    sliceCredentials(slice, delegate = true) {
      const own = mintSliceCredential(authority, alice, slice);
      const creds = [sfaCredentialStruct(own)];
      if (delegate) creds.push(sfaCredentialStruct(delegateTo(own, userAsDelegator(authority, alice), smGid)));
      return creds;
    },
    async close() {
      transport.close();
      await sm.close();
      await peers.close();
    },
  };
}

export function sliceOf(world: SmWorld, name: string): string {
  return sliceUrn(world.authority, name);
}

/** A request with one VM bound to each of the given peers. */
export function requestFor(world: SmWorld, peerIndexes: number[]): string {
  return serializeRequest({
    type: 'request',
    links: [],
    nodes: peerIndexes.map((i) => ({ clientId: `vm${i}`, componentManagerId: world.peers.peers[i]!.urn, sliverType: { name: 'default-vm' }, interfaces: [] })),
  });
}

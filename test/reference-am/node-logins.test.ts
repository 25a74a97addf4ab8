import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transcript } from '../../src/client';
import { makeUrn } from '../../src/geni/urn';
import { LoginKeyPair, sshLogin, type LoginAttempt, type LoginTarget } from '../../src/login';
import { readLoginServices } from '../../src/rspec';
import { mintSliceCredential, sfaCredentialStruct } from '../../src/credentials';
import { startReferenceAm, type ReferenceAm } from '../../src/reference-am';
import { isStruct, type XmlRpcValue } from '../../src/xmlrpc';
import { GENI3, mintIdentities, requestXml, type Identities } from './aggregate-fixture';
import { rpcOverTls } from './tls-rpc';

// The reference AM's nodes are real SSH servers: each provisioned node its own port on 127.0.0.1, taking exactly
// the keys its sliver was given, only while it runs, and closing with the sliver. These tests log in for real.
// (The login faults are shown through real logins by the login cases in test/suites/fault-sensitivity.test.ts.)

let ids: Identities;
let keys: { alice: LoginKeyPair; bob: LoginKeyPair; stranger: LoginKeyPair };
const started: ReferenceAm[] = [];

beforeAll(async () => {
  ids = mintIdentities('node-logins.test');
  const [alice, bob, stranger] = await Promise.all(['alice', 'bob', 'stranger'].map((l) => LoginKeyPair.mint(l)));
  keys = { alice: alice!, bob: bob!, stranger: stranger! };
});
afterAll(async () => {
  await Promise.all(started.map((am) => am.close()));
});

async function referenceAm(faults: string[] = []): Promise<ReferenceAm> {
  const am = await startReferenceAm({ authority: ids.authority, faults });
  started.push(am);
  return am;
}

async function v3(am: ReferenceAm, method: string, params: XmlRpcValue[]): Promise<Record<string, XmlRpcValue>> {
  const answer = await rpcOverTls(ids.authority.ca.certPem, am.urls['3']!, method, params, ids.alice);
  if (answer.kind !== 'value' || !isStruct(answer.value)) throw new Error(`${method}: ${JSON.stringify(answer)}`);
  const code = isStruct(answer.value.code) ? answer.value.code.geni_code : undefined;
  if (code !== 0) throw new Error(`${method} answered geni_code ${String(code)}: ${String(answer.value.output)}`);
  return answer.value;
}

const sliceCred = (slice: string) => [sfaCredentialStruct(mintSliceCredential(ids.authority, ids.alice, slice))];
const user = (name: string, key: LoginKeyPair) => ({ urn: makeUrn(ids.authority.name, 'user', name), keys: [key.publicKey] });

/** Allocates `nodes` VMs in `slice`, provisions them for `users` and (unless told not to) starts them; the login targets per node. */
async function provision(am: ReferenceAm, slice: string, nodes: number, users: Array<{ urn: string; keys: string[] }>, start = true): Promise<LoginTarget[][]> {
  const cred = sliceCred(slice);
  await v3(am, 'Allocate', [slice, cred, requestXml(Array.from({ length: nodes }, (_, i) => ({ clientId: `vm${i}` }))), {}]);
  const provisioned = await v3(am, 'Provision', [[slice], cred, { geni_rspec_version: GENI3, geni_users: users }]);
  if (start) await v3(am, 'PerformOperationalAction', [[slice], cred, 'geni_start', {}]);
  const manifest = (provisioned.value as Record<string, XmlRpcValue>).geni_rspec as string;
  return readLoginServices(manifest).map((n) => n.logins.map((l) => ({ host: l.hostname!, port: Number(l.port), username: l.username! })));
}

const login = (target: LoginTarget, key: LoginKeyPair, commands = ['true', 'uname', 'whoami']): Promise<LoginAttempt> =>
  sshLogin(target, key, commands, { waitMs: 1_500, transcript: new Transcript() });

describe('reference AM nodes as SSH servers', () => {
  // One aggregate for the tests that only add slices of their own (starting one mints its TLS identity).
  let shared: ReferenceAm | undefined;
  const sharedAm = async () => (shared ??= await referenceAm());

  it('opens no port until something is provisioned', async () => {
    const am = await sharedAm();
    await v3(am, 'GetVersion', []);
    await v3(am, 'Allocate', [makeUrn(ids.authority.name, 'slice', 'quiet'), sliceCred(makeUrn(ids.authority.name, 'slice', 'quiet')), requestXml([{ clientId: 'a' }]), {}]);
    expect(am.nodeLoginPorts).toBe(0);
  });

  it('gives each node its own port, lets in each user with their own key as their own account, and refuses everyone else', async () => {
    const am = await sharedAm();
    const slice = makeUrn(ids.authority.name, 'slice', 'pair');
    const nodes = await provision(am, slice, 2, [user('alice', keys.alice), user('bob', keys.bob)]);
    expect(nodes).toHaveLength(2);
    expect(nodes.map((logins) => logins.map((l) => l.username))).toEqual([['alice', 'bob'], ['alice', 'bob']]);
    const ports = nodes.map((logins) => logins[0]!.port);
    expect(new Set(ports).size).toBe(2);
    expect(nodes.flat().every((l) => l.host === '127.0.0.1' && l.port !== 22)).toBe(true);

    const [alice, bob] = nodes[0]!;
    const inAsAlice = await login(alice!, keys.alice);
    expect(inAsAlice.outcome).toEqual({ kind: 'ran', runs: [
      { command: 'true', exitCode: 0, stdout: '', stderr: '' },
      { command: 'uname', exitCode: 0, stdout: 'Linux\n', stderr: '' },
      { command: 'whoami', exitCode: 0, stdout: 'alice\n', stderr: '' },
    ] });
    expect(inAsAlice.hostKey).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect((await login(bob!, keys.bob)).outcome.kind).toBe('ran');
    // Bob's key does not open Alice's account, a stranger's opens nothing, and a made-up account does not exist.
    expect((await login(alice!, keys.bob)).outcome.kind).toBe('auth-refused');
    expect((await login(alice!, keys.stranger)).outcome.kind).toBe('auth-refused');
    expect((await login({ ...alice!, username: 'root' }, keys.alice)).outcome.kind).toBe('auth-refused');
  });

  it('takes no connection while the node is not running (after Provision, before geni_start)', async () => {
    const am = await sharedAm();
    const [[target]] = (await provision(am, makeUrn(ids.authority.name, 'slice', 'cold'), 1, [user('alice', keys.alice)], false)) as [[LoginTarget]];
    const attempt = await login(target, keys.alice);
    expect(attempt.outcome.kind).toBe('no-ssh');
    expect(attempt.tries).toBeGreaterThanOrEqual(1);
  });

  it('geni_update_users replaces a user’s keys on the running node', async () => {
    const am = await sharedAm();
    const slice = makeUrn(ids.authority.name, 'slice', 'update');
    const [[target]] = (await provision(am, slice, 1, [user('alice', keys.alice)])) as [[LoginTarget]];
    await v3(am, 'PerformOperationalAction', [[slice], sliceCred(slice), 'geni_update_users', { geni_users: [user('alice', keys.bob)] }]);
    expect((await login(target, keys.bob)).outcome.kind).toBe('ran');
    expect((await login(target, keys.alice)).outcome.kind).toBe('auth-refused');
  });

  it('closes a node’s port with its sliver, and every port when the aggregate closes', async () => {
    const am = await referenceAm();
    const kept = makeUrn(ids.authority.name, 'slice', 'kept');
    const gone = makeUrn(ids.authority.name, 'slice', 'gone');
    const [[keptTarget]] = (await provision(am, kept, 1, [user('alice', keys.alice)])) as [[LoginTarget]];
    const [[goneTarget]] = (await provision(am, gone, 1, [user('alice', keys.alice)])) as [[LoginTarget]];
    const before = am.nodeLoginPorts;
    await v3(am, 'Delete', [[gone], sliceCred(gone), {}]);
    expect(am.nodeLoginPorts).toBe(before - 1);
    expect((await login(goneTarget, keys.alice)).outcome.kind).toBe('connection-refused');
    expect((await login(keptTarget, keys.alice)).outcome.kind).toBe('ran');

    await am.close();
    expect(am.nodeLoginPorts).toBe(0);
    expect(await portIsFree(keptTarget.port)).toBe(true);
  });
});

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

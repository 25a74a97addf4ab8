import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { inspect } from 'node:util';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transcript } from '../../src/client';
import { LoginKeyPair, sshLogin } from '../../src/login';
import { classifyConnectionError } from '../../src/login/ssh-login';

// The harness's SSH client against small local servers that behave one way each: a real SSH server that takes
// one key, nothing listening, something that is not SSH, and something that never answers.

let allowed: LoginKeyPair;
let other: LoginKeyPair;
const servers: Server[] = [];
const sockets = new Set<Socket>();

beforeAll(async () => {
  [allowed, other] = await Promise.all([LoginKeyPair.mint('allowed'), LoginKeyPair.mint('other')]);
});
afterAll(async () => {
  // A server socket that never reads never notices the client went away: close them here.
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listening(server: Server): Promise<number> {
  servers.push(server);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/** An SSH server that lets `key` in as alice and answers exec with the command's name. */
async function sshServer(key: LoginKeyPair): Promise<number> {
  const hostKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }) as string;
  const accepted = ssh2.utils.parseKey(key.publicKey) as ssh2.ParsedKey;
  const ssh = new ssh2.Server({ hostKeys: [hostKey] }, (conn) => {
    conn.on('error', () => {});
    conn.on('authentication', (ctx) => {
      if (ctx.method === 'publickey' && ctx.username === 'alice' && ctx.key.data.equals(accepted.getPublicSSH())) {
        if (ctx.signature && !accepted.verify(ctx.blob!, ctx.signature, ctx.hashAlgo)) return ctx.reject();
        return ctx.accept();
      }
      return ctx.reject(['publickey']);
    });
    conn.on('ready', () => conn.on('session', (accept) => accept().on('exec', (acceptExec, _r, info) => {
      const stream = acceptExec();
      stream.write(`ran ${info.command}\n`);
      stream.exit(info.command === 'false' ? 1 : 0);
      stream.end();
    })));
  });
  return listening(createServer((socket) => ssh.injectSocket(socket)));
}

const target = (port: number) => ({ host: '127.0.0.1', port, username: 'alice' });

describe('sshLogin', () => {
  it('logs in, runs the commands in order on one connection, and records the exchange without the private key', async () => {
    const port = await sshServer(allowed);
    const transcript = new Transcript();
    const attempt = await sshLogin(target(port), allowed, ['true', 'false'], { waitMs: 5_000, transcript });
    expect(attempt.outcome).toEqual({ kind: 'ran', runs: [
      { command: 'true', exitCode: 0, stdout: 'ran true\n', stderr: '' },
      { command: 'false', exitCode: 1, stdout: 'ran false\n', stderr: '' },
    ] });
    expect(attempt.tries).toBe(1);
    const [exchange] = transcript.entries;
    expect(exchange).toMatchObject({ id: attempt.exchangeId, method: 'SSH login', endpoint: `ssh://alice@127.0.0.1:${port}` });
    expect(exchange!.request.body).toContain(allowed.fingerprint);
    expect(exchange!.response!.body).toMatch(/^host key: SHA256:\S+\n\$ true\nran true\n\(exit 0\)\n\$ false\nran false\n\(exit 1\)$/);
    const recorded = JSON.stringify(transcript.entries);
    expect(recorded).not.toMatch(/PRIVATE KEY/);
    for (const line of allowed.privateKeyForSshClient().split('\n').filter((l) => /^[A-Za-z0-9+/]{40,}/.test(l))) expect(recorded).not.toContain(line);
  });

  it('reports a refused key as auth-refused, at once', async () => {
    const port = await sshServer(allowed);
    const attempt = await sshLogin(target(port), other, ['true'], { waitMs: 5_000, transcript: new Transcript() });
    expect(attempt.outcome.kind).toBe('auth-refused');
    expect(attempt.tries).toBe(1);
  });

  it('tries a port where nothing listens again until the wait is over, then says connection-refused', async () => {
    const closed = createServer();
    const port = await listening(closed);
    await new Promise((resolve) => closed.close(resolve));
    const attempt = await sshLogin(target(port), allowed, ['true'], { waitMs: 2_500, transcript: new Transcript() });
    expect(attempt.outcome).toMatchObject({ kind: 'connection-refused', message: expect.stringContaining(`127.0.0.1:${port}`) });
    expect(attempt.tries).toBeGreaterThanOrEqual(2);
  });

  it('calls a server that speaks something else no-ssh', async () => {
    const port = await listening(createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')));
    const attempt = await sshLogin(target(port), allowed, ['true'], { waitMs: 1_000, transcript: new Transcript() });
    expect(attempt.outcome.kind).toBe('no-ssh');
  });

  it('gives up on a server that accepts and never speaks once the wait is over', async () => {
    const port = await listening(createServer(() => {}));
    const attempt = await sshLogin(target(port), allowed, ['true'], { waitMs: 1_500, tryTimeoutMs: 1_000, transcript: new Transcript() });
    expect(attempt.outcome).toMatchObject({ kind: 'no-ssh', message: expect.stringMatching(/no SSH handshake within 1000 ms/) });
  });
});

describe('classifyConnectionError', () => {
  it.each([
    [{ code: 'EHOSTUNREACH' }, false, 'unreachable'],
    [{ code: 'ENETUNREACH' }, false, 'unreachable'],
    [{ code: 'ENOTFOUND' }, false, 'unreachable'],
    [{ level: 'client-timeout' }, false, 'unreachable'],
    [{ level: 'client-timeout' }, true, 'no-ssh'],
    [{ code: 'ECONNREFUSED' }, false, 'connection-refused'],
    [{ code: 'ECONNRESET' }, true, 'no-ssh'],
    [{ level: 'client-authentication' }, true, 'auth-refused'],
  ])('%j (connected: %s) is %s', (fields, connected, kind) => {
    expect(classifyConnectionError(Object.assign(new Error('x'), fields), connected, 1_000).outcome.kind).toBe(kind);
  });
});

describe('LoginKeyPair', () => {
  it('is an OpenSSH RSA public key line with its SHA256 fingerprint', () => {
    expect(allowed.publicKey).toMatch(/^ssh-rsa AAAAB3NzaC1yc2E[A-Za-z0-9+/=]+ geni-harness-allowed$/);
    expect(allowed.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    // The SSH client needs PKCS#1 PEM; parsing it proves it is a usable RSA private key without spelling out its header.
    const key = createPrivateKey(allowed.privateKeyForSshClient());
    expect([key.type, key.asymmetricKeyType]).toEqual(['private', 'rsa']);
    expect(allowed.privateKeyForSshClient().startsWith('-----BEGIN RSA')).toBe(true);
  });

  it('never shows its private key when serialised, inspected or spread', () => {
    const shown = [JSON.stringify(allowed), JSON.stringify({ ...allowed }), inspect(allowed, { depth: 5, showHidden: true }), String(Object.values(allowed))];
    for (const text of shown) expect(text).not.toMatch(/PRIVATE KEY|MII[A-Za-z0-9+/]{20}/);
    expect(JSON.parse(JSON.stringify(allowed))).toEqual({ label: 'allowed', publicKey: allowed.publicKey, fingerprint: allowed.fingerprint });
  });
});

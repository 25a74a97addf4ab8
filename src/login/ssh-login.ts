import { performance } from 'node:perf_hooks';
import ssh2 from 'ssh2';
import { redactText } from '../core';
import type { Transcript } from '../client/transcript';
import { sshFingerprint, type LoginKeyPair } from './keys';

/** Where to log in, as a manifest's <login> says: host, port, account. */
export interface LoginTarget {
  host: string;
  port: number;
  username: string;
}

export interface CommandRun {
  command: string;
  /** null when the command ended by a signal. */
  exitCode: number | null;
  signal?: string;
  stdout: string;
  stderr: string;
}

/**
 * How a login ended. Only `ran` means the node let us in. The others say why not, in the terms a verdict needs:
 * `auth-refused` (the node answered SSH and refused the key), `connection-refused` (the host answered, nothing
 * listens at that port), `no-ssh` (a connection, but no SSH handshake: closed, reset, or not an SSH server),
 * `unreachable` (no network path from here: no route, unknown host, or no answer at all), `timeout` (logged in,
 * but a command did not finish in time).
 */
export type LoginOutcome =
  | { kind: 'ran'; runs: CommandRun[] }
  | { kind: 'auth-refused' | 'connection-refused' | 'no-ssh' | 'unreachable' | 'timeout'; message: string };

export interface LoginAttempt {
  target: LoginTarget;
  key: { label: string; fingerprint: string };
  outcome: LoginOutcome;
  /** The node's host key fingerprint, when the handshake got that far. */
  hostKey?: string;
  /** Connection attempts made within the wait. */
  tries: number;
  durationMs: number;
  /** The transcript entry that records it. */
  exchangeId: string;
}

export interface LoginOptions {
  /** The bounded wait: a node that is not up yet is tried again until this has passed. */
  waitMs: number;
  transcript: Transcript;
  /**
   * How long one try may take for TCP, SSH handshake and authentication, and then for the commands. Independent of
   * the wait, so a slow but working node is never cut off by a short wait. @defaultValue 20000
   */
  tryTimeoutMs?: number;
}

const TRY_MS = 20_000;
const RETRY_PAUSE_MS = 1_000;
/** Output kept per command: enough to show what ran, never a flood. */
const OUTPUT_LIMIT = 4096;
/** Errors that mean there is no path to the host: retrying within seconds will not change them. */
const NO_PATH = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'EAI_FAIL', 'EAI_NONAME']);

/**
 * Logs in to `target` with `key` and runs `commands` one after another on one connection. A node that is not up
 * yet (connection refused, closed before the handshake, no answer) is tried again until `waitMs` has passed; a
 * refused key, a host with no route and a finished login are final. The whole call ends within about
 * `waitMs` + one try's timeout. Every call is recorded in the transcript as
 * one exchange (public key fingerprint only: the private key never leaves this process).
 */
export async function sshLogin(target: LoginTarget, key: LoginKeyPair, commands: string[], options: LoginOptions): Promise<LoginAttempt> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const deadline = started + options.waitMs;
  let tries = 0;
  let result: TryResult;
  for (;;) {
    tries += 1;
    result = await tryOnce(target, key, commands, options.tryTimeoutMs ?? TRY_MS);
    const retryable = result.outcome.kind === 'connection-refused' || result.outcome.kind === 'no-ssh' || result.outcome.kind === 'unreachable' && result.silent;
    if (!retryable || performance.now() + RETRY_PAUSE_MS >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
  }
  const durationMs = Math.round(performance.now() - started);
  const exchange = options.transcript.add(loginExchange(target, key, commands, result, tries, startedAt, durationMs, options.waitMs));
  return {
    target, key: { label: key.label, fingerprint: key.fingerprint }, outcome: result.outcome,
    ...(result.hostKey && { hostKey: result.hostKey }), tries, durationMs, exchangeId: exchange.id,
  };
}

export interface TryResult {
  outcome: LoginOutcome;
  hostKey?: string;
  /** No answer at all (the TCP connection never completed): worth another try while the wait lasts. */
  silent?: boolean;
}

function tryOnce(target: LoginTarget, key: LoginKeyPair, commands: string[], timeoutMs: number): Promise<TryResult> {
  return new Promise((resolve) => {
    const client = new ssh2.Client();
    let connected = false;
    let ready = false;
    let hostKey: string | undefined;
    let settled = false;
    const finish = (result: TryResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(commandTimer);
      client.end();
      // end() only half-closes, and a peer that never answers would keep the socket open: close it for good.
      (client as unknown as { _sock?: { destroy(): void } })._sock?.destroy();
      resolve(hostKey ? { ...result, hostKey } : result);
    };
    // Covers the commands too: the handshake has its own readyTimeout below.
    const commandTimer = setTimeout(() => finish({ outcome: { kind: 'timeout', message: `logged in, but the commands did not finish within ${timeoutMs} ms` } }), timeoutMs + 1_000);
    client.on('connect', () => {
      connected = true;
    });
    client.on('ready', () => {
      ready = true;
      runCommands(client, commands).then(
        (runs) => finish({ outcome: { kind: 'ran', runs } }),
        (err: unknown) => finish({ outcome: { kind: 'no-ssh', message: `the session broke: ${errorText(err)}` } }),
      );
    });
    client.on('error', (err: Error & { level?: string; code?: string }) => finish(classifyConnectionError(err, connected, timeoutMs)));
    client.on('close', () => finish({ outcome: { kind: 'no-ssh', message: ready ? 'the node closed the connection during the session' : 'the connection closed before the SSH handshake finished' } }));
    try {
      client.connect({
        host: target.host,
        port: target.port,
        username: target.username,
        privateKey: key.privateKeyForSshClient(),
        readyTimeout: timeoutMs,
        tryKeyboard: false,
        // The manifest gives no host key to check against: record the one we saw instead.
        hostVerifier: (raw: Buffer) => {
          hostKey = sshFingerprint(raw);
          return true;
        },
      });
    } catch (err) {
      finish({ outcome: { kind: 'no-ssh', message: `could not start the SSH connection: ${errorText(err)}` } });
    }
  });
}

/** @internal How a failed try reads (exported for its unit test). */
export function classifyConnectionError(err: Error & { level?: string; code?: string }, connected: boolean, timeoutMs: number): TryResult {
  const message = errorText(err);
  if (err.level === 'client-authentication') return { outcome: { kind: 'auth-refused', message: 'the node refused the key (publickey authentication failed)' } };
  if (err.code === 'ECONNREFUSED') return { outcome: { kind: 'connection-refused', message: `connection refused: nothing listens at ${message.replace(/^connect ECONNREFUSED /, '')}` } };
  if (err.code && NO_PATH.has(err.code)) return { outcome: { kind: 'unreachable', message } };
  if (err.level === 'client-timeout') {
    return connected
      ? { outcome: { kind: 'no-ssh', message: `connected, but no SSH handshake within ${timeoutMs} ms` } }
      : { outcome: { kind: 'unreachable', message: `no answer within ${timeoutMs} ms (the TCP connection never completed)` }, silent: true };
  }
  if (err.code === 'ETIMEDOUT') return { outcome: { kind: 'unreachable', message }, silent: true };
  return { outcome: { kind: 'no-ssh', message } };
}

async function runCommands(client: ssh2.Client, commands: string[]): Promise<CommandRun[]> {
  const runs: CommandRun[] = [];
  for (const command of commands) runs.push(await runCommand(client, command));
  return runs;
}

function runCommand(client: ssh2.Client, command: string): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) return reject(err);
      let stdout = '';
      let stderr = '';
      stream.on('data', (chunk: Buffer) => {
        if (stdout.length < OUTPUT_LIMIT) stdout += chunk.toString('utf8');
      });
      stream.stderr.on('data', (chunk: Buffer) => {
        if (stderr.length < OUTPUT_LIMIT) stderr += chunk.toString('utf8');
      });
      stream.on('close', (code: number | null | undefined, signal?: string) => {
        resolve({ command, exitCode: code ?? null, ...(signal && { signal }), stdout: stdout.slice(0, OUTPUT_LIMIT), stderr: stderr.slice(0, OUTPUT_LIMIT) });
      });
    });
  });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function loginExchange(
  target: LoginTarget, key: LoginKeyPair, commands: string[], result: TryResult, tries: number, startedAt: string, durationMs: number, waitMs: number,
) {
  const request = [
    `SSH login as ${target.username} to ${target.host} port ${target.port}`,
    `key: ${key.label} ${key.fingerprint} (public: ${key.publicKey})`,
    `commands: ${commands.join('; ')}`,
    `tries: ${tries} within a wait of ${waitMs} ms`,
  ].join('\n');
  const outcome = result.outcome;
  const hostKeyLine = result.hostKey ? [`host key: ${result.hostKey}`] : [];
  const responseBody = outcome.kind === 'ran'
    ? [...hostKeyLine, ...outcome.runs.flatMap((r) => [`$ ${r.command}`, ...(r.stdout ? [r.stdout.trimEnd()] : []), ...(r.stderr ? [`stderr: ${r.stderr.trimEnd()}`] : []), `(exit ${r.exitCode ?? `signal ${r.signal ?? '?'}`})`])].join('\n')
    : undefined;
  return {
    method: 'SSH login',
    endpoint: `ssh://${target.username}@${target.host}:${target.port}`,
    startedAt,
    durationMs,
    request: { bytes: Buffer.byteLength(request), body: redactText(request) },
    ...(responseBody !== undefined && { response: { httpStatus: 0, contentType: 'text/plain; ssh', bytes: Buffer.byteLength(responseBody), body: redactText(responseBody) } }),
    ...(outcome.kind !== 'ran' && { error: `${outcome.kind}: ${outcome.message}${hostKeyLine.length ? ` (${hostKeyLine[0]})` : ''}` }),
  };
}

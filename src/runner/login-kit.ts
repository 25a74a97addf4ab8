import type { Transcript } from '../client/transcript';
import { DEFAULT_CONFIG, type LoginSettings } from '../config';
import { LoginKeyPair, sshLogin, type LoginAttempt, type LoginTarget } from '../login';
import type { Session } from './session';
import { CaseSignal } from './signals';

export type { LoginSettings };

/** Real nodes may run their SSH daemon a little after they report geni_ready. */
export const DEFAULT_LOGIN: LoginSettings = { enabled: true, waitMs: DEFAULT_CONFIG.loginWaitSeconds * 1000 };

/** What a case uses to log in to the nodes it provisioned (t.login). */
export interface LoginKit {
  /**
   * This run's key pair named `label`: minted on first use (RSA 2048) and shared by every case of the run; the
   * private key exists only in this process's memory. Under --no-login the case is skipped here.
   */
  key(label: string): Promise<LoginKeyPair>;
  /** Logs in and runs `commands` within the bounded wait; the attempt is recorded in the case transcript. */
  attempt(target: LoginTarget, key: LoginKeyPair, commands: string[]): Promise<LoginAttempt>;
  readonly waitMs: number;
}

interface RunLoginState {
  keys: Map<string, Promise<LoginKeyPair>>;
  /** Hosts that could not be reached in this run: later logins there fail at once instead of waiting again. */
  unreachable: Set<string>;
}

/** Keys belong to the run: one state per session (a session is one run's connection to one aggregate). */
const runStates = new WeakMap<Session, RunLoginState>();

function runState(session: Session): RunLoginState {
  let state = runStates.get(session);
  if (!state) {
    state = { keys: new Map(), unreachable: new Set() };
    runStates.set(session, state);
  }
  return state;
}

export function loginKit(session: Session, transcript: Transcript, settings: LoginSettings): LoginKit {
  const state = runState(session);
  return {
    waitMs: settings.waitMs,
    key(label) {
      if (!settings.enabled) throw new CaseSignal('skip', 'SSH login cases are switched off (--no-login)');
      let pending = state.keys.get(label);
      if (!pending) {
        pending = LoginKeyPair.mint(label);
        state.keys.set(label, pending);
      }
      return pending;
    },
    async attempt(target, key, commands) {
      if (state.unreachable.has(target.host)) {
        const exchange = transcript.add({
          method: 'SSH login', endpoint: `ssh://${target.username}@${target.host}:${target.port}`, startedAt: new Date().toISOString(), durationMs: 0,
          request: { bytes: 0, body: `SSH login as ${target.username} to ${target.host} port ${target.port}: not tried` },
          error: `unreachable: ${target.host} could not be reached earlier in this run`,
        });
        return { target, key: { label: key.label, fingerprint: key.fingerprint }, outcome: { kind: 'unreachable', message: `${target.host} could not be reached earlier in this run` }, tries: 0, durationMs: 0, exchangeId: exchange.id };
      }
      const attempt = await sshLogin(target, key, commands, { waitMs: settings.waitMs, transcript });
      if (attempt.outcome.kind === 'unreachable') state.unreachable.add(target.host);
      return attempt;
    },
  };
}

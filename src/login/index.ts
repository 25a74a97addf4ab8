export { LoginKeyPair, sshFingerprint } from './keys';
export { sshLogin, type LoginTarget, type LoginOutcome, type LoginAttempt, type LoginOptions, type CommandRun } from './ssh-login';

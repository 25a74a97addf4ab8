import { formatValue, type Check, type Finding } from '../core';
import type { NodeLoginServices } from '../rspec/login-services';

/**
 * Checks on node logins: what the manifests say about logging in, and what happened when the harness tried.
 * The observed values are plain data (the suites read the manifests with readLoginServices and log in through
 * t.login), so the checks stay pure.
 */

const SPEC = 'am3/common#LoginInformation';
const USERS_SPEC = 'am3/common#geni_users';

/** A manifest's login services, and the exchange it came in. */
export interface ManifestLogins {
  nodes: NodeLoginServices[];
  exchangeId: string;
  /** What the manifest is, for messages: 'the Provision manifest', 'Describe after geni_start'. */
  label: string;
}

/** The manifest a reservation returned, and the one read back once the nodes run. */
export interface LoginManifests {
  reserved?: ManifestLogins;
  current: ManifestLogins;
}

/** A login attempt as src/login reports it (only what the checks read). */
export interface ObservedLogin {
  target: { host: string; port: number; username: string };
  key: { label: string; fingerprint: string };
  outcome: { kind: string; message?: string; runs?: Array<{ command: string; exitCode: number | null; stdout: string; stderr: string }> };
  exchangeId: string;
}

/** SSH logins: authentication "ssh-keys" is the standard value; some aggregates write "ssh". */
export function isSshLogin(login: { authentication?: string }): boolean {
  return /^ssh(?:-keys?)?$/i.test(login.authentication?.trim() ?? '');
}

const describeLogin = (l: { hostname?: string; port?: string; username?: string }) =>
  `${l.username ?? '?'}@${l.hostname ?? '?'} port ${l.port ?? '(default 22)'}`;

const nodePath = (clientId: string) => `node[@client_id=${JSON.stringify(clientId)}]/services/login`;

export const login = {
  /**
   * Every node has an SSH login service in the manifest read once the nodes run, when the aggregate shows that it
   * accepts login keys for it: it listed one for that node in the manifest of the reservation, or lists one for
   * another node. ("Aggregates shall use a new RSpec extension to include all login information in manifest
   * RSpecs"; an aggregate that lists none at all does not offer logins, which the case reports as unsupported.)
   */
  servicePerNode(): Check<LoginManifests> {
    return ({ reserved, current }) => {
      const findings: Finding[] = [];
      const withLogin = [...current.nodes, ...(reserved?.nodes ?? [])].filter((n) => n.logins.some(isSshLogin));
      for (const node of current.nodes) {
        if (node.logins.some(isSshLogin)) continue;
        const earlier = reserved?.nodes.find((n) => n.clientId === node.clientId)?.logins.find(isSshLogin);
        const other = withLogin.find((n) => n.clientId !== node.clientId);
        if (!earlier && !other) continue;
        findings.push({
          check: 'login-service-per-node',
          title: 'Node without a login service',
          expected: [`<services><login authentication="ssh-keys" hostname=… port=… username=…/> on node ${JSON.stringify(node.clientId)} in ${current.label}`],
          actual: earlier
            ? `none; ${reserved!.label} listed ${describeLogin(earlier)} for it`
            : `none; node ${JSON.stringify(other!.clientId)} lists one`,
          path: nodePath(node.clientId),
          spec: SPEC,
          exchangeIds: [current.exchangeId, ...(earlier && reserved ? [reserved.exchangeId] : [])],
        });
      }
      return findings;
    };
  },

  /** Each SSH login service names a host and an account, and a port that is a TCP port ("the port, and the username"). */
  servicesComplete(): Check<ManifestLogins> {
    return ({ nodes, exchangeId, label }) =>
      nodes.flatMap((node) => node.logins.filter(isSshLogin).flatMap((l) => {
        const problems = [
          ...(l.hostname?.trim() ? [] : ['no hostname']),
          ...(l.username?.trim() ? [] : ['no username']),
          ...(l.port === undefined || /^\s*\d{1,5}\s*$/.test(l.port) && Number(l.port) >= 1 && Number(l.port) <= 65535 ? [] : [`port ${formatValue(l.port)} is not a TCP port`]),
        ];
        return problems.length === 0 ? [] : [{
          check: 'login-service-complete',
          title: 'Incomplete login service',
          expected: ['authentication, hostname, username, and a port 1-65535 when given'],
          actual: `${problems.join(', ')} in ${label}`,
          path: nodePath(node.clientId),
          spec: SPEC,
          exchangeIds: [exchangeId],
        }];
      }));
  },

  /** The login with a key given in geni_users (users) got in and every command ran with exit status 0. */
  loggedIn(): Check<ObservedLogin> {
    return (attempt) => {
      const where = `ssh://${attempt.target.username}@${attempt.target.host}:${attempt.target.port}`;
      const base = { check: 'login-given-key', spec: USERS_SPEC, path: where, exchangeIds: [attempt.exchangeId] };
      if (attempt.outcome.kind !== 'ran') {
        return [{
          ...base, title: 'Login with a key given in geni_users failed',
          expected: [`the node lets key ${attempt.key.label} (${attempt.key.fingerprint}) in`],
          actual: `${attempt.outcome.kind}: ${attempt.outcome.message ?? ''}`.trim(),
        }];
      }
      return (attempt.outcome.runs ?? []).filter((r) => r.exitCode !== 0).map((r) => ({
        ...base, title: 'Command on the node failed',
        expected: [`${JSON.stringify(r.command)} exits with status 0`],
        actual: `exit ${r.exitCode ?? 'by signal'}${r.stderr ? `; stderr ${formatValue(r.stderr, 80)}` : ''}`,
      }));
    };
  },

  /** A key that was not given for this sliver did not get in. */
  refused(why: string): Check<ObservedLogin> {
    return (attempt) => attempt.outcome.kind !== 'ran' ? [] : [{
      check: 'login-other-key', title: 'A key not given for the sliver logged in',
      expected: [`the node refuses key ${attempt.key.label} (${attempt.key.fingerprint}): ${why}`],
      actual: `logged in as ${attempt.target.username} and ran ${(attempt.outcome.runs ?? []).map((r) => JSON.stringify(r.command)).join(', ') || 'nothing'}`,
      path: `ssh://${attempt.target.username}@${attempt.target.host}:${attempt.target.port}`,
      spec: USERS_SPEC,
      exchangeIds: [attempt.exchangeId],
    }];
  },
};

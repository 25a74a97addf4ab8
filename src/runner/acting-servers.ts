/**
 * Servers that act for the caller at other aggregates (an SFA slice manager): a slice credential sent there goes
 * with a copy the caller delegated to the server's GID, as sfi sends it, because that copy is what the server
 * forwards to its aggregates (without it, it forwards its own credential, which no aggregate takes for the
 * caller's slice). The sm suite registers its slice manager here; the fixtures and the cleanup of every case at
 * that URL (the v3 cases the sm suite reuses, the shared fixtures, leftovers) wrap slice credentials through it.
 */
import { delegateTo, splitPemCertificates, userAsDelegator, type Delegate, type Delegator } from '../credentials';
import { CREDENTIAL_WRAPPING, type ApiVersion } from '../geni/methods';
import type { XmlRpcValue } from '../xmlrpc';
import type { Session } from './session';

interface ActingServer {
  delegate: Delegate;
  /** The aggregates it acts at (the harness's peers), where slices used through it hold their slivers. */
  aggregates: string[];
  /** Delegated copies already signed, by the parent credential's text (a case wraps one credential many times). */
  signed: Map<string, string>;
}

const acting = new WeakMap<Session, Map<string, ActingServer>>();

/**
 * From now on, slice credentials sent to `url` in this session carry a copy delegated to `delegate`, and slices used
 * there are recorded (ledger) and released at `aggregates`, the aggregates behind it.
 */
export function actsForCaller(session: Session, url: string, delegate: Delegate, aggregates: string[] = []): void {
  let servers = acting.get(session);
  if (!servers) acting.set(session, (servers = new Map()));
  if (!servers.has(url)) servers.set(url, { delegate, aggregates: [...aggregates], signed: new Map() });
}

/** The aggregates behind a server acting for the caller at `url` (undefined for any other URL, or when none are known). */
export function aggregatesBehind(session: Session, url: string): string[] | undefined {
  const aggregates = acting.get(session)?.get(url)?.aggregates;
  return aggregates && aggregates.length > 0 ? [...aggregates] : undefined;
}

/** The caller as a delegator: the authority's minted user, or the operator's own certificate and key. */
export function callerAsDelegator(session: Session): Delegator {
  if (session.authority && session.user.identity) return userAsDelegator(session.authority, session.user.identity);
  const [leaf, ...chain] = splitPemCertificates(session.user.certPem);
  return { certPem: leaf ?? session.user.certPem, keyPem: session.user.keyPem, urn: session.user.urn, chainPem: chain };
}

/**
 * A slice credential as sent to `url`: the caller's own, then (for a server acting for the caller) the same
 * delegated to that server. A credential the caller cannot delegate (a malformed one, a negative test's) goes alone.
 */
export function sliceCredentialsFor(session: Session, url: string, api: ApiVersion, xml: string): XmlRpcValue[] {
  const wrap = CREDENTIAL_WRAPPING[api];
  const server = acting.get(session)?.get(url);
  if (!server) return [wrap(xml)];
  let delegated = server.signed.get(xml);
  if (delegated === undefined) {
    try {
      delegated = delegateTo(xml, callerAsDelegator(session), server.delegate);
    } catch {
      return [wrap(xml)];
    }
    server.signed.set(xml, delegated);
  }
  return [wrap(xml), wrap(delegated)];
}

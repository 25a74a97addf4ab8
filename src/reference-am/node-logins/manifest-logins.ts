import { DOMParser, XMLSerializer, type Element } from '@xmldom/xmldom';
import { GENI3_NS } from '../../rspec';
import type { AggregateEnv } from '../env';
import type { FaultSet } from '../faults';
import type { Sliver } from '../model';
import { loginName } from './accounts';
import type { LoginDirectory } from './node-login-host';

/** The port every SSH client tries when told nothing else; what the login-wrong-port fault claims. */
const DEFAULT_SSH_PORT = 22;

export interface ManifestLoginOptions {
  /** The nodes' SSH servers; an aggregate built without them (in-process, no network) lists no logins. */
  logins?: LoginDirectory;
  /** Leave the login services out (the login-entry-missing fault, at the places it applies). */
  omit?: boolean;
}

/**
 * geni_users show up in the manifest as <services><login/></services> on each provisioned node, one login per
 * user ("The <login> tag tells you the kind of authentication (ssh), the port, and the username", CommonConcepts,
 * User login information). The RSpec model has no field for services, so they are added to the serialized document.
 */
export function withLoginServices(xml: string, slivers: Sliver[], faults: FaultSet, options: ManifestLoginOptions): string {
  if (options.omit || !options.logins) return xml;
  const directory = options.logins;
  const byClientId = new Map(slivers.filter((s) => s.node && s.users.length > 0).map((s) => [s.clientId, s]));
  if (byClientId.size === 0) return xml;
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  // The manifest's own namespace: GENI 3, or ProtoGENI 2 for an aggregate answering a ProtoGENI 2 request.
  const ns = doc.documentElement?.namespaceURI ?? GENI3_NS;
  const nodes = doc.getElementsByTagNameNS(ns, 'node');
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes.item(i) as Element;
    const sliver = byClientId.get(node.getAttribute('client_id') ?? '');
    if (!sliver?.node) continue;
    const endpoint = directory.endpointFor(sliver);
    if (!endpoint) continue;
    const services = doc.createElementNS(ns, 'services');
    for (const user of sliver.users) {
      const login = doc.createElementNS(ns, 'login');
      login.setAttribute('authentication', 'ssh-keys');
      login.setAttribute('hostname', endpoint.hostname);
      login.setAttribute('port', String(faults.has('login-wrong-port') ? DEFAULT_SSH_PORT : endpoint.port));
      login.setAttribute('username', loginName(user.urn));
      services.appendChild(login);
    }
    node.insertBefore(services, node.firstChild);
  }
  return new XMLSerializer().serializeToString(doc);
}

/**
 * How a handler's manifest shows logins. `served` is a manifest read back later (Describe, v1/v2 ListResources of a
 * slice) rather than the one a call that provisioned returns: where the login-entry-missing fault drops them.
 */
export function manifestLogins(env: AggregateEnv, manifest: 'provisioned' | 'served'): ManifestLoginOptions {
  return { logins: env.logins, omit: manifest === 'served' && env.faults.has('login-entry-missing') };
}

import type libxmljs from 'libxmljs2';
import { parseXmlSafely } from './parse';
import { GENI3_NAMESPACE, PGV2_NAMESPACE } from './schemas';

/** One <login> of a node's <services>, attributes as written (the XSD makes all but authentication optional). */
export interface LoginService {
  authentication?: string;
  hostname?: string;
  port?: string;
  username?: string;
}

export interface NodeLoginServices {
  clientId: string;
  sliverId?: string;
  sliverType?: string;
  logins: LoginService[];
}

/**
 * The login services of every node in a manifest (GENI 3 or ProtoGENI v2): "The <login> tag tells you the kind of
 * authentication (ssh), the port, and the username" (GAPI_AM_API_V3/CommonConcepts, User login information).
 * Parsing is safe (no DTD, no network); a document that is not a manifest throws RSpecParseError.
 */
export function readLoginServices(manifestXml: string): NodeLoginServices[] {
  const root = parseXmlSafely(manifestXml, 'manifest RSpec').root()!;
  const ns = root.namespace()?.href() ?? '';
  if (ns !== GENI3_NAMESPACE && ns !== PGV2_NAMESPACE) return [];
  return children(root, ns, 'node').map((node) => {
    const logins = children(node, ns, 'services').flatMap((services) => children(services, ns, 'login')).map((login) => {
      const service: LoginService = {};
      for (const name of ['authentication', 'hostname', 'port', 'username'] as const) {
        const value = attribute(login, name);
        if (value !== undefined) service[name] = value;
      }
      return service;
    });
    const sliverType = children(node, ns, 'sliver_type')[0];
    const entry: NodeLoginServices = { clientId: attribute(node, 'client_id') ?? '', logins };
    const sliverId = attribute(node, 'sliver_id');
    if (sliverId !== undefined) entry.sliverId = sliverId;
    const typeName = sliverType && attribute(sliverType, 'name');
    if (typeName !== undefined) entry.sliverType = typeName;
    return entry;
  });
}

function children(parent: libxmljs.Element, ns: string, name: string): libxmljs.Element[] {
  return parent.childNodes().filter((c): c is libxmljs.Element => c.type() === 'element' && (c as libxmljs.Element).name() === name && ((c as libxmljs.Element).namespace()?.href() ?? '') === ns);
}

function attribute(element: libxmljs.Element, name: string): string | undefined {
  return element.attrs().find((a) => a.name() === name && a.namespace() === null)?.value();
}

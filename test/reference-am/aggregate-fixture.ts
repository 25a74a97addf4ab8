import { AmError } from '../../src/reference-am/am-error';
import {
  createTestAuthority,
  mintSliceCredential,
  mintUser,
  mintUserCredential,
  sfaCredentialStruct,
  sliceUrn,
  type TestAuthority,
  type UserIdentity,
} from '../../src/credentials';
import { serializeRequest, type RSpecLink, type RSpecNode } from '../../src/rspec';
import {
  callV1, callV2, callV3, createReferenceAggregate, type AggregateEnv, type LoginDirectory, type LoginEndpoint, type ReferenceAmOptions,
} from '../../src/reference-am';
import type { Sliver } from '../../src/reference-am/model';
import { XmlRpcFault } from '../../src/server';
import { isStruct, type XmlRpcValue } from '../../src/xmlrpc';

/** Identities shared by the reference-AM tests: minting RSA keys is the slow part, so it happens once per file. */
export interface Identities {
  authority: TestAuthority;
  alice: UserIdentity;
  mallory: UserIdentity;
  slice: string;
  otherSlice: string;
}

export function mintIdentities(authorityName: string): Identities {
  const authority = createTestAuthority({ name: authorityName });
  return {
    authority,
    alice: mintUser(authority, 'alice'),
    mallory: mintUser(authority, 'mallory'),
    slice: sliceUrn(authority, 'alpha'),
    otherSlice: sliceUrn(authority, 'beta'),
  };
}

export const GENI3 = { type: 'GENI', version: '3' };

export function requestXml(nodes: Array<Partial<RSpecNode> & { clientId: string }>, links: RSpecLink[] = []): string {
  return serializeRequest({ type: 'request', nodes: nodes.map((n) => ({ interfaces: [], ...n })), links });
}

/**
 * In-process there are no node SSH servers: this stands in for them, giving each provisioned node sliver its own
 * made-up port (what the manifest then lists). test/reference-am/node-logins.test.ts logs in for real.
 */
export class FakeLoginDirectory implements LoginDirectory {
  readonly ports = new Map<string, number>();

  endpointFor(sliver: Sliver): LoginEndpoint | undefined {
    if (!sliver.node || sliver.allocation !== 'geni_provisioned') return undefined;
    if (!this.ports.has(sliver.urn)) this.ports.set(sliver.urn, 40_000 + this.ports.size);
    return { hostname: '127.0.0.1', port: this.ports.get(sliver.urn)! };
  }
}

/** An in-process aggregate and a caller (alice by default) with a clock the test moves. */
export class AggregateUnderTest {
  readonly env: AggregateEnv;
  now = new Date();
  caller: UserIdentity;

  constructor(
    readonly ids: Identities,
    options: Omit<ReferenceAmOptions, 'authority'> = {},
  ) {
    this.env = createReferenceAggregate({ authority: ids.authority, ...options });
    for (const api of ['1', '2', '3']) this.env.urls[api] = `https://127.0.0.1:1/am/${api}`;
    this.env.logins = new FakeLoginDirectory();
    this.caller = ids.alice;
  }

  call(method: string, params: XmlRpcValue[]): Record<string, XmlRpcValue> {
    const answer = callV3(this.env, method, params, { clientCertPem: this.caller.certPem, now: this.now });
    if (!isStruct(answer)) throw new Error(`${method} answered a non-struct`);
    return answer;
  }

  /** A v2 call: always the { code, value, output } struct (unknown methods throw XmlRpcFault). */
  callV2(method: string, params: XmlRpcValue[]): Record<string, XmlRpcValue> {
    const answer = callV2(this.env, method, params, { clientCertPem: this.caller.certPem, now: this.now });
    if (!isStruct(answer)) throw new Error(`${method} answered a non-struct`);
    return answer;
  }

  /** A v1 call: the plain value, or the Fault it raised as `{ fault }`. */
  callV1(method: string, params: XmlRpcValue[]): { value: XmlRpcValue } | { fault: XmlRpcFault } {
    try {
      return { value: callV1(this.env, method, params, { clientCertPem: this.caller.certPem, now: this.now }) };
    } catch (err) {
      if (err instanceof XmlRpcFault) return { fault: err };
      throw err;
    }
  }

  /** Slice credentials as v1 and v2 carry them: the bare XML. */
  sliceCredentialXml(options: Parameters<AggregateUnderTest['sliceCredential']>[0] = {}): string[] {
    return this.sliceCredential(options).map((c) => (isStruct(c) ? String(c.geni_value) : String(c)));
  }

  advance(seconds: number): void {
    this.now = new Date(this.now.getTime() + seconds * 1000);
  }

  userCredential(user = this.ids.alice): XmlRpcValue[] {
    return [sfaCredentialStruct(mintUserCredential(this.ids.authority, user))];
  }

  sliceCredential(options: { slice?: string; owner?: UserIdentity; expires?: Date; privileges?: Array<{ name: string; canDelegate?: boolean }> } = {}): XmlRpcValue[] {
    const xml = mintSliceCredential(this.ids.authority, options.owner ?? this.ids.alice, options.slice ?? this.ids.slice, {
      expires: options.expires,
      privileges: options.privileges,
    });
    return [sfaCredentialStruct(xml)];
  }
}

export function geniCode(answer: Record<string, XmlRpcValue>): number | undefined {
  const code = answer.code;
  return isStruct(code) && typeof code.geni_code === 'number' ? code.geni_code : undefined;
}

export function valueOf(answer: Record<string, XmlRpcValue>): Record<string, XmlRpcValue> {
  if (!isStruct(answer.value)) throw new Error(`value is not a struct: ${JSON.stringify(answer)}`);
  return answer.value;
}

export function sliversOf(answer: Record<string, XmlRpcValue>): Array<Record<string, XmlRpcValue>> {
  const list = Array.isArray(answer.value) ? answer.value : valueOf(answer).geni_slivers;
  if (!Array.isArray(list)) throw new Error(`no sliver list in ${JSON.stringify(answer)}`);
  return list.filter(isStruct);
}

/** The geni_code a model operation refused with (an AmError), or undefined when it went through. */
export function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof AmError) return err.geniCode;
    throw err;
  }
  return undefined;
}

import { HarnessError, clipText, errorMessage, formatValue } from '../core';
import { parseCredential } from '../credentials';
import type { AmClient, Transcript } from '../client';
import type { XmlRpcValue } from '../xmlrpc';

import type { SliceAuthoritySettings } from '../config';

export type { SliceAuthoritySettings };

export interface AuthoritySlice {
  urn: string;
  credentialXml: string;
  expires: Date;
}

/** The harness's side of a slice authority: make a slice, fetch its credential; fetch the user's credential. */
export class SliceAuthorityClient {
  constructor(
    readonly settings: SliceAuthoritySettings,
    /** A client for a URL, recording into the run's authority transcript (never a case's: these calls make no slivers). */
    private readonly clientFor: (url: string) => AmClient,
    readonly transcript: Transcript,
  ) {}

  /** A new slice named `name` (in the configured project), then its slice credential; `expires` asks for a lifetime. */
  async createSlice(name: string, expires?: Date): Promise<AuthoritySlice> {
    const fields: Record<string, XmlRpcValue> = {
      SLICE_NAME: name,
      ...(this.settings.projectUrn !== undefined && { SLICE_PROJECT_URN: this.settings.projectUrn }),
      ...(expires !== undefined && { SLICE_EXPIRATION: expires.toISOString().replace(/\.\d{3}Z$/, 'Z') }),
    };
    const created = await this.call(this.settings.url, `create slice ${name}`, 'create', ['SLICE', [], { fields }]);
    const urn = isStruct(created) && typeof created.SLICE_URN === 'string' ? created.SLICE_URN : undefined;
    if (urn === undefined) throw this.failure(`create slice ${name}`, `its value names no SLICE_URN: ${formatValue(created, 200)}`);
    const credentialXml = sfaCredential(await this.call(this.settings.url, `get the credential of slice ${urn}`, 'get_credentials', [urn, [], {}]));
    if (credentialXml === undefined) throw this.failure(`get the credential of slice ${urn}`, 'it returned no geni_sfa credential');
    let parsed;
    try {
      parsed = parseCredential(credentialXml);
    } catch (err) {
      throw this.failure(`get the credential of slice ${urn}`, `the credential does not parse: ${errorMessage(err)}`);
    }
    if (parsed.targetUrn !== urn) throw this.failure(`get the credential of slice ${urn}`, `the credential is for ${parsed.targetUrn}`);
    return { urn, credentialXml, expires: parsed.expires };
  }

  /** The user credential of `userUrn` from the member authority. */
  async userCredential(userUrn: string): Promise<string> {
    const url = this.settings.memberAuthorityUrl;
    if (url === undefined) throw new HarnessError('config', 'no member authority to fetch the user credential from (omni_config `ma`); give --user-cred FILE');
    const xml = sfaCredential(await this.call(url, `get the user credential of ${userUrn}`, 'get_credentials', [userUrn, [], {}]));
    if (xml === undefined) throw this.failure(`get the user credential of ${userUrn}`, 'it returned no geni_sfa credential');
    return xml;
  }

  /** The value of a `{code, value, output}` answer with code 0; anything else is a fixture error naming the answer. */
  private async call(url: string, what: string, method: string, params: XmlRpcValue[]): Promise<XmlRpcValue> {
    let result;
    try {
      result = await this.clientFor(url).call(method, params);
    } catch (err) {
      throw this.failure(what, errorMessage(err), url);
    }
    if (result.kind === 'fault') throw this.failure(what, `Fault ${result.faultCode}: ${clipText(result.faultString)}`, url, result.exchangeId);
    const answer = result.value;
    if (!isStruct(answer) || typeof answer.code !== 'number') throw this.failure(what, `the answer is not {code, value, output}: ${formatValue(answer, 200)}`, url, result.exchangeId);
    if (answer.code !== 0) {
      throw this.failure(what, `code ${answer.code}${typeof answer.output === 'string' && answer.output !== '' ? ` (${clipText(answer.output)})` : ''}`, url, result.exchangeId);
    }
    return answer.value ?? null;
  }

  private failure(what: string, why: string, url = this.settings.url, exchangeId?: string): HarnessError {
    return new HarnessError('fixture', `the slice authority at ${url} could not ${what}: ${why}`, { ...(exchangeId !== undefined && { exchangeIds: [exchangeId] }), origin: 'target' });
  }
}

function isStruct(value: XmlRpcValue | undefined): value is Record<string, XmlRpcValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof Date);
}

/** The geni_sfa credential of a get_credentials value (a list of {geni_type, geni_version, geni_value}). */
function sfaCredential(value: XmlRpcValue): string | undefined {
  if (!Array.isArray(value)) return undefined;
  const found = value.find((c) => isStruct(c) && typeof c.geni_type === 'string' && c.geni_type.toLowerCase() === 'geni_sfa' && typeof c.geni_value === 'string');
  return isStruct(found) ? (found.geni_value as string) : undefined;
}

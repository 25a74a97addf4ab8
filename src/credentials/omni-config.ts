import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { ConfigError, errorMessage } from '../core';

/**
 * omni's configuration file (omni_config, INI as Python's ConfigParser reads it): the identity an operator already
 * has. Read here: `[omni] default_cf` and `aggregates`; the control-framework section default_cf names (its `type`,
 * `cert`, `key`, `authority`, and the URL of its slice authority: `ch` for gcf's clearinghouse, `sa` for a Common
 * Federation API (chapi) slice authority, `registry` for SFA); `[aggregate_nicknames]` (NICK=URN,URL).
 */
export interface OmniConfig {
  path: string;
  /** The control framework `[omni] default_cf` names. */
  framework: {
    name: string;
    type: string;
    /** Absolute paths (omni expands `~`; a relative path is taken from the working directory, as omni does). */
    cert: string;
    key: string;
    authority?: string;
    /** Where this framework makes slices and hands out their credentials, when the file says. */
    sliceAuthorityUrl?: string;
    /** chapi: the federation registry (`ch`) and the member authority (`ma`, where the user credential comes from). */
    registryUrl?: string;
    memberAuthorityUrl?: string;
    /** chapi: the project new slices go in (`default_project`), a name under `authority`. */
    defaultProject?: string;
    /** chapi: whether the clearinghouse speaks the v2 method names (`speakv2`). */
    speaksV2?: boolean;
  };
  /** `[aggregate_nicknames]`: nickname → the aggregate's URN (may be empty) and URL. */
  nicknames: Record<string, { urn?: string; url: string }>;
  /** `[omni] aggregates`: the default aggregates' URLs or nicknames. */
  aggregates: string[];
}

/** Sections of an INI file: lower-cased section names, keys as written (ConfigParser lower-cases option names). */
function parseIni(text: string, path: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  let lastKey: string | undefined;
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    if (/^\s*([#;]|$)/.test(raw)) continue;
    // An indented line continues the previous value (ConfigParser's multi-line values).
    if (/^\s/.test(raw) && current !== undefined && lastKey !== undefined) {
      current.set(lastKey, `${current.get(lastKey) ?? ''}\n${raw.trim()}`);
      continue;
    }
    const section = /^\[([^\]]+)\]\s*$/.exec(raw);
    if (section) {
      const name = section[1]!.trim();
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      lastKey = undefined;
      continue;
    }
    const option = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw);
    if (option === null || current === undefined) {
      throw new ConfigError(`omni_config ${path} line ${index + 1} is neither [section] nor name = value: ${JSON.stringify(raw.slice(0, 80))}`);
    }
    lastKey = option[1]!.toLowerCase();
    current.set(lastKey, option[2]!.trim());
  }
  return sections;
}

function expandPath(path: string, cwd: string): string {
  const home = path === '~' || path.startsWith('~/') ? resolve(homedir(), path.slice(2)) : path;
  return isAbsolute(home) ? home : resolve(cwd, home);
}

export function parseOmniConfig(text: string, path: string, cwd = process.cwd()): OmniConfig {
  const sections = parseIni(text, path);
  const omni = sections.get('omni');
  if (omni === undefined) throw new ConfigError(`omni_config ${path} has no [omni] section`);
  const cfName = omni.get('default_cf');
  if (cfName === undefined || cfName === '') throw new ConfigError(`omni_config ${path}: [omni] names no default_cf (the control framework whose cert and key to use)`);
  const cf = sections.get(cfName);
  if (cf === undefined) throw new ConfigError(`omni_config ${path}: [omni] default_cf = ${cfName}, but there is no [${cfName}] section`);
  const needed = (key: string): string => {
    const value = cf.get(key);
    if (value === undefined || value === '') throw new ConfigError(`omni_config ${path}: [${cfName}] has no ${key}`);
    return value;
  };
  const type = (cf.get('type') ?? '').toLowerCase();
  const sliceAuthorityUrl = type === 'chapi' ? cf.get('sa') : type === 'sfa' ? cf.get('registry') : cf.get('ch') ?? cf.get('sa');
  const present = (key: string): string | undefined => (cf.get(key) ?? '') === '' ? undefined : cf.get(key);
  const chapi = type !== 'chapi' ? {} : {
    ...(present('ch') !== undefined && { registryUrl: present('ch') }),
    ...(present('ma') !== undefined && { memberAuthorityUrl: present('ma') }),
    ...(present('default_project') !== undefined && { defaultProject: present('default_project') }),
    ...(present('speakv2') !== undefined && { speaksV2: /^(t|true|y|yes|1|on)$/i.test(present('speakv2')!) }),
  };
  const nicknames: OmniConfig['nicknames'] = {};
  for (const [nick, value] of sections.get('aggregate_nicknames') ?? []) {
    const [urn, url] = value.split(',').map((part) => part.trim());
    if (url === undefined || url === '') throw new ConfigError(`omni_config ${path}: [aggregate_nicknames] ${nick} must be URN,URL, but is ${JSON.stringify(value)}`);
    nicknames[nick] = { ...(urn !== undefined && urn !== '' && { urn }), url };
  }
  return {
    path,
    framework: {
      name: cfName, type,
      cert: expandPath(needed('cert'), cwd),
      key: expandPath(needed('key'), cwd),
      ...(cf.get('authority') !== undefined && { authority: cf.get('authority') }),
      ...(sliceAuthorityUrl !== undefined && sliceAuthorityUrl !== '' && { sliceAuthorityUrl }),
      ...chapi,
    },
    nicknames,
    aggregates: (omni.get('aggregates') ?? '').split(',').map((a) => a.trim()).filter((a) => a !== ''),
  };
}

export function readOmniConfig(path: string, cwd = process.cwd()): OmniConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`omni_config ${path} cannot be read: ${errorMessage(err).split('\n')[0]}`);
  }
  return parseOmniConfig(text, path, cwd);
}

/**
 * The aggregate `-a` names, as omni reads it: a nickname of [aggregate_nicknames], or a URL. Without one, the
 * first of `[omni] aggregates`.
 */
export function omniAggregate(config: OmniConfig, name: string | undefined): { url: string; nickname?: string } {
  const wanted = name ?? config.aggregates[0];
  if (wanted === undefined) throw new ConfigError(`omni_config ${config.path} names no default aggregates: give -a NICKNAME (one of ${Object.keys(config.nicknames).join(', ') || 'none listed'}) or -a URL`);
  const byNick = config.nicknames[wanted];
  if (byNick !== undefined) return { url: byNick.url, nickname: wanted };
  if (/^https?:\/\//i.test(wanted)) {
    const nick = Object.entries(config.nicknames).find(([, a]) => a.url === wanted)?.[0];
    return { url: wanted, ...(nick !== undefined && { nickname: nick }) };
  }
  throw new ConfigError(`-a ${wanted} is neither a URL nor a nickname of ${config.path} [aggregate_nicknames] (${Object.keys(config.nicknames).join(', ') || 'none listed'})`);
}

/** Where each kind of control framework names its slice authority in omni_config. */
const SLICE_AUTHORITY_KEY: Record<string, string> = { gcf: 'ch', chapi: 'sa', sfa: 'registry' };

/**
 * An omni_config naming an identity and aggregates (what `geni-harness serve` writes for the embedded reference AM),
 * as omni-configure lays one out; parseOmniConfig reads back what was given. `comment` lines head the file.
 */
export function formatOmniConfig(config: Omit<OmniConfig, 'path'> & { users: string[]; comment?: string[] }): string {
  const { framework } = config;
  const saKey = SLICE_AUTHORITY_KEY[framework.type] ?? 'ch';
  return [
    ...(config.comment ?? []).map((line) => `# ${line}`),
    '[omni]',
    `default_cf = ${framework.name}`,
    `users = ${config.users.join(', ')}`,
    ...(config.aggregates.length > 0 ? [`aggregates = ${config.aggregates.join(', ')}`] : []),
    '',
    `[${framework.name}]`,
    `type = ${framework.type}`,
    ...(framework.authority !== undefined ? [`authority = ${framework.authority}`] : []),
    ...(framework.registryUrl !== undefined && saKey !== 'ch' ? [`ch = ${framework.registryUrl}`] : []),
    ...(framework.sliceAuthorityUrl !== undefined ? [`${saKey} = ${framework.sliceAuthorityUrl}`] : []),
    ...(framework.memberAuthorityUrl !== undefined ? [`ma = ${framework.memberAuthorityUrl}`] : []),
    ...(framework.defaultProject !== undefined ? [`default_project = ${framework.defaultProject}`] : []),
    ...(framework.speaksV2 !== undefined ? [`speakv2 = ${framework.speaksV2 ? 'true' : 'false'}`] : []),
    `cert = ${framework.cert}`,
    `key = ${framework.key}`,
    '',
    '[aggregate_nicknames]',
    ...Object.entries(config.nicknames).map(([nick, a]) => `${nick}=${a.urn ?? ''},${a.url}`),
    '',
  ].join('\n');
}

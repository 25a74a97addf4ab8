import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core';
import type { TestAuthority } from '../credentials';
import {
  aggregatesXml, HOSTILE_BEHAVIOURS, omniAggregateNicknames, servePeerControl, startPeerAggregates,
  type HostileBehaviour, type PeerAggregates, type PeerBehaviour,
} from '../peer-aggregates';
import { REFERENCE_FAULTS } from '../reference-am';
import { startReferenceSm, type ReferenceSm } from '../reference-sm';

/**
 * A slice-manager testbed: N peer aggregates the harness controls, their control URL, the configuration files a
 * slice manager reads, and (unless told otherwise) the reference SM in front of them. `serve --aggregates N`,
 * the embedded target of a run (suite sm) and bench/ all start it here.
 */

export interface SmTestbedOptions {
  authority: TestAuthority;
  peers: number;
  /** Reference-AM faults per peer. */
  peerFaults?: Record<number, string[]>;
  /** Start-up behaviour per peer (delays, hostile answers). */
  peerBehaviours?: Record<number, PeerBehaviour>;
  /** Start the reference SM in front of the peers. @defaultValue true */
  withSm?: boolean;
  smFaults?: string[];
  /** The reference SM's per-aggregate deadline. @defaultValue 30000 */
  peerTimeoutMs?: number;
  /** Serve peer control over XML-RPC (for another process). @defaultValue false */
  control?: boolean;
  /** Write aggregates.xml and omni_config (aggregate nicknames) here. */
  dir?: string;
  host?: string;
  /** CA certificates peers and SM trust besides the authority's (an operator's own identity). */
  extraTrustedRootsPem?: string[];
}

export interface SmTestbed {
  peers: PeerAggregates;
  sm?: ReferenceSm;
  controlUrl?: string;
  files?: { aggregatesXml: string; omniConfig: string };
  close(): Promise<void>;
}

export async function startSmTestbed(options: SmTestbedOptions): Promise<SmTestbed> {
  const peers = await startPeerAggregates({
    authority: options.authority, count: options.peers, faults: options.peerFaults, behaviours: options.peerBehaviours, host: options.host,
    extraTrustedRootsPem: options.extraTrustedRootsPem,
  });
  const closers: Array<() => Promise<void>> = [() => peers.close()];
  try {
    const control = options.control ? await servePeerControl(peers, { authority: options.authority, host: options.host, extraTrustedRootsPem: options.extraTrustedRootsPem }) : undefined;
    if (control) closers.unshift(() => control.close());
    const sm = options.withSm === false ? undefined : await startReferenceSm({
      authority: options.authority,
      aggregates: peers.peers.map((p) => ({ hrn: p.hrn, url: p.url, urn: p.urn })),
      faults: options.smFaults,
      peerTimeoutMs: options.peerTimeoutMs,
      host: options.host,
      extraTrustedRootsPem: options.extraTrustedRootsPem,
    });
    if (sm) closers.unshift(() => sm.close());
    let files: SmTestbed['files'];
    if (options.dir) {
      files = { aggregatesXml: join(options.dir, 'aggregates.xml'), omniConfig: join(options.dir, 'omni_config') };
      writeFileSync(files.aggregatesXml, aggregatesXml(peers.peers));
      writeFileSync(files.omniConfig, omniAggregateNicknames(peers.peers));
    }
    return {
      peers, sm, files,
      ...(control && { controlUrl: control.url }),
      async close() {
        for (const close of closers) await close();
      },
    };
  } catch (err) {
    for (const close of closers) await close().catch(() => undefined);
    throw err;
  }
}

/**
 * `--peer-fault I:NAME` and `--peer-delay I:MS`: NAME is a reference-AM fault, a hostile behaviour (hang, garbage,
 * huge) or refuse[=CODE] (every call but GetVersion fails with that geni_code, REFUSED by default).
 */
export function parsePeerSpecs(faultSpecs: string[], delaySpecs: string[], count: number): { faults: Record<number, string[]>; behaviours: Record<number, PeerBehaviour> } {
  const faults: Record<number, string[]> = {};
  const behaviours: Record<number, PeerBehaviour> = {};
  const indexOf = (spec: string, flag: string): [number, string] => {
    const m = /^(\d+):(.+)$/.exec(spec);
    if (!m) throw new ConfigError(`${flag} ${JSON.stringify(spec)}: expected I:VALUE with I a peer index (0 to ${count - 1})`);
    const index = Number(m[1]);
    if (index >= count) throw new ConfigError(`${flag} ${spec}: there is no peer ${index}; the peers are 0 to ${count - 1}`);
    return [index, m[2]!];
  };
  const knownFaults = new Set(REFERENCE_FAULTS.map((f) => f.name));
  for (const spec of faultSpecs) {
    const [index, name] = indexOf(spec, '--peer-fault');
    const refuse = /^refuse(?:=(\d+))?$/.exec(name);
    if ((HOSTILE_BEHAVIOURS as readonly string[]).includes(name)) behaviours[index] = { ...behaviours[index], hostile: name as HostileBehaviour };
    else if (refuse) behaviours[index] = { ...behaviours[index], refuse: { geniCode: Number(refuse[1] ?? 7) } };
    else if (knownFaults.has(name)) faults[index] = [...(faults[index] ?? []), name];
    else throw new ConfigError(`--peer-fault ${spec}: ${JSON.stringify(name)} is neither a reference-AM fault nor one of ${HOSTILE_BEHAVIOURS.join(', ')}, refuse[=CODE]`);
  }
  for (const spec of delaySpecs) {
    const [index, ms] = indexOf(spec, '--peer-delay');
    if (!/^\d+$/.test(ms)) throw new ConfigError(`--peer-delay ${spec}: the delay must be a whole number of milliseconds`);
    behaviours[index] = { ...behaviours[index], delayMs: Number(ms) };
  }
  return { faults, behaviours };
}

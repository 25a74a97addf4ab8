import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../core';
import { formatOmniConfig, initAuthority, mintEndpointIdentity, mintSliceCredential, mintUser, mintUserCredential, sliceUrn, splitPemCertificates } from '../../credentials';
import { RECLAIM_HOOK_METHOD, STEP_HOOK_METHOD, personalityNamed, startReferenceAm } from '../../reference-am';
import { startReferenceClientEndpoint } from '../../reference-dynslice-client';
import { startReferenceSliceAuthority } from '../../reference-sa';
import { SM_FAULTS } from '../../reference-sm';
import { parseFlags, parseInteger, type Io } from '../args';
import { splitReferenceFaults } from '../reference-faults';
import { parsePeerSpecs, startSmTestbed } from '../sm-testbed';

export const HELP = `usage: geni-harness serve [--port N] [--personality NAME] [--fault NAME]... [--dir DIR] [--allocate geni_single|geni_disjoint|geni_many] [--single-allocation]
                          [--dynslice-tick S] [--dynslice-maxwait S] [--reclaim-every S]
       geni-harness serve --aggregates N [--sm] [--sm-deadline MS] [--peer-fault I:NAME]... [--peer-delay I:MS]... [--trust CA.pem]...
  Runs the embedded reference AM alone (on 127.0.0.1, port N or one the system picks) and prints its URLs, its CA
  certificate and a user's certificate, key and credentials, its slice authority (Common Federation API v2), and an
  omni_config naming them (files under DIR,
  default .geni-harness/serve), for other clients or a harness run in another shell. --personality NAME picks the aggregate it imitates (reference,
  sparse, three-node, xmlrpc-faults, v1-sfa). Beside it run its dynslice server (countdown every --dynslice-tick
  seconds, default 60; maxwaittime --dynslice-maxwait, default 600) and a reference dynslice client endpoint; --fault
  also names their faults. A reclaim starts on kill -USR1, every --reclaim-every seconds, or through the reclaim
  hook GetServerDefaults advertises. With --aggregates N: N peer aggregates the harness controls (and
  with --sm the reference slice manager before them) for suite sm; --trust adds CAs whose users they accept.
  Ctrl-C stops it.`;

/** The project of the slice authority `serve` runs (omni_config default_project). */
const SERVE_PROJECT = 'harness';

/** A positive number of seconds (fractions allowed: a test tick of 0.2 s), or undefined when the flag is absent. */
function parseSeconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0)) throw new ConfigError(`${flag} must be a positive number of seconds, but received ${JSON.stringify(value)}`);
  return n;
}

/**
 * `geni-harness serve`: the embedded reference AM on its own, with its dynslice server and a reference dynslice
 * client endpoint, for other clients (omni, jFed, an elasticslice client, a browser of the XML-RPC) or for a
 * harness run in another shell (`geni-harness run --target URL --authority DIR`).
 * `serve --aggregates N`: N peer aggregates the harness controls instead, to put a slice manager in front of
 * (with `--sm`, the reference one), for `geni-harness run --suite sm` in another shell.
 */
export async function serveCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseFlags(args, {
    port: { type: 'string' }, fault: { type: 'string', multiple: true }, dir: { type: 'string' }, personality: { type: 'string' },
    allocate: { type: 'string' }, 'single-allocation': { type: 'boolean' }, 'credential-check-ms': { type: 'string' },
    aggregates: { type: 'string' }, 'peer-fault': { type: 'string', multiple: true }, 'peer-delay': { type: 'string', multiple: true },
    sm: { type: 'boolean' }, 'sm-deadline': { type: 'string' }, trust: { type: 'string', multiple: true },
    'dynslice-tick': { type: 'string' }, 'dynslice-maxwait': { type: 'string' }, 'reclaim-every': { type: 'string' },
  }, 'serve');
  const port = parseInteger(values.port, '--port') ?? 0;
  if (port < 0 || port > 65535) throw new ConfigError(`--port must be between 0 and 65535, but received ${port}`);
  const allocateModes = ['geni_single', 'geni_disjoint', 'geni_many'];
  if (values.allocate !== undefined && !allocateModes.includes(values.allocate)) {
    throw new ConfigError(`--allocate must be one of ${allocateModes.join(', ')}, but received ${JSON.stringify(values.allocate)}`);
  }
  const dir = resolve(values.dir ?? '.geni-harness/serve');
  const faults = splitReferenceFaults(values.fault ?? []);
  const tickSeconds = parseSeconds(values['dynslice-tick'], '--dynslice-tick');
  const maxWaitSeconds = parseInteger(values['dynslice-maxwait'], '--dynslice-maxwait');
  if (maxWaitSeconds !== undefined && maxWaitSeconds < 0) throw new ConfigError(`--dynslice-maxwait must be 0 or more seconds, but received ${maxWaitSeconds}`);
  const reclaimEvery = parseSeconds(values['reclaim-every'], '--reclaim-every');
  const { authority } = initAuthority(join(dir, 'authority'));
  if (values.aggregates !== undefined) return servePeers(values, dir, authority, io);
  // (An unknown fault name was a one-line error above.) A slice manager's fault needs the slice manager.
  if (faults.sm.length > 0) throw new ConfigError(`--fault ${faults.sm.join(', ')}: a reference slice manager fault goes with --aggregates N --sm`);
  const personality = personalityNamed(values.personality); // so is an unknown personality
  if (values['peer-fault'] || values['peer-delay'] || values.sm || values.trust) throw new ConfigError('--peer-fault, --peer-delay, --sm and --trust go with --aggregates N');
  const allocate = values.allocate as 'geni_single' | 'geni_disjoint' | 'geni_many' | undefined;
  const am = await startReferenceAm({
    authority, port, faults: faults.am,
    allocate, singleAllocation: values['single-allocation'],
    ...(values['credential-check-ms'] !== undefined && { credentialCheckMs: parseInteger(values['credential-check-ms'], '--credential-check-ms') }),
    // The draft UpdateSliver is offered unless the personality says otherwise.
    updateSliver: personality.settings.updateSliver ?? true,
    ...(values.personality !== undefined && { personality: values.personality }),
    dynslice: { ...(tickSeconds !== undefined && { tickSeconds }), ...(maxWaitSeconds !== undefined && { maxWaitSeconds }) },
  });
  const clientIdentity = mintEndpointIdentity(authority, { hosts: ['127.0.0.1'], service: 'dynslice-client' });
  const clientEndpoint = await startReferenceClientEndpoint({ tls: { ...clientIdentity, caPem: authority.trustedRootsPem }, faults: faults.clientEndpoint });
  // Pressure on demand: SIGUSR1 (or every --reclaim-every seconds) takes one node back from every slice that has a
  // client endpoint registered, with the full NotifyDeletePending countdown.
  const reclaimNow = (): void => am.dynslice.reclaimFromEverySlice();
  process.on('SIGUSR1', reclaimNow);
  const pressure = reclaimEvery !== undefined ? setInterval(reclaimNow, reclaimEvery * 1000) : undefined;
  // Its slice authority (Common Federation API v2: registry, SA, MA), where omni and the harness make their own slices.
  const sliceAuthority = await startReferenceSliceAuthority({ authority, projects: [SERVE_PROJECT], aggregates: [{ urn: am.urn, url: am.url, name: 'reference AM' }] });
  const user = mintUser(authority, 'alice');
  const slice = sliceUrn(authority, 'demo');
  const files = join(dir, 'alice');
  mkdirSync(files, { recursive: true });
  const paths = {
    caCert: join(dir, 'ca-cert.pem'), userCert: join(files, 'alice-cert.pem'), userKey: join(files, 'alice-key.pem'),
    userCredential: join(files, 'alice-usercred.xml'), sliceCredential: join(files, 'demo-slicecred.xml'),
    omniConfig: join(dir, 'omni_config'),
  };
  writeFileSync(paths.caCert, authority.trustedRootsPem.join('\n'));
  // With the SA certificate after it, as clearinghouse-issued certificate files carry the chain to the trusted CA.
  writeFileSync(paths.userCert, `${user.certPem.trimEnd()}\n${authority.sa.certPem}`);
  writeFileSync(paths.userKey, user.keyPem, { mode: 0o600 });
  writeFileSync(paths.userCredential, mintUserCredential(authority, user), { mode: 0o600 });
  writeFileSync(paths.sliceCredential, mintSliceCredential(authority, user, slice), { mode: 0o600 });
  // The same aggregate and user for omni and for `geni-harness run --omni-config`: nickname ref (v3), ref-v2, ref-v1.
  const nicknames = Object.fromEntries(Object.entries(am.urls).sort(([a], [b]) => Number(b) - Number(a))
    .map(([v, url]) => [v === '3' ? 'ref' : `ref-v${v}`, { urn: am.urn, url: url! }]));
  writeFileSync(paths.omniConfig, formatOmniConfig({
    comment: [`written by geni-harness serve for the reference AM ${am.urn} and its slice authority (pid ${process.pid})`,
      `omni: omni -c ${paths.omniConfig} createslice NAME, then -a ref allocate NAME RSPEC; the harness: run --omni-config with -a ref`],
    framework: {
      name: 'geni-harness', type: 'chapi', authority: authority.name, cert: paths.userCert, key: paths.userKey,
      registryUrl: sliceAuthority.urls.ch, sliceAuthorityUrl: sliceAuthority.urls.sa, memberAuthorityUrl: sliceAuthority.urls.ma,
      defaultProject: SERVE_PROJECT, speaksV2: true,
    },
    users: ['alice'], nicknames, aggregates: ['ref'],
  }));
  io.stdout([
    `reference AM ${am.urn} (personality ${am.personality}: ${personalityNamed(am.personality).description})`,
    ...Object.entries(am.urls).map(([v, u]) => `  AM API v${v}: ${u}`),
    `  dynslice server: ${am.dynsliceUrl} (tick ${am.dynslice.settings.tickSeconds} s, maxwaittime ${am.dynslice.settings.maxWaitSeconds} s; ` +
      `reclaim on demand: XML-RPC ${RECLAIM_HOOK_METHOD} (stepped: true, then ${STEP_HOOK_METHOD} per tick), or kill -USR1 ${process.pid}${reclaimEvery !== undefined ? `, and every ${reclaimEvery} s` : ''})`,
    `  reference dynslice client endpoint: ${clientEndpoint.url}`,
    `  faults: ${[...am.faults, ...clientEndpoint.faults].join(', ') || 'none'}`,
    `  CA certificate (trust root of server, users and credentials): ${paths.caCert}`,
    `  user ${user.urn}: cert ${paths.userCert}, key ${paths.userKey}`,
    `  user credential: ${paths.userCredential}`,
    `  slice ${slice}: credential ${paths.sliceCredential}`,
    `  slice authority (Common Federation API v2; project ${SERVE_PROJECT}): ch ${sliceAuthority.urls.ch}, sa ${sliceAuthority.urls.sa}, ma ${sliceAuthority.urls.ma}`,
    `  omni_config (alice's cert and key, the slice authority; nicknames ${Object.keys(nicknames).join(', ')}): ${paths.omniConfig}`,
    `  harness: geni-harness run --target ${am.url} --authority ${join(dir, 'authority')}`,
    `  harness as that omni user, its slices made at the slice authority: geni-harness run --omni-config ${paths.omniConfig} -a ref --ca ${paths.caCert}`,
    'Ctrl-C stops it.',
  ].join('\n'));
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  if (pressure) clearInterval(pressure);
  process.off('SIGUSR1', reclaimNow);
  await clientEndpoint.close();
  await sliceAuthority.close();
  await am.close();
  return 0;
}

interface ServeValues {
  aggregates?: string;
  'peer-fault'?: string[];
  'peer-delay'?: string[];
  sm?: boolean;
  'sm-deadline'?: string;
  fault?: string[];
  trust?: string[];
}

/** `serve --aggregates N`: the peers, their configuration files and control URL, and optionally the reference SM. */
async function servePeers(values: ServeValues, dir: string, authority: ReturnType<typeof initAuthority>['authority'], io: Io): Promise<number> {
  const count = parseInteger(values.aggregates, '--aggregates')!;
  if (count < 1) throw new ConfigError(`--aggregates must be a positive number of peer aggregates, but received ${count}`);
  const { faults, behaviours } = parsePeerSpecs(values['peer-fault'] ?? [], values['peer-delay'] ?? [], count);
  const smFaults = values.fault ?? [];
  const unknown = smFaults.filter((f) => !SM_FAULTS.some((k) => k.name === f));
  if (unknown.length > 0) throw new ConfigError(`with --aggregates, --fault names a reference-SM fault (${unknown.join(', ')} is not one; peers take --peer-fault I:NAME)`);
  if (smFaults.length > 0 && !values.sm) throw new ConfigError('--fault with --aggregates switches faults of the reference SM: add --sm');
  mkdirSync(dir, { recursive: true });
  const extraTrustedRootsPem = (values.trust ?? []).flatMap((file) => {
    const pems = existsSync(file) ? splitPemCertificates(readFileSync(file, 'utf8')) : [];
    if (pems.length === 0) throw new ConfigError(`--trust ${file}: no PEM certificate there`);
    return pems;
  });
  const testbed = await startSmTestbed({
    extraTrustedRootsPem,
    authority, peers: count, peerFaults: faults, peerBehaviours: behaviours, withSm: values.sm === true, smFaults,
    peerTimeoutMs: parseInteger(values['sm-deadline'], '--sm-deadline'), control: true, dir,
  });
  const caCert = join(dir, 'ca-cert.pem');
  writeFileSync(caCert, authority.trustedRootsPem.join('\n'));
  const smUrl = testbed.sm?.url ?? 'https://YOUR-SM/…';
  io.stdout([
    `${count} peer aggregate${count > 1 ? 's' : ''} (CA certificate, trusted for servers, users and credentials: ${caCert})`,
    ...testbed.peers.peers.map((p) => {
      const b = behaviours[p.index];
      const extra = [...p.faults, ...(b?.hostile ? [b.hostile] : []), ...(b?.refuse ? [`refuse=${b.refuse.geniCode}`] : []), ...(b?.delayMs ? [`delay ${b.delayMs} ms`] : [])];
      return `  ${p.name}  ${p.url}  ${p.urn}  hrn ${p.hrn}${extra.length ? `  [${extra.join(', ')}]` : ''}`;
    }),
    `  aggregates.xml (SFA slice manager): ${testbed.files!.aggregatesXml}`,
    `  omni_config [aggregate_nicknames]: ${testbed.files!.omniConfig}`,
    `  peer control (keep it private): ${testbed.controlUrl}`,
    ...(testbed.sm ? [`reference SM ${testbed.sm.urn}: ${testbed.sm.url}  (deadline ${testbed.sm.peerTimeoutMs} ms per aggregate${testbed.sm.faults.length ? `; faults: ${testbed.sm.faults.join(', ')}` : ''})`] : []),
    `  harness: geni-harness run --suite sm --authority ${join(dir, 'authority')} --endpoint sm=${smUrl} --endpoint sm-peers=${testbed.controlUrl}`,
    'Ctrl-C stops them.',
  ].join('\n'));
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await testbed.close();
  return 0;
}

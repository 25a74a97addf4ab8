import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { omniSliceAuthority, withOmniConfig } from '../../src/cli/omni';
import { formatOmniConfig, omniAggregate, parseOmniConfig } from '../../src/credentials';

// The shape omni-configure writes and the GENI wiki shows: comments, a portal (chapi) framework, a gcf one,
// nicknames with and without a URN, options written with ':' as ConfigParser also allows.
const OMNI_CONFIG = `# omni_config written by omni-configure
[omni]
default_cf = portal
users = alice
aggregates = utah-pg, https://am.wisc.example:12346/am/3

[portal]
type = chapi
authority=ch.geni.net
ch = https://ch.geni.net:8444/CH
ca = https://ch.geni.net:8444/CA
sa = https://ch.geni.net/SA
cert = ~/.gcf/alice-cert.pem
key: keys/alice-key.pem

[my_gcf]
type = gcf
ch = https://localhost:8000
cert = /etc/gcf/alice-cert.pem
key = /etc/gcf/alice-key.pem

[aggregate_nicknames]
utah-pg=urn:publicid:IDN+emulab.net+authority+cm,https://www.emulab.net:12369/protogeni/xmlrpc/am/2.0
plain=,https://plain.example/am/3
`;

describe('omni_config', () => {
  it('reads the default control framework (cert, key, slice authority) and the aggregate nicknames', () => {
    const omni = parseOmniConfig(OMNI_CONFIG, 'omni_config', '/home/op/work');
    expect(omni.framework).toEqual({
      name: 'portal', type: 'chapi', authority: 'ch.geni.net', sliceAuthorityUrl: 'https://ch.geni.net/SA', registryUrl: 'https://ch.geni.net:8444/CH',
      cert: join(homedir(), '.gcf/alice-cert.pem'), key: '/home/op/work/keys/alice-key.pem',
    });
    expect(omni.nicknames).toEqual({
      'utah-pg': { urn: 'urn:publicid:IDN+emulab.net+authority+cm', url: 'https://www.emulab.net:12369/protogeni/xmlrpc/am/2.0' },
      plain: { url: 'https://plain.example/am/3' },
    });
    expect(omni.aggregates).toEqual(['utah-pg', 'https://am.wisc.example:12346/am/3']);
    // gcf's clearinghouse is its ch
    expect(parseOmniConfig(OMNI_CONFIG.replace('default_cf = portal', 'default_cf = my_gcf'), 'f').framework).toMatchObject({ type: 'gcf', sliceAuthorityUrl: 'https://localhost:8000', cert: '/etc/gcf/alice-cert.pem' });
  });

  it('-a names an aggregate by nickname or URL, by default the first of [omni] aggregates', () => {
    const omni = parseOmniConfig(OMNI_CONFIG, 'omni_config');
    expect(omniAggregate(omni, 'plain')).toEqual({ url: 'https://plain.example/am/3', nickname: 'plain' });
    expect(omniAggregate(omni, 'https://plain.example/am/3')).toEqual({ url: 'https://plain.example/am/3', nickname: 'plain' });
    expect(omniAggregate(omni, 'https://other.example/am/3')).toEqual({ url: 'https://other.example/am/3' });
    expect(omniAggregate(omni, undefined)).toMatchObject({ nickname: 'utah-pg' });
    expect(() => omniAggregate(omni, 'nowhere')).toThrow(/-a nowhere is neither a URL nor a nickname of omni_config \[aggregate_nicknames\] \(utah-pg, plain\)/);
  });

  it('says in one line what is missing or malformed', () => {
    expect(() => parseOmniConfig('[other]\nx=1\n', 'f')).toThrow(/f has no \[omni\] section/);
    expect(() => parseOmniConfig('[omni]\nusers=a\n', 'f')).toThrow(/names no default_cf/);
    expect(() => parseOmniConfig('[omni]\ndefault_cf=pg\n', 'f')).toThrow(/default_cf = pg, but there is no \[pg\] section/);
    expect(() => parseOmniConfig('[omni]\ndefault_cf=pg\n[pg]\ncert=c.pem\n', 'f')).toThrow(/\[pg\] has no key/);
    expect(() => parseOmniConfig('[omni]\ndefault_cf=pg\n[pg]\ncert=c\nkey=k\n[aggregate_nicknames]\nx=just-a-urn\n', 'f')).toThrow(/x must be URN,URL/);
    expect(() => parseOmniConfig('stray line\n', 'f')).toThrow(/line 1 is neither \[section\] nor name = value/);
  });

  it('gives a run its identity and target; what the configuration or the command line sets wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gh-omni-'));
    const path = join(dir, 'omni_config');
    writeFileSync(path, OMNI_CONFIG);
    const cert = join(homedir(), '.gcf/alice-cert.pem');
    expect(withOmniConfig({}, { omniConfig: path, aggregate: 'plain' })).toMatchObject({
      file: { cert }, overrides: { target: 'https://plain.example/am/3', targetName: 'plain' },
    });
    // no -a: the first default aggregate
    expect(withOmniConfig({ omniConfig: path }, {}).overrides).toMatchObject({ target: 'https://www.emulab.net:12369/protogeni/xmlrpc/am/2.0', targetName: 'utah-pg' });
    // the file's own cert and key, --target-name and --target are kept
    // (a chapi framework's slice authority comes along: there the run makes its slices)
    expect(withOmniConfig({ cert: 'mine.pem', key: 'mine.key' }, { omniConfig: path }).file).toEqual({ cert: 'mine.pem', key: 'mine.key', sliceAuthority: { url: 'https://ch.geni.net/SA' } });
    expect(withOmniConfig({}, { omniConfig: path, aggregate: 'plain', targetName: 'p1' }).overrides.targetName).toBe('p1');
    expect(withOmniConfig({}, { omniConfig: path, target: 'https://x.example/am/3' }).overrides.target).toBe('https://x.example/am/3');
    // a federation's list stays the targets: the omni identity is their shared one
    const federation = withOmniConfig({ targets: [{ name: 'a', target: 'reference' }] }, { omniConfig: path });
    expect(federation.overrides.target).toBeUndefined();
    expect(federation.file.cert).toBe(cert);
    expect(withOmniConfig({ seed: 1 }, { seed: 2 })).toEqual({ file: { seed: 1 }, overrides: { seed: 2 } });
  });

  it('writes an omni_config that reads back as given, the slice authority under the key its framework type uses', () => {
    const given = {
      framework: { name: 'geni-harness', type: 'gcf', authority: 'geni-harness.test', cert: '/srv/alice-cert.pem', key: '/srv/alice-key.pem' },
      users: ['alice'],
      nicknames: { ref: { urn: 'urn:publicid:IDN+geni-harness.test+authority+am', url: 'https://127.0.0.1:4431/am/3' }, 'ref-v2': { url: 'https://127.0.0.1:4431/am/2' } },
      aggregates: ['ref'],
      comment: ['written by a test'],
    };
    const text = formatOmniConfig(given);
    expect(text.startsWith('# written by a test\n[omni]\n')).toBe(true);
    const { path: _path, ...read } = parseOmniConfig(text, 'omni_config', '/elsewhere');
    expect(read).toEqual({ framework: given.framework, nicknames: given.nicknames, aggregates: ['ref'] });
    for (const [type, key] of [['gcf', 'ch'], ['chapi', 'sa'], ['sfa', 'registry']] as const) {
      const withSa = formatOmniConfig({ ...given, framework: { ...given.framework, type, sliceAuthorityUrl: 'https://sa.example/SA' } });
      expect(withSa).toContain(`\n${key} = https://sa.example/SA\n`);
      expect(parseOmniConfig(withSa, 'omni_config').framework.sliceAuthorityUrl).toBe('https://sa.example/SA');
    }
  });

  it('a chapi framework gives the run its slice authority: sa, ma, and the project authority + default_project name; a test authority or a slice authority of the settings wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gh-omni-'));
    const path = join(dir, 'omni_config');
    writeFileSync(path, OMNI_CONFIG.replace('sa = https://ch.geni.net/SA', 'sa = https://ch.geni.net/SA\nma = https://ch.geni.net/MA\ndefault_project = ops\nspeakv2 = true'));
    const portal = parseOmniConfig(readFileSync(path, 'utf8'), path);
    expect(portal.framework).toMatchObject({ memberAuthorityUrl: 'https://ch.geni.net/MA', defaultProject: 'ops', speaksV2: true });
    expect(omniSliceAuthority(portal)).toEqual({ url: 'https://ch.geni.net/SA', memberAuthorityUrl: 'https://ch.geni.net/MA', projectUrn: 'urn:publicid:IDN+ch.geni.net+project+ops' });
    expect(withOmniConfig({}, { omniConfig: path, aggregate: 'plain' }).file.sliceAuthority).toEqual(omniSliceAuthority(portal));
    expect(withOmniConfig({ authorityDir: 'auth' }, { omniConfig: path, aggregate: 'plain' }).file.sliceAuthority).toBeUndefined();
    expect(withOmniConfig({ sliceAuthority: { url: 'https://mine.example/SA' } }, { omniConfig: path, aggregate: 'plain' }).file.sliceAuthority).toEqual({ url: 'https://mine.example/SA' });
    // gcf's clearinghouse and SFA registries speak other APIs: no slice authority for the run
    expect(omniSliceAuthority(parseOmniConfig(OMNI_CONFIG.replace('default_cf = portal', 'default_cf = my_gcf'), 'f'))).toBeUndefined();
    // and it writes back as read
    const text = formatOmniConfig({ ...portal, users: ['alice'] });
    expect(parseOmniConfig(text, path).framework).toEqual(portal.framework);
    expect(text).toMatch(/\nch = https:\/\/ch\.geni\.net:8444\/CH\nsa = https:\/\/ch\.geni\.net\/SA\nma = https:\/\/ch\.geni\.net\/MA\ndefault_project = ops\nspeakv2 = true\n/);
  });

  it('outside a run (cleanup, replay): the identity, and an aggregate only when -a names one, unlabelled', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gh-omni-'));
    const path = join(dir, 'omni_config');
    writeFileSync(path, OMNI_CONFIG);
    const cert = join(homedir(), '.gcf/alice-cert.pem');
    // [omni] aggregates names no aggregate here: cleanup and replay know theirs (the ledger's, the replay file's).
    expect(withOmniConfig({}, { omniConfig: path }, { run: false })).toEqual({ file: { cert, key: join(process.cwd(), 'keys/alice-key.pem'), sliceAuthority: { url: 'https://ch.geni.net/SA' } }, overrides: { omniConfig: path } });
    expect(withOmniConfig({}, { omniConfig: path, aggregate: 'plain' }, { run: false }).overrides).toEqual({ omniConfig: path, aggregate: 'plain', target: 'https://plain.example/am/3' });
  });
});

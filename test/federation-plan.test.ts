import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregateGroups, sharedPortNotes } from '../src/cli/federation';
import { checkConfig, federationTargets, resolveConfig, resolveConfigFor, TARGET_ENTRY_KEYS, type HarnessConfig, type TargetEntry } from '../src/config';
import { ConfigError } from '../src/core';

const FEDERATION: HarnessConfig = {
  seed: 3,
  cert: 'shared-cert.pem',
  key: 'shared-key.pem',
  targets: [
    { name: 'utah', target: 'https://am.utah.example:12369/am/3' },
    { name: 'utah-v2', target: 'https://AM.utah.example:12369/am/2', suites: ['am2'] },
    { name: 'wisc', target: 'https://am.wisc.example/am/3', cert: 'wisc-cert.pem', key: 'wisc-key.pem', expectations: 'wisc.json' },
    { name: 'ref', target: 'reference', faults: ['renew-past-credential'] },
    { name: 'ref-sparse', target: 'reference', personality: 'sparse' },
  ],
};

describe('a configuration that lists targets', () => {
  it('is a federation run unless --target or --target-name picks one', () => {
    expect(federationTargets(FEDERATION, {})?.map((t) => t.name)).toEqual(['utah', 'utah-v2', 'wisc', 'ref', 'ref-sparse']);
    expect(federationTargets(FEDERATION, { targetName: 'wisc' })).toBeUndefined();
    expect(federationTargets(FEDERATION, { target: 'https://other.example/am/3' })).toBeUndefined();
    expect(federationTargets({ seed: 1 }, {})).toBeUndefined();
  });

  it('--target-name NAME runs that entry: its settings over the shared ones, the flags over both', () => {
    const wisc = resolveConfig(FEDERATION, { targetName: 'wisc' }, '/work');
    expect(wisc).toMatchObject({ target: 'https://am.wisc.example/am/3', targetName: 'wisc', seed: 3, expectations: '/work/wisc.json' });
    expect(wisc.identity).toMatchObject({ cert: '/work/wisc-cert.pem', key: '/work/wisc-key.pem' });
    const utah = resolveConfig(FEDERATION, { targetName: 'utah', seed: 9 }, '/work');
    expect(utah.identity).toMatchObject({ cert: '/work/shared-cert.pem' });
    expect(utah.seed).toBe(9);
    expect(resolveConfig(FEDERATION, { targetName: 'utah-v2' }).selection.suites).toEqual(['am2']);
    expect(resolveConfig(FEDERATION, { targetName: 'ref' }).faults).toEqual(['renew-past-credential']);
    // Each target's replay files apart (one property case may fail at several aggregates), unless set.
    expect(resolveConfig(FEDERATION, { targetName: 'ref' }, '/work').replayDir).toBe('/work/.geni-harness/replays/ref');
    expect(resolveConfig({ ...FEDERATION, replayDir: 'r' }, { targetName: 'ref' }, '/work').replayDir).toBe('/work/r');
    // --target names the aggregate itself: the list is not consulted.
    expect(resolveConfig(FEDERATION, { target: 'https://other.example/am/3' }).target).toBe('https://other.example/am/3');
  });

  it('refuses a name it does not list, no name at all under plain vitest, and a name listed twice', () => {
    expect(() => resolveConfig(FEDERATION, { targetName: 'nowhere' })).toThrow(/--target-name nowhere is not one of the configuration's targets \(utah, utah-v2, wisc, ref, ref-sparse\)/);
    expect(() => resolveConfig(FEDERATION, {})).toThrow(/runs them all; name one with --target-name/);
    const twice: HarnessConfig = { targets: [{ name: 'a', target: 'reference' }, { name: 'a', target: 'reference' }] };
    expect(() => federationTargets(twice, {})).toThrow(ConfigError);
    expect(() => resolveConfig(twice, { targetName: 'a' })).toThrow(/name "a" twice/);
  });

  it('the schema checks each entry: name and target required, only the settings an entry may give', () => {
    expect(checkConfig(FEDERATION, 'f.json')).toBeDefined();
    expect(() => checkConfig({ targets: [{ name: 'x' }] }, 'f.json')).toThrow(/targets\.0 must have required property 'target'/);
    expect(() => checkConfig({ targets: [{ name: 'x', target: 'reference', reportsDir: 'r' }] }, 'f.json')).toThrow(/unknown key "targets\.0\.reportsDir"/);
    expect(() => checkConfig({ targets: [{ name: '../x', target: 'reference' }] }, 'f.json')).toThrow(/targets\.0\.name/);
    expect(() => checkConfig({ targets: [{ name: 'x', target: 'reference', faults: 'one' }] }, 'f.json')).toThrow(/targets\.0\.faults must be a list/);
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schemas', 'config', 'harness-config.schema.json'), 'utf8')) as {
      properties: { targets: { items: { properties: Record<string, unknown> } } };
    };
    expect(Object.keys(schema.properties.targets.items.properties).sort()).toEqual(['name', 'target', ...TARGET_ENTRY_KEYS].sort());
  });

  it('groups the entries by aggregate: one group per host and port, each embedded reference AM its own', () => {
    const groups = aggregateGroups(FEDERATION.targets as TargetEntry[]);
    expect(groups.map((g) => g.map((t) => t.name))).toEqual([['utah', 'utah-v2'], ['wisc'], ['ref'], ['ref-sparse']]);
  });

  it('outside a run (cleanup, replay) an aggregate is spoken to with the settings of the entry that names it', () => {
    // The same URL; else the same host and port (utah's v2 URL is another entry, but the first at that host wins
    // for a URL no entry names); else the shared settings. The target is the URL asked for in every case.
    const wisc = resolveConfigFor('https://am.wisc.example/am/3', FEDERATION, {}, '/work');
    expect(wisc).toMatchObject({ target: 'https://am.wisc.example/am/3', targetName: 'wisc', identity: { cert: '/work/wisc-cert.pem' } });
    expect(resolveConfigFor('https://am.wisc.example:443/am/2', FEDERATION, {}, '/work').identity.cert).toBe('/work/wisc-cert.pem');
    expect(resolveConfigFor('https://am.utah.example:12369/am/2', FEDERATION, {}).targetName).toBe('utah-v2');
    expect(resolveConfigFor('https://am.utah.example:12369/am/1', FEDERATION, {}).targetName).toBe('utah');
    const other = resolveConfigFor('https://am.other.example/am/3', FEDERATION, {}, '/work');
    expect(other).toMatchObject({ target: 'https://am.other.example/am/3', identity: { cert: '/work/shared-cert.pem' } });
    expect(other.targetName).toBeUndefined();
    // the command line still wins, and --target-name picks the entry itself
    expect(resolveConfigFor('https://am.wisc.example/am/3', FEDERATION, { cert: 'c.pem', key: 'k.pem' }, '/work').identity.cert).toBe('/work/c.pem');
    expect(resolveConfigFor('https://am.wisc.example/am/3', FEDERATION, { targetName: 'utah' }, '/work').identity.cert).toBe('/work/shared-cert.pem');
    // a configuration without targets: its settings, the URL as the target
    expect(resolveConfigFor('https://am.example/am/3', { cert: 'c.pem', key: 'k.pem' }, { target: 'https://ignored.example/am/3' }, '/work'))
      .toMatchObject({ target: 'https://am.example/am/3', identity: { cert: '/work/c.pem' } });
  });

  it('puts entries whose callback endpoints listen on one fixed port in one group, and says so', () => {
    const names = (groups: TargetEntry[][]) => groups.map((g) => g.map((t) => t.name));
    // As runFederation resolves it: the entry's own callbackPort, else the shared one (file or command line).
    const portOf = (file: HarnessConfig, overrides: HarnessConfig = {}) => (entry: TargetEntry) =>
      resolveConfig(file, { ...overrides, targetName: entry.name }).dynslice.callbackPort;
    const entries = FEDERATION.targets as TargetEntry[];

    // A shared fixed port (the file's or --callback-port): nothing with a callback endpoint runs at once.
    const shared: HarnessConfig = { ...FEDERATION, callbackPort: 8443 };
    expect(names(aggregateGroups(entries, portOf(shared)))).toEqual([['utah', 'utah-v2', 'wisc', 'ref', 'ref-sparse']]);
    expect(names(aggregateGroups(entries, portOf(FEDERATION, { callbackPort: 8443 })))).toEqual([['utah', 'utah-v2', 'wisc', 'ref', 'ref-sparse']]);
    expect(sharedPortNotes(entries, portOf(shared), 4)).toEqual([
      'utah, utah-v2, wisc, ref, ref-sparse share callback port 8443 (callbackPort): they run one after the other; give each entry its own callbackPort to run them at once',
    ]);
    expect(sharedPortNotes(entries, portOf(shared), 1)).toEqual([]);

    // Ports of their own run at once; port 0 (the OS picks) collides with nothing.
    const own: HarnessConfig = { ...FEDERATION, callbackPort: 0, targets: [
      { name: 'utah', target: 'https://am.utah.example:12369/am/3', callbackPort: 9001 },
      { name: 'wisc', target: 'https://am.wisc.example/am/3', callbackPort: 9002 },
      { name: 'ref', target: 'reference' },
      { name: 'ref-2', target: 'reference' },
      // Shares wisc's port and utah's aggregate: the three wait for each other.
      { name: 'utah-v2', target: 'https://am.utah.example:12369/am/2', callbackPort: 9002 },
    ] };
    const ownEntries = own.targets as TargetEntry[];
    expect(names(aggregateGroups(ownEntries, portOf(own)))).toEqual([['utah', 'wisc', 'utah-v2'], ['ref'], ['ref-2']]);
    expect(sharedPortNotes(ownEntries, portOf(own), 4)).toEqual([
      'wisc, utah-v2 share callback port 9002 (callbackPort): they run one after the other; give each entry its own callbackPort to run them at once',
    ]);
    // Entries of one aggregate run one after the other anyway: sharing a port there needs no note.
    const sameAggregate: HarnessConfig = { targets: [
      { name: 'a', target: 'https://am.example/am/3', callbackPort: 9000 },
      { name: 'b', target: 'https://am.example/am/2', callbackPort: 9000 },
    ] };
    expect(sharedPortNotes(sameAggregate.targets!, portOf(sameAggregate), 4)).toEqual([]);
  });
});

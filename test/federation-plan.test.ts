import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregateGroups } from '../src/cli/federation';
import { checkConfig, federationTargets, resolveConfig, TARGET_ENTRY_KEYS, type HarnessConfig, type TargetEntry } from '../src/config';
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
});

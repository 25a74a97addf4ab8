import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core';
import { overridesFromEnv, overridesFromFlags, reproduceArguments, resolveConfig } from '../src/config';
import { loadCases, selectCases } from '../src/runner/registry';

describe('federation settings', () => {
  it('--target-name labels the target and is repeated by the reproduce command', () => {
    const config = resolveConfig({}, overridesFromFlags({ 'target-name': 'utah-pg', seed: '5' }));
    expect(config.targetName).toBe('utah-pg');
    expect(reproduceArguments(config)).toEqual(['--target-name', 'utah-pg', '--seed', '5']);
    expect(resolveConfig({}, overridesFromEnv({ GENI_HARNESS_TARGET_NAME: 'wisc' })).targetName).toBe('wisc');
  });

  it('refuses a label that could not name a directory or a suite', () => {
    for (const bad of ['', '../x', 'a b', '-x', 'x'.repeat(65)]) {
      expect(() => resolveConfig({ targetName: bad }, {}), bad).toThrow(ConfigError);
    }
  });

  it('--shard I/N is parsed and checked', () => {
    expect(resolveConfig({}, overridesFromFlags({ shard: '2/3' })).selection.shard).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '3', '1/0', 'a/b', '1/3/5']) {
      expect(() => resolveConfig({}, overridesFromFlags({ shard: bad })), bad).toThrow(/--shard must be I\/N/);
    }
  });

  it('--junit-flavor takes default or jenkins only', () => {
    expect(resolveConfig({}, overridesFromFlags({ 'junit-flavor': 'jenkins' })).junitFlavor).toBe('jenkins');
    expect(resolveConfig({}, {}).junitFlavor).toBe('default');
    expect(() => resolveConfig({}, overridesFromFlags({ 'junit-flavor': 'surefire' }))).toThrow('--junit-flavor must be one of default, jenkins, but received "surefire"');
  });
});

describe('shards', () => {
  it('split the selected cases so that each is in exactly one shard, the shards within one case of each other', async () => {
    const all = selectCases(await loadCases(), { cases: ['am3.*'] });
    const shards = [1, 2, 3].map((index) => selectCases(all, { cases: ['am3.*'], shard: { index, count: 3 } }).map((c) => c.id));
    const union = shards.flat().sort();
    expect(union).toEqual(all.map((c) => c.id).sort());
    expect(new Set(union).size).toBe(union.length);
    const sizes = shards.map((s) => s.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });
});


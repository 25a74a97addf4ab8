import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../src/cli/args';
import { ConfigError } from '../src/core';
import { checkConfig, OVERRIDES, overridesFromEnv, overridesFromFlags, PROFILES, reproduceArguments, resolveConfig } from '../src/config';
import { PERSONALITIES } from '../src/reference-am';
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

describe('--concurrency', () => {
  it('takes a positive integer or auto (the default), from flags, the environment and a file', () => {
    expect(resolveConfig({}, {}).concurrency).toBe('auto');
    expect(resolveConfig({}, overridesFromFlags({ concurrency: '3' })).concurrency).toBe(3);
    expect(resolveConfig({}, overridesFromFlags({ concurrency: 'auto' })).concurrency).toBe('auto');
    expect(resolveConfig({}, overridesFromEnv({ GENI_HARNESS_CONCURRENCY: '2' })).concurrency).toBe(2);
    expect(resolveConfig({ concurrency: 4 }, {}).concurrency).toBe(4);
    for (const bad of ['0', '-1', 'two', '1.5']) {
      expect(() => resolveConfig({}, overridesFromFlags({ concurrency: bad })), bad).toThrow(/--concurrency must be a positive integer or auto/);
    }
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


describe('configuration files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gh-config-'));
  const write = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('loads a TypeScript file from any directory, importing defineConfig from geni-harness', async () => {
    const file = write('ops.config.ts', "import { defineConfig } from 'geni-harness';\nexport default defineConfig({ seed: 6, targetName: 'utah-pg', ca: ['./ca.pem'] });\n");
    expect(await loadConfigFile(file)).toEqual({ seed: 6, targetName: 'utah-pg', ca: ['./ca.pem'] });
  });

  it('loads JSON', async () => {
    expect(await loadConfigFile(write('ops.json', '{"strict": true, "suites": ["am3"]}'))).toEqual({ strict: true, suites: ['am3'] });
  });

  it('names every unknown key and every wrong type in one line', async () => {
    const file = write('bad.json', JSON.stringify({ seed: 'abc', ca: 'x', strict: 1, bogus: true, reference: { allocate: 'some' } }));
    const error = await loadConfigFile(file).then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    for (const part of ['unknown key "bogus"', 'seed must be an integer, but is "abc"', 'ca must be a list, but is "x"', 'strict must be true or false, but is 1', 'reference.allocate must be one of']) {
      expect(message).toContain(part);
    }
  });

  it('refuses a file that does not export an object, and says why a file could not be loaded', async () => {
    await expect(loadConfigFile(write('list.json', '[1]'))).rejects.toThrow(/must export an object/);
    await expect(loadConfigFile(write('broken.ts', 'export default {'))).rejects.toThrow(/could not be loaded/);
    await expect(loadConfigFile(join(dir, 'none.ts'))).rejects.toThrow(/does not exist/);
  });

  it('the project\'s own harness.config.ts passes, and the schema knows every setting a flag sets', async () => {
    expect(checkConfig((await import('../harness.config')).default, 'harness.config.ts')).toBeDefined();
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schemas', 'config', 'harness-config.schema.json'), 'utf8')) as { properties: Record<string, unknown> };
    expect(OVERRIDES.map((o) => o.key).filter((key) => !(key in schema.properties))).toEqual([]);
    // and every key of HarnessConfig (read from its declaration: a key added there must be added to the schema)
    const source = readFileSync(join(import.meta.dirname, '..', 'src', 'config.ts'), 'utf8');
    const declaration = source.slice(source.indexOf('export interface HarnessConfig {'), source.indexOf('\n}\n', source.indexOf('export interface HarnessConfig {')));
    const keys = [...declaration.matchAll(/^ {2}(\w+)\?:/gm)].map((m) => m[1]!);
    expect(keys.length).toBeGreaterThan(20);
    expect(keys.filter((key) => !(key in schema.properties))).toEqual([]);
  });

  it('the schema names the same personalities and profiles the code knows', () => {
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schemas', 'config', 'harness-config.schema.json'), 'utf8')) as {
      properties: { personality: { enum: string[] }; profiles: { items: { enum: string[] } } };
    };
    expect(schema.properties.personality.enum).toEqual(PERSONALITIES.map((p) => p.name));
    expect(schema.properties.profiles.items.enum).toEqual([...PROFILES]);
    expect(() => checkConfig({ personality: 'grumpy' }, 'x.json')).toThrow(/personality/);
    expect(() => checkConfig({ profiles: ['fed4fire', 'nope'] }, 'x.json')).toThrow(/profiles/);
  });
});

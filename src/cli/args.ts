import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { register } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, errorMessage } from '../core';
import { checkConfig, type HarnessConfig } from '../config';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** parseArgs that turns unknown flags and missing values into one-line configuration errors. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, command: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new ConfigError(`${command}: ${errorMessage(err)}`);
  }
}

export function parseInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new ConfigError(`${flag} must be an integer, but received ${JSON.stringify(value)}`);
  return Number(value);
}

/**
 * Makes `dir` (and its missing parents) and proves it can be written by writing a probe file, or throws a one-line
 * ConfigError naming the directory and why. One level at a time, never mkdirSync's recursive mode: under /proc that
 * loops forever at 100% CPU (Node 20).
 */
export function ensureWritableDir(dir: string, what: string): void {
  const absolute = resolve(dir);
  const missing: string[] = [];
  let at = absolute;
  try {
    while (!existsSync(at)) {
      missing.unshift(at);
      const parent = dirname(at);
      if (parent === at) break;
      at = parent;
    }
    if (existsSync(at) && !statSync(at).isDirectory()) throw new Error(`${at} is not a directory`);
    for (const d of missing) mkdirSync(d);
    const probe = join(absolute, `.geni-harness-probe-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (err) {
    throw new ConfigError(`${what} ${absolute} cannot be written: ${errorMessage(err).split('\n')[0]}`);
  }
}

/** Loads --config FILE, or ./harness.config.ts when present; checked against schemas/config/harness-config.schema.json. */
export async function loadConfigFile(path: string | undefined): Promise<HarnessConfig> {
  const file = path ? resolve(path) : resolve('harness.config.ts');
  if (!existsSync(file)) {
    if (path) throw new ConfigError(`config file ${path} does not exist`);
    return {};
  }
  let value: unknown;
  try {
    value = file.endsWith('.json') ? JSON.parse(readFileSync(file, 'utf8')) : await importConfigModule(file);
  } catch (err) {
    throw new ConfigError(`config file ${file} could not be loaded: ${firstLine(errorMessage(err))}`);
  }
  return checkConfig(value, file);
}

let selfResolving = false;

/**
 * A TypeScript or JavaScript configuration from any directory: tsx compiles it whatever the module type around it
 * (a file outside the project has no package.json saying "module"), and an import of 'geni-harness' resolves to
 * this copy of the harness.
 */
async function importConfigModule(file: string): Promise<unknown> {
  if (!selfResolving) {
    register(new URL('./resolve-self.mjs', import.meta.url), { data: { self: new URL('../index.ts', import.meta.url).href } });
    selfResolving = true;
  }
  const { tsImport } = await import('tsx/esm/api');
  // A file outside an ES-module package is compiled as CommonJS, whose require() the hook above does not see: for
  // the time of the import, 'geni-harness' is resolved the same way there (what module-alias and tsconfig-paths do).
  const cjs = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = cjs._resolveFilename;
  const self = fileURLToPath(new URL('../index.ts', import.meta.url));
  cjs._resolveFilename = (request, ...rest) => (request === 'geni-harness' ? self : original(request, ...rest));
  let mod: { default?: unknown };
  try {
    mod = (await tsImport(pathToFileURL(file).href, import.meta.url)) as { default?: unknown };
  } finally {
    cjs._resolveFilename = original;
  }
  // Outside an ES-module package the file is compiled as CommonJS: its default export arrives one level down.
  const outer = mod.default;
  if (outer !== null && typeof outer === 'object' && 'default' in outer && Object.keys(outer).length === 1) return (outer as { default: unknown }).default;
  return outer ?? {};
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

/**
 * Colours on a terminal, unless NO_COLOR is set (no-color.org: any non-empty value); FORCE_COLOR forces them on
 * (off when it is '0' or 'false'), e.g. for a CI log that renders ANSI.
 */
export function colorWanted(env: NodeJS.ProcessEnv, terminal: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return !/^(0|false)$/i.test(force);
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return terminal;
}

import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, errorMessage } from '../core';
import type { HarnessConfig } from '../config';

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

/** Loads --config FILE, or ./harness.config.ts when present. */
export async function loadConfigFile(path: string | undefined): Promise<HarnessConfig> {
  const file = path ? resolve(path) : resolve('harness.config.ts');
  if (!existsSync(file)) {
    if (path) throw new ConfigError(`config file ${path} does not exist`);
    return {};
  }
  try {
    const mod = (await import(pathToFileURL(file).href)) as { default?: HarnessConfig };
    return mod.default ?? {};
  } catch (err) {
    throw new ConfigError(`config file ${file} could not be loaded: ${errorMessage(err)}`);
  }
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

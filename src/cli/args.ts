import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
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
  if (!/^-?\d+$/.test(value)) throw new ConfigError(`${flag} must be an integer, but received ${JSON.stringify(value)}`);
  return Number(value);
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


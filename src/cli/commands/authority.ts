import { resolve } from 'node:path';
import { ConfigError } from '../../core';
import { initAuthority } from '../../credentials';
import { parseFlags, type Io } from '../args';

export const HELP = `usage: geni-harness authority init [--dir DIR] [--name NAME]
  Creates (or loads) the test authority in DIR (default .geni-harness/authority) and prints the path of its CA
  certificate: add it to a real aggregate's trusted roots, then \`run --target URL --authority DIR\` mints users,
  slices and credentials from it.`;

/** `geni-harness authority init [--dir D]`: the authority an operator adds to a real AM's trusted roots. */
export async function authorityCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(args, { dir: { type: 'string' }, name: { type: 'string' } }, 'authority');
  if (positionals[0] !== 'init') throw new ConfigError(`authority: expected 'init', got ${JSON.stringify(positionals[0] ?? '')}`);
  const dir = resolve(values.dir ?? '.geni-harness/authority');
  const { authority, created, caCertPath } = initAuthority(dir, { name: values.name });
  io.stderr(`${created ? 'created' : 'loaded'} test authority ${authority.sa.urn} in ${dir}; add the CA certificate below to the aggregate's trusted roots`);
  io.stdout(caCertPath);
  return 0;
}

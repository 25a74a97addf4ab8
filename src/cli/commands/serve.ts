import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { initAuthority, mintSliceCredential, mintUser, mintUserCredential, sliceUrn } from '../../credentials';
import { startReferenceAm } from '../../reference-am';
import { parseFlags, parseInteger, type Io } from '../args';

/**
 * `geni-harness serve`: the embedded reference AM on its own, for other clients (omni, jFed, a browser of the
 * XML-RPC) or for a harness run in another shell (`geni-harness run --target URL --authority DIR`).
 */
export async function serveCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseFlags(args, {
    port: { type: 'string' }, fault: { type: 'string', multiple: true }, dir: { type: 'string' },
    allocate: { type: 'string' }, 'single-allocation': { type: 'boolean' },
  }, 'serve');
  const dir = resolve(values.dir ?? '.geni-harness/serve');
  const { authority } = initAuthority(join(dir, 'authority'));
  const allocate = values.allocate as 'geni_single' | 'geni_disjoint' | 'geni_many' | undefined;
  const am = await startReferenceAm({
    authority, port: parseInteger(values.port, '--port') ?? 0, faults: values.fault ?? [],
    allocate, singleAllocation: values['single-allocation'], updateSliver: true,
  });
  const user = mintUser(authority, 'alice');
  const slice = sliceUrn(authority, 'demo');
  const files = join(dir, 'alice');
  mkdirSync(files, { recursive: true });
  const paths = {
    caCert: join(dir, 'ca-cert.pem'), userCert: join(files, 'alice-cert.pem'), userKey: join(files, 'alice-key.pem'),
    userCredential: join(files, 'alice-usercred.xml'), sliceCredential: join(files, 'demo-slicecred.xml'),
  };
  writeFileSync(paths.caCert, authority.trustedRootsPem.join('\n'));
  // With the SA certificate after it, as clearinghouse-issued certificate files carry the chain to the trusted CA.
  writeFileSync(paths.userCert, `${user.certPem.trimEnd()}\n${authority.sa.certPem}`);
  writeFileSync(paths.userKey, user.keyPem, { mode: 0o600 });
  writeFileSync(paths.userCredential, mintUserCredential(authority, user), { mode: 0o600 });
  writeFileSync(paths.sliceCredential, mintSliceCredential(authority, user, slice), { mode: 0o600 });
  io.stdout([
    `reference AM ${am.urn}`,
    ...Object.entries(am.urls).map(([v, u]) => `  AM API v${v}: ${u}`),
    `  faults: ${am.faults.join(', ') || 'none'}`,
    `  CA certificate (trust root of server, users and credentials): ${paths.caCert}`,
    `  user ${user.urn}: cert ${paths.userCert}, key ${paths.userKey}`,
    `  user credential: ${paths.userCredential}`,
    `  slice ${slice}: credential ${paths.sliceCredential}`,
    `  harness: geni-harness run --target ${am.urls['3']} --authority ${join(dir, 'authority')}`,
    'Ctrl-C stops it.',
  ].join('\n'));
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await am.close();
  return 0;
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateCommand } from '../../src/cli/commands/validate';
import { fixturePath } from './helpers';

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await validateCommand(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

const scratch = mkdtempSync(path.join(tmpdir(), 'validate-command-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('geni-harness validate', () => {
  it('exits 0 when every file is valid and says which schema was used', async () => {
    const { code, stdout } = await run([fixturePath('ad-valid.xml'), fixturePath('request-valid.xml')]);
    expect(code).toBe(0);
    expect(stdout).toContain('ad-valid.xml: valid (advertisement, schema geni3/ad.xsd)');
    expect(stdout).toContain('request-valid.xml: valid (request, schema geni3/request.xsd)');
  });

  it('exits 1 when any file is invalid and prints line, rule and message', async () => {
    const { code, stdout } = await run([fixturePath('request-valid.xml'), fixturePath('request-semantic-errors.xml')]);
    expect(code).toBe(1);
    expect(stdout).toContain('request-semantic-errors.xml: INVALID');
    expect(stdout).toMatch(/error line 14: link-two-ends: link "one-ended" has 1 interface_ref/);
  });

  it('prints XSD findings with their schema, and the namespaces it did not validate', async () => {
    const xsd = await run([fixturePath('request-xsd-invalid.xml')]);
    expect(xsd.stdout).toMatch(/error line 5: xsd: .*client_id.* \[geni3\/request\.xsd\]/);
    const extension = await run([fixturePath('request-foreign-extension.xml')]);
    expect(extension.code).toBe(0);
    expect(extension.stdout).toContain('not validated (no schema loaded): http://acme.example/rspec/ext/1');
  });

  it('--type checks the root type', async () => {
    const { code, stdout } = await run(['--type', 'manifest', fixturePath('request-valid.xml')]);
    expect(code).toBe(1);
    expect(stdout).toContain('root-type');
  });

  it('--json prints one array with the documented fields', async () => {
    const { code, stdout } = await run([fixturePath('manifest-missing-sliver-id.xml'), '--json', fixturePath('manifest-valid.xml')]);
    expect(code).toBe(1);
    const parsed = JSON.parse(stdout) as Array<Record<string, unknown>>;
    expect(parsed).toHaveLength(2);
    expect(Object.keys(parsed[0]!).sort()).toEqual(['conformant', 'file', 'findings', 'namespace', 'notValidated', 'rootType', 'schema', 'valid']);
    expect(parsed[0]).toMatchObject({ valid: true, conformant: false, rootType: 'manifest', schema: 'geni3/manifest.xsd', findings: [{ rule: 'manifest-sliver-id', line: 5 }] });
    expect(parsed[1]).toMatchObject({ valid: true, notValidated: [] });
  });

  it('exits 1 (not 2) for a file that is not XML at all, since that is an invalid RSpec', async () => {
    const file = path.join(scratch, 'broken.xml');
    writeFileSync(file, '<rspec');
    const { code, stdout } = await run([file]);
    expect(code).toBe(1);
    expect(stdout).toContain('not-well-formed');
  });

  it('exits 2 naming an unreadable file, before validating anything', async () => {
    const missing = path.join(scratch, 'absent.xml');
    const { code, stdout, stderr } = await run([fixturePath('ad-valid.xml'), missing]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([`validate: cannot read ${missing}: ENOENT`]);
  });

  it('--expect flags a document in the other RSpec format', async () => {
    const pg = await run(['--expect', 'geni3', fixturePath('pgv2-request-valid.xml')]);
    expect(pg.code).toBe(1);
    expect(pg.stdout).toMatch(/error line 3: rspec-version: the document is a ProtoGENI v2 RSpec/);
    expect((await run(['--expect=pgv2', fixturePath('pgv2-request-valid.xml')])).code).toBe(0);
  });

  it('--max-bytes refuses a larger file with a finding that names the limit', async () => {
    const { code, stdout } = await run(['--max-bytes', '1000', fixturePath('ad-rack-extensions.xml')]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/too-large: RSpec is \d+ bytes, over the 1000-byte limit; it was not read/);
  });

  it.each([[[]], [['--type', 'ticket', 'x.xml']], [['--frobnicate', 'x.xml']], [['--type']], [['--expect', 'geni2', 'x.xml']], [['--max-bytes', '-5', 'x.xml']]])('exits 2 on usage error %j', async (args) => {
    const { code, stderr } = await run(args);
    expect(code).toBe(2);
    // one line that names the problem and where the usage is (geni-harness validate --help)
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^validate: .+; see --help\n?$/);
  });
});

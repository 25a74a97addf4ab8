import { accessSync, constants, statSync } from 'node:fs';
import { DEFAULT_MAX_BYTES, type RSpecFormat, type RSpecType, type RSpecValidation } from '../../rspec/validate';
import { validateFiles } from '../validate-files';

export interface CommandOutput {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export const USAGE = 'usage: geni-harness validate FILE... [--type ad|request|manifest] [--expect geni3|pgv2] [--max-bytes N] [--threads 1|2] [--json]';

const TYPE_BY_OPTION: Record<string, RSpecType> = { ad: 'advertisement', advertisement: 'advertisement', request: 'request', manifest: 'manifest' };

const FORMATS: readonly RSpecFormat[] = ['geni3', 'pgv2'];

/**
 * `geni-harness validate FILE... [--type ad|request|manifest] [--expect geni3|pgv2] [--max-bytes N] [--json]`:
 * validates RSpec files with the project's schemas and semantic rules. Exit 0 when every file is valid, 1 when
 * any is invalid, 2 for a usage error or an unreadable file (checked before anything is validated, so output is
 * all or nothing). Each file is read straight into the XML engine after its size is checked; when a second core is
 * free, files are shared out between two threads and a lone large advertisement is validated in two parts at once
 * (src/cli/validate-files.ts), with the verdicts one thread gives.
 */
export async function validateCommand(args: string[], out: CommandOutput, { processEndsAfter = false } = {}): Promise<number> {
  const files: string[] = [];
  let json = false;
  let expectedType: RSpecType | undefined;
  let expect: RSpecFormat | undefined;
  let maxBytes = DEFAULT_MAX_BYTES;
  let threads: number | undefined;
  const valueOf = (arg: string, name: string, index: number): [string | undefined, number] =>
    arg === name ? [args[index + 1], index + 1] : [arg.slice(name.length + 1), index];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    if (arg === '--help' || arg === '-h') {
      out.stdout(USAGE);
      return 0;
    } else if (arg === '--json') {
      json = true;
    } else if (arg === '--expect' || arg.startsWith('--expect=')) {
      const [value, next] = valueOf(arg, '--expect', index);
      index = next;
      if (!FORMATS.includes(value as RSpecFormat)) {
        out.stderr(`validate: --expect needs one of geni3, pgv2 (got ${value === undefined ? 'nothing' : JSON.stringify(value)}); see --help`);
        return 2;
      }
      expect = value as RSpecFormat;
    } else if (arg === '--max-bytes' || arg.startsWith('--max-bytes=')) {
      const [value, next] = valueOf(arg, '--max-bytes', index);
      index = next;
      if (value === undefined || !/^\d+$/.test(value) || Number(value) < 1) {
        out.stderr(`validate: --max-bytes needs a positive whole number of bytes (got ${value === undefined ? 'nothing' : JSON.stringify(value)}); see --help`);
        return 2;
      }
      maxBytes = Number(value);
    } else if (arg === '--threads' || arg.startsWith('--threads=')) {
      const [value, next] = valueOf(arg, '--threads', index);
      index = next;
      if (value !== '1' && value !== '2') {
        out.stderr(`validate: --threads needs 1 or 2 (got ${value === undefined ? 'nothing' : JSON.stringify(value)}); see --help`);
        return 2;
      }
      threads = Number(value);
    } else if (arg === '--type' || arg.startsWith('--type=')) {
      const value = arg === '--type' ? args[(index += 1)] : arg.slice('--type='.length);
      const type = value === undefined ? undefined : TYPE_BY_OPTION[value];
      if (type === undefined) {
        out.stderr(`validate: --type needs one of ad, request, manifest (got ${value === undefined ? 'nothing' : JSON.stringify(value)}); see --help`);
        return 2;
      }
      expectedType = type;
    } else if (arg.startsWith('--')) {
      out.stderr(`validate: unknown option ${arg}; see --help`);
      return 2;
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) {
    out.stderr(`validate: no RSpec file given; see --help`);
    return 2;
  }

  for (const file of files) {
    try {
      accessSync(file, constants.R_OK);
      if (!statSync(file).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
      out.stderr(`validate: cannot read ${file}: ${reason}\n`);
      return 2;
    }
  }

  const verdicts = await validateFiles(files, { expectedType, expect, maxBytes }, { processEndsAfter, ...(threads !== undefined && { parallel: threads > 1 }) });
  const results = files.map((file, index) => ({ file, ...verdicts[index]! }));
  if (json) {
    // `valid` is the schema verdict (comparable with xmllint and the corpus verdicts); `conformant` adds the
    // semantic rules no XSD states. The exit code follows `conformant`.
    out.stdout(`${JSON.stringify(results.map(({ file, valid, schemaValid, rootType, namespace, schema, findings, notValidated }) =>
      ({ file, valid: schemaValid, conformant: valid, rootType, namespace, schema, findings, notValidated })), null, 2)}\n`);
  } else {
    for (const result of results) out.stdout(describe(result));
  }
  return results.every((result) => result.valid) ? 0 : 1;
}

function describe(result: RSpecValidation & { file: string }): string {
  const about = [result.rootType, result.schema && `schema ${result.schema}`].filter(Boolean).join(', ');
  const verdict = result.valid ? 'valid' : result.schemaValid ? 'INVALID (schema-valid, but breaks semantic rules)' : 'INVALID';
  const lines = [`${result.file}: ${verdict}${about ? ` (${about})` : ''}`];
  for (const finding of result.findings) {
    if (finding.rule === 'not-validated') continue; // summarised below, once
    const where = finding.line === undefined ? '' : `line ${finding.line}: `;
    const schema = finding.schema ? ` [${finding.schema}]` : '';
    lines.push(`  ${finding.severity === 'error' ? 'error' : 'notice'} ${where}${finding.rule}: ${finding.message}${schema}${finding.path ? ` at ${finding.path}` : ''}`);
  }
  if (result.notValidated.length > 0) lines.push(`  not validated (no schema loaded): ${result.notValidated.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

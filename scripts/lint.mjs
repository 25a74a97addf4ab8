#!/usr/bin/env node
// `npm run lint` (part of `npm test` and CI): the type check of `tsc --noEmit` and `eslint .`, in one process that
// builds the TypeScript program once. Run one after the other, each built its own program of every file
// tsconfig.json names and type-checked it again (eslint's type-aware rules ask the checker about most expressions):
// about half of lint's CPU. Here the checker has typed everything before the rules ask. The rules and the files are
// eslint.config.js's; only where the types come from changes. Exit 1 when either reports an error; both always run.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const configFile = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (d) => {
    throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  },
});
const program = ts.createProgram({ rootNames: configFile.fileNames, options: configFile.options, projectReferences: configFile.projectReferences });
const diagnostics = [...configFile.errors, ...ts.getPreEmitDiagnostics(program)];
if (diagnostics.length > 0) {
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
  const pretty = process.stdout.isTTY === true;
  process.stdout.write(pretty ? ts.formatDiagnosticsWithColorAndContext(diagnostics, host) : ts.formatDiagnostics(diagnostics, host));
  const errors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).length;
  process.stdout.write(`\ntsc: ${errors} error${errors === 1 ? '' : 's'}\n`);
}

const eslint = new ESLint({
  cwd: root,
  // The program above stands in for the project service: the same tsconfig.json, already type-checked.
  overrideConfig: { files: ['**/*.ts'], languageOptions: { parserOptions: { projectService: false, programs: [program] } } },
});
const results = await eslint.lintFiles(['.']);
const formatter = await eslint.loadFormatter('stylish');
const report = await formatter.format(results);
if (report) process.stdout.write(report);

const typeErrors = diagnostics.some((d) => d.category === ts.DiagnosticCategory.Error);
const lintErrors = results.some((r) => r.errorCount > 0 || r.fatalErrorCount > 0);
process.exitCode = typeErrors || lintErrors ? 1 : 0;

/**
 * `geni-harness validate` on its own: bin/geni-harness.mjs runs a compiled build of this module instead of the
 * whole CLI through tsx, so validating a small RSpec costs the validation, not half a second of start-up.
 */
import { validateCommand } from './commands/validate';

const write = (stream: NodeJS.WriteStream) => (text: string) => {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
};

// The process ends with the command: the XML engine leaves its last trees to the process's end (validate-files.ts).
process.exitCode = await validateCommand(process.argv.slice(3), { stdout: write(process.stdout), stderr: write(process.stderr) }, { processEndsAfter: true });

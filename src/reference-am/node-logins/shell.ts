/**
 * The few commands a reference node answers over SSH exec: enough for a client to prove it got a shell as the
 * right user on the right node. Anything else is "not found", as a minimal image would say.
 */
export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export function runNodeCommand(command: string, node: { hostname: string; username: string }): CommandResult {
  const line = command.trim();
  const ok = (stdout: string): CommandResult => ({ stdout, stderr: '', exitCode: 0 });
  switch (line) {
    case 'true':
    case ':':
      return ok('');
    case 'false':
      return { stdout: '', stderr: '', exitCode: 1 };
    case 'uname':
    case 'uname -s':
      return ok('Linux\n');
    case 'uname -a':
      return ok(`Linux ${node.hostname} 6.1.0-geni-reference #1 SMP x86_64 GNU/Linux\n`);
    case 'hostname':
      return ok(`${node.hostname}\n`);
    case 'whoami':
    case 'id -un':
      return ok(`${node.username}\n`);
    default: {
      const echo = /^echo(?:\s+(.*))?$/.exec(line);
      if (echo) return ok(`${echo[1] ?? ''}\n`);
      const name = line.split(/\s+/)[0] ?? '';
      return { stdout: '', stderr: `sh: 1: ${name}: not found\n`, exitCode: 127 };
    }
  }
}

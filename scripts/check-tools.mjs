#!/usr/bin/env node
// Runs before `npm test`: the interoperability tests verify our signed credentials with xmlsec1 (as aggregates
// do), the RSpec bench and the JUnit schema test use xmllint, and the HTML report is tested in headless Chromium.
// On a fresh Debian machine where we are root, install them; elsewhere say exactly what is missing and how to get it.
import { execFileSync, spawnSync } from 'node:child_process';

const needed = [
  { command: 'xmlsec1', pkg: 'xmlsec1' },
  { command: 'xmllint', pkg: 'libxml2-utils' },
  { command: 'chromium', pkg: 'chromium' },
];
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
// CHROMIUM_PATH names a Chromium elsewhere (test/helpers/headless-chromium.ts uses it).
const present = (n) => has(n.command) || (n.command === 'chromium' && process.env.CHROMIUM_PATH);
const missing = needed.filter((n) => !present(n));
if (missing.length === 0) process.exit(0);
const pkgs = missing.map((m) => m.pkg);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (isRoot && has('apt-get')) {
  console.error(`installing ${pkgs.join(', ')} (needed by the interoperability, schema and report tests)`);
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', ...pkgs], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    process.exit(0);
  } catch {
    // fall through to the message below
  }
}
console.error(`missing ${missing.map((m) => m.command).join(', ')}: install them first (Debian/Ubuntu: sudo apt-get install ${pkgs.join(' ')})`);
process.exit(1);

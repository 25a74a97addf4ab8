import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's scratch directory (test/helpers/test-process-setup.ts puts the shared RSA keys and module cache there). */
    testRunDir: string;
  }
}

/**
 * vitest globalSetup of the unit and full projects: a scratch directory for the whole run, removed when it ends. Both
 * projects of `npm test` share it (it is named after the vitest process).
 */
export default function setupTestRun(project: TestProject): () => void {
  const dir = join(tmpdir(), `geni-harness-test-run-${process.pid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  project.provide('testRunDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}

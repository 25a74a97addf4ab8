import { readFileSync, writeFileSync } from 'node:fs';
import { HarnessError } from '../core';
import type { Selection } from './registry';
import type { SessionLimits, TargetSpec } from './session';
import type { ApiVersion } from './types';
import type { FuzzBudget } from './property';

/**
 * Everything a worker needs to run the selected cases: written by the CLI to a file, read by the vitest host
 * (suites/conformance.test.ts) in the worker process. Holds paths, never keys or credentials.
 */
export interface RunPlan {
  runId: string;
  target: TargetSpec;
  selection: Selection;
  apis: ApiVersion[];
  strict: boolean;
  seed: number;
  caseTimeoutMs: number;
  limits: SessionLimits;
  ledgerPath: string;
  fuzz: FuzzBudget;
  replayDir: string;
}

export const PLAN_ENV = 'GENI_HARNESS_PLAN';

export function writePlan(path: string, plan: RunPlan): void {
  writeFileSync(path, JSON.stringify(plan, null, 2), { mode: 0o600 });
}

export function readPlanFromEnv(): RunPlan {
  const path = process.env[PLAN_ENV];
  if (!path) {
    throw new HarnessError('config', `${PLAN_ENV} is not set: the conformance suites are started by 'geni-harness run', not by vitest directly`);
  }
  return JSON.parse(readFileSync(path, 'utf8')) as RunPlan;
}

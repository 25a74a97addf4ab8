import { join } from 'node:path';
import type { Exchange } from '../../src/client/am-client';
import { createHtmlReporter, createJUnitReporter, createResultsJsonReporter, createTranscriptReporter, fanOut } from '../../src/reporting';
import type { HarnessEvent, Reporter, TargetInfo } from '../../src/runner/events';
import type { CaseResult } from '../../src/runner/types';

/** A fixed run covering every outcome kind, two API versions and three method areas. */

export const TARGET: TargetInfo = {
  name: 'lab-am',
  urls: { am2: 'https://am.example.net:12346/am/2.0', am3: 'https://am.example.net:12346/am/3.0' },
  amUrn: 'urn:publicid:IDN+am.example.net+authority+am',
  amType: 'foam',
  insecure: true,
  faults: [],
};

export function exchange(id: string, method: string, requestBody = '<methodCall/>', responseBody = '<methodResponse/>'): Exchange {
  return {
    id,
    method,
    endpoint: 'https://am.example.net:12346/am/3.0',
    startedAt: '2024-05-02T10:11:09.000Z',
    durationMs: 5,
    request: { bytes: requestBody.length, body: requestBody },
    response: { httpStatus: 200, contentType: 'text/xml', bytes: responseBody.length, body: responseBody },
  };
}

const base = {
  requirement: 'The aggregate returns the standard return struct',
  level: 'MUST' as const,
  notes: [] as string[],
};

export const PASSED: CaseResult = {
  ...base,
  id: 'am3.getversion.envelope',
  title: 'GetVersion with no options',
  spec: ['am3#GetVersion'],
  suite: 'am3',
  api: 3,
  tags: ['smoke', 'getversion'],
  outcome: { kind: 'pass' },
  durationMs: 12,
  exchanges: [exchange('x1', 'GetVersion')],
};

export const FAILED: CaseResult = {
  ...base,
  id: 'am3.allocate.rejects-dup-client-id',
  title: 'Allocate with two nodes sharing a client_id',
  requirement: 'The aggregate rejects the request',
  spec: ['am3#Allocate'],
  suite: 'am3',
  api: 3,
  tags: ['allocate', 'rspec'],
  outcome: {
    kind: 'fail',
    findings: [
      {
        check: 'geni-code',
        title: 'Unexpected geni_code',
        expected: ['geni_code BADARGS (1)', 'geni_code ERROR (2)'],
        actual: 'geni_code SUCCESS (0)',
        path: 'code.geni_code',
        exchangeIds: ['x2'],
        hint: 'run with --verbose to print the request RSpec',
      },
      {
        check: 'rspec-xsd',
        title: 'Manifest is not valid',
        expected: ['a manifest valid against manifest.xsd'],
        actual: "element 'node': missing attribute 'component_id'",
        path: '/rspec/node[2]',
        spec: 'am3/common#RSpec',
        exchangeIds: ['x2'],
      },
    ],
  },
  durationMs: 230.4,
  exchanges: [exchange('x1', 'GetVersion'), exchange('x2', 'Allocate')],
};

export const WARNED: CaseResult = {
  ...base,
  id: 'am3.getversion.compression',
  title: 'GetVersion with geni_compressed',
  requirement: 'The aggregate honours geni_compressed',
  level: 'SHOULD',
  spec: ['am3#GetVersion'],
  suite: 'am3',
  api: 3,
  tags: ['getversion', 'compression'],
  outcome: {
    kind: 'warn',
    findings: [
      {
        check: 'field-type',
        title: 'Field has the wrong type',
        expected: ['base64'],
        actual: 'string',
        path: 'value',
        exchangeIds: ['x1'],
      },
    ],
  },
  durationMs: 8,
  exchanges: [exchange('x1', 'GetVersion')],
  notes: ['the aggregate ignored geni_compressed'],
};

export const ERRORED: CaseResult = {
  ...base,
  id: 'am2.listresources.available',
  title: 'ListResources with geni_available',
  requirement: 'The aggregate lists only available resources',
  spec: ['am2#ListResources'],
  suite: 'am2',
  api: 2,
  tags: ['listresources'],
  outcome: { kind: 'error', phase: 'transport', message: 'connect ECONNREFUSED 192.0.2.1:12346', exchangeIds: ['x1'] },
  durationMs: 3001,
  exchanges: [{ ...exchange('x1', 'ListResources'), response: undefined, error: 'connect ECONNREFUSED 192.0.2.1:12346' }],
};

export const SKIPPED: CaseResult = {
  ...base,
  id: 'am3.allocate.single-sliver',
  title: 'Allocate twice in one slice',
  spec: ['am3#Allocate'],
  suite: 'am3',
  api: 3,
  tags: ['allocate', 'single-sliver'],
  outcome: { kind: 'skip', reason: 'the aggregate advertises geni_single_allocation' },
  durationMs: 0,
  exchanges: [],
};

export const UNSUPPORTED: CaseResult = {
  ...base,
  id: 'am3.getversion.geni-credential-types',
  title: 'GetVersion advertises ABAC credentials',
  spec: ['am3#GetVersion'],
  suite: 'am3',
  api: 3,
  tags: ['getversion', 'credentials'],
  outcome: { kind: 'unsupported', reason: 'ABAC credentials are optional and not offered' },
  durationMs: 1,
  exchanges: [],
};

export const ALL_RESULTS = [PASSED, FAILED, WARNED, ERRORED, SKIPPED, UNSUPPORTED];

export function runStarted(overrides: { strict?: boolean; target?: TargetInfo; caseCount?: number } = {}): HarnessEvent {
  return {
    type: 'run-started',
    runId: '2024-05-02T10-11-09Z',
    startedAt: '2024-05-02T10:11:09.123Z',
    target: overrides.target ?? TARGET,
    seed: 1934221,
    strict: overrides.strict ?? false,
    selection: { cases: ['am3.*', 'am2.listresources.*'], tags: [], suites: [] },
    caseCount: overrides.caseCount ?? ALL_RESULTS.length,
  };
}

export function runFinished(results: CaseResult[], durationMs = 3452): HarnessEvent {
  const byKind = { pass: 0, fail: 0, warn: 0, unsupported: 0, skip: 0, error: 0 };
  for (const r of results) byKind[r.outcome.kind] += 1;
  const exitCode = byKind.error > 0 ? 2 : byKind.fail > 0 ? 1 : 0;
  return { type: 'run-finished', summary: { total: results.length, byKind, durationMs, exitCode } };
}

/** The events a runner would emit for these results, in order. */
export function runEvents(results: CaseResult[] = ALL_RESULTS, options: { strict?: boolean; finish?: boolean } = {}): HarnessEvent[] {
  const events: HarnessEvent[] = [runStarted({ strict: options.strict, caseCount: results.length })];
  for (const result of results) {
    events.push({ type: 'case-started', caseId: result.id, suite: result.suite, title: result.title });
    events.push({ type: 'case-finished', result });
  }
  if (options.finish !== false) events.push(runFinished(results));
  return events;
}

export async function feed(reporter: Reporter, events: HarnessEvent[]): Promise<void> {
  for (const event of events) await reporter.onEvent(event);
  await reporter.close();
}

/** Writes `<parent>/<name>` as `geni-harness run` writes a reports directory, against a target with this label. */
export async function writeRunDir(parent: string, name: string, label: string | undefined, results: CaseResult[]): Promise<string> {
  const dir = join(parent, name);
  const target: TargetInfo = { ...TARGET, name: `https://${name}.example.net:12346/am/3.0`, ...(label !== undefined && { label }) };
  const reporter = fanOut([
    createJUnitReporter({ path: join(dir, 'junit.xml') }),
    createResultsJsonReporter({ path: join(dir, 'results.json') }),
    createTranscriptReporter({ dir }),
    createHtmlReporter({ path: join(dir, 'index.html') }),
  ]);
  for (const event of runEvents(results)) await reporter.onEvent(event.type === 'run-started' ? { ...event, target } : event);
  await reporter.close();
  return dir;
}

import { afterAll, describe, expect, it } from 'vitest';
import { validateRSpec } from '../../src/rspec';
import { DocumentSandbox } from '../../src/sandbox';
import { fixture } from '../rspec/helpers';

/** An advertisement of about `megabytes` MB: the rack fixture's nodes and links repeated under fresh names. */
function rackAdvertisement(megabytes: number): Uint8Array {
  const source = fixture('ad-rack-extensions.xml');
  const start = source.indexOf('  <node ');
  const end = source.indexOf('  <stitching');
  const parts = [source.slice(0, start)];
  let size = 0;
  for (let copy = 0; size < megabytes * 1024 * 1024; copy += 1) {
    const body = source.slice(start, end).replace(/\b(switch1|pc1|pc2)\b/g, `$1-${copy}`);
    parts.push(body);
    size += body.length;
  }
  parts.push(source.slice(end));
  return new TextEncoder().encode(parts.join(''));
}

const sandboxes: DocumentSandbox[] = [];
function sandbox(limits: ConstructorParameters<typeof DocumentSandbox>[0] = {}): DocumentSandbox {
  const created = new DocumentSandbox(limits);
  sandboxes.push(created);
  return created;
}
afterAll(async () => {
  await Promise.all(sandboxes.map((s) => s.close()));
});

describe('the document sandbox', () => {
  it('validates in a worker and answers what validateRSpec answers in process', () => {
    const bytes = new TextEncoder().encode(fixture('request-semantic-errors.xml'));
    const outcome = sandbox().runSync('validate-rspec', { bytes, text: true, options: { expectedType: 'request' } });
    expect(outcome.status).toBe('done');
    expect(outcome.status === 'done' && outcome.value).toEqual(validateRSpec(fixture('request-semantic-errors.xml'), { expectedType: 'request' }));
  });

  it('stops a task at its deadline, mid-parse, and the next task gets a fresh worker', () => {
    const box = sandbox();
    const small = new TextEncoder().encode(fixture('request-valid.xml'));
    expect(box.runSync('validate-rspec', { bytes: small, text: true, options: {} }).status).toBe('done'); // the worker is up
    const big = rackAdvertisement(20);
    const stopped = box.runSync('validate-rspec', { bytes: big, text: false, options: {} }, { deadlineMs: 20 });
    expect(stopped).toMatchObject({ status: 'timeout' });
    expect(stopped.status === 'timeout' && stopped.message).toMatch(/did not finish within \d+ ms; its worker was stopped/);
    const next = box.runSync('validate-rspec', { bytes: small, text: true, options: {} });
    expect(next.status === 'done' && next.value.valid).toBe(true);
  });

  it('keeps the engine within its memory budget: a document too big for it is a finding, and the worker goes on', async () => {
    const box = sandbox({ wasmMb: 48 });
    const outcome = await box.run('validate-rspec', { bytes: rackAdvertisement(12), text: false, options: {} });
    expect(outcome.status).toBe('done');
    const result = outcome.status === 'done' ? outcome.value : undefined;
    expect(result?.valid).toBe(false);
    expect(result?.findings).toEqual([expect.objectContaining({ rule: 'resource-limit', severity: 'error' })]);
    const next = await box.run('validate-rspec', { bytes: new TextEncoder().encode(fixture('ad-rack-extensions.xml')), text: false, options: {} });
    expect(next.status === 'done' && next.value.valid).toBe(true);
  });

  it('parses text-derived bytes as UTF-8 whatever the declaration says', () => {
    const xml = fixture('request-valid.xml').replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace('client_id="lan0"', 'client_id="lan-ü"');
    const outcome = sandbox().runSync('validate-rspec', { bytes: new TextEncoder().encode(xml), text: true, options: {} });
    expect(outcome.status === 'done' && outcome.value.valid).toBe(true);
  });

  it('refuses a second task while one runs, and an unknown task', async () => {
    const box = sandbox();
    const running = box.run('validate-rspec', { bytes: new TextEncoder().encode(fixture('request-valid.xml')), text: true, options: {} });
    expect(box.runSync('validate-rspec', { bytes: new Uint8Array(), text: true, options: {} })).toMatchObject({ status: 'failed' });
    expect((await running).status).toBe('done');
    const unknown = box.runSync('no-such-task' as 'validate-rspec', { bytes: new Uint8Array(), text: true, options: {} });
    expect(unknown).toMatchObject({ status: 'failed', message: 'unknown sandbox task "no-such-task"' });
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core';
import { createReferenceAggregate, personalityNamed } from '../../src/reference-am';
import { CallPace, credentialCount } from '../../src/reference-am/pace';
import type { XmlRpcDispatcher } from '../../src/server';
import { createTestAuthority } from '../../src/credentials';

const V3_CRED = { geni_type: 'geni_sfa', geni_version: '3', geni_value: '<signed-credential/>' };

/**
 * A sleep the test releases by hand, so nothing here depends on the clock: the pace's waits are recorded, and the
 * test decides when each ends.
 */
function manualSleep() {
  const waits: Array<{ ms: number; end: () => void }> = [];
  return {
    waits,
    sleep: (ms: number) => new Promise<void>((end) => waits.push({ ms, end })),
    /** Ends every wait so far, then lets the promises that follow run. */
    async releaseAll() {
      for (const w of waits.splice(0)) w.end();
      for (let i = 0; i < 10; i++) await Promise.resolve();
    },
  };
}

/** A handler that records which calls were being handled together. */
function recordingDispatcher() {
  const handled: string[] = [];
  let running = 0;
  let most = 0;
  const dispatcher: XmlRpcDispatcher = async (method) => {
    running += 1;
    most = Math.max(most, running);
    await Promise.resolve();
    handled.push(method);
    running -= 1;
    return 0;
  };
  return { dispatcher, handled, mostAtOnce: () => most };
}

const ctx = {} as Parameters<XmlRpcDispatcher>[2];

describe('the pace of the reference AM', () => {
  it('counts the credentials a call carries: v3 structs, v1/v2 strings (well-formed or not), never URN lists or users', () => {
    expect(credentialCount([[V3_CRED, V3_CRED], { geni_rspec_version: { type: 'GENI', version: '3' } }])).toBe(2);
    expect(credentialCount([['urn:publicid:IDN+x+sliver+1', 'urn:publicid:IDN+x+sliver+2'], [V3_CRED], {}])).toBe(1);
    expect(credentialCount(['urn:publicid:IDN+x+slice+s', ['<signed-credential>…', 'garbage'], '<rspec/>', [{ urn: 'urn:publicid:IDN+x+user+a', keys: ['ssh-rsa AAA'] }]])).toBe(2);
    expect(credentialCount([])).toBe(0);
  });

  it('serial: calls are handled one at a time in order of arrival, each after its credential checks', async () => {
    const clock = manualSleep();
    const pace = new CallPace({ serial: true, credentialCheckMs: 150, sleep: clock.sleep });
    const { dispatcher, handled, mostAtOnce } = recordingDispatcher();
    const paced = pace.around(3, dispatcher);
    const answers = [
      paced('ListResources', [[V3_CRED], {}], ctx),
      paced('GetVersion', [], ctx),
      paced('Status', [['urn:publicid:IDN+x+slice+s'], [V3_CRED, V3_CRED], {}], ctx),
    ];
    for (let i = 0; i < 10; i++) await Promise.resolve();
    // Only the first call is being handled (in its credential check): the others wait behind it, not even checking.
    expect(clock.waits.map((w) => w.ms)).toEqual([150]);
    expect(handled).toEqual([]);
    while (handled.length < 3) await clock.releaseAll();
    await Promise.all(answers);
    expect(handled).toEqual(['ListResources', 'GetVersion', 'Status']);
    expect(pace.stats).toEqual({ calls: 3, maxInFlight: 1, credentialChecks: 3, delayedMs: 450 });
    expect(mostAtOnce()).toBe(1);
  });

  it('serial: a call that fails does not stop the queue', async () => {
    const pace = new CallPace({ serial: true, credentialCheckMs: 0 });
    const failing: XmlRpcDispatcher = async (method) => {
      if (method === 'Bad') throw new Error('refused');
      return 1;
    };
    const paced = pace.around(2, failing);
    const [bad, good] = await Promise.allSettled([paced('Bad', [], ctx), paced('Good', [], ctx)]);
    expect(bad.status).toBe('rejected');
    expect(good).toEqual({ status: 'fulfilled', value: 1 });
  });

  it('not serial: the same calls overlap (what the serial pace prevents is observable)', async () => {
    const clock = manualSleep();
    const pace = new CallPace({ serial: false, credentialCheckMs: 150, sleep: clock.sleep });
    const { dispatcher } = recordingDispatcher();
    const paced = pace.around(3, dispatcher);
    const answers = [paced('ListResources', [[V3_CRED], {}], ctx), paced('Describe', [[], [V3_CRED], {}], ctx)];
    await Promise.resolve();
    // Both are in their credential checks at once.
    expect(clock.waits.map((w) => w.ms)).toEqual([150, 150]);
    await clock.releaseAll();
    await Promise.all(answers);
    expect(pace.stats.maxInFlight).toBe(2);
  });

  it('slow personality: single-threaded, 150 ms per credential by default, configurable; the others answer at once', () => {
    const slow = personalityNamed('slow');
    expect(slow.serialCalls).toBe(true);
    expect(slow.settings.credentialCheckMs).toBe(150);
    const authority = createTestAuthority({ name: 'pace.test' });
    expect(createReferenceAggregate({ authority, personality: 'slow' }).pace?.immediate).toBe(false);
    expect(createReferenceAggregate({ authority }).pace?.immediate).toBe(true);
    expect(createReferenceAggregate({ authority, credentialCheckMs: 20 }).pace?.immediate).toBe(false);
    expect(() => createReferenceAggregate({ authority, personality: 'slow', credentialCheckMs: -1 })).toThrow(ConfigError);
  });
});

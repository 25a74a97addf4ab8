/**
 * Fixtures several read-only cases share (issue #11, "fewer calls per check"): a case declares what it needs
 * (`needs: ['reserved-slice']`) and asks for it (`t.sharedSlice('reserved-slice')`); the first case of the run that
 * asks builds it (its exchanges are in that case's transcript), the next ones reuse it, and it is deleted after the
 * last case that needs it (the planner runs those cases one after another, so no other case ever sees it).
 *
 * Verdicts stay those of a case with a fixture of its own: before each reuse the fixture is known unchanged, because
 * every case that used it made only calls that read (GetVersion, ListResources, Describe, Status, SliverStatus)
 * since it took it, and it is younger than MAX_AGE_MS; otherwise it is deleted and the next case builds a fresh one.
 */
import { errorMessage, HarnessError } from '../core';
import type { Transcript } from '../client';
import type { Lifecycle } from '../geni/lifecycle';
import { isStruct, type XmlRpcValue } from '../xmlrpc';
import type { ApiVersion } from '../geni/methods';
import type { GetVersionInfo } from '../geni/version-info';
import { CaseFixtures } from './fixtures';
import type { SharedFixtureName, SharedSlice, SliceFixture } from './fixtures-types';
import type { Session } from './session';
import { CaseSignal } from './signals';

/** The fixtures a case may need, with what each is. */
export const SHARED_FIXTURES: Readonly<Record<SharedFixtureName, string>> = {
  'reserved-slice': 'a slice holding resources reserved from a one-node request (v3 Allocate then Provision, v1/v2 CreateSliver)',
};

/** Calls that leave a slice as they found it. */
const READ_ONLY_METHODS: ReadonlySet<string> = new Set(['GetVersion', 'ListResources', 'Describe', 'Status', 'SliverStatus']);
const changesState = (method: string | undefined) => method === undefined || !READ_ONLY_METHODS.has(method);

/** A shared fixture serves at most this long: an aggregate's own clock (a sliver's expiry) must not show in a verdict. */
export const MAX_AGE_MS = 10 * 60_000;

interface Built {
  slice: SharedSlice;
  /** Owns the slice (in the ledger as case `shared:NAME`) and deletes it. */
  owner: CaseFixtures;
  builtBy: string;
  builtAt: number;
  /** Set when a user made a call that may change it: deleted, the next user builds another. */
  changed?: string;
}

interface Use {
  key: string;
  /** Calls that may change state the user had made when it took the fixture. */
  callsAtTake: number;
}

export interface TakeRequest {
  name: SharedFixtureName;
  caseId: string;
  url: string;
  api: ApiVersion;
  version: GetVersionInfo;
  lifecycle: Lifecycle;
  transcript: Transcript;
  /** The request RSpec the build reserves (the case's own request fixture, so a skip reads as it would unshared). */
  request(): Promise<string>;
}

class SharedFixtureStore {
  private readonly built = new Map<string, Promise<Built>>();
  /** Per fixture key, the planned cases that need it and have not finished. */
  private readonly waiting = new Map<string, Set<string>>();
  private readonly uses = new Map<string, Use[]>();

  constructor(private readonly session: Session) {}

  static key(url: string, name: SharedFixtureName): string {
    return `${url}\n${name}`;
  }

  /** The planned cases of a suite at `url`: the fixture goes once the last of those needing it has finished. */
  plan(url: string, cases: ReadonlyArray<{ id: string; needs?: readonly SharedFixtureName[] }>): void {
    for (const c of cases) {
      for (const name of c.needs ?? []) {
        const key = SharedFixtureStore.key(url, name);
        const set = this.waiting.get(key) ?? new Set<string>();
        set.add(c.id);
        this.waiting.set(key, set);
      }
    }
  }

  async take(req: TakeRequest): Promise<SharedSlice> {
    const key = SharedFixtureStore.key(req.url, req.name);
    let pending = this.built.get(key);
    if (pending) {
      const current = await pending.catch(() => undefined);
      if (!current || current.changed || Date.now() - current.builtAt > MAX_AGE_MS) {
        if (current) await this.drop(key, current, req.transcript);
        pending = undefined;
      }
    }
    if (!pending) {
      pending = this.build(req);
      this.built.set(key, pending);
      pending.catch(() => this.built.delete(key));
    }
    const fixture = await pending;
    const user = `${req.url}\n${req.caseId}`;
    const list = this.uses.get(user) ?? [];
    list.push({ key, callsAtTake: req.transcript.callsWhere(changesState) });
    this.uses.set(user, list);
    return fixture.slice;
  }

  private async build(req: TakeRequest): Promise<Built> {
    const owner = new CaseFixtures(this.session, `shared:${req.name}`, req.url, req.api, req.version);
    // The request first: built before the new slice is in the ledger, it may come from the run's advertisement.
    const request = await req.request();
    const made = await owner.newSlice();
    let slice: SharedSlice;
    try {
      slice = await reserve({ ...req, request: () => Promise.resolve(request) }, made);
    } catch (err) {
      await owner.releaseAll(req.transcript).catch(() => []);
      throw err;
    }
    return { slice, owner, builtBy: req.caseId, builtAt: Date.now() };
  }

  /**
   * A case that took fixtures has finished (before its own slices are released): a fixture it may have changed is
   * marked for rebuilding, and one no planned case still needs is deleted (in this case's transcript).
   */
  async finished(caseId: string, url: string, transcript: Transcript): Promise<string[]> {
    const notes: string[] = [];
    const user = `${url}\n${caseId}`;
    for (const use of this.uses.get(user) ?? []) {
      const pending = this.built.get(use.key);
      const fixture = pending ? await pending.catch(() => undefined) : undefined;
      if (fixture && !fixture.changed && transcript.callsWhere(changesState) > use.callsAtTake) fixture.changed = caseId;
      if (fixture && fixture.builtBy !== caseId) notes.push(`used the shared ${use.key.split('\n')[1]} ${fixture.slice.urn}, made by ${fixture.builtBy}`);
    }
    this.uses.delete(user);
    for (const [key, waiting] of this.waiting) {
      if (!key.startsWith(`${url}\n`) || !waiting.delete(caseId) || waiting.size > 0) continue;
      const pending = this.built.get(key);
      const fixture = pending ? await pending.catch(() => undefined) : undefined;
      if (fixture) notes.push(...(await this.drop(key, fixture, transcript)));
    }
    return notes;
  }

  private async drop(key: string, fixture: Built, transcript: Transcript): Promise<string[]> {
    this.built.delete(key);
    try {
      return await fixture.owner.releaseAll(transcript);
    } catch (err) {
      return [`cleanup: the shared ${fixture.slice.urn} was not released (${errorMessage(err)}); kept in the ledger`];
    }
  }

  /** Deletes every fixture still held (cases that needed one were filtered out, or the run is ending). */
  async releaseAll(transcript: Transcript): Promise<void> {
    for (const [key, pending] of [...this.built]) {
      const fixture = await pending.catch(() => undefined);
      if (fixture) await this.drop(key, fixture, transcript);
    }
    this.waiting.clear();
  }
}

/** Reserves resources in `slice` from the request fixture; a refusal is a precondition (the case is skipped). */
async function reserve(req: Pick<TakeRequest, 'name' | 'lifecycle' | 'request'>, slice: SliceFixture): Promise<SharedSlice> {
  const answers = await req.lifecycle.reserve(slice, await req.request());
  for (const res of answers) {
    if (req.lifecycle.successValue(res) === undefined) {
      throw new CaseSignal('skip', `precondition: reserving resources for the ${req.name} answered ${res.fault ? `Fault ${res.fault.faultCode}` : `geni_code ${String(res.envelope?.geniCode)}`} (exchange ${res.exchangeId})`);
    }
  }
  return { ...slice, sliverUrns: sliverUrnsIn(req.lifecycle.successValue(answers[0]!)) };
}

/** geni_slivers[*].geni_sliver_urn of a v3 answer's value; none for any other value. */
function sliverUrnsIn(value: XmlRpcValue | undefined): string[] {
  const slivers = isStruct(value) ? value.geni_slivers : undefined;
  if (!Array.isArray(slivers)) return [];
  return slivers.flatMap((s) => (isStruct(s) && typeof s.geni_sliver_urn === 'string' ? [s.geni_sliver_urn] : []));
}

/** The fixture made for one case alone, in the case's own slice (CaseRunOptions.shareFixtures false: the baseline). */
export async function ownFixture(req: Pick<TakeRequest, 'name' | 'lifecycle' | 'request'>, fixtures: CaseFixtures): Promise<SharedSlice> {
  return reserve(req, await fixtures.newSlice());
}

const stores = new WeakMap<Session, SharedFixtureStore>();

/** The run's shared fixtures. */
export function sharedFixtures(session: Session): SharedFixtureStore {
  let store = stores.get(session);
  if (!store) stores.set(session, (store = new SharedFixtureStore(session)));
  return store;
}

/** A case asked for a fixture it did not declare: the declaration is what the planner groups by. */
export function undeclaredNeed(caseId: string, name: string): HarnessError {
  return new HarnessError('internal', `case ${caseId} asks for the shared ${name} without declaring it (needs: ['${name}'])`);
}

import { errorMessage } from '../core';
import {
  createTestAuthority, credentialMutations, delegationParties, mintDelegationVariant, mintSliceCredential, mintUser, mintUserCredential,
  sfaCredentialStruct, sliceUrn, withSliceAuthorityUrn, type TestAuthority, type UserIdentity,
} from '../credentials';
import { makeUrn } from '../geni/urn';
import { CREDENTIAL_WRAPPING, mayMakeSlivers, type ApiVersion } from '../geni/methods';
import type { Lifecycle } from '../geni/lifecycle';
import type { XmlRpcValue } from '../xmlrpc';
import type { Transcript } from '../client';
import { promisedSlots, readAdvertisement, serializeRequest, decodeCompressedRSpec, type Advertisement, type AdNode, type RSpecNode, type RSpecLink } from '../rspec';
import { chooseRSpecFormat, describeFormats, type RSpecFormatChoice } from '../geni/rspec-formats';
import type { GetVersionInfo } from '../geni/version-info';
import type { Session } from './session';
import type { CredentialKit, SliceFixture } from './fixtures-types';
import { releaseSlices, type HeldSlice } from './cleanup';
import { THIS_PROCESS, type LedgerEntry } from './ledger';
import { CaseSignal } from './signals';
import { aggregatesBehind, sliceCredentialsFor } from './acting-servers';
import { CapacityWatch, capacityLossNote, keptSlicesNote } from './capacity';
import { LIFECYCLES } from '../geni/lifecycle';
import type { Finding } from '../core';

/** A slice credential lives a week by default, like a slice fresh from a slice authority. */
const DEFAULT_SLICE_SECONDS = 7 * 24 * 3600;


/**
 * The advertisement request RSpecs are built from, read once per run, aggregate URL and format (issue #11: one
 * read instead of one per case). Only read and used while the run holds nothing at the aggregate: see
 * CaseFixtures.advertisement.
 */
const advertisements = new WeakMap<Session, Map<string, Promise<Advertisement>>>();

/**
 * Per run, the cases whose fixtures are live (made, not yet released), by case id: under --concurrency the other
 * cases in flight. Their slices do not stop a case from using the run's advertisement read (see runHoldsNothing).
 */
const casesInFlight = new WeakMap<Session, Map<string, number>>();

/** Authorities and users that exist only to be refused: minted lazily, once per process. */
let untrustedAuthority: TestAuthority | undefined;
const malformedUrnAuthorities = new Map<TestAuthority, TestAuthority>();
const otherUsers = new Map<TestAuthority, UserIdentity>();

/** Without an authority the aggregate trusts there is nothing to mint with: a precondition, so the case is skipped. */
function requireMinting(session: Session, what: string): { authority: TestAuthority; user: UserIdentity } {
  if (!session.authority || !session.user.identity) {
    throw new CaseSignal('skip', `${what} needs a test authority the aggregate trusts (--authority DIR, see 'geni-harness authority init')`);
  }
  return { authority: session.authority, user: session.user.identity };
}

export class CaseFixtures {
  readonly slices: SliceFixture[] = [];
  private counter = 0;
  /**
   * Per slice the harness minted, how many calls that may make slivers (mayMakeSlivers) the case had made when the
   * slice was made: while that number has not grown, nothing can hold slivers in the slice (its URN is new).
   */
  private readonly mintedAt = new Map<SliceFixture, number>();
  /** What the case reserved and was refused; the client the case calls with reports to it (AmClient's call observer). */
  readonly capacity = new CapacityWatch();

  constructor(
    private readonly session: Session,
    private readonly caseId: string,
    readonly url: string,
    private readonly api: ApiVersion,
    /** GetVersion at this URL: the RSpec formats the aggregate advertises. */
    private readonly version: GetVersionInfo,
    /** The case shuts its slices down (tag 'shutdown'): that cannot be undone, so never on a user's own slice. */
    private readonly irreversible = false,
    /**
     * The case's transcript, whose calls tell which slices may hold slivers: a slice no such call followed is
     * released without a call, and the run's shared advertisement is used while the case holds nothing. Without
     * it every slice is deleted at the aggregate and the advertisement read afresh each time.
     */
    private readonly transcript?: Transcript,
  ) {
    this.requestFormat = chooseRSpecFormat(version.requestRSpecVersions);
    this.adFormat = chooseRSpecFormat(version.adRSpecVersions);
    if (transcript) {
      let live = casesInFlight.get(session);
      if (!live) casesInFlight.set(session, (live = new Map()));
      live.set(caseId, (live.get(caseId) ?? 0) + 1);
      this.inFlight = true;
    }
  }

  /** Counted in casesInFlight until releaseAll. */
  private inFlight = false;

  /** The formats the fixtures use: what the aggregate advertises that the harness writes and reads. */
  readonly requestFormat: RSpecFormatChoice;
  readonly adFormat: RSpecFormatChoice;

  /** Credentials as this case's API version carries them. */
  private wrap(xml: string): XmlRpcValue[] {
    return [CREDENTIAL_WRAPPING[this.api](xml)];
  }

  /** A slice credential as sent to this URL: with a copy delegated to a server that acts for the caller (src/runner/acting-servers.ts). */
  private wrapSlice(xml: string): XmlRpcValue[] {
    return sliceCredentialsFor(this.session, this.url, this.api, xml);
  }

  /** At a slice manager: the aggregates behind it, where slices used here hold their slivers (and are released). */
  private get aggregates(): string[] | undefined {
    return aggregatesBehind(this.session, this.url);
  }

  /** A fresh slice, written to the cleanup ledger before anything could be allocated in it. */
  async newSlice(opts: { name?: string; expiresInSeconds?: number } = {}): Promise<SliceFixture> {
    const { sliceAuthority } = this.session;
    if (!this.session.authority && sliceAuthority === undefined && this.session.suppliedSlices.length > 0) return this.suppliedSlice();
    if (sliceAuthority !== undefined) return this.sliceFromAuthority(opts);
    const { authority, user } = requireMinting(this.session, 'a new slice');
    const name = this.nextSliceName(opts.name);
    const urn = sliceUrn(authority, name);
    const expires = new Date(Date.now() + 1000 * (opts.expiresInSeconds ?? DEFAULT_SLICE_SECONDS));
    expires.setMilliseconds(0);
    const credentialXml = mintSliceCredential(authority, user, urn, { expires });
    return this.madeSlice({ name, urn, credentialXml, credentials: this.wrapSlice(credentialXml), expires });
  }

  private nextSliceName(name: string | undefined): string {
    this.counter += 1;
    return name ?? `gh${this.session.runId.replace(/-/g, '').slice(0, 6)}${Date.now().toString(36).slice(-5)}${this.counter}`.slice(0, 19);
  }

  /**
   * A fresh slice made at the run's slice authority (omni_config's `sa`) with the user's own identity, and the slice
   * credential it hands out: the URN and expiry are the authority's (it may shorten a lifetime asked for).
   */
  private async sliceFromAuthority(opts: { name?: string; expiresInSeconds?: number }): Promise<SliceFixture> {
    const name = this.nextSliceName(opts.name);
    const asked = opts.expiresInSeconds === undefined ? undefined : new Date(Date.now() + 1000 * opts.expiresInSeconds);
    const made = await this.session.sliceAuthority!.createSlice(name, asked);
    return this.madeSlice({ name, urn: made.urn, credentialXml: made.credentialXml, credentials: this.wrapSlice(made.credentialXml), expires: made.expires });
  }

  /** A slice new to the aggregate: in the ledger before anything could be allocated in it. */
  private madeSlice(slice: SliceFixture): SliceFixture {
    this.recordInLedger(slice);
    if (this.transcript) this.mintedAt.set(slice, this.sliverMakingCalls(this.transcript));
    return slice;
  }

  /** The next of the user's own slices (given with --slice-cred): each case may use each once. */
  private suppliedSlice(): SliceFixture {
    if (this.irreversible) {
      throw new CaseSignal('skip', 'this case shuts its slice down, which cannot be undone: it needs a slice made for it (--authority), not one of yours');
    }
    const supplied = this.session.suppliedSlices[this.slices.length];
    if (!supplied) {
      throw new CaseSignal('skip', `the case needs ${this.slices.length + 1} slices; give more with --slice-cred, or an authority with --authority`);
    }
    const name = supplied.urn.slice(supplied.urn.lastIndexOf('+') + 1);
    const slice: SliceFixture = { name, urn: supplied.urn, credentialXml: supplied.credentialXml, credentials: this.wrapSlice(supplied.credentialXml), expires: supplied.expires };
    this.recordInLedger(slice);
    return slice;
  }

  private recordInLedger(slice: SliceFixture): void {
    const now = new Date().toISOString();
    this.session.ledger.add({
      url: this.url, api: this.api, sliceUrn: slice.urn, sliceCredentialXml: slice.credentialXml, caseId: this.caseId,
      runId: this.session.runId, createdAt: now, embeddedInstance: this.session.spec.embeddedInstance, owner: THIS_PROCESS, heartbeatAt: now,
      ...(this.aggregates && { aggregates: this.aggregates }),
    });
    this.slices.push(slice);
  }

  /** The slices this case made, as the cleanup (and the ledger) name them. */
  held(slices: SliceFixture[] = this.slices): HeldSlice[] {
    return slices.map((s) => ({ url: this.url, api: this.api, sliceUrn: s.urn, credentialXml: s.credentialXml, ...(this.aggregates && { aggregates: this.aggregates }) }));
  }

  private sliverMakingCalls(transcript: Transcript): number {
    return transcript.callsWhere(mayMakeSlivers);
  }

  /**
   * Whether `slice` may hold slivers: a slice of the user's (--slice-cred) always may; one the harness minted only
   * once the case has made a call that may make slivers since (its URN was new, so nothing before could name it).
   */
  private mayHoldSlivers(slice: SliceFixture): boolean {
    const before = this.mintedAt.get(slice);
    return before === undefined || !this.transcript || this.sliverMakingCalls(this.transcript) > before;
  }

  /**
   * Releases `slices`: those that cannot hold slivers leave the ledger without a call (one Delete fewer per case that
   * never allocated), the others are deleted at the aggregate. Returns the ones the aggregate would not release.
   */
  private async release(slices: SliceFixture[], transcript: Transcript): Promise<Array<{ sliceUrn: string; why: string }>> {
    const empty = slices.filter((s) => !this.mayHoldSlivers(s));
    for (const s of empty) {
      this.session.ledger.remove(this.url, s.urn);
      this.mintedAt.delete(s);
    }
    const { kept } = await releaseSlices(this.session, this.held(slices.filter((s) => !empty.includes(s))), transcript);
    for (const s of slices) if (!kept.some((k) => k.sliceUrn === s.urn)) this.mintedAt.delete(s);
    return kept;
  }

  /**
   * Releases the slices made since `mark` (a property's per-input slices) and forgets those that are gone; the
   * rest stay for the end-of-case cleanup, which tries again and reports.
   */
  async releaseSince(mark: number, transcript: Transcript): Promise<void> {
    const made = this.slices.splice(mark);
    const kept = await this.release(made, transcript);
    this.slices.push(...made.filter((s) => kept.some((k) => k.sliceUrn === s.urn)));
  }

  /** Releases every slice the case made; returns a note for each the aggregate would not release. */
  async releaseAll(transcript: Transcript): Promise<string[]> {
    if (this.inFlight) {
      this.inFlight = false;
      const live = casesInFlight.get(this.session);
      const count = (live?.get(this.caseId) ?? 1) - 1;
      if (count > 0) live?.set(this.caseId, count);
      else live?.delete(this.caseId);
    }
    const kept = await this.release(this.slices, transcript);
    for (const k of kept) {
      if (!this.session.keptSlices.some((s) => s.sliceUrn === k.sliceUrn)) this.session.keptSlices.push({ caseId: this.caseId, sliceUrn: k.sliceUrn });
    }
    return kept.map((k) => `cleanup: ${k.sliceUrn} was not released (${k.why}); kept in the ledger (geni-harness cleanup retries)`);
  }

  credentialKit(): CredentialKit {
    const session = this.session;
    const wrap = (xml: string) => this.wrap(xml);
    const wrapSlice = (xml: string) => this.wrapSlice(xml);
    const base = (of?: SliceFixture): string => of?.credentialXml ?? session.userCredentialXml;
    const minting = (what: string) => requireMinting(session, what);
    return {
      user: () => wrap(session.userCredentialXml),
      userXml: () => session.userCredentialXml,
      slice: (s) => wrapSlice(s.credentialXml),
      malformed: (of) => wrap(credentialMutations.malformed(base(of))),
      altered: (of) => wrap(credentialMutations.alteredObject(base(of))),
      untrustedSigner: (of) => {
        const { user } = minting('a credential from an untrusted signer');
        untrustedAuthority ??= createTestAuthority({ name: 'untrusted.geni-harness.test' });
        // Same owner and target as the genuine one; only the signer is unknown to the aggregate.
        return wrap(of
          ? mintSliceCredential(untrustedAuthority, user, of.urn, { expires: of.expires })
          : mintUserCredential(untrustedAuthority, user));
      },
      malformedSignerUrn: (of) => {
        const { authority, user } = minting('a credential whose signer has a malformed URN');
        let signer = malformedUrnAuthorities.get(authority);
        if (!signer) {
          // RFC 3151 transcription turns whitespace into '+': a GENI URN never holds a space.
          signer = withSliceAuthorityUrn(authority, makeUrn(authority.name, 'authority', 'slice authority'));
          malformedUrnAuthorities.set(authority, signer);
        }
        return wrap(of ? mintSliceCredential(signer, user, of.urn, { expires: of.expires }) : mintUserCredential(signer, user));
      },
      expired: (of) => {
        const { authority, user } = minting('an expired credential');
        const expires = new Date(Date.now() - 3600_000);
        return wrap(of ? mintSliceCredential(authority, user, of.urn, { expires }) : mintUserCredential(authority, user, { expires }));
      },
      otherSlice: async (s) => {
        const other = await this.newSlice();
        void s;
        return wrap(other.credentialXml);
      },
      otherOwner: (s) => {
        const { authority } = minting('a credential owned by another user');
        let mallory = otherUsers.get(authority);
        if (!mallory) {
          mallory = mintUser(authority, 'mallory');
          otherUsers.set(authority, mallory);
        }
        return wrap(mintSliceCredential(authority, mallory, s.urn, { expires: s.expires }));
      },
      unknownType: (of) => [{ ...sfaCredentialStruct(base(of), '3'), geni_type: 'geni_sfaBROKEN' }],
      withoutPrivileges: (s, privileges) => {
        const { authority, user } = minting('a credential with reduced privileges');
        return wrap(mintSliceCredential(authority, user, s.urn, { expires: s.expires, privileges: privileges.map((name) => ({ name, canDelegate: false })) }));
      },
      delegated: (s, variant) => {
        const { authority, user } = minting('a delegated credential');
        // The new owner's GID carries its issuer, as every minted GID does: an aggregate that follows only the chain
        // inside a GID (SFA) reaches the CA through it.
        const request = { sliceUrn: s.urn, sliceExpires: s.expires, delegate: { certPem: user.certChainPem ?? user.certPem, urn: user.urn }, ...delegationParties(authority) };
        return wrapSlice(mintDelegationVariant(authority, variant, request));
      },
      sliceExpiringAt: (s, expires) => {
        const { authority, user } = minting('a slice credential with a chosen expiry');
        return wrapSlice(mintSliceCredential(authority, user, s.urn, { expires }));
      },
    };
  }

  /**
   * A request RSpec built from what the aggregate offers now: its advertisement in a format the harness can
   * read and write (GENI 3, else ProtoGENI 2), `nodes` nodes bound to distinct available components unless
   * `unbound` (a shared node is reused only when there are not enough), of one sliver type where the nodes name
   * sliver types and with none where they name none (the element is optional), optionally joined by links. When
   * the aggregate cannot be asked for such a request (no writable format, too few free nodes, an advertisement
   * that does not read), the case is skipped with that reason: it is a precondition, not a verdict.
   */
  async requestRSpec(lifecycle: Lifecycle, opts: RequestRSpecOptions = {}): Promise<string> {
    const request = this.requestFormat;
    if (!request.dialect) {
      throw new CaseSignal('skip', `the aggregate accepts requests only in ${describeFormats(this.version.requestRSpecVersions)}; the harness writes GENI 3 and ProtoGENI 2 requests`);
    }
    const ad = await this.advertisement(lifecycle);
    const count = opts.nodes ?? 1;
    const available = ad.nodes.filter((n) => n.available);
    const typed = available.filter((n) => n.sliverTypes.length > 0);
    const sliverType = opts.sliverType ?? (typed.length > 0 ? preferredSliverType(typed.flatMap((n) => n.sliverTypes)) : undefined);
    // Nodes that name sliver types are asked for one of them; nodes that name none take the aggregate's default.
    const hosts = sliverType === undefined ? available : available.filter((n) => n.sliverTypes.length === 0 ? opts.sliverType === undefined : n.sliverTypes.includes(sliverType));
    // A request meant to be beyond capacity goes round the hosts regardless of room: the aggregate must refuse it.
    const places = opts.beyondCapacity ? Array.from({ length: hosts.length === 0 ? 0 : count }, (_, i) => hosts[i % hosts.length]!) : placesFor(hosts, count);
    const shortage = this.shortage(hosts, places.length, count, sliverType);
    if (shortage) throw new CaseSignal('skip', `${shortage}${capacityLossNote(this.session.capacityLosses)}${keptSlicesNote(this.session.keptSlices)}`);
    const nodes: RSpecNode[] = [];
    for (let i = 0; i < count; i++) {
      const host = places[i]!;
      nodes.push({
        clientId: `node-${i}`,
        ...(opts.unbound ? {} : { componentId: host.componentId, componentManagerId: host.componentManagerId }),
        exclusive: host.exclusive,
        ...(host.sliverTypes.length > 0 && sliverType !== undefined && { sliverType: { name: sliverType } }),
        interfaces: [],
      });
    }
    const links: RSpecLink[] = [];
    for (let l = 0; l < (opts.links ?? 0) && nodes.length >= 2; l++) {
      const a = nodes[l % nodes.length]!;
      const b = nodes[(l + 1) % nodes.length]!;
      const ia = `${a.clientId}:if${a.interfaces.length}`;
      const ib = `${b.clientId}:if${b.interfaces.length}`;
      a.interfaces.push({ clientId: ia });
      b.interfaces.push({ clientId: ib });
      links.push({ clientId: `link-${l}`, interfaceRefs: [ia, ib] });
    }
    return serializeRequest({ type: 'request', nodes, links }, { dialect: request.dialect });
  }

  /** Why `hosts` (with `room` places, as their advertisement promises) cannot take `count` request nodes, or undefined when they can. */
  private shortage(hosts: AdNode[], room: number, count: number, sliverType: string | undefined): string | undefined {
    const what = sliverType === undefined ? 'available nodes' : `available nodes offering sliver type ${sliverType}`;
    if (hosts.length === 0) return `the advertisement lists no ${what}`;
    if (room < count) {
      return `the advertisement lists ${hosts.length} ${what}, which it promises room for ${room} sliver(s) on (one per node where it states no count: <available now="true"/> says only that a node "can be allocated now"), the case needs ${count}`;
    }
    return undefined;
  }

  /**
   * The aggregate's advertisement (available nodes), read into the model; a skip when it cannot be. Read once per
   * run and shared while the run holds nothing at the aggregate: this case holds no slivers (no call that may make
   * them since its slices were made) and no other slice of the run is in the ledger (none kept after a failed
   * release, a shut-down slice, none of another case). Then what is available is what it was at the first read, as
   * far as the harness's own doing goes. Otherwise it is read afresh and not shared: the case's own slivers (or
   * another case's) take nodes a fresh read leaves out.
   */
  private async advertisement(lifecycle: Lifecycle): Promise<Advertisement> {
    const seen = await this.currentAdvertisement(lifecycle, { available: true });
    // Every case notes what was free when it began (shared or fresh): a refused reservation is judged against it.
    this.capacity.sawAdvertisement(seen);
    return seen;
  }

  /**
   * The advertisement (available nodes only, or the full one), read into the model: the run's one read per URL,
   * format and kind while the run holds nothing at the aggregate (see advertisement), else a fresh read. A skip
   * when the aggregate advertises no format the harness reads, or the read fails.
   */
  async currentAdvertisement(lifecycle: Lifecycle, opts: { available: boolean }): Promise<Advertisement> {
    const ad = this.adFormat;
    if (!ad.dialect) {
      throw new CaseSignal('skip', `the aggregate advertises its resources only in ${describeFormats(this.version.adRSpecVersions)}; the harness reads GENI 3 and ProtoGENI 2 advertisements`);
    }
    const key = `${this.url}\n${ad.version.type}\n${ad.version.version}${opts.available ? '' : '\nfull'}`;
    if (this.runHoldsNothing()) return this.sharedAdvertisement(lifecycle, key, opts.available, true);
    // Only other cases in flight hold slices: the run's read stands for this case, as it would in a serial run (their
    // slivers are theirs; a case that does not pass with others in flight is run again alone). It is never made now.
    if (this.runHoldsNothing({ besideCasesInFlight: true })) return this.sharedAdvertisement(lifecycle, key, opts.available, false);
    return this.advertisementOrSkip(lifecycle, opts.available);
  }

  private sharedAdvertisement(lifecycle: Lifecycle, key: string, available: boolean, mayRead: boolean): Promise<Advertisement> {
    let byUrl = advertisements.get(this.session);
    if (!byUrl) advertisements.set(this.session, (byUrl = new Map()));
    let pending = byUrl.get(key);
    if (!pending && !mayRead) return this.advertisementOrSkip(lifecycle, available);
    if (!pending) {
      pending = this.advertisementOrSkip(lifecycle, available);
      byUrl.set(key, pending);
      // A read that failed (a skip) is not shared: the next case asks again, as it would have without sharing.
      pending.catch(() => byUrl.delete(key));
    }
    return pending;
  }

  /**
   * Nothing of this run can hold slivers at the aggregate now (see advertisement); with `besideCasesInFlight`,
   * nothing but the slices of other cases of this run that are in flight (--concurrency).
   */
  private runHoldsNothing(opts: { besideCasesInFlight?: boolean } = {}): boolean {
    if (!this.transcript || this.slices.some((s) => this.mayHoldSlivers(s))) return false;
    const mine = new Set(this.slices.map((s) => s.urn));
    const here = origin(this.url);
    const live = opts.besideCasesInFlight ? casesInFlight.get(this.session) : undefined;
    const inFlight = (entry: LedgerEntry) => entry.runId === this.session.runId && entry.caseId !== this.caseId && (live?.has(entry.caseId) ?? false);
    // Another run's slices count when they are at this aggregate (same host and port): it may hold nodes too.
    return !this.session.ledger.read().some((entry) => !mine.has(entry.sliceUrn) && (entry.runId === this.session.runId || origin(entry.url) === here) && !inFlight(entry));
  }

  private async advertisementOrSkip(lifecycle: Lifecycle, available: boolean): Promise<Advertisement> {
    const read = await this.readAdvertisement(lifecycle, available);
    if ('why' in read) throw new CaseSignal('skip', `precondition: ${read.why}`);
    return read.ad;
  }

  private async readAdvertisement(lifecycle: Lifecycle, available = true): Promise<{ ad: Advertisement; exchangeId: string } | { why: string }> {
    const res = await lifecycle.listResources(this.wrap(this.session.userCredentialXml), available ? { available: true } : {});
    const value = lifecycle.successValue(res);
    if (typeof value !== 'string') {
      const answer = res.fault ? `Fault ${String(res.fault.faultCode)}` : res.envelope ? `geni_code ${String(res.envelope.geniCode)}` : 'no RSpec string';
      return { why: `ListResources did not return an advertisement (${answer}, exchange ${res.exchangeId})` };
    }
    try {
      return { ad: readAdvertisement(value.trimStart().startsWith('<') ? value : decodeCompressedRSpec(value)), exchangeId: res.exchangeId };
    } catch (err) {
      return { why: `the advertisement (exchange ${res.exchangeId}) cannot be read: ${errorMessage(err)}` };
    }
  }

  /**
   * After the case's slices are released: when a reservation of the case was refused, reads the advertisement again
   * and reports the nodes that refusal kept (CapacityWatch). The loss is remembered for the run, so later cases that
   * find no free node say why. Calls without the case's deadline, like the cleanup, into `transcript`.
   */
  async auditCapacity(transcript: Transcript, where: { caseId: string; suite: string }): Promise<{ findings: Finding[]; notes: string[] }> {
    if (!this.capacity.needsAudit || !this.adFormat.dialect) return { findings: [], notes: [] };
    const lifecycle = LIFECYCLES[this.api](this.session.client(this.url, transcript), { ad: this.adFormat.version, manifest: this.requestFormat.version });
    const read = await this.readAdvertisement(lifecycle);
    if ('why' in read) return { findings: [], notes: [`capacity check after a refused reservation not made: ${read.why}`] };
    const { finding, loss } = this.capacity.audit(read.ad, read.exchangeId);
    if (loss) {
      this.session.capacityLosses.push({ ...where, ...loss });
      // What is free is no longer what the run's shared advertisement says: later cases read it afresh (their "free
      // before" must be true, or an innocent case is charged with the same loss and asks for nodes that are gone).
      advertisements.delete(this.session);
    }
    return { findings: finding ? [finding] : [], notes: [] };
  }
}

/**
 * The run's advertisement read at `url` (available nodes, the form request fixtures use), made now when the run holds
 * nothing there, into the session's own transcript; nothing when it cannot be (a case then reads it as it would).
 */
export async function readRunAdvertisement(session: Session, url: string, api: ApiVersion, version: GetVersionInfo): Promise<Advertisement | undefined> {
  const transcript = session.versionTranscript;
  const reader = new CaseFixtures(session, 'run:advertisement', url, api, version, false, transcript);
  try {
    if (!reader.adFormat.dialect) return undefined;
    const lifecycle = LIFECYCLES[api](session.client(url, transcript), { ad: reader.adFormat.version, manifest: reader.requestFormat.version });
    return await reader.currentAdvertisement(lifecycle, { available: true }).catch(() => undefined);
  } finally {
    await reader.releaseAll(transcript);
  }
}

/** scheme://host:port of a URL ('' when it does not parse): the aggregate behind its per-version URLs. */
function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

/** What a case may ask of the request fixture. */
export interface RequestRSpecOptions {
  nodes?: number;
  /** The case asks for more than the aggregate can give (its refusal is the point): nodes go round the hosts, whatever room they promise. */
  beyondCapacity?: boolean;
  unbound?: boolean;
  links?: number;
  sliverType?: string;
}

/**
 * Where `count` request nodes go: each host once (in advertisement order), then again only as far as its advertisement
 * promises room (promisedSlots: a shared node's stated count, else one), shared hosts before exclusive ones. Fewer
 * than `count` places when the advertisement promises no more.
 */
function placesFor(hosts: AdNode[], count: number): AdNode[] {
  const places = hosts.slice(0, count);
  const again = [...hosts.filter((h) => !h.exclusive), ...hosts.filter((h) => h.exclusive)];
  for (let round = 1; places.length < count && again.some((h) => promisedSlots(h) > round); round++) {
    for (const host of again) if (places.length < count && promisedSlots(host) > round) places.push(host);
  }
  return places;
}

/** Shared VMs first: they leave exclusive nodes free for the cases that need them. */
function preferredSliverType(types: string[]): string {
  return types.find((t) => /vm/i.test(t)) ?? types[0] ?? 'default-vm';
}

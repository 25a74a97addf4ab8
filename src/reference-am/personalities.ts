import { ConfigError } from '../core';
import { referenceInventory, sfaInventory, sparseInventory, threeNodeInventory, type InventoryNode } from './inventory';
import { RACK_OWN_STATES, type OwnOperationalStates } from './own-states';
import { GENI3_AD, GENI3_REQUEST, PGV2_AD, PGV2_REQUEST, SFA1_AD, type AdvertisedRSpecVersion } from './rspec-versions';

/** An AM API version a reference aggregate may speak. */
export type ReferenceApi = 1 | 2 | 3;

/**
 * A personality: the shape of a real, working aggregate the reference AM can take on, modelled on a public
 * implementation, so that the suites are proven against what aggregates really offer and not only against what
 * our fixtures expect. A personality is conformant where the specification speaks (faults are the deliberate
 * deviations, and combine with any personality); it differs in everything the specification leaves open:
 * inventory, advertisement detail, RSpec formats, versions spoken, how a malformed call is answered.
 *
 * To add one: a record in PERSONALITIES (name, what it is modelled on, and only the traits it changes), and
 * every trait is read by the handlers through `env.personality`; `--personality NAME` on `serve` and `run`
 * selects it, and `scripts/personalities.ts` runs the whole suite against each (0 `error` is the bar).
 */
export interface Personality {
  /** Stable kebab-case name, for `--personality`. */
  readonly name: string;
  /** What the aggregate is like, as an operator would say it. */
  readonly description: string;
  /** The public implementation and behaviour it is modelled on. */
  readonly modelledOn: string;
  /** The AM API versions it speaks, one URL each (`/am/N`), all over the same state. */
  readonly apiVersions: readonly ReferenceApi[];
  /** Its resources. */
  inventory(authorityName: string): InventoryNode[];
  /** What its advertisement says of each node, beyond component ids and availability (all optional in the schemas). */
  readonly advertises: { readonly sliverTypes: boolean; readonly hardwareTypes: boolean; readonly interfaces: boolean };
  /** RSpec formats: advertisement formats (the first is the default) and request formats (manifests answer in the request's). */
  readonly rspec: { readonly ad: readonly AdvertisedRSpecVersion[]; readonly request: readonly AdvertisedRSpecVersion[] };
  /**
   * A call with the wrong number of parameters for its method: answered in the API's own error form (BADARGS; a v1
   * Fault with code 1), or as an XML-RPC Fault -32602 "invalid method parameters", as Python SimpleXMLRPCServer-based
   * aggregates do before the method runs (change set B: "a malformed XMLRPC request should still raise an XMLRPC
   * Fault"). A parameter of the wrong type reaches the method either way, and is BADARGS.
   */
  readonly malformedCalls: 'error-code' | 'fault';
  /**
   * How its AM API v3 endpoint answers where the specification leaves the answer open and gcf's am3 chose otherwise
   * than the reference (each absent: the reference's way). Read by the v3 handlers only (src/reference-am/handlers).
   */
  readonly v3?: V3Answers;
  /** Defaults of the reference AM's settings; explicit options (serve flags, harness.config.ts) still override them. */
  readonly settings: {
    /** geni_allocate (AllocateMode in env.ts, spelled out here so the two modules do not import each other). */
    readonly allocate?: 'geni_single' | 'geni_disjoint' | 'geni_many';
    readonly singleAllocation?: boolean;
    readonly updateSliver?: boolean;
    readonly failureInjection?: boolean;
    /**
     * Milliseconds the aggregate spends on each credential a call carries (an aggregate that starts a
     * signature-verification process per credential); none by default.
     */
    readonly credentialCheckMs?: number;
    /**
     * What its TLS server certificate names: the host it listens on and its URN ('hosts'), or its URN only, as the
     * GID-style certificates of SFA aggregates do ('urn-only'; clients verify the chain and compare the URN with the
     * aggregate's GetVersion). @defaultValue 'hosts'
     */
    readonly serverCertificate?: 'hosts' | 'urn-only';
    /**
     * How a credential's GIDs must reach its trusted roots: through any certificate the credential carries
     * ('credential'), or only through the issuers each GID carries inside it ('own'), as SFA aggregates verify them
     * (GID.verify_chain, trusting only the roots). @defaultValue 'credential'
     */
    readonly gidChains?: 'credential' | 'own';
    /**
     * Whether provisioned nodes can be logged into: each is an SSH server taking the keys given in geni_users, listed
     * as <login> services in manifests (true), or the aggregate's slivers are fake and geni_users is ignored, as
     * gcf's FakeVMs (false: manifests list no logins). @defaultValue true
     */
    readonly nodeLogins?: boolean;
    /**
     * Whether it runs the ProtoGENI dynslice server beside the AM (the embedded target then offers the dynslice
     * suite); gcf has none. @defaultValue true
     */
    readonly dynslice?: boolean;
  };
  /** How its AM API v1 and v2 endpoints answer where the specification leaves the answer open (absent: the reference's way). */
  readonly sliceApi?: SliceApiAnswers;
  /**
   * Operational state machines of its own for some node sliver types, declared in its advertisement (opstate
   * extension): Provision, PerformOperationalAction and Shutdown move those slivers through its states. Absent: the
   * standard states for every sliver.
   */
  readonly operationalStates?: readonly OwnOperationalStates[];
  /**
   * Single-threaded: one call at a time, in order of arrival, each answered before the next is read (Python
   * SimpleXMLRPCServer without a threading mix-in). Absent: calls are handled as they come, concurrently.
   */
  readonly serialCalls?: boolean;
  /**
   * How long the aggregate takes before it answers a call (milliseconds; none when absent), besides its
   * credential checks (settings.credentialCheckMs).
   */
  callDelayMs?(method: string, api: ReferenceApi): number;
}

/** See Personality.v3. */
export interface V3Answers {
  /**
   * The Fault code of a call that does not fit its method (with malformedCalls 'fault') and of an unknown method:
   * -32602 / -32601 by default; Python 2's SimpleXMLRPCDispatcher (gcf) answers both with Fault 1 ("<type
   * 'exceptions.TypeError'>:…", 'method "X" is not supported').
   */
  readonly faultCode?: number;
  /**
   * A refused credential: the code the spec names for the defect ('named'), or ERROR (2) "Insufficient privileges:
   * …" as gcf's SFA_Authorizer raises a plain Exception that AMMethodContext answers with geni_code 2 ('error').
   */
  readonly credentialRefusal?: 'named' | 'error';
  /**
   * `urns` that are not one slice or slivers of one slice (a node URN, slivers of several slices, an empty list):
   * BADARGS ('badargs'), or ERROR (2) as gcf's decode_urns raises a plain Exception ('error').
   */
  readonly malformedUrns?: 'badargs' | 'error';
  /**
   * After Shutdown: only what would change the slice is refused ('changes'), or every call naming it, Status,
   * Describe and Delete too, with REFUSED, and a second Shutdown with FORBIDDEN ('everything': gcf's decode_urns
   * refuses a shut-down slice before any method runs; the spec: "No further actions on the slivers in the given
   * slice should be possible at this aggregate").
   */
  readonly shutDownRefuses?: 'changes' | 'everything';
  /**
   * An Allocate whose request asks this aggregate for nothing: refused with BADARGS ('refused'), or answered with
   * an empty manifest and no slivers ('empty': gcf counts the request's node elements and allocates zero).
   */
  readonly emptyRequest?: 'refused' | 'empty';
  /**
   * geni_allocate geni_single: the code of a second Allocate on a slice that has slivers, UNSUPPORTED (13) by
   * default; gcf answers ALREADYEXISTS (17) "Slice … already exists" / "already has slivers at requested time".
   */
  readonly secondAllocate?: 'UNSUPPORTED' | 'ALREADYEXISTS';
  /**
   * GetVersion as gcf's: only geni_api, geni_api_versions, the RSpec versions, geni_credential_types (geni_sfa 3),
   * geni_am_type 'gcf' and geni_am_code. No geni_single_allocation or geni_allocate (their defaults, false and
   * geni_single, apply), no urn, no extensions (failure injection, dynslice). Absent: the reference's full answer.
   */
  readonly getVersion?: 'full' | 'gcf';
}

/** See Personality.sliceApi. */
export interface SliceApiAnswers {
  /**
   * CreateSliver of a request that asks this aggregate for nothing: refused with BADARGS ('refused'), or an empty
   * sliver ('empty', as gcf's am1 and am2, which reserve what the request's resource or node elements name, here
   * none): the answer is a manifest without resources, SliverStatus then lists no resource, and the slice holds it
   * (a second CreateSliver is ALREADYEXISTS) until DeleteSliver. @defaultValue 'refused'
   */
  readonly emptyRequest?: 'refused' | 'empty';
  /**
   * v2: a refused credential answered with the code the spec names for the defect ('named'), or with ERROR (2)
   * "Insufficient privileges: …" ('error': gcf-am.py's default SFA_Authorizer raises a plain Exception, which
   * AMMethodContext answers with geni_code 2). v1 refusals stay Faults. @defaultValue 'named'
   */
  readonly credentialRefusal?: 'named' | 'error';
  /**
   * The Fault code of an unknown method and (with malformedCalls 'fault') of a call that does not fit its method:
   * -32601 / -32602 by default; Python 2's SimpleXMLRPCDispatcher (gcf) answers both with Fault 1.
   */
  readonly faultCode?: number;
}

const EVERYTHING = { sliverTypes: true, hardwareTypes: true, interfaces: true } as const;

const DEFINITIONS = [
  {
    name: 'reference',
    description: 'The full reference aggregate: 4 exclusive bare-metal PCs and 2 shared VM hosts, AM API v1, v2 and v3, GENI 3 RSpecs',
    modelledOn: 'the GPO reference aggregate (gcf) and ProtoGENI racks: the default target',
    apiVersions: [1, 2, 3],
    inventory: referenceInventory,
    advertises: EVERYTHING,
    rspec: { ad: [GENI3_AD], request: [GENI3_REQUEST] },
    malformedCalls: 'error-code',
    settings: {},
  },
  {
    name: 'sparse',
    description: 'Two shared hosts whose advertisement gives component ids and availability only: no sliver_type, hardware_type or interface',
    modelledOn: "aggregates whose advertisements carry the schema's required attributes only (gcf-derived and cloud-backed aggregates); requests without a sliver_type get the host's default VM",
    apiVersions: [1, 2, 3],
    inventory: sparseInventory,
    advertises: { sliverTypes: false, hardwareTypes: false, interfaces: false },
    rspec: { ad: [GENI3_AD], request: [GENI3_REQUEST] },
    malformedCalls: 'error-code',
    settings: {},
  },
  {
    name: 'three-node',
    description: 'Three nodes advertised as shared (exclusive="false") that each take one sliver; geni_allocate geni_single',
    modelledOn: "gcf's reference aggregate (three fake VMs, one sliver each, a second Allocate on a slice refused): a small inventory where every node a case keeps is missed by the next",
    apiVersions: [1, 2, 3],
    inventory: threeNodeInventory,
    advertises: { sliverTypes: true, hardwareTypes: false, interfaces: false },
    rspec: { ad: [GENI3_AD], request: [GENI3_REQUEST] },
    malformedCalls: 'error-code',
    settings: { allocate: 'geni_single', failureInjection: false, updateSliver: false },
  },
  {
    name: 'xmlrpc-faults',
    description: 'Answers a call with the wrong number of parameters with XML-RPC Fault -32602, not a BADARGS struct',
    modelledOn: 'aggregates on Python SimpleXMLRPCServer (gcf, SFA), where a call that does not fit the method signature fails before the method runs',
    apiVersions: [1, 2, 3],
    inventory: referenceInventory,
    advertises: EVERYTHING,
    rspec: { ad: [GENI3_AD], request: [GENI3_REQUEST] },
    malformedCalls: 'fault',
    settings: {},
  },
  {
    name: 'v1-sfa',
    description: 'AM API v1 only; advertises in its own SFA format by default and in ProtoGENI v2 on request, and takes ProtoGENI v2 requests; its server certificate names it by URN only',
    modelledOn: 'SFA/PlanetLab aggregates of the AM API v1 era: native SFA advertisements, ProtoGENI v2 as the GENI format, shared PlanetLab nodes, the aggregate\'s GID as its TLS certificate, credential GIDs verified through the chains they carry',
    apiVersions: [1],
    inventory: sfaInventory,
    advertises: { sliverTypes: true, hardwareTypes: false, interfaces: false },
    rspec: { ad: [SFA1_AD, PGV2_AD], request: [PGV2_REQUEST] },
    malformedCalls: 'error-code',
    settings: { failureInjection: false, serverCertificate: 'urn-only', gidChains: 'own' },
  },
  {
    name: 'slow',
    description: 'The full reference aggregate, single-threaded (one call at a time), spending 150 ms on every credential a call carries',
    modelledOn: "gcf-style aggregates on Python SimpleXMLRPCServer (one request at a time) that run xmlsec1 as a process per credential to verify its signature: the slow credential checks operators see in the federation",
    apiVersions: [1, 2, 3],
    inventory: referenceInventory,
    advertises: EVERYTHING,
    rspec: { ad: [GENI3_AD], request: [GENI3_REQUEST] },
    malformedCalls: 'error-code',
    settings: { credentialCheckMs: 150 },
    serialCalls: true,
  },
  {
    name: 'gcf',
    description: 'The GPO reference aggregate as its public code behaves: three shared fake VMs, one sliver each, advertised without sliver or hardware types; geni_single; single-threaded; Faults for calls that do not fit a method; its GID as TLS certificate',
    modelledOn: "gcf (GENI-NSF/geni-tools src/gcf/geni/am/am3.py behind gcf-am.py -V 3: ReferenceAggregateManager's FakeVMs, AMMethodContext, the SFA authorizer, SecureXMLRPCServer on Python's SimpleXMLRPCServer)",
    apiVersions: [1, 2, 3],
    inventory: threeNodeInventory,
    advertises: { sliverTypes: false, hardwareTypes: false, interfaces: false },
    rspec: { ad: [GENI3_AD], request: [GENI3_REQUEST] },
    malformedCalls: 'fault',
    settings: { allocate: 'geni_single', failureInjection: false, updateSliver: false, serverCertificate: 'urn-only', gidChains: 'own', nodeLogins: false, dynslice: false },
    v3: { faultCode: 1, credentialRefusal: 'error', malformedUrns: 'error', shutDownRefuses: 'everything', emptyRequest: 'empty', secondAllocate: 'ALREADYEXISTS', getVersion: 'gcf' },
    // gcf's am1 and am2 (gcf-am.py -V 1 / -V 2): an empty sliver for a request naming nothing, ERROR for refused v2
    // credentials, Fault 1. Their deviations are faults: v1-text-fault-codes, v2-renewsliver-output-date,
    // v2-exception-as-fault, and in v1 advertisement-in-pgv2 (am1 answers its GCF format whatever is asked).
    sliceApi: { emptyRequest: 'empty', credentialRefusal: 'error', faultCode: 1 },
    serialCalls: true,
  },
  {
    name: 'own-states',
    description: 'The full reference aggregate whose PCs and VMs go through operational states of its own (pc_off, pc_booting, pc_up, vm_stopped, vm_running, ...), declared per sliver type in its advertisement',
    modelledOn: 'rack aggregates that advertise their own operational state machine in the ad RSpec (the opstate extension InstaGENI racks publish: a start state, states with actions and waits, per sliver type), as CommonConcepts lets "AMs ... have their own operational states/state-machine", advertised "by using Ad RSpec extensions"',
    apiVersions: [1, 2, 3],
    inventory: referenceInventory,
    advertises: EVERYTHING,
    rspec: { ad: [GENI3_AD], request: [GENI3_REQUEST] },
    malformedCalls: 'error-code',
    settings: {},
    operationalStates: RACK_OWN_STATES,
  },
] as const satisfies readonly Personality[];

export type PersonalityName = (typeof DEFINITIONS)[number]['name'];

export const PERSONALITIES: readonly Personality[] = DEFINITIONS;

export const DEFAULT_PERSONALITY: PersonalityName = 'reference';

/** The personality called `name`; an unknown name is a configuration error that lists the valid ones. */
export function personalityNamed(name: string = DEFAULT_PERSONALITY): Personality {
  const found = PERSONALITIES.find((p) => p.name === name);
  if (!found) {
    throw new ConfigError(`unknown reference AM personality ${JSON.stringify(name)}; valid names are: ${PERSONALITIES.map((p) => p.name).join(', ')}`);
  }
  return found;
}

/**
 * The harness configuration: harness.config.ts at the project root (or --config FILE / GENI_HARNESS_CONFIG), then
 * command-line flags or environment variables, which override it (OVERRIDES: one table for both). The defaults
 * live here and nowhere else; they are chosen so a run works on a fresh machine. This module imports only core,
 * so every part of the harness may read it.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { ConfigError } from './core';

export interface HarnessConfig {
  /** 'reference' (the embedded reference AM, the default) or the https URL of an aggregate. */
  target?: string;
  /**
   * A short name for the target ('utah-pg'): reports prefix its suites with it (`utah-pg/am3`), so runs against
   * several aggregates stay apart when their reports are merged; `--target-name`.
   */
  targetName?: string;
  /** Run only shard i of n of the selected cases ('2/4'): CI jobs split one target's cases; `--shard`. */
  shard?: string;
  /** This target's known failures (JSON { caseId: { outcome, reason, until? } }); `--expectations`. */
  expectations?: string;
  /** After the run, write its failures and errors as a starting expectations file; `--write-expectations`. */
  writeExpectations?: string;
  /** Client certificate and key (PEM) for a remote aggregate, as omni users have them. */
  cert?: string;
  key?: string;
  /** CA bundle(s) the aggregate's server certificate must chain to. */
  ca?: string[];
  /** The user credential as omni saves it. */
  userCredential?: string;
  /**
   * omni's configuration file (omni_config): the certificate and key of its default control framework, and the
   * aggregate nicknames `aggregate` may name; `--omni-config`.
   */
  omniConfig?: string;
  /** With omniConfig: the aggregate to test, a nickname of its [aggregate_nicknames] or a URL (omni's -a); `--aggregate`/`-a`. */
  aggregate?: string;
  /** Credentials of existing slices, for runs without an authority that can make slices. */
  sliceCredentials?: string[];
  /**
   * A Common Federation API v2 slice authority where the run makes its own fresh slices and fetches their credentials
   * with the user's identity (cert and key), when there is no test authority; the member authority gives the user
   * credential when none is given. An omni_config whose default_cf is of type chapi sets it from `sa`, `ma`,
   * `authority` and `default_project`.
   */
  sliceAuthority?: SliceAuthoritySettings;
  /** A test authority (geni-harness authority init) that the aggregate trusts; the embedded AM uses it too. */
  authorityDir?: string;
  /** Switch off TLS server verification; every report then says so. */
  insecure?: boolean;
  /** URLs of the target's other services by suite name, e.g. { dynslice: 'https://…' } (`--endpoint NAME=URL`). */
  endpoints?: Record<string, string>;
  reportsDir?: string;
  /** Which JUnit readers junit.xml is written for: 'default', or 'jenkins' (valid against the xUnit plugin's junit-10.xsd). */
  junitFlavor?: JUnitFlavorSetting;
  /** SHOULD-level cases and preferred error codes become failures. */
  strict?: boolean;
  /** Opt-in rule profiles narrower than the spec (PROFILES), e.g. ['fed4fire']. */
  profiles?: string[];
  seed?: number;
  /** Globs over case ids. */
  cases?: string[];
  tags?: string[];
  /** Suite names ('am2', 'dynslice'); default: every suite the target offers. */
  suites?: string[];
  /** Your own case files (`*.cases.ts`), besides suites/. */
  caseDirs?: string[];
  /** Faults of the embedded reference AM or reference slice manager to switch on (embedded target only). */
  faults?: string[];
  /** Peer aggregates behind the embedded reference slice manager (suite sm). */
  peers?: number;
  /**
   * The kind of aggregate the embedded reference AM is (its personality: `geni-harness serve --help` lists them);
   * embedded target only. @defaultValue 'reference'
   */
  personality?: string;
  /** Upper bound on every XML-RPC call. */
  callTimeoutMs?: number;
  /** Upper bound on a whole case (all its calls and cleanup). */
  caseTimeoutMs?: number;
  /** Responses larger than this end the call (memory stays bounded whatever the aggregate sends). */
  maxResponseBytes?: number;
  /** The cleanup ledger (slices the harness may have left at aggregates). */
  ledgerPath?: string;
  /**
   * At most this many generated inputs per property case (`--fuzz-runs`); given alone (no fuzzTimeSeconds), exactly
   * this many, whatever the time.
   */
  fuzzRuns?: number;
  /**
   * The run's time budget for its property cases, in seconds, split evenly among them (`--fuzz-time`).
   * @defaultValue 30 (when fuzzRuns is not given either)
   */
  fuzzTimeSeconds?: number;
  /** Every property case runs at least this many generated inputs, whatever its time share (`--fuzz-min-runs`). @defaultValue 3 */
  fuzzMinRuns?: number;
  /** Where failing properties write replay files (they hold credentials: never under reports/). */
  replayDir?: string;
  /** Skip the SSH login cases (tag login), e.g. when no network path reaches the nodes; `--no-login`. */
  noLogin?: boolean;
  /** How long a node may take to let the harness log in, in seconds; `--login-wait`. */
  loginWaitSeconds?: number;
  /** Settings of the embedded reference AM. */
  reference?: ReferenceSettings;
  /**
   * The dynslice server's countdown period in seconds, when it does not advertise it (the spec's default is a
   * minute); `--dynslice-tick`.
   */
  dynsliceTickSeconds?: number;
  /**
   * For a dynslice server that cannot be told to reclaim on demand: how long the countdown cases wait for a reclaim
   * of its own (they are `unsupported` without it); `--dynslice-observe`.
   */
  dynsliceObserveSeconds?: number;
  /** Where the callback endpoint the harness hosts listens (`--callback-host`, default 127.0.0.1). */
  callbackHost?: string;
  /** Its port (`--callback-port`, default: one the OS picks). */
  callbackPort?: number;
  /** The base URL the dynslice server must call when it differs from host:port (NAT, a DNS name); `--callback-url`. */
  callbackUrl?: string;
  /**
   * How dynslice server methods take their arguments: 'struct' (one struct of named arguments, as ProtoGENI servers
   * and the elasticslice client do; the default) or 'positional' (the signature the server page writes).
   */
  dynsliceArgs?: 'struct' | 'positional';
  /**
   * Several aggregates in one run (a federation): `geni-harness run` runs every entry, at once where they are
   * different aggregates, into one reports directory (each in REPORTS/targets/NAME, merged into REPORTS);
   * `--target-name NAME` runs that entry alone. An entry's own settings replace the shared ones for its run.
   */
  targets?: TargetEntry[];
  /** How many of `targets` run at once; `--jobs`. @defaultValue 4 */
  jobs?: number;
  /**
   * How many cases of an AM suite run at once, each on its own slices (`--concurrency`): a number, or 'auto' (the
   * aggregate's probed parallelism, no more than its free nodes, at most 4; 1 when in doubt). Verdicts are those of
   * a serial run either way (src/runner/scheduler.ts). @defaultValue 'auto'
   */
  concurrency?: number | 'auto';
}

/** A Common Federation API v2 slice authority (HarnessConfig.sliceAuthority). */
export interface SliceAuthoritySettings {
  /** The slice authority's URL (omni_config `sa`). */
  url: string;
  /** The member authority's URL (omni_config `ma`): where the user credential comes from when none is given. */
  memberAuthorityUrl?: string;
  /** The project slices are made in (SLICE_PROJECT_URN), when the authority wants one. */
  projectUrn?: string;
}

/** The settings an entry of `targets` may give for itself (the rest are shared by every entry). */
export const TARGET_ENTRY_KEYS = [
  'cert', 'key', 'ca', 'userCredential', 'sliceCredentials', 'authorityDir', 'insecure', 'endpoints', 'expectations',
  'suites', 'cases', 'tags', 'strict', 'profiles', 'faults', 'personality', 'peers', 'reference', 'callTimeoutMs',
  'caseTimeoutMs', 'noLogin', 'loginWaitSeconds', 'dynsliceTickSeconds', 'dynsliceObserveSeconds', 'dynsliceArgs',
  'callbackHost', 'callbackPort', 'callbackUrl', 'concurrency',
] as const satisfies ReadonlyArray<keyof HarnessConfig>;

/** One aggregate of a federation run. */
export type TargetEntry = Pick<HarnessConfig, (typeof TARGET_ENTRY_KEYS)[number]> & {
  /** Its label (as --target-name): suites are reported as NAME/am3, its own reports go to REPORTS/targets/NAME. */
  name: string;
  /** 'reference' (an embedded reference AM of its own) or the https URL of the aggregate. */
  target: string;
};

/** The JUnit flavours (src/reporting/junit.ts says what each writes). */
export const JUNIT_FLAVOR_SETTINGS = ['default', 'jenkins'] as const;
export type JUnitFlavorSetting = (typeof JUNIT_FLAVOR_SETTINGS)[number];

/** The property cases' budget (src/runner/fuzz-budget.ts splits it among them). */
export interface FuzzSettings {
  /** Most generated inputs per property case. */
  runs: number;
  /** Fewest generated inputs per property case, whatever the time. */
  minRuns: number;
  /** The time all property cases of the run share; none: `runs` inputs each, however long they take. */
  runTimeMs?: number;
}

/** The login cases: whether they run, and how long a node that is not up yet is tried again. */
export interface LoginSettings {
  enabled: boolean;
  waitMs: number;
}

export interface ReferenceSettings {
  allocate?: 'geni_single' | 'geni_disjoint' | 'geni_many';
  singleAllocation?: boolean;
  updateSliver?: boolean;
  /**
   * The embedded dynslice server. The defaults make a countdown take about a second (tick 0.2 s), so the default
   * run stays fast; `geni-harness serve` keeps the spec's minute.
   */
  dynslice?: { tickSeconds?: number; maxWaitSeconds?: number };
  /** Milliseconds the reference AM spends on each credential a call carries (default: its personality's; 150 for `slow`). */
  credentialCheckMs?: number;
}

/** How the dynslice suites reach and judge a dynslice server (plain data; part of the target). */
export interface DynsliceRunSettings {
  argumentStyle?: 'struct' | 'positional';
  tickSeconds?: number;
  observeSeconds?: number;
  callbackHost?: string;
  callbackPort?: number;
  callbackUrl?: string;
}

/** Every default, in one place. */
export const DEFAULT_CONFIG = {
  target: 'reference',
  reportsDir: 'reports',
  strict: false,
  callTimeoutMs: 60_000,
  caseTimeoutMs: 300_000,
  maxResponseBytes: 64 * 1024 * 1024,
  ledgerPath: '.geni-harness/ledger.json',
  replayDir: '.geni-harness/replays',
  /** The embedded reference AM's persistent test authority (replay files stay valid across runs). */
  embeddedAuthorityDir: '.geni-harness/authority',
  /** Generated inputs per property case with --fuzz-runs' old meaning: used where no time budget applies (in-process runs, tests). */
  fuzzRuns: 20,
  /** The property cases of a run share this many seconds (--fuzz-time), unless --fuzz-runs alone is given. */
  fuzzTimeSeconds: 30,
  /** Fewest generated inputs per property case, however slow the aggregate (--fuzz-min-runs). */
  fuzzMinRuns: 3,
  /** Most generated inputs per property case under a time budget (a fast aggregate stops here, not at the budget). */
  fuzzMaxRuns: 1000,
  /** A real node may start its SSH daemon a little after it reports ready. */
  loginWaitSeconds: 60,
  /** The embedded reference AM's nodes let the harness in at once. */
  embeddedLoginWaitSeconds: 5,
  /** Peer aggregates behind the embedded reference slice manager. */
  peers: 3,
  /** Targets of a federation run at once (each is a `geni-harness run` of its own). */
  jobs: 4,
  /** Cases of an AM suite at once: from a probe of the aggregate (src/runner/concurrency.ts). */
  concurrency: 'auto',
} as const;

/**
 * A configuration ready to run: every default applied, every path absolute, the seed drawn. Plain data (it is
 * handed to the vitest worker as it is).
 */
export interface ResolvedConfig {
  target: string;
  /** The target's label in reports (--target-name); absent: suites are not prefixed. */
  targetName?: string;
  /** Absolute paths of the expectations file to apply and of the one to write. */
  expectations?: string;
  writeExpectations?: string;
  identity: {
    cert?: string;
    key?: string;
    ca?: string[];
    userCredential?: string;
    sliceCredentials?: string[];
    authorityDir?: string;
    sliceAuthority?: SliceAuthoritySettings;
    /** The omni_config the identity came from (repeated in reproduce commands). */
    omniConfig?: string;
    insecure: boolean;
  };
  endpoints: Record<string, string>;
  reportsDir: string;
  junitFlavor: JUnitFlavorSetting;
  strict: boolean;
  profiles: string[];
  seed: number;
  selection: { cases: string[]; tags: string[]; suites: string[]; shard?: Shard };
  caseDirs: string[];
  faults: string[];
  peers: number;
  /** The embedded reference AM's personality; undefined means its default. */
  personality?: string;
  callTimeoutMs: number;
  caseTimeoutMs: number;
  maxResponseBytes: number;
  ledgerPath: string;
  fuzz: FuzzSettings;
  replayDir: string;
  embeddedAuthorityDir: string;
  login: LoginSettings;
  reference: ReferenceSettings;
  dynslice: DynsliceRunSettings;
  /** How many targets of a federation run at once. */
  jobs: number;
  /** Cases of an AM suite at once, or 'auto' (decided by a probe when the run starts). */
  concurrency: number | 'auto';
}

/** Shard `index` (1-based) of `count`: the selected cases are split by their place in id order. */
export interface Shard {
  index: number;
  count: number;
}

/** A target label: it names report suites and directories, so it is kept to a safe alphabet. */
export const TARGET_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function defineConfig(config: HarnessConfig): HarnessConfig {
  return config;
}

type Kind = 'string' | 'strings' | 'boolean' | 'integer' | 'seconds' | 'endpoints';

interface Override {
  /** The command-line flag (without --). */
  flag: string;
  /** Its one-letter form, where a tool the operator knows has one (omni's -a). */
  short?: string;
  /** The environment variable (for `npx vitest run suites/`). */
  env: string;
  key: keyof HarnessConfig;
  kind: Kind;
  /** The value's placeholder in --help ('' for a switch). */
  arg: string;
  help: string;
}

/** The settings a run takes from the command line and from the environment: one table for both. */
export const OVERRIDES: readonly Override[] = [
  { flag: 'target', env: 'GENI_HARNESS_TARGET', key: 'target', kind: 'string', arg: 'reference|URL', help: 'the aggregate (default: the embedded reference AM)' },
  { flag: 'target-name', env: 'GENI_HARNESS_TARGET_NAME', key: 'targetName', kind: 'string', arg: 'LABEL', help: 'a short name for the target: reports prefix its suites with it (LABEL/am3), so merged federation runs stay apart' },
  { flag: 'concurrency', env: 'GENI_HARNESS_CONCURRENCY', key: 'concurrency', kind: 'string', arg: 'N|auto', help: 'cases of an AM suite at once, each on its own slices, with the verdicts of a serial run (default auto: the aggregate\'s probed parallelism, at most its free nodes and 4; 1 when in doubt)' },
  { flag: 'jobs', env: 'GENI_HARNESS_JOBS', key: 'jobs', kind: 'integer', arg: 'N', help: `with a configuration that lists targets: how many run at once (default ${DEFAULT_CONFIG.jobs}; entries naming the same aggregate run one after the other)` },
  { flag: 'shard', env: 'GENI_HARNESS_SHARD', key: 'shard', kind: 'string', arg: 'I/N', help: 'run only shard I of N of the selected cases (CI jobs splitting one target; merge their reports with geni-harness merge)' },
  { flag: 'expectations', env: 'GENI_HARNESS_EXPECTATIONS', key: 'expectations', kind: 'string', arg: 'FILE', help: "this target's known failures: expected outcomes do not fail the run; an unexpected pass or an expired entry does" },
  { flag: 'write-expectations', env: 'GENI_HARNESS_WRITE_EXPECTATIONS', key: 'writeExpectations', kind: 'string', arg: 'FILE', help: "after the run, write today's failures and errors to FILE as a starting expectations file" },
  { flag: 'suite', env: 'GENI_HARNESS_SUITE', key: 'suites', kind: 'strings', arg: 'NAME', help: 'only this suite (repeatable): am1, am2, am3, …; default: every suite the target offers' },
  { flag: 'case', env: 'GENI_HARNESS_CASE', key: 'cases', kind: 'strings', arg: 'GLOB', help: "select cases by id (repeatable), e.g. 'am3.allocate.*'; '!GLOB' leaves cases out, e.g. '!sm.v3.*'" },
  { flag: 'tag', env: 'GENI_HARNESS_TAG', key: 'tags', kind: 'strings', arg: 'TAG', help: 'select cases by tag (repeatable)' },
  { flag: 'strict', env: 'GENI_HARNESS_STRICT', key: 'strict', kind: 'boolean', arg: '', help: 'SHOULD cases and preferred error codes count as failures' },
  { flag: 'profile', env: 'GENI_HARNESS_PROFILE', key: 'profiles', kind: 'strings', arg: 'NAME', help: `also apply a narrower rule set than the spec (repeatable): ${'fed4fire'} (upper-case T, no fractional seconds in dates)` },
  { flag: 'fault', env: 'GENI_HARNESS_FAULT', key: 'faults', kind: 'strings', arg: 'NAME', help: 'switch on a fault of the reference AM or slice manager (repeatable; embedded target only; see `faults`)' },
  { flag: 'peers', env: 'GENI_HARNESS_PEERS', key: 'peers', kind: 'integer', arg: 'N', help: `peer aggregates behind the embedded reference slice manager, suite sm (default ${DEFAULT_CONFIG.peers})` },
  { flag: 'personality', env: 'GENI_HARNESS_PERSONALITY', key: 'personality', kind: 'string', arg: 'NAME', help: 'the kind of aggregate the embedded reference AM is: reference, sparse, three-node, xmlrpc-faults, v1-sfa, slow, gcf, own-states (embedded target only)' },
  { flag: 'seed', env: 'GENI_HARNESS_SEED', key: 'seed', kind: 'integer', arg: 'N', help: 'seed for everything random (default: random, printed)' },
  { flag: 'reports', env: 'GENI_HARNESS_REPORTS', key: 'reportsDir', kind: 'string', arg: 'DIR', help: `where reports go (default ${DEFAULT_CONFIG.reportsDir}/)` },
  { flag: 'junit-flavor', env: 'GENI_HARNESS_JUNIT_FLAVOR', key: 'junitFlavor', kind: 'string', arg: 'default|jenkins', help: "junit.xml for these readers: jenkins = valid against the xUnit plugin's junit-10.xsd (default: default)" },
  { flag: 'cert', env: 'GENI_HARNESS_CERT', key: 'cert', kind: 'string', arg: 'FILE', help: 'client certificate (PEM) for a remote aggregate, with --key' },
  { flag: 'key', env: 'GENI_HARNESS_KEY', key: 'key', kind: 'string', arg: 'FILE', help: 'the private key of --cert (PEM)' },
  { flag: 'ca', env: 'GENI_HARNESS_CA', key: 'ca', kind: 'strings', arg: 'FILE', help: 'CA bundle for the server certificate of the aggregate (repeatable)' },
  { flag: 'omni-config', env: 'GENI_HARNESS_OMNI_CONFIG', key: 'omniConfig', kind: 'string', arg: 'FILE', help: "omni's omni_config: the cert and key of its default_cf, the aggregate nicknames -a names" },
  { flag: 'aggregate', short: 'a', env: 'GENI_HARNESS_AGGREGATE', key: 'aggregate', kind: 'string', arg: 'NICK|URL', help: 'with --omni-config: the aggregate to test, by nickname or URL (omni -a; default: the first of [omni] aggregates)' },
  { flag: 'user-cred', env: 'GENI_HARNESS_USER_CRED', key: 'userCredential', kind: 'string', arg: 'FILE', help: 'user credential (XML, or the JSON omni saves)' },
  { flag: 'slice-cred', env: 'GENI_HARNESS_SLICE_CRED', key: 'sliceCredentials', kind: 'strings', arg: 'FILE', help: 'credential of an existing slice to use when no authority can make slices (repeatable)' },
  { flag: 'authority', env: 'GENI_HARNESS_AUTHORITY', key: 'authorityDir', kind: 'string', arg: 'DIR', help: 'test authority the aggregate trusts: mint users, slices and credentials from it' },
  { flag: 'insecure', env: 'GENI_HARNESS_INSECURE', key: 'insecure', kind: 'boolean', arg: '', help: 'do not verify the server certificate of the aggregate (marked in every report)' },
  { flag: 'endpoint', env: 'GENI_HARNESS_ENDPOINT', key: 'endpoints', kind: 'endpoints', arg: 'NAME=URL', help: 'the URL of suite NAME at the target, where GetVersion does not give it (repeatable)' },
  { flag: 'call-timeout', env: 'GENI_HARNESS_CALL_TIMEOUT', key: 'callTimeoutMs', kind: 'integer', arg: 'MS', help: `upper bound on every call (default ${DEFAULT_CONFIG.callTimeoutMs})` },
  { flag: 'fuzz-time', env: 'GENI_HARNESS_FUZZ_TIME', key: 'fuzzTimeSeconds', kind: 'integer', arg: 'S', help: `seconds the run's property cases share, split evenly (default ${DEFAULT_CONFIG.fuzzTimeSeconds}; nightly: 1800)` },
  { flag: 'fuzz-runs', env: 'GENI_HARNESS_FUZZ_RUNS', key: 'fuzzRuns', kind: 'integer', arg: 'N', help: `at most N generated inputs per property case (default ${DEFAULT_CONFIG.fuzzMaxRuns}); alone, without --fuzz-time: exactly N each, untimed` },
  { flag: 'fuzz-min-runs', env: 'GENI_HARNESS_FUZZ_MIN_RUNS', key: 'fuzzMinRuns', kind: 'integer', arg: 'N', help: `at least N generated inputs per property case, however slow the aggregate (default ${DEFAULT_CONFIG.fuzzMinRuns})` },
  { flag: 'no-login', env: 'GENI_HARNESS_NO_LOGIN', key: 'noLogin', kind: 'boolean', arg: '', help: 'skip the SSH login cases (tag login), e.g. when no network path reaches the nodes' },
  { flag: 'login-wait', env: 'GENI_HARNESS_LOGIN_WAIT', key: 'loginWaitSeconds', kind: 'integer', arg: 'S', help: `how long a node may take to let the harness log in (default ${DEFAULT_CONFIG.loginWaitSeconds}; embedded AM ${DEFAULT_CONFIG.embeddedLoginWaitSeconds})` },
  { flag: 'dynslice-tick', env: 'GENI_HARNESS_DYNSLICE_TICK', key: 'dynsliceTickSeconds', kind: 'seconds', arg: 'S', help: 'the countdown period to expect from a dynslice server that does not advertise one (default 60)' },
  { flag: 'dynslice-observe', env: 'GENI_HARNESS_DYNSLICE_OBSERVE', key: 'dynsliceObserveSeconds', kind: 'seconds', arg: 'S', help: 'without a reclaim hook: wait up to S seconds for the dynslice server to reclaim on its own' },
  { flag: 'callback-host', env: 'GENI_HARNESS_CALLBACK_HOST', key: 'callbackHost', kind: 'string', arg: 'ADDR', help: 'where the callback endpoint for dynslice servers listens (default 127.0.0.1)' },
  { flag: 'callback-port', env: 'GENI_HARNESS_CALLBACK_PORT', key: 'callbackPort', kind: 'integer', arg: 'N', help: 'its port (default: one the OS picks)' },
  { flag: 'callback-url', env: 'GENI_HARNESS_CALLBACK_URL', key: 'callbackUrl', kind: 'string', arg: 'URL', help: 'the base URL the dynslice server calls, when not host:port (NAT, a DNS name)' },
  { flag: 'dynslice-args', env: 'GENI_HARNESS_DYNSLICE_ARGS', key: 'dynsliceArgs', kind: 'string', arg: 'struct|positional', help: 'how dynslice server methods take arguments (default struct, as ProtoGENI servers do)' },
];

/** The --help lines of the overrides, aligned. */
export function overridesHelp(): string {
  const left = OVERRIDES.map((o) => `  ${o.short !== undefined ? `-${o.short}, ` : ''}--${o.flag}${o.arg ? ` ${o.arg}` : ''}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  return OVERRIDES.map((o, i) => `${left[i]!.padEnd(width)}${o.help}`).join('\n');
}

/** Parses one override value as its kind says; `name` is how the user wrote it ('--seed', 'GENI_HARNESS_SEED'). */
function parseValue(o: Override, name: string, raw: string | boolean | string[]): unknown {
  const values = Array.isArray(raw) ? raw : [raw];
  const text = (v: unknown) => String(v);
  switch (o.kind) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (/^(1|true|yes)$/i.test(text(raw))) return true;
      if (/^(0|false|no|)$/i.test(text(raw))) return false;
      throw new ConfigError(`${name} must be true or false, but received ${JSON.stringify(raw)}`);
    case 'integer': {
      const value = text(values.at(-1));
      if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new ConfigError(`${name} must be an integer, but received ${JSON.stringify(value)}`);
      return Number(value);
    }
    case 'seconds': {
      const value = text(values.at(-1));
      if (!/^\d+(\.\d+)?$/.test(value) || !(Number(value) > 0)) throw new ConfigError(`${name} must be a positive number of seconds, but received ${JSON.stringify(value)}`);
      return Number(value);
    }
    case 'string':
      return text(values.at(-1));
    case 'strings':
      return values.flatMap((v) => text(v).split(',')).map((v) => v.trim()).filter((v) => v !== '');
    case 'endpoints':
      return Object.fromEntries(values.flatMap((v) => text(v).split(',')).filter((v) => v.trim() !== '').map((pair) => {
        const at = pair.indexOf('=');
        if (at <= 0) throw new ConfigError(`${name} must be NAME=URL, but received ${JSON.stringify(pair)}`);
        return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
      }));
  }
}

/** Overrides from parsed command-line flags (values keyed by flag name). */
export function overridesFromFlags(values: Record<string, string | boolean | string[] | undefined>): HarnessConfig {
  const out: Record<string, unknown> = {};
  for (const o of OVERRIDES) {
    const raw = values[o.flag];
    if (raw !== undefined) out[o.key] = parseValue(o, `--${o.flag}`, raw);
  }
  return out as HarnessConfig;
}

/** Overrides from GENI_HARNESS_* environment variables (lists comma-separated). */
export function overridesFromEnv(env: NodeJS.ProcessEnv): HarnessConfig {
  const out: Record<string, unknown> = {};
  for (const o of OVERRIDES) {
    const raw = env[o.env];
    if (raw !== undefined && raw !== '') out[o.key] = parseValue(o, o.env, raw);
  }
  return out as HarnessConfig;
}

/**
 * Rule sets narrower than the specification that a federation may demand; a run applies them only when asked.
 * fed4fire: dates with an upper-case T and no fractional seconds.
 */
export const PROFILES = ['fed4fire'] as const;

function knownProfiles(names: string[]): string[] {
  const unknown = names.filter((n) => !(PROFILES as readonly string[]).includes(n));
  if (unknown.length > 0) throw new ConfigError(`unknown --profile ${unknown.join(', ')}; valid profiles are: ${PROFILES.join(', ')}`);
  return names;
}

function positive(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new ConfigError(`${what} must be a positive integer, but received ${value}`);
  return value;
}

/** 'I/N' with 1 ≤ I ≤ N. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new ConfigError(`--shard must be I/N with 1 <= I <= N (e.g. 2/4), but received ${JSON.stringify(text)}`);
  }
  return { index, count };
}

/**
 * --fuzz-runs alone: exactly that many inputs each, untimed (as before there were time budgets). Otherwise the
 * time budget (given, or the default) with --fuzz-runs (or the default cap) as the most inputs per property.
 */
function fuzzSettings(runs: number | undefined, seconds: number | undefined, minRuns: number): FuzzSettings {
  if (runs !== undefined && seconds === undefined) return { runs, minRuns: Math.min(minRuns, runs) };
  const most = runs ?? DEFAULT_CONFIG.fuzzMaxRuns;
  return { runs: most, minRuns: Math.min(minRuns, most), runTimeMs: (seconds ?? DEFAULT_CONFIG.fuzzTimeSeconds) * 1000 };
}

/** '~/x' → $HOME/x, relative → against `cwd`. */
export function absolutePath(path: string, cwd = process.cwd()): string {
  const home = path.startsWith('~/') ? resolve(process.env.HOME ?? '.', path.slice(2)) : path;
  return isAbsolute(home) ? home : resolve(cwd, home);
}

/**
 * The configuration file's settings, then the overrides, on top of the defaults. Checks what can be checked
 * without the network; `seed` is drawn here when none is given, so every part of the run sees the same one.
 */
export function resolveConfig(file: HarnessConfig, overrides: HarnessConfig, cwd = process.cwd()): ResolvedConfig {
  const c = withTargetEntry(file, overrides);
  const path = (p: string) => absolutePath(p, cwd);
  const target = c.target ?? DEFAULT_CONFIG.target;
  if (target !== 'reference' && !/^https:\/\//i.test(target)) {
    throw new ConfigError(`--target must be 'reference' or an https:// URL (GENI aggregates speak XML-RPC over HTTPS with client certificates), got ${JSON.stringify(target)}`);
  }
  const faults = c.faults ?? [];
  if (target !== 'reference' && faults.length > 0) throw new ConfigError('--fault switches faults of the embedded reference AM; it cannot be used with a remote --target');
  if (target !== 'reference' && c.personality !== undefined) throw new ConfigError('--personality chooses what the embedded reference AM is like; it cannot be used with a remote --target');
  if ((c.cert === undefined) !== (c.key === undefined)) throw new ConfigError('--cert and --key must be given together');
  for (const [name, url] of Object.entries(c.endpoints ?? {})) {
    if (!/^https:\/\//i.test(url)) throw new ConfigError(`--endpoint ${name} must be an https:// URL, got ${JSON.stringify(url)}`);
  }
  if (c.targetName !== undefined && !TARGET_NAME_PATTERN.test(c.targetName)) {
    throw new ConfigError(`--target-name must be 1-64 letters, digits, '.', '_' or '-' (starting with a letter or digit), but received ${JSON.stringify(c.targetName)}`);
  }
  const shard = c.shard === undefined ? undefined : parseShard(c.shard);
  const junitFlavor = c.junitFlavor ?? 'default';
  if (!(JUNIT_FLAVOR_SETTINGS as readonly string[]).includes(junitFlavor)) {
    throw new ConfigError(`--junit-flavor must be one of ${JUNIT_FLAVOR_SETTINGS.join(', ')}, but received ${JSON.stringify(junitFlavor)}`);
  }
  const fuzzTime = c.fuzzTimeSeconds === undefined ? undefined : positive(c.fuzzTimeSeconds, '--fuzz-time');
  const loginWait = positive(c.loginWaitSeconds ?? (target === 'reference' ? DEFAULT_CONFIG.embeddedLoginWaitSeconds : DEFAULT_CONFIG.loginWaitSeconds), '--login-wait');
  return {
    target,
    ...(c.targetName !== undefined && { targetName: c.targetName }),
    ...(c.expectations !== undefined && { expectations: path(c.expectations) }),
    ...(c.writeExpectations !== undefined && { writeExpectations: path(c.writeExpectations) }),
    identity: {
      ...(c.cert !== undefined && { cert: path(c.cert) }),
      ...(c.key !== undefined && { key: path(c.key) }),
      ...(c.ca !== undefined && { ca: c.ca.map(path) }),
      ...(c.userCredential !== undefined && { userCredential: path(c.userCredential) }),
      ...(c.sliceCredentials !== undefined && { sliceCredentials: c.sliceCredentials.map(path) }),
      ...(c.authorityDir !== undefined && { authorityDir: path(c.authorityDir) }),
      ...(c.sliceAuthority !== undefined && { sliceAuthority: sliceAuthoritySettings(c.sliceAuthority) }),
      ...(c.omniConfig !== undefined && { omniConfig: path(c.omniConfig) }),
      insecure: c.insecure ?? false,
    },
    endpoints: c.endpoints ?? {},
    reportsDir: path(c.reportsDir ?? DEFAULT_CONFIG.reportsDir),
    junitFlavor,
    strict: c.strict ?? DEFAULT_CONFIG.strict,
    profiles: knownProfiles(c.profiles ?? []),
    seed: c.seed ?? Math.floor(Math.random() * (2 ** 31 - 1)),
    selection: { cases: c.cases ?? [], tags: c.tags ?? [], suites: c.suites ?? [], ...(shard !== undefined && { shard }) },
    caseDirs: (c.caseDirs ?? []).map(path),
    faults,
    peers: positive(c.peers ?? DEFAULT_CONFIG.peers, '--peers'),
    ...(c.personality !== undefined && { personality: c.personality }),
    callTimeoutMs: positive(c.callTimeoutMs ?? DEFAULT_CONFIG.callTimeoutMs, '--call-timeout'),
    caseTimeoutMs: positive(c.caseTimeoutMs ?? DEFAULT_CONFIG.caseTimeoutMs, 'caseTimeoutMs'),
    maxResponseBytes: positive(c.maxResponseBytes ?? DEFAULT_CONFIG.maxResponseBytes, 'maxResponseBytes'),
    ledgerPath: path(c.ledgerPath ?? DEFAULT_CONFIG.ledgerPath),
    fuzz: fuzzSettings(c.fuzzRuns === undefined ? undefined : positive(c.fuzzRuns, '--fuzz-runs'), fuzzTime, positive(c.fuzzMinRuns ?? DEFAULT_CONFIG.fuzzMinRuns, '--fuzz-min-runs')),
    // A labelled target's replay files go apart: runs against several aggregates fail the same property case.
    replayDir: path(c.replayDir ?? (c.targetName === undefined ? DEFAULT_CONFIG.replayDir : `${DEFAULT_CONFIG.replayDir}/${c.targetName}`)),
    embeddedAuthorityDir: path(c.authorityDir ?? DEFAULT_CONFIG.embeddedAuthorityDir),
    login: { enabled: c.noLogin !== true, waitMs: loginWait * 1000 },
    reference: c.reference ?? {},
    dynslice: dynsliceSettings(c),
    jobs: positive(c.jobs ?? DEFAULT_CONFIG.jobs, '--jobs'),
    concurrency: concurrencySetting(c.concurrency),
  };
}

function sliceAuthoritySettings(sa: SliceAuthoritySettings): SliceAuthoritySettings {
  for (const [key, url] of [['url', sa.url], ['memberAuthorityUrl', sa.memberAuthorityUrl]] as const) {
    if (url !== undefined && !/^https:\/\//i.test(url)) throw new ConfigError(`sliceAuthority.${key} must be an https:// URL, got ${JSON.stringify(url)}`);
  }
  return sa;
}

/** --concurrency: a positive integer or 'auto' (from the command line, the number arrives as text). */
function concurrencySetting(value: number | string | undefined): number | 'auto' {
  if (value === undefined || value === 'auto') return DEFAULT_CONFIG.concurrency;
  const n = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new ConfigError(`--concurrency must be a positive integer or auto, but received ${JSON.stringify(value)}`);
  return n;
}

function dynsliceSettings(c: HarnessConfig): DynsliceRunSettings {
  if (c.callbackUrl !== undefined && !/^https:\/\//i.test(c.callbackUrl)) throw new ConfigError(`--callback-url must be an https:// URL, got ${JSON.stringify(c.callbackUrl)}`);
  if (c.callbackPort !== undefined && (c.callbackPort < 0 || c.callbackPort > 65535)) throw new ConfigError(`--callback-port must be a TCP port (0 to 65535), but received ${c.callbackPort}`);
  if (c.dynsliceArgs !== undefined && c.dynsliceArgs !== 'struct' && c.dynsliceArgs !== 'positional') {
    throw new ConfigError(`--dynslice-args must be struct or positional, but received ${JSON.stringify(c.dynsliceArgs)}`);
  }
  return {
    ...(c.dynsliceArgs !== undefined && { argumentStyle: c.dynsliceArgs }),
    ...(c.dynsliceTickSeconds !== undefined && { tickSeconds: c.dynsliceTickSeconds }),
    ...(c.dynsliceObserveSeconds !== undefined && { observeSeconds: c.dynsliceObserveSeconds }),
    ...(c.callbackHost !== undefined && { callbackHost: c.callbackHost }),
    ...(c.callbackPort !== undefined && { callbackPort: c.callbackPort }),
    ...(c.callbackUrl !== undefined && { callbackUrl: c.callbackUrl }),
  };
}

/**
 * The configuration's targets when this run is a federation run (the file lists targets, and neither --target nor
 * --target-name picks one); undefined for a run of one target.
 */
export function federationTargets(file: HarnessConfig, overrides: HarnessConfig): TargetEntry[] | undefined {
  const { targets } = file;
  if (targets === undefined || targets.length === 0 || overrides.target !== undefined) return undefined;
  if ((overrides.targetName ?? file.targetName) !== undefined) return undefined;
  return uniqueTargets(targets);
}

/** Which aggregate an entry names: an https target's host and port; every embedded reference AM is its own. */
export function aggregateKey(entry: Pick<TargetEntry, 'name' | 'target'>): string {
  return entry.target === 'reference' ? `reference:${entry.name}` : new URL(entry.target).host.toLowerCase();
}

/**
 * The settings for talking to the aggregate at `url` outside a run (`cleanup`, `replay`), with `url` as the target.
 * With a list of targets and no --target-name, those of the entry that names that aggregate (the same URL, else the
 * same host and port; the first such entry), so each aggregate is spoken to with the identity its runs used; the
 * shared settings when no entry names it.
 */
export function resolveConfigFor(url: string, file: HarnessConfig, overrides: HarnessConfig, cwd = process.cwd()): ResolvedConfig {
  const { target: _ignored, ...rest } = overrides;
  const named = (rest.targetName ?? file.targetName) !== undefined;
  const entry = named ? undefined : targetEntryFor(file.targets ?? [], url);
  const config = named || entry !== undefined
    ? resolveConfig(file, { ...rest, ...(entry !== undefined && { targetName: entry.name }) }, cwd)
    : resolveConfig({ ...file, targets: undefined }, { ...rest, target: url }, cwd);
  return { ...config, target: url };
}

function targetEntryFor(targets: readonly TargetEntry[], url: string): TargetEntry | undefined {
  const remote = targets.filter((t) => t.target !== 'reference');
  let at: URL;
  try {
    at = new URL(url);
  } catch {
    return undefined;
  }
  return remote.find((t) => new URL(t.target).href === at.href) ?? remote.find((t) => aggregateKey(t) === at.host.toLowerCase());
}

/** The settings of one run: with a list of targets, the entry --target-name names, its settings over the shared ones. */
function withTargetEntry(file: HarnessConfig, overrides: HarnessConfig): HarnessConfig {
  const { targets, ...shared } = file;
  // --target names the aggregate itself: the list is not consulted.
  if (targets === undefined || targets.length === 0 || overrides.target !== undefined) return { ...shared, ...overrides };
  const names = uniqueTargets(targets).map((t) => t.name).join(', ');
  const name = overrides.targetName ?? shared.targetName;
  if (name === undefined) {
    throw new ConfigError(`the configuration lists targets (${names}): \`geni-harness run\` runs them all; name one with --target-name NAME (GENI_HARNESS_TARGET_NAME)`);
  }
  const entry = targets.find((t) => t.name === name);
  if (entry === undefined) throw new ConfigError(`--target-name ${name} is not one of the configuration's targets (${names})`);
  const { name: label, ...settings } = entry;
  return { ...shared, ...settings, ...overrides, targetName: label };
}

function uniqueTargets(targets: TargetEntry[]): TargetEntry[] {
  const seen = new Set<string>();
  for (const { name } of targets) {
    if (seen.has(name)) throw new ConfigError(`the configuration's targets name ${JSON.stringify(name)} twice: each target needs its own name`);
    seen.add(name);
  }
  return targets;
}

/**
 * The `geni-harness run` arguments that repeat a run with this configuration against the same target and seed,
 * without its case selection (reports add `--case ID`). Paths only, never a secret; settings only a configuration
 * file can give (caseDirs, reference) are not repeated.
 */
export function reproduceArguments(config: ResolvedConfig): string[] {
  const { identity } = config;
  const args: string[] = [];
  if (config.target !== DEFAULT_CONFIG.target) args.push('--target', config.target);
  if (config.targetName !== undefined) args.push('--target-name', config.targetName);
  if (config.expectations !== undefined) args.push('--expectations', config.expectations);
  // The omni_config gives the identity and the slice authority again (its cert and key are those below unless set apart).
  if (identity.omniConfig !== undefined) args.push('--omni-config', identity.omniConfig);
  if (identity.cert !== undefined) args.push('--cert', identity.cert);
  if (identity.key !== undefined) args.push('--key', identity.key);
  for (const ca of identity.ca ?? []) args.push('--ca', ca);
  if (identity.userCredential !== undefined) args.push('--user-cred', identity.userCredential);
  for (const cred of identity.sliceCredentials ?? []) args.push('--slice-cred', cred);
  if (identity.authorityDir !== undefined) args.push('--authority', identity.authorityDir);
  if (identity.insecure) args.push('--insecure');
  for (const [name, url] of Object.entries(config.endpoints)) args.push('--endpoint', `${name}=${url}`);
  args.push('--seed', String(config.seed));
  if (config.strict) args.push('--strict');
  for (const fault of config.faults) args.push('--fault', fault);
  args.push(...fuzzArguments(config.fuzz));
  if (!config.login.enabled) args.push('--no-login');
  if (config.callTimeoutMs !== DEFAULT_CONFIG.callTimeoutMs) args.push('--call-timeout', String(config.callTimeoutMs));
  return args;
}

/** The --fuzz-* arguments that give these settings again (none for the defaults). */
function fuzzArguments(fuzz: FuzzSettings): string[] {
  const args: string[] = [];
  // Untimed: --fuzz-runs alone means exactly N inputs each.
  if (fuzz.runTimeMs === undefined) args.push('--fuzz-runs', String(fuzz.runs));
  else if (fuzz.runTimeMs !== DEFAULT_CONFIG.fuzzTimeSeconds * 1000 || fuzz.runs !== DEFAULT_CONFIG.fuzzMaxRuns) {
    args.push('--fuzz-time', String(fuzz.runTimeMs / 1000));
    if (fuzz.runs !== DEFAULT_CONFIG.fuzzMaxRuns) args.push('--fuzz-runs', String(fuzz.runs));
  }
  if (fuzz.minRuns !== Math.min(DEFAULT_CONFIG.fuzzMinRuns, fuzz.runs)) args.push('--fuzz-min-runs', String(fuzz.minRuns));
  return args;
}

let configValidator: ValidateFunction | undefined;

/**
 * A configuration file's value checked against schemas/config/harness-config.schema.json: every unknown key and
 * every value of the wrong type is named, in one line (a ConfigError: exit 2).
 */
export function checkConfig(value: unknown, file: string): HarnessConfig {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`config file ${file} must export an object (export default defineConfig({ … })), but exports ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
  configValidator ??= new Ajv({ strict: true, allErrors: true }).compile(
    JSON.parse(readFileSync(new URL('../schemas/config/harness-config.schema.json', import.meta.url), 'utf8')) as object,
  );
  if (configValidator(value)) return value as HarnessConfig;
  const problems = (configValidator.errors ?? []).map((e) => describeProblem(e, value));
  throw new ConfigError(`config file ${file}: ${[...new Set(problems)].join('; ')}`);
}

const TYPE_WORDS: Record<string, string> = {
  array: 'a list', boolean: 'true or false', integer: 'an integer', number: 'a number', object: 'an object', string: 'a string',
};

function describeProblem(error: ErrorObject, root: unknown): string {
  const key = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const params = error.params as Record<string, unknown>;
  const actual = error.instancePath.split('/').slice(1).reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], root);
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown key ${JSON.stringify(key === '' ? String(params.additionalProperty) : `${key}.${String(params.additionalProperty)}`)}`;
    case 'type':
      return `${key} must be ${TYPE_WORDS[String(params.type)] ?? String(params.type)}, but is ${JSON.stringify(actual)}`;
    case 'enum':
      return `${key} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, but is ${JSON.stringify(actual)}`;
    default:
      return `${key} ${error.message ?? 'is not valid'} (is ${JSON.stringify(actual)})`;
  }
}

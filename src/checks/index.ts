/** The check library: small pure functions from an observed answer to findings (STYLE.md B4). */
export { geniCode } from './geni-code';
export { envelope } from './envelope';
export { field, FieldChecks, type ValueKind, type ValuePredicate } from './field';
export { valueMatches } from './value';
export { rspec } from './rspec';
export { dates, rfc3339Problem, RFC3339_DATE_TIME } from './dates';
export { urn } from './urn';
export { getVersion, ABSOLUTE_URL, COMPLIANT_RSPEC_FORMATS, GENI3_FORMAT, KNOWN_RSPEC_TYPES } from './getversion';
export { schemaFindings, compileAllSchemas, toJsonValue, SCHEMA_IDS, type SchemaId } from './json-schemas';
export { resolvePath, valueAt, type Resolved } from './paths';
export { describeAnswer } from './describe';
export { either } from './combine';
// Owned by the lifecycle cases (sliver lists, manifests, expiry arithmetic); re-exported so suites import one place.
export {
  slivers, manifest, sliverListAt, sliverUrnsOf, clientIdsOf, isWaitState, machinesOfSliver, GENI_OPERATIONAL_STATES, GENI_WAIT_STATES, OWN_OPERATIONAL_STATES_TEXT,
  type AdvertisedOperationalStates, type AllocationState, type OperationalExpectation, type Sliver,
} from './slivers';
export { time, readGeniDate, formatRfc3339 } from './time';
export { v1 } from './v1';
export { v2, overallStatusOf } from './v2';
export { login, isSshLogin, type LoginManifests, type ManifestLogins, type ObservedLogin } from './login';
export { sm, EMPTY_REPEAT_VALUES, type FanOut, type ForwardedCall, type PeerRef, type TimedAnswer } from './sm';
// dynslice: the server API, the callbacks it makes, and client endpoints' answers.
export { pgAnswer, dynslice, describePg } from './dynslice';
export { countdown, resourceValues, latestNodelist, type Calls } from './countdown';
export { clientAnswer } from './dynslice-client';

/**
 * Case ids that are no longer used, each with the id of the case that replaced it (or `removed: why`). An id is
 * never reused: test/registry.test.ts fails on a case with a retired id and on a retired id that points nowhere.
 * CI histories keyed by the old ids can be mapped with this table.
 */
export const RETIRED_IDS: Readonly<Record<string, string>> = {
  // 2026-11: a case shared by several suites has no suite prefix (it ran as am2 and am3 too).
  'am1.shared.advertisement-geni3': 'lifecycle.advertisement-geni3',
  'am1.shared.reserve-status-release': 'lifecycle.reserve-status-release',
};

import type { FaultSet } from '../faults';
import type { Sliver } from '../model';
import type { SliceApi } from './call';

/** SliverStatus's resource status words (GAPI_AM_API SliverStatus). */
export type ResourceStatus = 'configuring' | 'ready' | 'failed' | 'unknown';

/**
 * The v1/v2 word for a sliver's v3 states. Booting or provisioned-but-not-started slivers are 'configuring'; an
 * allocation that v3 has not provisioned yet has no resource behind it, so its status is 'unknown'.
 */
export function resourceStatus(sliver: Sliver): ResourceStatus {
  if (sliver.allocation !== 'geni_provisioned') return 'unknown';
  switch (sliver.operational) {
    case 'geni_ready':
      return 'ready';
    case 'geni_configuring':
    case 'geni_notready':
      return 'configuring';
    default:
      return 'unknown';
  }
}

/**
 * The slice's overall status: "failed" if any resource failed, else "configuring" if any is configuring, else
 * "ready" if all are ready, else "unknown" (GAPI_AM_API SliverStatus). The v2-sliverstatus-wrong-precedence fault
 * is an optimistic aggregate that calls the slice ready as soon as one resource is.
 */
export function overallStatus(statuses: readonly ResourceStatus[], api: SliceApi, faults: FaultSet): ResourceStatus {
  if (api === 2 && faults.has('v2-sliverstatus-wrong-precedence') && statuses.includes('ready')) return 'ready';
  if (statuses.includes('failed')) return 'failed';
  if (statuses.includes('configuring')) return 'configuring';
  if (statuses.length > 0 && statuses.every((s) => s === 'ready')) return 'ready';
  return 'unknown';
}

import type { AllocationState } from './model';

/** How long the aggregate lets slivers live, in seconds. */
export interface AmPolicy {
  /** Lifetime of a fresh allocation. @defaultValue 600 */
  allocatedSeconds: number;
  /** Furthest an allocation may be renewed, from now. @defaultValue 7200 */
  maxAllocatedSeconds: number;
  /** Lifetime of a freshly provisioned sliver. @defaultValue 3 days */
  provisionedSeconds: number;
  /** Furthest a provisioned sliver may be renewed, from now. @defaultValue 30 days */
  maxProvisionedSeconds: number;
}

const DAY = 24 * 60 * 60;

export const DEFAULT_POLICY: Readonly<AmPolicy> = Object.freeze({
  allocatedSeconds: 600,
  maxAllocatedSeconds: 7200,
  provisionedSeconds: 3 * DAY,
  maxProvisionedSeconds: 30 * DAY,
});

export function resolvePolicy(partial: Partial<AmPolicy> = {}): AmPolicy {
  return { ...DEFAULT_POLICY, ...partial };
}

const plusSeconds = (now: Date, seconds: number): Date => new Date(now.getTime() + seconds * 1000);

function earliest(...dates: Array<Date | undefined>): Date {
  const present = dates.filter((d): d is Date => d !== undefined);
  return new Date(Math.min(...present.map((d) => d.getTime())));
}

/**
 * A requested end time (geni_end_time) is only a wish: it may shorten a lifetime but never lengthen it, and one
 * in the past is ignored, as gcf does, because it cannot mean anything sensible.
 */
function usableRequest(now: Date, requested: Date | undefined): Date | undefined {
  return requested !== undefined && requested.getTime() > now.getTime() ? requested : undefined;
}

/** Expiry of a new allocation: policy, never beyond the slice credential, shortened by geni_end_time. */
export function allocationExpiry(policy: AmPolicy, now: Date, credentialExpires: Date, requestedEnd?: Date): Date {
  return earliest(plusSeconds(now, policy.allocatedSeconds), credentialExpires, usableRequest(now, requestedEnd));
}

/** Expiry at Provision: policy, never beyond the slice credential, shortened by geni_end_time. */
export function provisionExpiry(policy: AmPolicy, now: Date, credentialExpires: Date, requestedEnd?: Date): Date {
  return earliest(plusSeconds(now, policy.provisionedSeconds), credentialExpires, usableRequest(now, requestedEnd));
}

/**
 * The latest time a sliver in `state` may be renewed to. `credentialExpires` is undefined only when a fault
 * tells the aggregate to forget that bound.
 */
export function renewLimit(policy: AmPolicy, state: AllocationState, now: Date, credentialExpires: Date | undefined): Date {
  const policyMax = state === 'geni_allocated' ? policy.maxAllocatedSeconds : policy.maxProvisionedSeconds;
  return earliest(plusSeconds(now, policyMax), credentialExpires);
}

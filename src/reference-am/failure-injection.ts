import { makeUrn } from '../geni/urn';

/**
 * Failure injection: a way for a client to make one chosen sliver fail, so that all-or-nothing and best-effort
 * semantics (geni_best_effort) can be observed. A node whose sliver_type asks for this disk image is allocated
 * like any other, and its Provision fails (ERROR). GetVersion advertises the image under
 * `geniharness_failure_injection.provision_fails_disk_image` (outside the reserved geni_ prefix), so a client
 * can tell an aggregate that offers the switch from one that does not.
 */
export const PROVISION_FAILS_DISK_IMAGE = makeUrn('geni-harness.test', 'image', 'fails-at-provision');

/** The GetVersion member that advertises the switch. */
export const FAILURE_INJECTION_FIELD = 'geniharness_failure_injection';

export function failsAtProvision(diskImage: string | undefined): boolean {
  return diskImage !== undefined && diskImage.toLowerCase() === PROVISION_FAILS_DISK_IMAGE.toLowerCase();
}

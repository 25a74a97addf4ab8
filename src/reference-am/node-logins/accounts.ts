import { parseUrn } from '../../geni/urn';
import type { FaultSet } from '../faults';
import type { GeniUser, Sliver } from '../model';

/**
 * The login accounts a provisioned node has: one per user given in geni_users (CommonConcepts: aggregates "are
 * expected to install all supplied SSH keys - creating separate login accounts for each supplied user if
 * possible"), each holding that user's keys.
 */

/** GENI usernames: a letter then up to 7 word characters, derived from the user URN's name. */
export function loginName(userUrn: string): string {
  const raw = (parseUrn(userUrn)?.name ?? 'user').replace(/[^A-Za-z0-9_]/g, '');
  const name = /^[A-Za-z]/.test(raw) ? raw : `u${raw}`;
  return name.slice(0, 8).toLowerCase();
}

/** username → the public key lines installed for it (users sharing a username share the account). */
export function nodeAccounts(users: readonly GeniUser[]): Map<string, string[]> {
  const accounts = new Map<string, string[]>();
  for (const user of users) {
    const name = loginName(user.urn);
    accounts.set(name, [...(accounts.get(name) ?? []), ...user.keys]);
  }
  return accounts;
}

/**
 * The key lines that open `username`'s account on a node: that user's keys from the sliver's users. With the
 * login-key-not-installed fault none; with login-accepts-other-slice-keys every key any sliver at the aggregate
 * was given (`keysGivenAnywhere`), as if all slivers shared one authorized_keys.
 */
export function authorizedKeyLines(sliver: Sliver, username: string, faults: FaultSet, keysGivenAnywhere: () => string[]): string[] {
  if (faults.has('login-key-not-installed')) return [];
  const own = nodeAccounts(sliver.users).get(username);
  if (!own) return [];
  return faults.has('login-accepts-other-slice-keys') ? keysGivenAnywhere() : own;
}

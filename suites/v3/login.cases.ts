/**
 * geni_update_users (AM API v3 only): changing the users and keys of running nodes. CommonConcepts, Sliver
 * Operational Actions: "geni_update_users: This action changes the users and SSH keys installed on existing slivers
 * that are geni_ready. [...] This struct may add new users or change installed SSH keys, but will not remove
 * existing users." The adopted change set Q: "Existing users will have all SSH keys replaced by the new set."
 * The action is optional: an aggregate that answers UNSUPPORTED does not offer it.
 */
import { geniCode, login } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { am3 } from '../../src/runner/am-suites';
import { logInto, loginUser, mostTelling, nodesWithLogins, requireGivenKeyWorks, requireLogins, runningLoginSlice } from '../shared/login-steps';
import { settledStatus, unsupportedIfRefused } from './sliver-steps';

export default defineCases(am3, { tags: ['login', 'poa', 'destructive'], spec: ['am3/common#geni_update_users', 'am3/common#geni_users'] }, [
  {
    id: 'am3.login.update-users-new-key',
    requirements: ['v3c.users.update-users'],
    title: 'geni_update_users replaces the key of a running node: the new key logs in, the replaced one no longer does',
    requirement: 'After geni_update_users succeeds and the slivers are geni_ready again, the user has exactly the new set of keys',
    detects: [{ fault: 'update-users-ignored', check: 'login-given-key' }],
    async run(t) {
      const [given, added] = await Promise.all([t.login.key('given'), t.login.key('added')]);
      const slice = await runningLoginSlice(t, { nodes: 1, users: [loginUser(t, [given])] });
      requireLogins(t, slice);
      const nodes = nodesWithLogins(t, slice);
      for (const { targets } of nodes) await requireGivenKeyWorks(t, targets, given, 'login.given-key-logs-in');

      const update = await t.am.PerformOperationalAction([slice.slice.urn], slice.slice.credentials, 'geni_update_users', {
        geni_users: [loginUser(t, [added])],
      });
      unsupportedIfRefused(t, update, 'geni_update_users');
      if (t.verify(update, [geniCode.success()]).length > 0) return;
      // While the change is applied the slivers are geni_updating_users (or the advertised machine's own wait state);
      // the keys hold once they are running again.
      await settledStatus(t, slice.slice, { timeoutMs: t.login.waitMs, advertised: slice.advertised });

      for (const { targets } of nodes) {
        const { in: loggedIn, attempts } = await logInto(t, targets, added);
        t.verify(loggedIn ?? mostTelling(attempts), [login.loggedIn()]);
        for (const target of targets) {
          t.verify(await t.login.attempt(target, given, ['true']), [login.refused('geni_update_users replaced it with the new set of keys')]);
        }
      }
    },
  },
]);

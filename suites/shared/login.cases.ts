/**
 * Into the nodes: what an experimenter does right after the nodes run. The keys are the run's own (t.login mints
 * them; never a user's keys), given to the aggregate as geni_users at Provision (v3) or as CreateSliver's users
 * argument (v1, v2: "An array of user structs, which contain information about the users that might login to the
 * sliver that the AM needs to know about"). What is tested is what the aggregate declares: when it lists an SSH
 * login service for its nodes, the manifest must say where for every node, the given key must get in, and no other
 * key may. An aggregate that lists no login at all does not offer logins on these resources: unsupported.
 *
 * GAPI_AM_API_V3/CommonConcepts, geni_users: "this option is the mechanism by which users supply their SSH public
 * keys, permitting SSH login to allocated nodes. [...] Aggregates accepting this option for a resource are expected
 * to install all supplied SSH keys - creating separate login accounts for each supplied user if possible."
 * User login information: "Aggregates shall use a new RSpec extension to include all login information in manifest
 * RSpecs. [...] The <login> tag tells you the kind of authentication (ssh), the port, and the username."
 */
import { login } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { am1, am2, am3 } from '../../src/runner/am-suites';
import {
  logInto, loginUser, mostTelling, nodesWithLogins, otherLoginUser, requireGivenKeyWorks, requireLogins, runningLoginSlice, skipIfUnreachable,
} from './login-steps';

export default defineCases([am1, am2, am3], {
  tags: ['login', 'destructive'], spec: ['am3/common#geni_users', 'am3/common#LoginInformation', 'am2#users', 'am1#users'],
}, [
  {
    id: 'login.manifest-lists-login',
    requirements: ['v3c.users.manifest-login', 'v3c.users.honor-keys'],
    title: 'Reserve two nodes with a login key, start them, and read the login services of the manifests',
    requirement: 'Once the aggregate lists an SSH login for its nodes, the manifest read after they start lists one per node, with host, account and port',
    spec: ['am3/common#LoginInformation'],
    detects: [{ fault: 'login-entry-missing', check: 'login-service-per-node' }],
    async run(t) {
      const given = await t.login.key('given');
      const slice = await runningLoginSlice(t, { nodes: 2, users: [loginUser(t, [given])] });
      requireLogins(t, slice);
      t.verify({ reserved: slice.reserved, current: slice.current }, [login.servicePerNode()]);
      t.verify(slice.current, [login.servicesComplete()]);
    },
  },
  {
    id: 'login.given-key-logs-in',
    requirements: ['v3c.users.manifest-login', 'v3c.users.honor-keys'],
    title: 'Log in to each node with the key given for it and run true and uname',
    requirement: 'The key given in geni_users (users) opens the account the manifest names on every node, within a bounded wait, and commands run',
    spec: ['am3/common#geni_users'],
    detects: [{ fault: 'login-wrong-port', check: 'login-given-key' }, { fault: 'login-key-not-installed', check: 'login-given-key' }],
    async run(t) {
      const given = await t.login.key('given');
      const slice = await runningLoginSlice(t, { nodes: 2, users: [loginUser(t, [given])] });
      requireLogins(t, slice);
      const tried = [];
      for (const { targets } of nodesWithLogins(t, slice)) tried.push(await logInto(t, targets, given));
      skipIfUnreachable(t, tried.flatMap((n) => n.attempts));
      for (const node of tried) t.verify(node.in ?? mostTelling(node.attempts), [login.loggedIn()]);
    },
  },
  {
    id: 'login.other-keys-refused',
    requirements: ['v3c.users.manifest-login', 'v3c.users.honor-keys'],
    title: "Log in to a node with a key never given, and with a key given only for another user's slice",
    requirement: 'A node lets in only the keys given for its sliver: a key never given and a key given for another slice are refused',
    spec: ['am3/common#geni_users'],
    detects: [{ fault: 'login-accepts-other-slice-keys', check: 'login-other-key' }],
    async run(t) {
      const [given, neverGiven, otherSlice] = await Promise.all([t.login.key('given'), t.login.key('never-given'), t.login.key('other-slice')]);
      const mine = await runningLoginSlice(t, { nodes: 1, users: [loginUser(t, [given])] });
      requireLogins(t, mine);
      // Another slice at the same aggregate, whose nodes run with another user's key.
      await runningLoginSlice(t, { nodes: 1, users: [otherLoginUser(t, [otherSlice])] });
      for (const { targets } of nodesWithLogins(t, mine)) {
        await requireGivenKeyWorks(t, targets, given, 'login.given-key-logs-in');
        for (const target of targets) {
          t.verify(await t.login.attempt(target, neverGiven, ['true']), [login.refused('it was never given to the aggregate')]);
          t.verify(await t.login.attempt(target, otherSlice, ['true']), [login.refused("it was given only for another user's slice")]);
        }
      }
    },
  },
]);

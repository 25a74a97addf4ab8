import { describe, expect, it } from 'vitest';
import { login, type ManifestLogins, type ObservedLogin } from '../../src/checks';
import { readLoginServices } from '../../src/rspec';

const CTX = { strict: false };
const ssh = (port: string, username = 'alice') => ({ authentication: 'ssh-keys', hostname: 'pc1.example.net', port, username });

const manifest = (label: string, exchangeId: string, nodes: ManifestLogins['nodes']): ManifestLogins => ({ label, exchangeId, nodes });

describe('login.servicePerNode', () => {
  it('passes when every node lists an SSH login, and when no node lists any (the aggregate offers none)', () => {
    const both = manifest('Describe', 'x2', [{ clientId: 'a', logins: [ssh('2201')] }, { clientId: 'b', logins: [ssh('2202')] }]);
    expect(login.servicePerNode()({ current: both }, CTX)).toEqual([]);
    const none = manifest('Describe', 'x2', [{ clientId: 'a', logins: [] }]);
    expect(login.servicePerNode()({ reserved: manifest('Provision', 'x1', [{ clientId: 'a', logins: [] }]), current: none }, CTX)).toEqual([]);
  });

  it('fails a node whose login the reservation listed and the later manifest lost', () => {
    const reserved = manifest('the Provision manifest', 'x1', [{ clientId: 'a', logins: [ssh('2201')] }]);
    const current = manifest('Describe after geni_start', 'x5', [{ clientId: 'a', logins: [] }]);
    expect(login.servicePerNode()({ reserved, current }, CTX)).toEqual([{
      check: 'login-service-per-node',
      title: 'Node without a login service',
      expected: ['<services><login authentication="ssh-keys" hostname=… port=… username=…/> on node "a" in Describe after geni_start'],
      actual: 'none; the Provision manifest listed alice@pc1.example.net port 2201 for it',
      path: 'node[@client_id="a"]/services/login',
      spec: 'am3/common#LoginInformation',
      exchangeIds: ['x5', 'x1'],
    }]);
  });

  it('fails a node without a login when another node of the slice has one', () => {
    const current = manifest('Describe', 'x5', [{ clientId: 'a', logins: [ssh('2201')] }, { clientId: 'b', logins: [{ authentication: 'password' }] }]);
    const [finding] = login.servicePerNode()({ current }, CTX);
    expect(finding).toMatchObject({ actual: 'none; node "a" lists one', path: 'node[@client_id="b"]/services/login', exchangeIds: ['x5'] });
  });
});

describe('login.servicesComplete', () => {
  it('passes complete logins (port optional) and ignores non-SSH ones', () => {
    const nodes = [{ clientId: 'a', logins: [ssh('22'), { authentication: 'ssh', hostname: 'h', username: 'u' }, { authentication: 'password' }] }];
    expect(login.servicesComplete()(manifest('Describe', 'x1', nodes), CTX)).toEqual([]);
  });

  it('names what is missing or wrong', () => {
    const nodes = [{ clientId: 'a', logins: [{ authentication: 'ssh-keys', port: '70000' }] }];
    expect(login.servicesComplete()(manifest('Describe', 'x1', nodes), CTX)).toEqual([{
      check: 'login-service-complete',
      title: 'Incomplete login service',
      expected: ['authentication, hostname, username, and a port 1-65535 when given'],
      actual: 'no hostname, no username, port "70000" is not a TCP port in Describe',
      path: 'node[@client_id="a"]/services/login',
      spec: 'am3/common#LoginInformation',
      exchangeIds: ['x1'],
    }]);
  });
});

const attempt = (outcome: ObservedLogin['outcome']): ObservedLogin => ({
  target: { host: '127.0.0.1', port: 2201, username: 'alice' }, key: { label: 'given', fingerprint: 'SHA256:abc' }, outcome, exchangeId: 'x9',
});

describe('login.loggedIn and login.refused', () => {
  it('loggedIn passes a login whose commands all exit 0', () => {
    expect(login.loggedIn()(attempt({ kind: 'ran', runs: [{ command: 'true', exitCode: 0, stdout: '', stderr: '' }] }), CTX)).toEqual([]);
  });

  it('loggedIn fails a refused login, naming the key and the reason', () => {
    expect(login.loggedIn()(attempt({ kind: 'auth-refused', message: 'the node refused the key' }), CTX)).toEqual([{
      check: 'login-given-key', title: 'Login with a key given in geni_users failed', spec: 'am3/common#geni_users',
      path: 'ssh://alice@127.0.0.1:2201', exchangeIds: ['x9'],
      expected: ['the node lets key given (SHA256:abc) in'], actual: 'auth-refused: the node refused the key',
    }]);
  });

  it('loggedIn fails a command that did not exit 0', () => {
    const [finding] = login.loggedIn()(attempt({ kind: 'ran', runs: [{ command: 'uname', exitCode: 127, stdout: '', stderr: 'sh: uname: not found' }] }), CTX);
    expect(finding).toMatchObject({ title: 'Command on the node failed', expected: ['"uname" exits with status 0'], actual: 'exit 127; stderr "sh: uname: not found"' });
  });

  it('refused passes anything but a login, and fails a login', () => {
    expect(login.refused('never given')(attempt({ kind: 'auth-refused', message: 'no' }), CTX)).toEqual([]);
    expect(login.refused('never given')(attempt({ kind: 'ran', runs: [{ command: 'true', exitCode: 0, stdout: '', stderr: '' }] }), CTX)).toEqual([{
      check: 'login-other-key', title: 'A key not given for the sliver logged in', spec: 'am3/common#geni_users',
      path: 'ssh://alice@127.0.0.1:2201', exchangeIds: ['x9'],
      expected: ['the node refuses key given (SHA256:abc): never given'], actual: 'logged in as alice and ran "true"',
    }]);
  });
});

describe('readLoginServices', () => {
  it('reads every node’s login services from GENI 3 and ProtoGENI v2 manifests', () => {
    const geni3 = `<rspec type="manifest" xmlns="http://www.geni.net/resources/rspec/3">
      <node client_id="a" sliver_id="urn:publicid:IDN+x+sliver+1"><sliver_type name="default-vm"/>
        <services><login authentication="ssh-keys" hostname="pc1.x" port="30010" username="alice"/><login authentication="ssh-keys" hostname="pc1.x" port="30010" username="bob"/></services>
      </node>
      <node client_id="b"/></rspec>`;
    expect(readLoginServices(geni3)).toEqual([
      { clientId: 'a', sliverId: 'urn:publicid:IDN+x+sliver+1', sliverType: 'default-vm', logins: [
        { authentication: 'ssh-keys', hostname: 'pc1.x', port: '30010', username: 'alice' },
        { authentication: 'ssh-keys', hostname: 'pc1.x', port: '30010', username: 'bob' },
      ] },
      { clientId: 'b', logins: [] },
    ]);
    const pgv2 = '<rspec type="manifest" xmlns="http://www.protogeni.net/resources/rspec/2"><node client_id="n"><services><login authentication="ssh-keys" hostname="h"/></services></node></rspec>';
    expect(readLoginServices(pgv2)).toEqual([{ clientId: 'n', logins: [{ authentication: 'ssh-keys', hostname: 'h' }] }]);
  });

  it('refuses a document with a DTD (parsing is safe)', () => {
    expect(() => readLoginServices('<!DOCTYPE x [<!ENTITY e "x">]><rspec type="manifest" xmlns="http://www.geni.net/resources/rspec/3"/>')).toThrow();
  });
});

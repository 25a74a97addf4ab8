import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core';
import {
  createTestAuthority,
  loadUserFiles,
  mintSliceCredential,
  mintUser,
  mintUserCredential,
  sfaCredentialStruct,
  sliceUrn,
  type TestAuthority,
  type UserIdentity,
} from '../../src/credentials';

let dir: string;
let authority: TestAuthority;
let alice: UserIdentity;
let certPath: string;
let keyPath: string;
let userCredential: string;
let sliceCredential: string;

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'geni-userfiles-'));
  authority = createTestAuthority();
  alice = mintUser(authority, 'alice');
  certPath = write('alice-cert.pem', alice.certPem);
  keyPath = write('alice-key.pem', alice.keyPem);
  userCredential = mintUserCredential(authority, alice);
  sliceCredential = mintSliceCredential(authority, alice, sliceUrn(authority, 'mine'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadUserFiles', () => {
  it('reads certificate and key, and takes the URN from the certificate', () => {
    const files = loadUserFiles({ certPath, keyPath });
    expect(files.certPem).toBe(alice.certPem);
    expect(files.keyPem).toBe(alice.keyPem.trim());
    expect(files.urn).toBe(alice.urn);
    expect(files.userCredentialXml).toBeUndefined();
    expect(files.sliceCredentialXml).toEqual([]);
  });

  it('accepts omni-saved credentials: raw XML, a geni_sfa JSON struct, and a JSON list of structs', () => {
    const raw = write('user-cred.xml', userCredential);
    const struct = write('slice-cred.json', JSON.stringify(sfaCredentialStruct(sliceCredential)));
    const list = write('creds.json', JSON.stringify([sfaCredentialStruct(sliceCredential), sfaCredentialStruct(userCredential, '2')]));
    const files = loadUserFiles({ certPath, keyPath, userCredentialPath: raw, sliceCredentialPaths: [struct, list] });
    expect(files.userCredentialXml).toBe(userCredential.trim());
    expect(files.sliceCredentialXml).toEqual([sliceCredential, sliceCredential, userCredential]);

    const userAsStruct = write('user-cred.json', JSON.stringify(sfaCredentialStruct(userCredential)));
    expect(loadUserFiles({ certPath, keyPath, userCredentialPath: userAsStruct }).userCredentialXml).toBe(userCredential);
  });

  it('names a missing key file', () => {
    const missing = join(dir, 'no-such-key.pem');
    const attempt = () => loadUserFiles({ certPath, keyPath: missing });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(`user private key file ${missing} does not exist`);
  });

  it('names a missing certificate file', () => {
    expect(() => loadUserFiles({ certPath: join(dir, 'gone.pem'), keyPath })).toThrow(/user certificate file .*gone\.pem does not exist/);
  });

  it('names an unreadable credential file', () => {
    // A directory is unreadable as a file even for root (EISDIR), unlike a chmod 000 file.
    const directory = join(dir, 'cred-dir');
    mkdirSync(directory);
    expect(() => loadUserFiles({ certPath, keyPath, userCredentialPath: directory })).toThrow(/user credential file .*cred-dir is unreadable: EISDIR/);
    const garbage = write('garbage-cred.xml', '<signed-credential><oops');
    const attempt = () => loadUserFiles({ certPath, keyPath, userCredentialPath: garbage });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/user credential file .*garbage-cred\.xml is not a GENI SFA credential: credential is not well-formed XML/);
  });

  it('names a credential file that is neither XML nor JSON, and a JSON entry without geni_value', () => {
    const text = write('text-cred', 'hello');
    expect(() => loadUserFiles({ certPath, keyPath, sliceCredentialPaths: [text] })).toThrow(/slice credential file .*text-cred is neither credential XML nor JSON/);
    const badList = write('bad-list.json', JSON.stringify([sfaCredentialStruct(sliceCredential), { geni_value: 42 }]));
    expect(() => loadUserFiles({ certPath, keyPath, sliceCredentialPaths: [badList] })).toThrow(/entry 2 of slice credential file .*bad-list\.json/);
  });

  it('refuses a key that does not belong to the certificate, and an encrypted key', () => {
    const bobKey = write('bob-key.pem', mintUser(authority, 'bob').keyPem);
    expect(() => loadUserFiles({ certPath, keyPath: bobKey })).toThrow(/does not belong to the certificate/);
    const encrypted = write('enc-key.pem', '-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n');
    expect(() => loadUserFiles({ certPath, keyPath: encrypted })).toThrow(/is encrypted/);
  });
});

import { readFileSync } from 'node:fs';
import { ConfigError, errorMessage } from '../core';
import { certificateUrn, keyMatchesCertificate, splitPemCertificates } from './certificates';
import { CredentialFormatError, parseCredential } from './parse';

/**
 * Loading a real user's identity for runs against real aggregates: certificate, key, and the credentials omni
 * saved (raw <signed-credential> XML, or JSON holding a geni_sfa struct or a list of them).
 */

export interface UserFilePaths {
  certPath: string;
  keyPath: string;
  userCredentialPath?: string;
  sliceCredentialPaths?: string[];
}

export interface UserFiles {
  certPem: string;
  keyPem: string;
  urn?: string;
  userCredentialXml?: string;
  sliceCredentialXml: string[];
}

const PRIVATE_KEY = /-----BEGIN ((?:RSA |EC )?PRIVATE KEY)-----[\s\S]*?-----END \1-----/;
const ENCRYPTED_KEY = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/;

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigError(`${what} file ${path} does not exist`);
    throw new ConfigError(`${what} file ${path} is unreadable: ${errorMessage(err)}`, { cause: err });
  }
}

function credentialValues(parsed: unknown): unknown[] {
  const items = Array.isArray(parsed) ? parsed : [parsed];
  return items.map((item) => (item && typeof item === 'object' && 'geni_value' in item ? (item as { geni_value: unknown }).geni_value : item));
}

/** Every credential document in a file; ConfigError names the file when it holds none or a broken one. */
function readCredentialFile(path: string, what: string): string[] {
  const text = readText(path, what).trim();
  let documents: unknown[];
  if (text.startsWith('<')) {
    documents = [text];
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ConfigError(`${what} file ${path} is neither credential XML nor JSON`);
    }
    documents = credentialValues(parsed);
  }
  if (documents.length === 0) throw new ConfigError(`${what} file ${path} holds an empty list of credentials`);
  return documents.map((doc, index) => {
    const where = documents.length > 1 ? `entry ${index + 1} of ${what} file ${path}` : `${what} file ${path}`;
    if (typeof doc !== 'string') throw new ConfigError(`${where} is not a credential string or a struct with a geni_value string`);
    try {
      parseCredential(doc);
    } catch (err) {
      if (err instanceof CredentialFormatError) throw new ConfigError(`${where} is not a GENI SFA credential: ${err.message}`);
      throw err;
    }
    return doc;
  });
}

export function loadUserFiles(paths: UserFilePaths): UserFiles {
  const certPem = readText(paths.certPath, 'user certificate');
  if (splitPemCertificates(certPem).length === 0) throw new ConfigError(`user certificate file ${paths.certPath} holds no PEM certificate`);
  const keyText = readText(paths.keyPath, 'user private key');
  if (ENCRYPTED_KEY.test(keyText)) throw new ConfigError(`user private key file ${paths.keyPath} is encrypted; decrypt it first (openssl rsa -in ... -out ...)`);
  const keyPem = PRIVATE_KEY.exec(keyText)?.[0];
  if (!keyPem) throw new ConfigError(`user private key file ${paths.keyPath} holds no PEM private key`);
  if (!keyMatchesCertificate(splitPemCertificates(certPem)[0]!, keyPem)) {
    throw new ConfigError(`user private key file ${paths.keyPath} does not belong to the certificate in ${paths.certPath}`);
  }
  const urn = certificateUrn(splitPemCertificates(certPem)[0]!);
  const userCredentialXml = paths.userCredentialPath === undefined ? undefined : readCredentialFile(paths.userCredentialPath, 'user credential')[0];
  const sliceCredentialXml = (paths.sliceCredentialPaths ?? []).flatMap((path) => readCredentialFile(path, 'slice credential'));
  return {
    certPem,
    keyPem,
    ...(urn ? { urn } : {}),
    ...(userCredentialXml ? { userCredentialXml } : {}),
    sliceCredentialXml,
  };
}

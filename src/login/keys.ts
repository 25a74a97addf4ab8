import { createHash, generateKeyPair } from 'node:crypto';
import { inspect } from 'node:util';
import ssh2 from 'ssh2';

/**
 * An SSH key pair the harness made for one run: the public half goes to the aggregate in geni_users, the private
 * half stays in this process's memory. It is never written to disk, and it cannot leak through JSON.stringify,
 * util.inspect or a spread: the private key is a private field, and only the public parts serialise.
 */
export class LoginKeyPair {
  readonly #privateKeyPem: string;

  private constructor(
    /** What the key is for in this run ('given', 'refused', …): it appears in the key's comment. */
    readonly label: string,
    /** The OpenSSH public key line: `ssh-rsa AAAA… geni-harness-<label>`. */
    readonly publicKey: string,
    /** `SHA256:…`, as `ssh-keygen -l` prints it. */
    readonly fingerprint: string,
    privateKeyPem: string,
  ) {
    this.#privateKeyPem = privateKeyPem;
  }

  /**
   * RSA 2048: the key type every SSH server an aggregate may run accepts (old images may lack ECDSA and Ed25519).
   * Generated in the thread pool, so minting several at once does not block the event loop.
   */
  static async mint(label: string): Promise<LoginKeyPair> {
    const pem = await new Promise<string>((resolve, reject) =>
      generateKeyPair('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } },
        (err, _publicKey, privateKey) => (err ? reject(err) : resolve(privateKey))),
    );
    const parsed = ssh2.utils.parseKey(pem);
    if (parsed instanceof Error) throw parsed;
    const blob = parsed.getPublicSSH();
    return new LoginKeyPair(label, `${parsed.type} ${blob.toString('base64')} geni-harness-${label}`, sshFingerprint(blob), pem);
  }

  /** The private key, for the SSH client only. */
  privateKeyForSshClient(): string {
    return this.#privateKeyPem;
  }

  toJSON(): { label: string; publicKey: string; fingerprint: string } {
    return { label: this.label, publicKey: this.publicKey, fingerprint: this.fingerprint };
  }

  [inspect.custom](): string {
    return `LoginKeyPair(${this.label} ${this.fingerprint})`;
  }
}

/** The OpenSSH SHA256 fingerprint of a public key blob. */
export function sshFingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

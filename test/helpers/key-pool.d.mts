import type { RsaKeySupply } from '../../src/credentials';

/** The RSA keys of one test run, shared by its test processes (key-pool.mjs). */
export declare class RsaKeyPool implements RsaKeySupply {
  constructor(dir: string);
  /** Where its keys are (key-0.pem, key-1.pem…). */
  readonly dir: string;
  take(): string | undefined;
  add(keyPem: string): void;
}

// The validation modules only: the rest of src/rspec loads libxmljs2, a native addon that must stay out of workers.
import { validateRSpec, type RSpecValidation, type ValidateOptions } from '../rspec/validate';
import { decodeMethodResponse, toTransferable, XmlRpcDecodeError, type DecodeLimits, type TransferableResponse, type XmlRpcDecodeFailure } from '../xmlrpc';

/**
 * What the sandbox can run: synchronous, pure functions of a structured-cloneable input. Each one handles a
 * document received from an aggregate.
 */
export const SANDBOX_TASKS = {
  /** validateRSpec on bytes; `text` says they are a string's UTF-8 (its declaration's encoding no longer applies). */
  'validate-rspec': (input: { bytes: Uint8Array; text: boolean; options: ValidateOptions }): RSpecValidation =>
    validateRSpec(input.bytes, { ...input.options, ...(input.text && { encoding: 'UTF-8' as const }) }),
  /**
   * decodeMethodResponse on an aggregate's answer. A body that does not decode is an answer too (its reason and
   * message travel back as data, so the caller can tell it from a sandbox failure).
   */
  'decode-xmlrpc-response': (input: { bytes: Uint8Array; limits?: DecodeLimits }): DecodedInSandbox => {
    try {
      return { ok: true, response: toTransferable(decodeMethodResponse(input.bytes, input.limits)) };
    } catch (err) {
      if (err instanceof XmlRpcDecodeError) return { ok: false, reason: err.reason, message: err.message, ...(err.line !== undefined && { line: err.line }) };
      throw err;
    }
  },
} satisfies Record<string, (input: never) => unknown>;

export type SandboxTaskName = keyof typeof SANDBOX_TASKS;
export type SandboxInput<N extends SandboxTaskName> = Parameters<(typeof SANDBOX_TASKS)[N]>[0];
export type SandboxOutput<N extends SandboxTaskName> = ReturnType<(typeof SANDBOX_TASKS)[N]>;

export type DecodedInSandbox =
  | { ok: true; response: TransferableResponse }
  | { ok: false; reason: XmlRpcDecodeFailure; message: string; line?: number };

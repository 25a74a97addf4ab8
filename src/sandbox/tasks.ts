// The validation modules only: the rest of src/rspec loads libxmljs2, a native addon that must stay out of workers.
import { validateRSpec, validateRSpecFile, validateTail, type RSpecValidation, type TailRequest, type TailVerdict, type ValidateOptions } from '../rspec/validate';
import { decodeMethodResponse, toTransferable, XmlRpcDecodeError, type DecodeLimits, type TransferableResponse, type XmlRpcDecodeFailure } from '../xmlrpc';

/**
 * What the sandbox can run: synchronous, pure functions of a structured-cloneable input. Each one handles a
 * document received from an aggregate.
 */
export const SANDBOX_TASKS = {
  /** validateRSpec on bytes; `text` says they are a string's UTF-8 (its declaration's encoding no longer applies). */
  'validate-rspec': (input: { bytes: Uint8Array; text: boolean; options: ValidateOptions }): RSpecValidation =>
    validateRSpec(input.bytes, { ...input.options, ...(input.text && { encoding: 'UTF-8' as const }) }),
  /** The second part of a large advertisement validated in two threads (validate.ts, splitValidation). */
  'validate-rspec-tail': (input: TailRequest): TailVerdict => validateTail(input),
  /**
   * Files validated alongside another thread: both take the next file from one shared counter (`next`, an
   * Int32Array on a SharedArrayBuffer) until none is left; the answer is this thread's files by their index.
   */
  'validate-rspec-files': (input: { files: string[]; options: ValidateOptions; next: Int32Array }): Array<[number, RSpecValidation]> => {
    const done: Array<[number, RSpecValidation]> = [];
    for (let index = Atomics.add(input.next, 0, 1); index < input.files.length; index = Atomics.add(input.next, 0, 1)) {
      done.push([index, validateRSpecFile(input.files[index]!, input.options)]);
    }
    return done;
  },
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

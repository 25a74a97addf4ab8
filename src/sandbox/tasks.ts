// The validation modules only: the rest of src/rspec loads libxmljs2, a native addon that must stay out of workers.
import { validateRSpec, type RSpecValidation, type ValidateOptions } from '../rspec/validate';

/**
 * What the sandbox can run: synchronous, pure functions of a structured-cloneable input. Each one handles a
 * document received from an aggregate. #9 adds the XML-RPC decoding of aggregate answers here.
 */
export const SANDBOX_TASKS = {
  /** validateRSpec on bytes; `text` says they are a string's UTF-8 (its declaration's encoding no longer applies). */
  'validate-rspec': (input: { bytes: Uint8Array; text: boolean; options: ValidateOptions }): RSpecValidation =>
    validateRSpec(input.bytes, { ...input.options, ...(input.text && { encoding: 'UTF-8' as const }) }),
} satisfies Record<string, (input: never) => unknown>;

export type SandboxTaskName = keyof typeof SANDBOX_TASKS;
export type SandboxInput<N extends SandboxTaskName> = Parameters<(typeof SANDBOX_TASKS)[N]>[0];
export type SandboxOutput<N extends SandboxTaskName> = ReturnType<(typeof SANDBOX_TASKS)[N]>;

/**
 * Recognizes {@link LLMProgram} instances without importing the class, so the option schema can
 * accept a program as a linked program without an import cycle.
 *
 * @module
 */
import type { LLMProgram } from './llm-program.js';

/** Set to `true` on every {@link LLMProgram}; shared across copies of the package. */
export const PROGRAM_BRAND: unique symbol = Symbol.for('llmproc.LLMProgram');

/** Whether `value` is an {@link LLMProgram}. */
export function isLLMProgram(value: unknown): value is LLMProgram {
  return typeof value === 'object' && value !== null && (value as { [PROGRAM_BRAND]?: unknown })[PROGRAM_BRAND] === true;
}

/**
 * How the command reports an error: which exit code, and what to print. People's mistakes (usage,
 * an invalid program) and failed runs get the library's message, no stack trace; anything else is
 * a bug and gets its stack.
 *
 * @module
 */
import {
  InvalidArgumentError,
  McpConfigError,
  McpServerStartError,
  McpToolNotFoundError,
  MissingApiKeyError,
  OptionalDependencyError,
  ProgramError,
  RunError,
  RunLogError,
  ToolDefinitionError,
  UnsupportedProviderError,
} from '../errors.js';
import { UnsupportedInputError } from '../input/input-errors.js';
import { USAGE } from './args.js';
import { CliMissingKeyError } from './missing-key-error.js';
import { EXIT_RUN_FAILED, EXIT_USAGE, type ExitCode } from './exit-codes.js';
import { CliUsageError } from './usage-error.js';

/** Errors that mean the command or the program is wrong: exit code 2. */
const USER_ERRORS = [
  CliUsageError,
  CliMissingKeyError,
  ProgramError,
  InvalidArgumentError,
  UnsupportedProviderError,
  MissingApiKeyError,
  ToolDefinitionError,
  McpConfigError,
  McpToolNotFoundError,
  McpServerStartError,
  RunLogError,
  OptionalDependencyError,
  UnsupportedInputError,
] as const;

/** What to print on stderr for an error, and the exit code. */
export interface ErrorReport {
  exitCode: ExitCode;
  /** The text for stderr, ending with a newline. */
  text: string;
}

/**
 * 2 with the message for bad usage, an invalid program or a missing key; 1 with the message for a failed run
 * ({@link RunError}: an API error, a cancelled run); 1 with the stack for anything else.
 */
export function reportError(error: unknown): ErrorReport {
  if (error instanceof CliUsageError) {
    return { exitCode: EXIT_USAGE, text: `llmproc: ${error.message}\n${USAGE.split('\n')[0]}\n` };
  }
  if (USER_ERRORS.some((type) => error instanceof type)) return { exitCode: EXIT_USAGE, text: `llmproc: ${(error as Error).message}\n` };
  if (error instanceof RunError) return { exitCode: EXIT_RUN_FAILED, text: `llmproc: ${error.message}\n` };
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return { exitCode: EXIT_RUN_FAILED, text: `llmproc: internal error (please report it): ${detail}\n` };
}

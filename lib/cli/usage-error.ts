/**
 * The error the command line throws for bad usage.
 *
 * @module
 */
import { LLMProcError } from '../errors.js';

/**
 * The command line was used wrongly: an unknown flag, a flag without its value, no program file,
 * no prompt. The command prints the message and exits with code 2; `argument` names what was
 * wrong (`--max-iterations`, `<program.toml>`, `prompt`).
 */
export class CliUsageError extends LLMProcError {
  /** The flag or argument at fault. */
  readonly argument: string;
  constructor(argument: string, message: string) {
    super(message);
    this.argument = argument;
  }
}

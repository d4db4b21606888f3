/**
 * The error the command line throws when there is no API key and `--offline` was not given.
 *
 * @module
 */
import { LLMProcError } from '../errors.js';

/**
 * No API key for the program's provider, and no `--offline`: the command does not fall back to
 * the scripted model on its own (a CI job that lost its secret must not get a canned success). It
 * exits with code 2; `variable` names the environment variable to set.
 */
export class CliMissingKeyError extends LLMProcError {
  /** The environment variable that holds the key (`ANTHROPIC_API_KEY`). */
  readonly variable: string;
  constructor(variable: string) {
    super(
      `no ${variable} set: set it to run the program on its model's API, ` +
        'or pass --offline to run on the built-in scripted model (canned answers, no network).',
    );
    this.variable = variable;
  }
}

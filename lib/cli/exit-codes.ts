/**
 * The exit codes of the `llmproc` command.
 *
 * @module
 */

/** The run (or the session) ended normally. */
export const EXIT_OK = 0;
/** The run failed: an API error after the SDK's retries, a cancelled run, or an internal error. */
export const EXIT_RUN_FAILED = 1;
/** Bad usage (an unknown flag, a missing argument, no prompt) or an invalid program. */
export const EXIT_USAGE = 2;

/** One of the command's exit codes. */
export type ExitCode = typeof EXIT_OK | typeof EXIT_RUN_FAILED | typeof EXIT_USAGE;

/**
 * `llmproc --help` and `llmproc --version`: answered from the arguments alone, so the executable
 * prints them without loading programs, processes or providers.
 *
 * @module
 */
import { parseCliArgs, USAGE } from './args.js';
import { packageVersion } from './package-version.js';

/**
 * The text `argv` asks to print and exit with code 0 (the usage or the version), or `undefined`
 * when it asks for anything else, arguments that do not parse included (the full command reports those).
 */
export function quickAnswer(argv: readonly string[]): string | undefined {
  if (argv[0] === 'report') return undefined;
  let command: string;
  try {
    command = parseCliArgs(argv).command;
  } catch {
    return undefined;
  }
  if (command === 'help') return USAGE;
  if (command === 'version') return `llmproc ${packageVersion()}`;
  return undefined;
}

#!/usr/bin/env node
/**
 * The `llmproc` executable (package.json `bin`): runs the command with the real streams and
 * environment (process warnings as `llmproc: warning: ...` lines), waits for stdout and stderr to
 * be written out, and exits with the command's code.
 *
 *   llmproc <program.toml> [-p <prompt>] [--json] [--max-iterations N] [--stream] [--offline]
 *
 * @module
 */
import { EXIT_OK, type ExitCode } from './exit-codes.js';
import { quickAnswer } from './quick-answer.js';
import { printWarningsAsLines } from './warnings.js';

/** Resolves once everything written to `stream` so far has been handed to the system. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/** Runs the full command, loaded only now: `--help` and `--version` never load programs or providers. */
async function runCommand(argv: readonly string[]): Promise<ExitCode> {
  // This module is only ever the entry point (an ES module), so importing our own module here loads no second copy.
  const { runCli } = await import('./cli.js');
  return runCli(argv, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
}

printWarningsAsLines(process.stderr);
const argv = process.argv.slice(2);
const answer = quickAnswer(argv);
if (answer !== undefined) process.stdout.write(`${answer}\n`);
const exitCode = answer === undefined ? await runCommand(argv) : EXIT_OK;
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(exitCode);

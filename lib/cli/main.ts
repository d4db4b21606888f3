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
import { runCli } from './cli.js';
import { printWarningsAsLines } from './warnings.js';

/** Resolves once everything written to `stream` so far has been handed to the system. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

printWarningsAsLines(process.stderr);
const exitCode = await runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(exitCode);

/**
 * `llmproc report <runs.jsonl> [-o <report.html>]`: writes the HTML report of a run log.
 *
 * @module
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeReport } from '../observability/report/write-report.js';
import type { CliIo } from './cli-io.js';
import { EXIT_OK, type ExitCode } from './exit-codes.js';
import { CliUsageError } from './usage-error.js';

/** The usage line of the subcommand. */
export const REPORT_USAGE = 'Usage: llmproc report <runs.jsonl> [-o <report.html>]';

/** What `llmproc report` was asked. */
export interface ReportArgs {
  /** The run log. */
  logFile: string;
  /** The page to write: `-o`, else the log's name with `.html`. */
  output: string;
}

/**
 * Parses the arguments after `llmproc report`.
 *
 * @throws {CliUsageError} without a log file, with more than one, or with an unknown flag.
 */
export function parseReportArgs(argv: readonly string[]): ReportArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { output: { type: 'string', short: 'o' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliUsageError('report', `${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}; ${REPORT_USAGE}`);
  }
  const [logFile, ...extra] = parsed.positionals;
  if (!logFile) throw new CliUsageError('<runs.jsonl>', `missing the run log: ${REPORT_USAGE}`);
  if (extra.length > 0) throw new CliUsageError(extra[0]!, `unexpected argument "${extra[0]}": ${REPORT_USAGE}`);
  const output = parsed.values.output;
  if (output !== undefined && output.trim() === '') throw new CliUsageError('--output', '-o/--output needs a file name');
  const { dir, name } = path.parse(logFile);
  return { logFile, output: output ?? path.join(dir, `${name}.html`) };
}

/**
 * Runs `llmproc report`: writes the page and says where.
 *
 * @throws {CliUsageError} for bad arguments; {@link RunLogError} for a log that cannot be read.
 */
export async function runReport(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const args = parseReportArgs(argv);
  const summary = await writeReport(args.logFile, args.output);
  io.stdout.write(`Wrote ${args.output} (${summary.runs} run${summary.runs === 1 ? '' : 's'}).\n`);
  return EXIT_OK;
}

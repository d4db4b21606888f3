/**
 * `writeReport(logFile, htmlFile)`: reads a run log and writes its HTML report.
 *
 * @module
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { RunLogError } from '../../errors.js';
import { describeFileError } from '../../file-error.js';
import { readRunLog } from '../run-log/read-run-log.js';
import { renderReport } from './render-report.js';
import { buildTimelines } from './run-timeline.js';

/** What {@link writeReport} wrote. */
export interface ReportSummary {
  /** How many runs the page shows. */
  runs: number;
  /** The page, absolute. */
  file: string;
}

/**
 * Writes the report of the run log `logFile` to `htmlFile`: one self-contained page (no network),
 * one section per run with its timeline, calls, tokens and costs.
 *
 * @throws {RunLogError} when the log cannot be read or has a bad line, or the page cannot be written.
 */
export async function writeReport(logFile: string, htmlFile: string): Promise<ReportSummary> {
  const runs = buildTimelines(await readRunLog(logFile));
  const html = renderReport(runs, { source: path.basename(logFile) });
  try {
    writeFileSync(htmlFile, html);
  } catch (error) {
    throw new RunLogError(htmlFile, `cannot write the report: ${describeFileError(error, 'write')}`, { cause: error });
  }
  return { runs: runs.length, file: path.resolve(htmlFile) };
}

/**
 * What `llmproc --json` prints: one JSON object.
 *
 * @module
 */
import { ApiCallError, type RunError } from '../errors.js';
import type { RunResult, RunResultJSON, RunStopReason } from '../results/run-result.js';

/** How a failed run is described in a {@link JsonReport}. */
export interface JsonReportError {
  /** The error's class: `ApiCallError`, `RunAbortedError`, ... */
  name: string;
  message: string;
  /** For an API failure: the HTTP status of the last attempt. */
  status?: number | undefined;
  /** For an API failure: the API's request id. */
  requestId?: string | undefined;
}

/** The object `llmproc --json` prints. */
export interface JsonReport {
  /** The final answer's text. */
  message: string;
  /** Why the run ended (the RunResult's `stopReason`). */
  stopReason: RunStopReason | undefined;
  /** The RunResult's `toJSON()`. */
  runResult: RunResultJSON;
  /** Set when the run failed (the command then exits with code 1). */
  error?: JsonReportError | undefined;
}

/** The report of a run that returned `result`, or failed with `error` (whose partial result it uses). */
export function jsonReport(result: RunResult, error?: RunError): JsonReport {
  const runResult = result.toJSON();
  const report: JsonReport = { message: runResult.lastMessage, stopReason: runResult.stopReason, runResult };
  if (error) {
    report.error = { name: error.name, message: error.message };
    if (error instanceof ApiCallError) {
      report.error.status = error.status;
      report.error.requestId = error.requestId;
    }
  }
  return report;
}

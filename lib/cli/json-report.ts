/**
 * What `llmproc --json` prints: one JSON object, for a run ({@link JsonReport}) or for a failure
 * before any run ({@link JsonErrorReport}).
 *
 * @module
 */
import { ApiCallError, type RunError } from '../errors.js';
import type { RunResult, RunResultJSON, RunStopReason } from '../results/run-result.js';

/** How a failure is described in a {@link JsonReport} or a {@link JsonErrorReport}. */
export interface JsonReportError {
  /** The error's class: `ApiCallError`, `RunAbortedError`, `ProgramError`, `CliUsageError`, ... */
  name: string;
  message: string;
  /** For an API failure: the HTTP status of the last attempt. */
  status?: number | undefined;
  /** For an API failure: the API's request id. */
  requestId?: string | undefined;
  /** For bad usage or an invalid argument: the flag or argument at fault. */
  argument?: string | undefined;
  /** For an invalid program: the file and the key path of the problem. */
  file?: string | undefined;
  keyPath?: string | undefined;
  /** For an invalid program: the line and column of the problem in the file, when known. */
  line?: number | undefined;
  column?: number | undefined;
  /** For a missing key: the environment variable to set. */
  variable?: string | undefined;
  /** For an MCP server that failed: its name. */
  server?: string | undefined;
}

/**
 * What `llmproc --json` prints when it fails before or outside a run (bad usage, an invalid
 * program, no key, a server that cannot start): the error only.
 */
export interface JsonErrorReport {
  error: JsonReportError;
}

/** The context fields of an error that {@link JsonReportError} carries, when the error has them. */
const CONTEXT_FIELDS = ['status', 'requestId', 'argument', 'file', 'keyPath', 'line', 'column', 'variable', 'server'] as const;

/** `error` as a {@link JsonReportError}: its class name, message and context fields. */
export function describeError(error: unknown): JsonReportError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const described: JsonReportError = { name: error.name, message: error.message };
  const fields = error as unknown as Record<string, unknown>;
  for (const field of CONTEXT_FIELDS) {
    const value = fields[field];
    if (typeof value === 'string' || typeof value === 'number') (described as unknown as Record<string, unknown>)[field] = value;
  }
  return described;
}

/** The report of a failure that is not a run's. */
export function jsonErrorReport(error: unknown): JsonErrorReport {
  return { error: describeError(error) };
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

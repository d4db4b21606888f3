/**
 * `readRunLog(file)`: reads a run log back as typed records, refusing a line that is not one.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import * as v from 'valibot';
import { RunLogError } from '../../errors.js';
import { dottedPath } from '../../key-path.js';
import { describeFileError } from '../../file-error.js';
import { type RunLogRecord, RunLogRecordSchema } from './run-log-schema.js';

/** One line's problems, each `data.durationMs: Invalid type: Expected number but received "x"`. */
function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .map((issue) => {
      const path = dottedPath((issue.path ?? []).map((item) => item.key as string | number));
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/**
 * Parses line `line` (1-based) of `file` into a record.
 *
 * @throws {RunLogError} naming the file and the line when it is not JSON or not a run-log record.
 */
export function parseRunLogLine(text: string, file: string, line: number): RunLogRecord {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RunLogError(file, `not JSON (${error instanceof Error ? error.message : String(error)})`, { line, cause: error });
  }
  const result = v.safeParse(RunLogRecordSchema, json);
  if (!result.success) throw new RunLogError(file, `not a run-log record: ${describeIssues(result.issues)}`, { line });
  return result.output;
}

/**
 * Reads the run log `file` (written by `writeRunLog`, or `llmproc --log`): every record, in the
 * order of the file. Empty lines are skipped.
 *
 * @throws {RunLogError} when the file cannot be read, or naming the first line that is not JSON or
 *   not a run-log record, and what is wrong with it.
 */
export async function readRunLog(file: string): Promise<RunLogRecord[]> {
  // node:readline is loaded by the first read, not with llmproc.
  const { createInterface } = await import('node:readline');
  const records: RunLogRecord[] = [];
  const input = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      if (text.trim() === '') continue;
      records.push(parseRunLogLine(text, file, line));
    }
  } catch (error) {
    if (error instanceof RunLogError) throw error;
    throw new RunLogError(file, `cannot read the run log: ${describeFileError(error)}`, { cause: error });
  } finally {
    lines.close();
    input.destroy();
  }
  return records;
}

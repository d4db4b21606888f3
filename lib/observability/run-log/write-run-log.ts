/**
 * `writeRunLog(process, file)`: appends one JSON line per event of the process to a file. Several
 * processes, in one OS process or many, may append to the same file: it is opened for appending
 * and each line goes out in one `write`, so lines never interleave.
 *
 * @module
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { RunLogError } from '../../errors.js';
import type { RunStartEvent } from '../../process/events.js';
import type { LLMProcess } from '../../process/llm-process.js';
import { describeFileError } from '../../file-error.js';
import { RUN_LOG_EVENTS, runLogData } from './run-log-record.js';
import { RUN_LOG_VERSION, type RunLogEventName, type RunLogRecord } from './run-log-schema.js';

/** Epoch milliseconds with a fraction, so that short calls still have a length. */
function now(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000) / 1000;
}

/** Opens `file` for appending, creating it; a missing folder or a folder in its place is refused. */
function openForAppend(file: string): number {
  try {
    return openSync(file, 'a');
  } catch (error) {
    throw new RunLogError(file, `cannot open the run log for appending: ${describeFileError(error, 'write')}`, { cause: error });
  }
}

/** Writes `line` with one `write` call (a regular file takes it whole). */
function writeLine(fd: number, line: string): void {
  const bytes = Buffer.from(line, 'utf8');
  let written = writeSync(fd, bytes);
  while (written < bytes.length) written += writeSync(fd, bytes, written);
}

/**
 * Records every run of `process` in `file` (JSON lines, appended): `run:start`, `api:start`,
 * `api:call`, `tool:start`, `tool:end`, `child:start` and `run:end` (with the RunResult's
 * `toJSON()`), each line a {@link RunLogRecord} with the time, the OS process id, the process id,
 * the run id and the event's data. Events of spawned and forked children are recorded as the
 * process sees them (tagged `child`). Attach it between runs; read the file back with
 * `readRunLog`.
 *
 * @returns the function that stops recording and closes the file (safe to call twice).
 * @throws {RunLogError} when the file cannot be opened for appending.
 */
export function writeRunLog(process: LLMProcess, file: string): () => void {
  const fd = openForAppend(file);
  let runId: string | undefined;
  const record = (event: RunLogEventName, payload: unknown): void => {
    if (event === 'run:start') runId = (payload as RunStartEvent).runId;
    const id = runId;
    if (event === 'run:end') runId = undefined;
    if (id === undefined) return;
    const line = { v: RUN_LOG_VERSION, time: now(), pid: globalThis.process.pid, processId: process.id, runId: id, event, data: runLogData(event, payload as never, process) };
    try {
      writeLine(fd, `${JSON.stringify(line as RunLogRecord)}\n`);
    } catch (error) {
      throw new RunLogError(file, `cannot append to the run log: ${describeFileError(error, 'write')}`, { cause: error });
    }
  };
  const listeners = RUN_LOG_EVENTS.map((event) => {
    const writeRunLogRecord = (payload: unknown): void => record(event, payload);
    process.on(event, writeRunLogRecord);
    return [event, writeRunLogRecord] as const;
  });
  let closed = false;
  return () => {
    if (closed) return;
    closed = true;
    for (const [event, listener] of listeners) process.off(event, listener);
    closeSync(fd);
  };
}

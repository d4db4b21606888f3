/**
 * How an event of a process becomes the `data` of a run-log record: plain data only (a RunResult
 * by its `toJSON()`, an error by its name, message and context fields, a child process by who it
 * is), never a live object, never a key, and tool images by their size instead of their bytes.
 *
 * @module
 */
import type { LLMProcessEvents } from '../../process/events.js';
import type { LLMProcess } from '../../process/llm-process.js';
import type { ToolResult } from '../../tools/tool.js';
import type { LoggedError, LoggedPart, RunLogEventName, RunLogRecordOf } from './run-log-schema.js';

/** The events a run log records, in the order a run emits them. */
export const RUN_LOG_EVENTS: readonly RunLogEventName[] = ['run:start', 'api:start', 'api:call', 'tool:start', 'tool:end', 'rewind', 'child:start', 'run:end'];

/** The payload of event `E`. */
type Payload<E extends RunLogEventName> = LLMProcessEvents[E][0];

/** Builds the `data` of one record from an event's payload. */
type DataOf = { [E in RunLogEventName]: (payload: Payload<E>, process: LLMProcess) => RunLogRecordOf<E>['data'] };

/** A tool result without image bytes. */
function loggedResult(result: ToolResult): { content: string | LoggedPart[]; isError: boolean } {
  const content =
    typeof result.content === 'string'
      ? result.content
      : result.content.map((part): LoggedPart =>
          part.type === 'text' ? { type: 'text', text: part.text } : { type: 'image', mediaType: part.mediaType, bytes: Math.floor((part.data.length * 3) / 4) },
        );
  return { content, isError: result.isError };
}

/** A run's error by its class name, message and the context fields llmproc's errors carry. */
export function loggedError(error: Error): LoggedError {
  const { status, requestId, reason } = error as { status?: unknown; requestId?: unknown; reason?: unknown };
  return {
    name: error.name,
    message: error.message,
    ...(typeof status === 'number' ? { status } : {}),
    ...(typeof requestId === 'string' ? { requestId } : {}),
    ...(typeof reason === 'string' ? { reason } : {}),
  };
}

const DATA: DataOf = {
  'run:start': ({ input, parts }, process) => ({ input, ...(parts ? { parts: [...parts] } : {}), program: process.program.displayName, model: process.model, provider: process.program.provider }),
  'api:start': ({ model, iteration }) => ({ model, iteration }),
  'api:call': (event) => ({ ...event }),
  'tool:start': (event) => ({ ...event }),
  'tool:end': (event) => ({ ...event, result: loggedResult(event.result) }),
  rewind: (event) => ({ ...event }),
  'child:start': ({ origin, toolUseId, child }) => ({ origin, toolUseId, ...(child ? { child } : {}) }),
  'run:end': ({ runResult, error }) => ({ runResult: { ...runResult.toJSON() }, ...(error ? { error: loggedError(error) } : {}) }),
};

/** The `data` of the record of `event`, from its payload and the process that emitted it. */
export function runLogData<E extends RunLogEventName>(event: E, payload: Payload<E>, process: LLMProcess): RunLogRecordOf<E>['data'] {
  return (DATA[event] as (payload: Payload<E>, process: LLMProcess) => RunLogRecordOf<E>['data'])(payload, process);
}

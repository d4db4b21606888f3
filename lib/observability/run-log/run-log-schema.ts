/**
 * The run log's record format, as one valibot schema: what `writeRunLog` writes (one record per
 * line) and what `readRunLog` accepts. The record types are derived from it, so the writer and
 * the reader cannot drift. Objects are loose: a record may carry more fields than are checked
 * here (a later version adds them; readers ignore them).
 *
 * @module
 */
import * as v from 'valibot';

/** The version of the record format, in every record's `v`. */
export const RUN_LOG_VERSION: 1 = 1;

const ChildOriginSchema = v.object({
  program: v.string(),
  processId: v.string(),
  via: v.picklist(['spawn', 'fork']),
});

const TokensSchema = v.object({
  inputTokens: v.number(),
  outputTokens: v.number(),
  cacheReadInputTokens: v.number(),
  cacheCreationInputTokens: v.number(),
  cacheCreation1hInputTokens: v.optional(v.number()),
});

const ToolOriginEntries = {
  toolName: v.string(),
  toolUseId: v.string(),
  args: v.record(v.string(), v.unknown()),
  source: v.picklist(['builtin', 'function', 'mcp', 'unknown']),
  server: v.optional(v.string()),
  child: v.optional(ChildOriginSchema),
};

/** A tool result part as logged: text as is; an image by its media type and size, without its data. */
const LoggedPartSchema = v.variant('type', [
  v.looseObject({ type: v.literal('text'), text: v.string() }),
  v.looseObject({ type: v.literal('image'), mediaType: v.string(), bytes: v.number() }),
]);

/** The error of a failed run, as logged: its class name, message and context fields. */
const LoggedErrorSchema = v.looseObject({
  name: v.string(),
  message: v.string(),
  status: v.optional(v.number()),
  requestId: v.optional(v.string()),
  reason: v.optional(v.string()),
});

/** The fields of every record: when, which OS process and LLMProcess, which run, which event. */
const envelope = {
  /** The record format's version. */
  v: v.literal(RUN_LOG_VERSION),
  /** When the event fired: epoch milliseconds, with a fraction (microseconds). */
  time: v.number(),
  /** The operating-system process that wrote the line. */
  pid: v.number(),
  /** The LLMProcess that emitted the event (`proc-1`, unique within its OS process). */
  processId: v.string(),
  /** The run the event belongs to (a UUID): group records by it. */
  runId: v.string(),
};

/** One line of a run log. */
export const RunLogRecordSchema = v.variant('event', [
  v.looseObject({
    ...envelope,
    event: v.literal('run:start'),
    data: v.looseObject({ input: v.string(), parts: v.optional(v.array(v.looseObject({ type: v.string() }))), program: v.string(), model: v.string(), provider: v.string() }),
  }),
  v.looseObject({
    ...envelope,
    event: v.literal('api:start'),
    data: v.looseObject({ model: v.string(), iteration: v.number() }),
  }),
  v.looseObject({
    ...envelope,
    event: v.literal('api:call'),
    data: v.looseObject({
      model: v.string(),
      id: v.string(),
      stopReason: v.string(),
      durationMs: v.number(),
      tokens: TokensSchema,
      usage: v.record(v.string(), v.unknown()),
      costUsd: v.nullable(v.number()),
      requestId: v.optional(v.string()),
      timeToFirstTokenMs: v.optional(v.number()),
      child: v.optional(ChildOriginSchema),
    }),
  }),
  v.looseObject({ ...envelope, event: v.literal('tool:start'), data: v.looseObject(ToolOriginEntries) }),
  v.looseObject({
    ...envelope,
    event: v.literal('tool:end'),
    data: v.looseObject({
      ...ToolOriginEntries,
      durationMs: v.number(),
      isError: v.boolean(),
      result: v.looseObject({ content: v.union([v.string(), v.array(LoggedPartSchema)]), isError: v.boolean() }),
    }),
  }),
  v.looseObject({
    ...envelope,
    event: v.literal('rewind'),
    data: v.looseObject({
      from: v.string(),
      to: v.string(),
      messageId: v.string(),
      removed: v.number(),
      instruction: v.string(),
      via: v.picklist(['goto', 'code']),
      toolUseId: v.optional(v.string()),
      at: v.number(),
    }),
  }),
  v.looseObject({
    ...envelope,
    event: v.literal('child:start'),
    data: v.looseObject({ toolUseId: v.string(), origin: ChildOriginSchema, child: v.optional(ChildOriginSchema) }),
  }),
  v.looseObject({
    ...envelope,
    event: v.literal('run:end'),
    data: v.looseObject({
      runResult: v.looseObject({
        apiCalls: v.number(),
        usage: TokensSchema,
        costUsd: v.nullable(v.number()),
        startTime: v.number(),
        endTime: v.optional(v.number()),
        durationMs: v.number(),
        stopReason: v.optional(v.string()),
        lastMessage: v.string(),
        apiCallInfos: v.array(v.unknown()),
        toolCalls: v.array(v.unknown()),
      }),
      error: v.optional(LoggedErrorSchema),
    }),
  }),
]);

/** One line of a run log, as written and as read back. */
export type RunLogRecord = v.InferOutput<typeof RunLogRecordSchema>;

/** The events a run log records. */
export type RunLogEventName = RunLogRecord['event'];

/** The record of one event: `RunLogRecordOf<'api:call'>`. */
export type RunLogRecordOf<E extends RunLogEventName> = Extract<RunLogRecord, { event: E }>;

/** A tool result part as logged (images without their data). */
export type LoggedPart = v.InferOutput<typeof LoggedPartSchema>;

/** A failed run's error as logged. */
export type LoggedError = v.InferOutput<typeof LoggedErrorSchema>;

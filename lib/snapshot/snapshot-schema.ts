/**
 * The snapshot format, version 1, as a valibot schema; the {@link ProcessSnapshot} type is derived
 * from it. A snapshot is plain JSON data: the program (its TOML file, or its definition for a
 * program built in code) with its fingerprint, the names of the hooks the process had, the system
 * prompt as sent, the conversation, and the unfinished run if there is one (its state and its
 * RunResult so far). It never holds a secret: no start option (API key, client) is in it.
 *
 * @module
 */
import * as v from 'valibot';
import type { Message } from '../providers/types.js';
import { HOOK_NAMES, type HookName } from '../process/hooks.js';
import type { RunState } from '../process/run-state.js';
import type { RunResultJSON } from '../results/run-result.js';
import type { ProgramData } from './program-data.js';
import { FILE_DESCRIPTOR_SETTINGS } from '../program/file-descriptor-fields.js';
import { table } from '../program/schema-fields.js';
import { ENDPOINT_SETTINGS, ENV_INFO_SETTINGS, LOG_SETTINGS, MCP_SETTINGS, READ_FILE_SETTINGS } from '../program/settings-tables.js';
import type { FileDescriptorsData } from '../tools/file-descriptors/store.js';

/**
 * The newest snapshot version this llmproc writes and reads. Version 2 adds `fileDescriptors` and
 * `messageIds`; a snapshot without them is written as version 1, which this llmproc reads too.
 */
export const SNAPSHOT_VERSION = 2;

/** The `kind` of every snapshot. */
export const SNAPSHOT_KIND = 'llmproc.snapshot';

const TOOL_DECISIONS = ['ran', 'modified', 'denied', 'approved', 'rejected', 'cancelled'] as const;
const Text = v.string();
const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
const JsonObject = v.record(v.string(), v.unknown());

const TextPart = v.looseObject({ type: v.literal('text'), text: Text });
const ImagePart = v.looseObject({ type: v.literal('image'), mediaType: Text, data: Text });
const ImageUrlPart = v.looseObject({ type: v.literal('image_url'), url: Text });
const DocumentPart = v.looseObject({ type: v.literal('document'), mediaType: v.literal('application/pdf'), data: Text, title: v.optional(Text) });
const InputPart = v.variant('type', [TextPart, ImagePart, ImageUrlPart, DocumentPart]);
const ToolCallPart = v.looseObject({ type: v.literal('tool_call'), id: Text, name: Text, input: JsonObject, inputError: v.optional(Text) });
const ToolResultMessagePart = v.looseObject({
  type: v.literal('tool_result'),
  toolCallId: Text,
  content: v.array(v.variant('type', [TextPart, ImagePart])),
  isError: v.boolean(),
});
const OpaquePart = v.looseObject({ type: v.literal('opaque'), provider: Text, data: v.unknown() });

/** One message of the conversation. */
export const MessageSchema = v.variant('role', [
  v.strictObject({ role: v.literal('user'), content: v.array(v.variant('type', [TextPart, ImagePart, ImageUrlPart, DocumentPart, ToolResultMessagePart])) }),
  v.strictObject({ role: v.literal('assistant'), content: v.array(v.variant('type', [TextPart, ToolCallPart, OpaquePart])) }),
]);

const ToolResult = v.strictObject({ content: v.union([Text, v.array(v.variant('type', [TextPart, ImagePart]))]), isError: v.boolean() });

const ApprovalRecord = v.strictObject({
  id: Text,
  toolName: Text,
  args: JsonObject,
  status: v.picklist(['pending', 'approved', 'denied']),
  originalArgs: v.optional(JsonObject),
  reason: v.optional(Text),
});

const PositiveInteger = v.pipe(v.number(), v.integer(), v.minValue(1));
const PositiveNumber = v.pipe(v.number(), v.finite(), v.gtValue(0));

/** The state of an unfinished run. */
export const RunStateSchema = v.strictObject({
  input: v.union([v.pipe(Text, v.nonEmpty()), v.pipe(v.array(InputPart), v.nonEmpty())]),
  iteration: Count,
  next: v.picklist(['model', 'tools', 'done']),
  stopReason: v.optional(Text),
  results: v.record(Text, ToolResult),
  approvals: v.array(ApprovalRecord),
  options: v.strictObject({
    maxIterations: PositiveInteger,
    stream: v.boolean(),
    toolConcurrency: v.optional(PositiveInteger),
    maxTokens: v.optional(PositiveInteger),
    maxCostUsd: v.optional(PositiveNumber),
    timeoutMs: v.optional(PositiveNumber),
    promptCaching: v.optional(v.literal(false)),
    promptCacheTtl: v.optional(v.literal('1h')),
  }),
  hooks: v.array(v.picklist(HOOK_NAMES)),
  rewind: v.optional(v.strictObject({ to: Text, instruction: Text, via: v.picklist(['goto', 'code']), toolUseId: v.optional(Text) })),
});

const Tokens = v.strictObject({
  inputTokens: Count,
  outputTokens: Count,
  cacheReadInputTokens: Count,
  cacheCreationInputTokens: Count,
  cacheCreation1hInputTokens: v.optional(Count),
});
const Child = v.strictObject({ program: Text, processId: Text, via: v.picklist(['spawn', 'fork']) });
const ApiCallInfo = v.looseObject({
  model: Text,
  usage: JsonObject,
  tokens: Tokens,
  stopReason: Text,
  id: Text,
  durationMs: v.number(),
  requestId: v.optional(Text),
  timeToFirstTokenMs: v.optional(v.number()),
  costUsd: v.nullable(v.number()),
  child: v.optional(Child),
});
const ToolCallInfo = v.looseObject({
  toolName: Text,
  args: JsonObject,
  toolUseId: Text,
  durationMs: v.number(),
  isError: v.boolean(),
  source: v.picklist(['builtin', 'function', 'mcp', 'unknown']),
  server: v.optional(Text),
  child: v.optional(Child),
  decision: v.picklist(TOOL_DECISIONS),
  originalArgs: v.optional(JsonObject),
});

/** A RunResult's plain data. */
export const RunResultSchema = v.looseObject({
  apiCalls: Count,
  apiCallInfos: v.array(ApiCallInfo),
  toolCalls: v.array(ToolCallInfo),
  usage: Tokens,
  totalTokens: Count,
  costUsd: v.nullable(v.number()),
  startTime: v.number(),
  endTime: v.optional(v.number()),
  durationMs: v.number(),
  stopReason: v.optional(Text),
  lastMessage: Text,
  pendingApprovals: v.optional(v.array(v.strictObject({ id: Text, toolName: Text, args: JsonObject }))),
  stopDetail: v.optional(Text),
  rewinds: v.optional(
    v.array(
      v.strictObject({ from: Text, to: Text, messageId: Text, removed: Count, via: v.picklist(['goto', 'code']), toolUseId: v.optional(Text), at: v.number() }),
    ),
  ),
  completed: v.boolean(),
  fileDescriptors: v.optional(v.strictObject({ created: Count, bytesKept: Count, pagesRead: Count })),
});

const StringList = v.array(Text);
const FunctionToolData = v.strictObject({
  name: Text,
  description: Text,
  inputSchema: JsonObject,
  exclusive: v.optional(v.boolean()),
  requireApproval: v.optional(v.boolean()),
});

/** A program's definition as plain data; its settings tables (endpoint, env info, MCP, read_file, file descriptors) are the program's own (a key added to one is a key of snapshots too). */
export const ProgramDataSchema: v.GenericSchema<unknown, ProgramData> = v.strictObject({
  model: Text,
  provider: Text,
  displayName: Text,
  endpoint: table(ENDPOINT_SETTINGS),
  systemPrompt: Text,
  parameters: JsonObject,
  builtinTools: StringList,
  functionTools: v.array(FunctionToolData),
  preloadFiles: StringList,
  envInfo: table(ENV_INFO_SETTINGS),
  linkedPrograms: v.record(Text, v.union([Text, v.lazy(() => ProgramDataSchema)])),
  mcp: v.optional(table(MCP_SETTINGS)),
  readFile: table(READ_FILE_SETTINGS),
  runDefaults: JsonObject,
  requireApproval: StringList,
  fileDescriptor: v.optional(table(FILE_DESCRIPTOR_SETTINGS)),
  log: v.optional(table(LOG_SETTINGS)),
  baseDir: Text,
  file: v.optional(Text),
});

/** Where the program of a snapshot comes from. */
export const SnapshotProgramSchema = v.variant('source', [
  v.strictObject({ source: v.literal('toml'), file: Text, fingerprint: Text, definition: ProgramDataSchema }),
  v.strictObject({ source: v.literal('code'), fingerprint: Text, definition: ProgramDataSchema }),
]);

const FileDescriptorEntry = v.strictObject({
  fd: v.pipe(Text, v.regex(/^fd:[1-9][0-9]{0,14}$/)),
  content: Text,
  pageSize: PositiveInteger,
  toolName: Text,
  toolUseId: Text,
  originalChars: Count,
});

/** A process's file descriptors (snapshot version 2). */
export const FileDescriptorsSchema = v.strictObject({ next: PositiveInteger, entries: v.array(FileDescriptorEntry) });

/** A snapshot of a process (version 1, or 2 with file descriptors). */
export const SnapshotSchema = v.strictObject({
  version: v.picklist([1, SNAPSHOT_VERSION]),
  kind: v.literal(SNAPSHOT_KIND),
  /** When it was taken (ISO 8601). */
  createdAt: Text,
  program: SnapshotProgramSchema,
  /** The hooks the process had (the program's and `start()`'s): restoring needs them given again. */
  hooks: v.array(v.picklist(HOOK_NAMES)),
  /** The system prompt as it was sent. */
  systemPrompt: Text,
  messages: v.array(MessageSchema),
  /** The id of each message (`msg_N`), when they are not 0, 1, 2, ... (after a rewind or a reset). */
  messageIds: v.optional(v.array(v.pipe(Text, v.regex(/^msg_(0|[1-9]\d{0,14})$/)))),
  /** The number the next message's id gets, with `messageIds`. */
  nextMessageId: v.optional(Count),
  /** The unfinished run (paused awaiting approval, or in progress at a checkpoint). */
  run: v.optional(v.strictObject({ state: RunStateSchema, result: RunResultSchema })),
  /** The process's file descriptors (version 2). */
  fileDescriptors: v.optional(FileDescriptorsSchema),
});

/** Where a snapshot's program comes from. */
export type SnapshotProgram = v.InferOutput<typeof SnapshotProgramSchema>;

/**
 * A snapshot of a process: what `process.snapshot()` returns, the `checkpoint` event carries and
 * `LLMProgram.restore()` takes. Its parts are the library's own types; {@link SnapshotSchema}
 * checks them (the compiler checks that what the schema accepts is one of these).
 */
export interface ProcessSnapshot {
  /** 1, or 2 when the snapshot holds file descriptors. */
  version: 1 | typeof SNAPSHOT_VERSION;
  kind: typeof SNAPSHOT_KIND;
  /** When it was taken (ISO 8601). */
  createdAt: string;
  program: SnapshotProgram;
  /** The hooks the process had (the program's and `start()`'s): restoring needs them given again. */
  hooks: HookName[];
  /** The system prompt as it was sent. */
  systemPrompt: string;
  messages: Message[];
  /** The id of each message (`msg_N`), when they are not 0, 1, 2, ... (after a rewind or a reset). */
  messageIds?: string[] | undefined;
  /** The number the next message's id gets, with `messageIds`. */
  nextMessageId?: number | undefined;
  /** The unfinished run: paused awaiting approval, or in progress at a checkpoint. */
  run?: { state: RunState; result: RunResultJSON } | undefined;
  /** The process's file descriptors (long tool results kept for read_fd), in version 2. */
  fileDescriptors?: FileDescriptorsData | undefined;
}

type Assignable<T extends U, U> = T;
/** Compile-time check: whatever {@link SnapshotSchema} accepts is a {@link ProcessSnapshot}. */
export type SnapshotSchemaCheck = Assignable<v.InferOutput<typeof SnapshotSchema>, ProcessSnapshot>;

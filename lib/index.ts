/**
 * llmproc: run LLM programs as processes.
 *
 * ```ts
 * import { LLMProgram } from 'llmproc';
 * const program = LLMProgram.fromToml('examples/minimal.toml');
 * const process = await program.start();
 * const runResult = await process.run('Hello!', { callbacks: { on_response: (text) => console.log(text) } });
 * ```
 *
 * @module
 */

// Programs
export { LLMProgram } from './program/llm-program.js';
export type { LLMProgramOptions } from './program/llm-program.js';

// Processes and their events
export { LLMProcess } from './process/llm-process.js';
export type { LLMProcessInit } from './process/llm-process.js';
export type { StartOptions } from './process/start.js';
export type { OfflineMode } from './process/offline-model.js';
export type { ProcessEvent, RunStream, RunStreamEvent, RunStreamResult } from './process/run-stream.js';
export { LLMPROCESS_EVENT_NAMES } from './process/event-names.js';
export { DEFAULT_MAX_ITERATIONS } from './process/run-options.js';
export { DEFAULT_MAX_SPAWN_DEPTH } from './process/child-limits.js';
export { MAX_TIMEOUT_MS } from './timer-limit.js';
export type { RunDefaults, RunOptions } from './process/run-options.js';
export { DISABLE_CACHING_ENV } from './process/prompt-caching.js';
export type { CheckedInput, InputData, RunInput, RunInputPart } from './process/run-input.js';
export { inputPartFromFile } from './input/part-from-file.js';
export { InvalidInputPartError, UnsupportedInputError } from './input/input-errors.js';
export type { InputPartSummary } from './input/summarize-input.js';
export type {
  ApiCallEvent,
  ApiStartEvent,
  CallbackErrorEvent,
  ChildOrigin,
  ChildStartEvent,
  LLMProcessEventName,
  LLMProcessEvents,
  ResponseEvent,
  TextEvent,
  RunEndEvent,
  RunStartEvent,
  ToolEndEvent,
  ToolOrigin,
  ToolStartEvent,
  CheckpointEvent,
  CheckpointStep,
  FileDescriptorCreateEvent,
  FileDescriptorReadEvent,
  RewindEvent,
} from './process/events.js';

// Steering: hooks, approvals, snapshots and checkpoints
export { HOOK_NAMES } from './process/hooks.js';
export type {
  AfterToolCallAnswer,
  AfterToolCallContext,
  BeforeModelCallAnswer,
  BeforeModelCallContext,
  BeforeRunAnswer,
  BeforeRunContext,
  BeforeToolCallAnswer,
  BeforeToolCallContext,
  HookName,
  Hooks,
} from './process/hooks.js';
export type { ApprovalRecord, PendingApproval } from './process/approvals.js';
export type { ToolDecision } from './process/tool-decision.js';
export type { PlainRunOptions, RunState, RunStep } from './process/run-state.js';
export { SNAPSHOT_VERSION } from './snapshot/snapshot-schema.js';
export type { ProcessSnapshot, SnapshotProgram } from './snapshot/snapshot-schema.js';
export type { FunctionToolData, ProgramData } from './snapshot/program-data.js';
export type { RestoreOptions } from './snapshot/restore.js';

// Callbacks
export { attachCallbacks, CALLBACK_KEYS, validateCallbacks } from './callbacks/callbacks.js';
export type { Callbacks, ResponseCallback, TextCallback, ToolEndCallback, ToolStartCallback } from './callbacks/callbacks.js';

// Results
export { RunResult } from './results/run-result.js';
export type { ApiCallInfo, FileDescriptorCounts, RewindInfo, RunOutcome, RunResultJSON, RunStopReason, ToolCallInfo } from './results/run-result.js';
export { costOf, loadPriceCatalog, priceOf, setModelPrice } from './results/pricing.js';
export type { ModelPrice, TokenRates } from './results/pricing.js';

// Tools
export { TOOL_NAME_PATTERN, errorResult, textResult } from './tools/tool.js';
export type { Tool, ToolContext, ToolResult, ToolSource } from './tools/tool.js';
export type { ChildrenCapability, ConversationCapability, RewindPlan, ToolCapabilities, ToolCapabilityName } from './tools/capabilities.js';
export { defineTool } from './tools/function-tool.js';
export type { FunctionToolDefinition, ToolInput, ToolInputSchema } from './tools/function-tool.js';
export { jsonSchema } from './tools/schema/json-schema-input.js';
export type { JsonObjectSchema, JsonSchemaInput, JsonSchemaOptions, JsonSchemaValidator } from './tools/schema/json-schema-input.js';
export type { StandardJSONSchemaV1, StandardSchemaV1, StandardTypedV1 } from './tools/schema/standard-schema.js';
export { toToolResult } from './tools/tool-output.js';
export { calculatorTool } from './tools/builtin/calculator.js';
export { evaluateExpression, ExpressionError } from './tools/builtin/calculator-grammar.js';
export { createReadFileTool, DEFAULT_MAX_FILE_BYTES } from './tools/builtin/read-file.js';
export type { ReadFileToolOptions } from './tools/builtin/read-file.js';
export { createListDirTool, DEFAULT_MAX_ENTRIES } from './tools/builtin/list-dir.js';
export type { ListDirToolOptions } from './tools/builtin/list-dir.js';
export { DEFAULT_MAX_DIRECT_OUTPUT_CHARS, DEFAULT_PAGE_SIZE, MAX_DESCRIPTOR_CHARS, MAX_STORE_CHARS } from './tools/file-descriptors/settings.js';
export type { FileDescriptorConfig } from './tools/file-descriptors/settings.js';
export type { FileDescriptorEntry, FileDescriptorsData } from './tools/file-descriptors/store.js';
export { MCP_TOOL_SEPARATOR } from './tools/mcp/start-mcp-tools.js';

// Providers: the registry, the neutral types, and the images a model API takes
export { ACCEPTED_IMAGE_TYPES, acceptedImagePart, acceptedImageType, MAX_IMAGE_BASE64_LENGTH } from './providers/accepted-images.js';
export type { AcceptedImagePart, AcceptedImageType } from './providers/accepted-images.js';
export { providerDefinition, providerNames, registerProvider } from './providers/index.js';
export type { ProviderClientOptions, ProviderContext, ProviderDefinition, ProviderEndpoint } from './providers/index.js';
export type { AnthropicClientOptions } from './providers/anthropic/anthropic-provider.js';
export type {
  AssistantPart,
  DocumentPart,
  ImagePart,
  ImageUrlPart,
  InputPart,
  InputRefusal,
  Message,
  ModelParameters,
  ModelProvider,
  CompleteOptions,
  ModelRequest,
  ModelTurn,
  ResponseFormat,
  PartialUsage,
  PromptCacheSettings,
  PromptCacheTtl,
  StopReason,
  TextPart,
  TokenUsage,
  ToolCallPart,
  ToolChoice,
  ToolResultMessagePart,
  ToolResultPart,
  ToolSpec,
  UserPart,
} from './providers/types.js';

// Observing runs: run logs (tracing is the llmproc/otel subpath)
export { writeRunLog } from './observability/run-log/write-run-log.js';
export { parseRunLogLine, readRunLog } from './observability/run-log/read-run-log.js';
export { RUN_LOG_EVENTS } from './observability/run-log/run-log-record.js';
export { RUN_LOG_VERSION, RunLogRecordSchema } from './observability/run-log/run-log-schema.js';
export type { LoggedError, LoggedPart, RunLogEventName, RunLogRecord, RunLogRecordOf } from './observability/run-log/run-log-schema.js';
export { writeReport } from './observability/report/write-report.js';
export type { ReportSummary } from './observability/report/write-report.js';
export { renderReport } from './observability/report/render-report.js';
export type { ReportInfo } from './observability/report/render-report.js';
export { buildTimelines } from './observability/report/run-timeline.js';
export type { RunTimeline, TimelineBar, TimelineProcess, TimelineTotals } from './observability/report/run-timeline.js';

// Errors
export {
  ApiCallError,
  ApprovalError,
  HookError,
  ResumeError,
  RewindError,
  SnapshotError,
  UnfinishedRunError,
  ChildRunRefusedError,
  InvalidArgumentError,
  LLMProcError,
  McpConfigError,
  McpServerStartError,
  McpToolNotFoundError,
  MissingApiKeyError,
  ProcessClosedError,
  OptionalDependencyError,
  ProgramError,
  RunAbortedError,
  RunError,
  RunInProgressError,
  RunLogError,
  RunQueueError,
  ToolDefinitionError,
  UnsupportedProviderError,
} from './errors.js';
export type { ChildRefusal, ClosedProcessOperation, ProgramErrorContext, ProgramProblem, RewindRefusal } from './errors.js';
export { MissingProviderPackageError, MissingProviderSettingError } from './providers/provider-errors.js';

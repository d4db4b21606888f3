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
export { DEFAULT_MAX_ITERATIONS } from './process/run-options.js';
export type { RunDefaults, RunOptions } from './process/run-options.js';
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
} from './process/events.js';

// Callbacks
export { attachCallbacks, CALLBACK_KEYS, validateCallbacks } from './callbacks/callbacks.js';
export type { Callbacks, ResponseCallback, TextCallback, ToolEndCallback, ToolStartCallback } from './callbacks/callbacks.js';

// Results
export { RunResult } from './results/run-result.js';
export type { ApiCallInfo, RunResultJSON, RunStopReason, ToolCallInfo } from './results/run-result.js';
export { costOf, loadPriceCatalog, priceOf, setModelPrice } from './results/pricing.js';
export type { ModelPrice, TokenRates } from './results/pricing.js';

// Tools
export { TOOL_NAME_PATTERN, errorResult, textResult } from './tools/tool.js';
export type { Tool, ToolContext, ToolResult, ToolSource } from './tools/tool.js';
export { defineTool } from './tools/function-tool.js';
export type { FunctionToolDefinition, ToolInputSchema } from './tools/function-tool.js';
export { toToolResult } from './tools/tool-output.js';
export { calculatorTool } from './tools/builtin/calculator.js';
export { evaluateExpression, ExpressionError } from './tools/builtin/calculator-grammar.js';
export { createReadFileTool, DEFAULT_MAX_FILE_BYTES } from './tools/builtin/read-file.js';
export type { ReadFileToolOptions } from './tools/builtin/read-file.js';
export { MCP_TOOL_SEPARATOR } from './tools/mcp/start-mcp-tools.js';

// Providers: the registry and the neutral types
export { providerDefinition, providerNames, registerProvider } from './providers/index.js';
export type { ProviderClientOptions, ProviderContext, ProviderDefinition, ProviderEndpoint } from './providers/index.js';
export type { AnthropicClientOptions } from './providers/anthropic/anthropic-provider.js';
export type {
  AssistantPart,
  ImagePart,
  Message,
  ModelParameters,
  ModelProvider,
  ModelRequest,
  ModelTurn,
  StopReason,
  TextPart,
  TokenUsage,
  ToolCallPart,
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
  InvalidArgumentError,
  LLMProcError,
  McpConfigError,
  McpServerStartError,
  McpToolNotFoundError,
  MissingApiKeyError,
  OptionalDependencyError,
  ProgramError,
  RunAbortedError,
  RunError,
  RunInProgressError,
  RunLogError,
  ToolDefinitionError,
  UnsupportedProviderError,
} from './errors.js';

/**
 * The error classes llmproc throws. Every one extends {@link LLMProcError}, has a `name` equal to
 * its class name, a message that says what to do next, and the context (file, key path, tool,
 * server, ...) as fields, so code can branch on `instanceof` and read the fields instead of
 * parsing messages.
 *
 * @module
 */
import type { RunResult } from './results/run-result.js';

/** Base class of every error llmproc throws. */
export class LLMProcError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Where in a program file a {@link ProgramError} was found. */
export interface ProgramErrorContext {
  /**
   * The program file, as given to `fromToml`/`fromFile` (the name given to `fromTomlString`, by
   * default `<string>`; `undefined` for a program built in code).
   */
  file?: string | undefined;
  /** Dotted key path of the offending value, e.g. `model.name` or `mcp.tools.time`. */
  keyPath?: string | undefined;
  /** 1-based line of the problem in the program's text (a syntax error, or the offending key). */
  line?: number | undefined;
  /** 1-based column of the problem in the program's text. */
  column?: number | undefined;
  /** The underlying error (a `TomlError`, a file-system error, ...). */
  cause?: unknown;
}

/** One problem of a program, and where it is in the program's text when that is known. */
export interface ProgramProblem {
  /** The problem, starting with its key path: `model.name: expected string, received number`. */
  text: string;
  /** Dotted key path of the offending value, when there is one. */
  keyPath?: string | undefined;
  /** 1-based line of the offending key or value in the program file. */
  line?: number | undefined;
  /** 1-based column of the offending key or value in the program file. */
  column?: number | undefined;
}

/** `line 3, column 7` (or nothing when the line is not known). */
function placeOf(problem: { line?: number | undefined; column?: number | undefined }): string | undefined {
  return problem.line === undefined ? undefined : `line ${problem.line}, column ${problem.column ?? 1}`;
}

/**
 * A program could not be loaded or is invalid: a TOML or YAML syntax error, a value of the wrong
 * type, an unknown section or key, a file that is missing. The message starts with the file, the
 * line and the key path: `bad.toml: line 2, column 1: model.name: expected string, received number`.
 */
export class ProgramError extends LLMProcError {
  readonly file: string | undefined;
  /** The key path of the (first) problem. */
  readonly keyPath: string | undefined;
  /** The line of the (first) problem in the program file, when known. */
  readonly line: number | undefined;
  /** The column of the (first) problem in the program file, when known. */
  readonly column: number | undefined;
  /** One line per problem found, each `keyPath: what was expected` (without the line). */
  readonly issues: readonly string[];
  /** The problems found, in the order of the file, each with its line and column when known. */
  readonly problems: readonly ProgramProblem[];

  /**
   * @param problems - One problem, or several (each a line of text or a {@link ProgramProblem}
   *   with its place). `context.line`/`column` place a single problem given as text.
   */
  constructor(problems: string | readonly (string | ProgramProblem)[], context: ProgramErrorContext = {}) {
    const given = typeof problems === 'string' ? [problems] : problems;
    const list: ProgramProblem[] = given.map((problem) => (typeof problem === 'string' ? { text: problem } : problem));
    if (list.length === 1 && list[0]!.line === undefined && context.line !== undefined) {
      list[0] = { ...list[0]!, line: context.line, column: context.column };
    }
    const shown = list.map((problem) => [placeOf(problem), problem.text].filter(Boolean).join(': '));
    const body = shown.length === 1 ? shown[0] : `${shown.length} problems:\n  - ${shown.join('\n  - ')}`;
    super(context.file ? `${context.file}: ${body}` : String(body), { cause: context.cause });
    const first = list[0];
    this.file = context.file;
    this.keyPath = context.keyPath ?? first?.keyPath;
    this.line = first?.line ?? context.line;
    this.column = first?.line === undefined ? context.column : first.column;
    this.issues = list.map((problem) => problem.text);
    this.problems = list;
  }
}

/** A function argument of llmproc's API is invalid (empty input, unknown callback key, bad option). */
export class InvalidArgumentError extends LLMProcError {
  /** The argument at fault, e.g. `input`, `options.maxIterations`, `callbacks.on_tool_strat`. */
  readonly argument: string;
  constructor(argument: string, message: string) {
    super(`${argument}: ${message}`);
    this.argument = argument;
  }
}

/** `program.start()` found no API key to use for the program's provider. */
export class MissingApiKeyError extends LLMProcError {
  /** The provider that needs the key (`anthropic`, `openai`, ...). */
  readonly provider: string;
  /** The environment variable that was looked up. */
  readonly variable: string;
  /** The program file, when the program came from one. */
  readonly file: string | undefined;
  constructor(options: { provider?: string; label?: string; variable?: string; file?: string | undefined } = {}) {
    const variable = options.variable ?? 'ANTHROPIC_API_KEY';
    super(
      `${options.file ? `${options.file}: ` : ''}No ${options.label ?? 'Anthropic'} API key: set the ${variable} environment variable, or pass ` +
        '`apiKey` (or a ready `client`) to program.start().',
    );
    this.provider = options.provider ?? 'anthropic';
    this.variable = variable;
    this.file = options.file;
  }
}

/** The program names a provider this version of llmproc cannot run. */
export class UnsupportedProviderError extends LLMProcError {
  readonly provider: string;
  readonly supported: readonly string[];
  readonly file: string | undefined;
  constructor(provider: string, supported: readonly string[], file?: string, hint?: string) {
    super(
      `${file ? `${file}: ` : ''}model.provider: "${provider}" is not supported by llmproc for TypeScript; ` +
        (hint ? `${hint} ` : '') +
        `supported providers: ${supported.map((p) => `"${p}"`).join(', ')}.`,
    );
    this.provider = provider;
    this.supported = supported;
    this.file = file;
  }
}

/** A tool is defined wrongly (bad name, missing schema) or two tools share a name. */
export class ToolDefinitionError extends LLMProcError {
  /** The tool's name as given. */
  readonly tool: string;
  constructor(tool: string, message: string, options?: { cause?: unknown }) {
    super(`tool "${tool}": ${message}`, options);
    this.tool = tool;
  }
}

/**
 * A snapshot cannot be restored: it is not a snapshot or is corrupted (a value of the wrong type, a
 * conversation the API would refuse, totals that do not add up), it was written by a newer llmproc,
 * it belongs to another program (the program's fingerprint differs), or what it cannot hold was not
 * given again (a function tool, a hook). `keyPath` names the part at fault: `messages[3].content`,
 * `program.definition.model`, `hooks.beforeToolCall`.
 */
export class SnapshotError extends LLMProcError {
  /** Dotted key path of the part at fault, when there is one. */
  readonly keyPath: string | undefined;
  /** One line per problem found, each `keyPath: what is wrong`. */
  readonly issues: readonly string[];
  constructor(problems: string | readonly string[], context: { keyPath?: string | undefined; cause?: unknown } = {}) {
    const issues = typeof problems === 'string' ? [problems] : problems;
    const body = issues.length === 1 ? issues[0] : `${issues.length} problems:\n  - ${issues.join('\n  - ')}`;
    super(`Cannot restore this snapshot: ${body}`, { cause: context.cause });
    this.keyPath = context.keyPath;
    this.issues = issues;
  }
}

/**
 * The process has an unfinished run — paused awaiting approval, or restored from a checkpoint taken
 * in the middle of a run — so a new `run()` (or `fork()`) would break its conversation: decide the
 * pending approvals and `resume()` it first, or `resetState()` to drop it.
 */
export class UnfinishedRunError extends LLMProcError {
  /** The ids of the tool calls still waiting for `approve()` or `deny()` (may be empty). */
  readonly pendingApprovals: readonly string[];
  constructor(pendingApprovals: readonly string[]) {
    super(
      pendingApprovals.length > 0
        ? `This process's run is paused awaiting approval of ${pendingApprovals.length} tool call${pendingApprovals.length === 1 ? '' : 's'} (${pendingApprovals.join(', ')}): ` +
            'approve() or deny() each, then resume() the run, or resetState() to drop it, before starting another.'
        : "This process has an unfinished run (restored from a checkpoint taken mid-run): resume() it, or resetState() to drop it, before starting another.",
    );
    this.pendingApprovals = pendingApprovals;
  }
}

/** `approve()` or `deny()` named a tool call that is not waiting for approval. */
export class ApprovalError extends LLMProcError {
  /** The id given. */
  readonly toolUseId: string;
  /** The ids that are waiting for approval. */
  readonly pending: readonly string[];
  constructor(toolUseId: string, pending: readonly string[], message?: string) {
    super(
      message ??
        `No tool call "${toolUseId}" is waiting for approval; ${pending.length > 0 ? `waiting: ${pending.join(', ')}` : 'none is waiting (is the run paused? see process.pendingApprovals)'}.`,
    );
    this.toolUseId = toolUseId;
    this.pending = pending;
  }
}

/**
 * `resume()` cannot continue: there is no unfinished run, some tool calls are still waiting for a
 * decision, or a hook the run had is missing (a restored process gets hooks only from what its
 * `restore()` and `resume()` are given).
 */
export class ResumeError extends LLMProcError {
  /** The ids of the tool calls without a decision yet. */
  readonly undecided: readonly string[];
  /** The hooks the run had that are missing now. */
  readonly missingHooks: readonly string[];
  constructor(message: string, context: { undecided?: readonly string[]; missingHooks?: readonly string[] } = {}) {
    super(message);
    this.undecided = context.undecided ?? [];
    this.missingHooks = context.missingHooks ?? [];
  }
}

/**
 * A run failed. `run()` rejects with a `RunError` (or a subclass) that carries the partial
 * {@link RunResult}, completed, with everything the run did before it failed.
 */
export class RunError extends LLMProcError {
  /** What the run did before it failed; finalized (`endTime` and `durationMs` are set). */
  readonly runResult: RunResult;
  constructor(message: string, runResult: RunResult, options?: { cause?: unknown }) {
    super(message, options);
    this.runResult = runResult;
  }
}

/**
 * The model API still failed after the Anthropic SDK's own retries (or failed with an error that is
 * not retried, such as a 400). The SDK's error is kept as `cause`.
 */
export class ApiCallError extends RunError {
  /** HTTP status of the last attempt, if the server answered. */
  readonly status: number | undefined;
  /** The `request-id` the API returned, for support requests. */
  readonly requestId: string | undefined;
  constructor(message: string, runResult: RunResult, context: { status?: number | undefined; requestId?: string | undefined; cause?: unknown }) {
    super(message, runResult, { cause: context.cause });
    this.status = context.status;
    this.requestId = context.requestId;
  }
}

/**
 * A `beforeRun` or `beforeModelCall` hook threw, rejected or returned something it may not: the run
 * fails closed (no model call is made on its behalf). `cause` is what the hook threw.
 */
export class HookError extends RunError {
  /** The hook's name: `beforeRun`, `beforeModelCall`. */
  readonly hook: string;
  constructor(hook: string, problem: string, runResult: RunResult, options?: { cause?: unknown }) {
    super(`The ${hook} hook ${problem}, so the run was stopped.`, runResult, options);
    this.hook = hook;
  }
}

/**
 * The run was cancelled: its `signal` aborted (`reason: 'aborted'`) or its `timeoutMs` elapsed
 * (`reason: 'timeout'`). The partial RunResult has the same `stopReason`; the conversation is left
 * valid and the process can run again.
 */
export class RunAbortedError extends RunError {
  /** What stopped the run. */
  readonly reason: 'aborted' | 'timeout';
  constructor(reason: 'aborted' | 'timeout', runResult: RunResult, options?: { cause?: unknown }) {
    super(
      reason === 'timeout' ? 'The run timed out (timeoutMs elapsed) and was cancelled.' : 'The run was aborted by its signal.',
      runResult,
      options,
    );
    this.reason = reason;
  }
}

/** `run()` was called while another run of the same process was still going. */
export class RunInProgressError extends LLMProcError {
  constructor() {
    super('This process is already running a prompt; await the first run() before starting another (or fork() the process).');
  }
}

/** Why a spawned or forked child was not run (see {@link ChildRunRefusedError}). */
export type ChildRefusal = 'depth' | 'unpriced' | 'budget';

/**
 * A child (spawn, fork) was not started: spawns nest deeper than the run's `maxSpawnDepth`
 * (linked programs may call each other in a cycle), its model has no known price under a cost
 * budget (it could not be metered), or the run's budget is already spent. The spawn and fork
 * tools turn it into an `is_error` result the model reads; the run goes on (and stops at its next
 * budget check when the budget is spent).
 */
export class ChildRunRefusedError extends LLMProcError {
  readonly reason: ChildRefusal;
  /** The child's program (its display name). */
  readonly program: string;
  /** The programs from the run's root process down to the refused child, by display name. */
  readonly chain: readonly string[];
  constructor(reason: ChildRefusal, message: string, context: { program: string; chain: readonly string[] }) {
    super(message);
    this.reason = reason;
    this.program = context.program;
    this.chain = context.chain;
  }
}

/** Why a rewind was refused (see {@link RewindError}). */
export type RewindRefusal = 'no_run' | 'bad_id' | 'unknown' | 'ahead' | 'current' | 'removed' | 'not_user' | 'pending' | 'bad_instruction';

/**
 * A rewind (`process.rewind()`, or the `goto` tool, which shows its message to the model) was
 * refused: no run is going, the id is malformed, unknown, ahead of the conversation, the current
 * message, removed by an earlier rewind, not a user message the conversation can return to, or a
 * rewind is already pending. Nothing changed.
 */
export class RewindError extends LLMProcError {
  readonly reason: RewindRefusal;
  /** The message id asked for, as given (cut short when long). */
  readonly messageId: string;
  constructor(reason: RewindRefusal, messageId: string, message: string) {
    super(message);
    this.reason = reason;
    this.messageId = messageId;
  }
}

/** What a closed process was asked to do (see {@link ProcessClosedError}). */
export type ClosedProcessOperation = 'run' | 'fork' | 'preloadFiles';

/**
 * `run()`, `fork()` or `preloadFiles()` on a process after its `close()` was called: its MCP
 * servers are stopped, so it cannot work any more. Start a new process of the program instead.
 */
export class ProcessClosedError extends LLMProcError {
  /** What was refused. */
  readonly operation: ClosedProcessOperation;
  /** The closed process's id (`proc-3`). */
  readonly processId: string;
  constructor(operation: ClosedProcessOperation, processId: string) {
    super(
      `Process ${processId} was closed (close() was called), so ${operation}() cannot be used on it any more; ` +
        'start a new process with program.start().',
    );
    this.operation = operation;
    this.processId = processId;
  }
}

/**
 * The MCP servers' config file (`[mcp] config_path`) is missing or invalid, or `[mcp.tools]` names
 * a server the file does not define.
 */
export class McpConfigError extends LLMProcError {
  /** The config file, absolute. */
  readonly file: string;
  /** Dotted key path of the offending value, e.g. `mcpServers.time.command`. */
  readonly keyPath: string | undefined;
  /** The server concerned, when there is one. */
  readonly server: string | undefined;
  constructor(message: string, context: { file: string; keyPath?: string | undefined; server?: string | undefined; cause?: unknown }) {
    super(`${context.file}: ${message}`, { cause: context.cause });
    this.file = context.file;
    this.keyPath = context.keyPath;
    this.server = context.server;
  }
}

/** An MCP server could not be started (spawn failed, it exited, or its handshake failed or timed out). */
export class McpServerStartError extends LLMProcError {
  /** The server's name in the config. */
  readonly server: string;
  /** The last lines a stdio server wrote to stderr (may be empty); `undefined` for an HTTP server. */
  readonly stderrTail: string | undefined;
  constructor(server: string, reason: string, stderrTail: string | undefined, options?: { cause?: unknown }) {
    const tail =
      stderrTail === undefined
        ? ''
        : stderrTail.trim()
          ? `\n--- last lines of its stderr ---\n${stderrTail.trimEnd()}`
          : ' (it wrote nothing to stderr)';
    super(`MCP server "${server}" failed to start: ${reason}${tail}`, options);
    this.server = server;
    this.stderrTail = stderrTail;
  }
}

/** `[mcp.tools]` lists a tool that its MCP server does not have. */
export class McpToolNotFoundError extends LLMProcError {
  readonly server: string;
  readonly tool: string;
  /** The tools the server does have. */
  readonly available: readonly string[];
  constructor(server: string, tool: string, available: readonly string[]) {
    super(
      `MCP server "${server}" has no tool "${tool}" (listed in [mcp.tools]). Its tools: ${available.length ? available.join(', ') : '(none)'}.`,
    );
    this.server = server;
    this.tool = tool;
    this.available = available;
  }
}

/**
 * A run log (JSON lines, see `writeRunLog`) cannot be read or written, or its report cannot be
 * written: the file is missing, or a line is not a run-log record. The message names the file and,
 * for a bad line, its number.
 */
export class RunLogError extends LLMProcError {
  /** The log file, as given. */
  readonly file: string;
  /** The 1-based line at fault; `undefined` when the file itself could not be opened or read. */
  readonly line: number | undefined;
  constructor(file: string, problem: string, context: { line?: number | undefined; cause?: unknown } = {}) {
    super(`${file}${context.line === undefined ? '' : `: line ${context.line}`}: ${problem}`, { cause: context.cause });
    this.file = file;
    this.line = context.line;
  }
}

/**
 * A feature needs an optional package that is not installed (tracing needs `@opentelemetry/api`;
 * `--trace` also needs `@opentelemetry/sdk-trace-base` and `@opentelemetry/exporter-trace-otlp-http`).
 * The message says what to install.
 */
export class OptionalDependencyError extends LLMProcError {
  /** The package that could not be loaded. */
  readonly packageName: string;
  /** What needs it, e.g. `--trace`. */
  readonly feature: string;
  constructor(packageName: string, feature: string, options?: { cause?: unknown }) {
    super(`${feature} needs the optional package ${packageName}, which is not installed: npm install ${packageName}`, options);
    this.packageName = packageName;
    this.feature = feature;
  }
}

/**
 * A queued run (`llmproc/bullmq`) could not be carried out: its program is not registered and is
 * no readable TOML file, there is no paused run to approve, or a checkpoint could not be saved.
 */
export class RunQueueError extends LLMProcError {
  /** The conversation of the job. */
  readonly conversationId: string;
  /** The BullMQ job id, when a job was at hand. */
  readonly jobId: string | undefined;
  constructor(message: string, context: { conversationId: string; jobId?: string | undefined; cause?: unknown }) {
    super(message, { cause: context.cause });
    this.conversationId = context.conversationId;
    this.jobId = context.jobId;
  }
}

/**
 * One MCP server while llmproc uses it: its MCP client, its process (for a stdio server), its stderr
 * tail, and whether it is still alive. Starting, calling and stopping never leave a process behind
 * or a rejection unhandled.
 *
 * @module
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { McpServerStartError } from '../../errors.js';
import { errorResult, type ToolResult } from '../tool.js';
import type { McpServerEntry } from './load-config.js';
import { loadMcpSdk, type McpSdk } from './load-mcp-sdk.js';
import { fromMcpResult } from './mcp-content.js';
import { StderrTail } from './stderr-tail.js';

/** A tool as the server lists it. */
export interface McpToolListing {
  name: string;
  description?: string | undefined;
  inputSchema: Record<string, unknown>;
}

/** What {@link McpServerConnection.connect} needs besides the server's entry. */
export interface McpConnectOptions {
  /** The client name sent in the MCP handshake. */
  clientName: string;
  /** Variables given to a stdio server beneath its own `env` (on top of the SDK's safe defaults). */
  env?: Record<string, string> | undefined;
  /** Aborts the start; the promise then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/**
 * How long `close()` lets a stdio server go on its own (the SDK ends its stdin, then sends SIGTERM
 * after 2 s) before llmproc kills it outright.
 */
const CLOSE_GRACE_MS = 3000;
/** How long to wait for the process to be gone after SIGKILL. */
const KILL_WAIT_MS = 1000;
/** How long an HTTP server may take to end its session when closing. */
const HTTP_TERMINATE_MS = 1000;

/** The SDK's stdio transport class, extended to remember its child's pid: the SDK forgets it as soon as closing begins. */
function trackedStdioTransportClass(sdk: McpSdk) {
  return class TrackedStdioTransport extends sdk.StdioClientTransport {
    startedPid: number | null = null;
    override async start(): Promise<void> {
      await super.start();
      this.startedPid = this.pid;
    }
  };
}

/** A stdio transport that remembers its child's pid. */
type TrackedStdioTransport = InstanceType<ReturnType<typeof trackedStdioTransportClass>>;

/** {@link trackedStdioTransportClass} of the loaded SDK (it is loaded once per Node process). */
let trackedStdio: { sdk: McpSdk; TrackedStdioTransport: ReturnType<typeof trackedStdioTransportClass> } | undefined;

function trackedStdioTransport(sdk: McpSdk): ReturnType<typeof trackedStdioTransportClass> {
  if (trackedStdio?.sdk !== sdk) trackedStdio = { sdk, TrackedStdioTransport: trackedStdioTransportClass(sdk) };
  return trackedStdio.TrackedStdioTransport;
}

/** Resolves `true` when `promise` settles within `ms`, `false` otherwise. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error && error.cause.message !== error.message ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}

/** `the command "node server.mjs"` or `the URL https://example.com/mcp` (no query: it may hold a token). */
function describeTarget(entry: McpServerEntry): string {
  if (entry.kind === 'http') {
    const url = new URL(entry.url);
    return `the URL ${url.origin}${url.pathname}`;
  }
  const words = [entry.command, ...entry.args].map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : JSON.stringify(word)));
  return `the command "${words.join(' ')}"`;
}

/** A connected MCP server. Created by {@link McpServerConnection.connect}. */
export class McpServerConnection {
  /** The server's name in the config. */
  readonly name: string;
  /** The server's config entry. */
  readonly entry: McpServerEntry;
  readonly #sdk: McpSdk;
  readonly #client: Client;
  readonly #transport: Transport;
  /** The transport of a stdio server, `undefined` for an HTTP server. */
  readonly #stdio: TrackedStdioTransport | undefined;
  /** The transport of an HTTP server, `undefined` for a stdio server. */
  readonly #http: StreamableHTTPClientTransport | undefined;
  readonly #stderr = new StderrTail();
  readonly #closedEvent: Promise<void>;
  #connectionClosed = false;
  #stopping: Promise<void> | undefined;

  private constructor(sdk: McpSdk, name: string, entry: McpServerEntry, options: McpConnectOptions) {
    this.#sdk = sdk;
    this.name = name;
    this.entry = entry;
    if (entry.kind === 'stdio') {
      const TrackedStdioTransport = trackedStdioTransport(sdk);
      const transport = new TrackedStdioTransport({
        command: entry.command,
        args: entry.args,
        // Only the SDK's safe defaults and what was given explicitly: never our whole environment (R16).
        env: { ...sdk.getDefaultEnvironment(), ...options.env, ...entry.env },
        cwd: entry.cwd,
        stderr: 'pipe',
      });
      this.#stderr.follow(transport.stderr);
      this.#transport = this.#stdio = transport;
    } else {
      this.#transport = this.#http = new sdk.StreamableHTTPClientTransport(new URL(entry.url), { requestInit: { headers: entry.headers } });
    }
    this.#client = new sdk.Client({ name: options.clientName, version: '1.0.0' });
    // Failures surface through connect() and callTool(); keep the SDK from logging them.
    this.#client.onerror = () => {};
    // For stdio the SDK closes the connection when the process has exited and its pipes closed.
    this.#closedEvent = new Promise((resolve) => {
      this.#client.onclose = () => {
        this.#connectionClosed = true;
        resolve();
      };
    });
  }

  /**
   * Starts the server and completes the MCP handshake within the entry's `startTimeoutMs`.
   *
   * @throws {McpServerStartError} naming the server, the command (or URL), the reason and the tail
   *   of its stderr; the server's process is gone by then.
   * @throws the signal's reason when `options.signal` aborts first.
   */
  static async connect(name: string, entry: McpServerEntry, options: McpConnectOptions): Promise<McpServerConnection> {
    const connection = new McpServerConnection(await loadMcpSdk(), name, entry, options);
    try {
      options.signal?.throwIfAborted();
      await connection.#client.connect(connection.#transport, { timeout: entry.startTimeoutMs, signal: options.signal });
      return connection;
    } catch (error) {
      await connection.close();
      if (options.signal?.aborted) throw options.signal.reason;
      throw new McpServerStartError(name, connection.#describeStartFailure(error), connection.stderrTail, { cause: error });
    }
  }

  /** The process id of a stdio server (kept after it exits), or `null`. */
  get pid(): number | null {
    return this.#stdio?.startedPid ?? null;
  }

  /** Whether the server has exited (or its connection closed). */
  get exited(): boolean {
    return this.#connectionClosed;
  }

  /** The last lines a stdio server wrote to stderr; `undefined` for an HTTP server, which has none. */
  get stderrTail(): string | undefined {
    return this.entry.kind === 'stdio' ? this.#stderr.toString() : undefined;
  }

  /**
   * Every tool the server offers (all pages), within the entry's `startTimeoutMs`.
   *
   * @throws {McpServerStartError} when the server cannot list them (it exited, timed out, failed).
   * @throws the signal's reason when `signal` aborts first.
   */
  async listTools(signal?: AbortSignal): Promise<McpToolListing[]> {
    const tools: McpToolListing[] = [];
    try {
      let cursor: string | undefined;
      do {
        const page = await this.#client.listTools(cursor === undefined ? undefined : { cursor }, { timeout: this.entry.startTimeoutMs, signal });
        for (const tool of page.tools) tools.push({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema });
        cursor = page.nextCursor;
      } while (cursor);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new McpServerStartError(this.name, `listing its tools failed: ${this.#describeFailure(error, 'tools/list')}`, this.stderrTail, {
        cause: error,
      });
    }
    return tools;
  }

  /**
   * Calls one of the server's tools. Never throws: a timeout, a server that exited, a cancelled
   * call and a failed call are `isError` results whose text names the server and the tool.
   */
  async callTool(tool: string, input: Record<string, unknown>, signal: AbortSignal): Promise<ToolResult> {
    if (this.#stopping) return errorResult(this.#stoppedMessage(tool));
    if (this.#connectionClosed) return errorResult(this.#exitedMessage(tool));
    if (signal.aborted) return errorResult(this.#cancelledMessage(tool));
    // The MCP SDK never removes the abort listener it adds to a request's signal: it gets a signal
    // of its own per call, so the run's signal (shared by every run without one) does not collect them.
    const call = new AbortController();
    const forwardAbort = (): void => call.abort(signal.reason);
    signal.addEventListener('abort', forwardAbort, { once: true });
    try {
      const result = await this.#client.callTool({ name: tool, arguments: input }, undefined, { signal: call.signal, timeout: this.entry.timeoutMs });
      return fromMcpResult(result);
    } catch (error) {
      if (signal.aborted) return errorResult(this.#cancelledMessage(tool));
      if (this.#stopping) return errorResult(this.#stoppedMessage(tool));
      if (this.#connectionClosed || this.#isMcpError(error, 'ConnectionClosed')) {
        return errorResult(this.#exitedMessage(tool));
      }
      if (this.#isMcpError(error, 'RequestTimeout')) {
        return errorResult(
          `The call to tool "${tool}" of MCP server "${this.name}" timed out after ${this.entry.timeoutMs} ms and was cancelled ` +
            `(the server's timeoutMs in the MCP config sets this limit).`,
        );
      }
      return errorResult(`MCP server "${this.name}" failed the call to tool "${tool}": ${messageOf(error)}`);
    } finally {
      signal.removeEventListener('abort', forwardAbort);
    }
  }

  /**
   * Stops the server; idempotent. Bounded: a stdio server gets its stdin closed, SIGTERM after 2 s
   * (by the SDK) and SIGKILL after 3 s; the promise resolves once the process is gone (or, for a
   * process that ignores even SIGKILL, after about 4 s).
   */
  close(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    if (this.#http?.sessionId !== undefined) {
      await settlesWithin(this.#http.terminateSession(), HTTP_TERMINATE_MS);
    }
    // Stdio: ends the server's stdin, SIGTERM after 2 s, SIGKILL after 4 s. Never rejects unobserved.
    const closing = this.#client.close().catch(() => {});
    const pid = this.pid;
    if (pid === null || this.#connectionClosed) {
      await settlesWithin(closing, CLOSE_GRACE_MS);
      return;
    }
    if (await settlesWithin(this.#closedEvent, CLOSE_GRACE_MS)) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    await settlesWithin(this.#closedEvent, KILL_WAIT_MS);
  }

  #describeStartFailure(error: unknown): string {
    const target = describeTarget(this.entry);
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ENOENT') return `${target} was not found (is it installed, and on the PATH or given as a full path?)`;
    if (this.#isMcpError(error, 'RequestTimeout')) {
      return `${target} did not complete the MCP handshake within ${this.entry.startTimeoutMs} ms (startTimeoutMs)`;
    }
    if (this.#isMcpError(error, 'ConnectionClosed')) {
      return `${target} ${this.entry.kind === 'stdio' ? 'exited' : 'closed the connection'} before completing the MCP handshake`;
    }
    return `${target}: ${messageOf(error)}`;
  }

  #describeFailure(error: unknown, what: string): string {
    if (this.#isMcpError(error, 'RequestTimeout')) return `no answer to ${what} within ${this.entry.startTimeoutMs} ms`;
    if (this.#connectionClosed || this.#isMcpError(error, 'ConnectionClosed')) {
      return this.entry.kind === 'stdio' ? 'the server exited' : 'the server closed the connection';
    }
    return messageOf(error);
  }

  /** Whether `error` is the SDK's `McpError` with the code `code`. */
  #isMcpError(error: unknown, code: 'ConnectionClosed' | 'RequestTimeout'): boolean {
    return error instanceof this.#sdk.McpError && error.code === this.#sdk.ErrorCode[code];
  }

  #exitedMessage(tool: string): string {
    const tail = this.stderrTail?.trim();
    if (tail === undefined) return `MCP server "${this.name}" closed the connection, so its tool "${tool}" cannot be called.`;
    return (
      `MCP server "${this.name}" exited and is no longer running, so its tool "${tool}" cannot be called.` +
      (tail ? `\nLast lines of its stderr:\n${tail}` : ' It wrote nothing to stderr.')
    );
  }

  #stoppedMessage(tool: string): string {
    return `MCP server "${this.name}" has been stopped (the process was closed), so its tool "${tool}" cannot be called.`;
  }

  #cancelledMessage(tool: string): string {
    return `The call to tool "${tool}" of MCP server "${this.name}" was cancelled.`;
  }
}

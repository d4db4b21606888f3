/**
 * One running MCP server: its client, its process (for stdio) and whether it is still alive.
 *
 * @module
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { McpServerStartError } from '../../errors.js';
import { errorResult, type ToolResult } from '../tool.js';
import { fromMcpResult } from './mcp-content.js';
import type { McpServerEntry } from './mcp-config.js';
import { StderrTail } from './stderr-tail.js';

/** A tool as the server lists it. */
export interface McpToolListing {
  name: string;
  description?: string | undefined;
  inputSchema: Record<string, unknown>;
}

/** How long `close()` may take before the process is killed outright. */
const CLOSE_GRACE_MS = 3000;

/** A connected MCP server. Created by {@link McpServerConnection.connect}. */
export class McpServerConnection {
  readonly name: string;
  readonly entry: McpServerEntry;
  readonly #client: Client;
  readonly #transport: Transport;
  readonly #stderr: StderrTail;
  #exited = false;
  #closing: Promise<void> | undefined;

  private constructor(name: string, entry: McpServerEntry, client: Client, transport: Transport, stderr: StderrTail) {
    this.name = name;
    this.entry = entry;
    this.#client = client;
    this.#transport = transport;
    this.#stderr = stderr;
    client.onclose = () => {
      this.#exited = true;
    };
  }

  /** Starts the server and completes the MCP handshake, or rejects with {@link McpServerStartError}. */
  static async connect(name: string, entry: McpServerEntry, clientName: string): Promise<McpServerConnection> {
    const stderr = new StderrTail();
    const transport =
      entry.kind === 'stdio'
        ? new StdioClientTransport({ command: entry.command, args: entry.args, env: entry.env, cwd: entry.cwd, stderr: 'pipe' })
        : new StreamableHTTPClientTransport(new URL(entry.url), { requestInit: { headers: entry.headers } });
    let pid: number | null = null;
    if (transport instanceof StdioClientTransport) {
      stderr.follow(transport.stderr);
      // Remember the child's pid: after a failed handshake the SDK forgets it while the child may live on.
      const start = transport.start.bind(transport);
      transport.start = async () => {
        await start();
        pid = transport.pid;
      };
    }
    const client = new Client({ name: clientName, version: '1.0.0' });
    client.onerror = () => {}; // failures surface through connect/callTool; keep them off the console
    try {
      await client.connect(transport, { timeout: entry.startTimeoutMs });
    } catch (error) {
      await closeQuietly(client, transport);
      if (pid !== null) await killAndWait(pid);
      throw new McpServerStartError(name, describeStartFailure(entry, error), stderr.toString(), { cause: error });
    }
    return new McpServerConnection(name, entry, client, transport, stderr);
  }

  /** The process id of a stdio server while it runs. */
  get pid(): number | null {
    return this.#transport instanceof StdioClientTransport ? this.#transport.pid : null;
  }

  /** Whether the server has exited or its connection closed. */
  get exited(): boolean {
    return this.#exited;
  }

  /** Every tool the server offers. */
  async listTools(): Promise<McpToolListing[]> {
    const tools: McpToolListing[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.#client.listTools(cursor ? { cursor } : undefined, { timeout: this.entry.startTimeoutMs });
      tools.push(...page.tools.map((tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema as Record<string, unknown> })));
      cursor = page.nextCursor;
    } while (cursor);
    return tools;
  }

  /** Calls a tool. Never throws: timeouts, a dead server and cancellation are `is_error` results. */
  async callTool(tool: string, input: Record<string, unknown>, signal: AbortSignal): Promise<ToolResult> {
    if (this.#exited) return errorResult(this.#exitedMessage(tool));
    try {
      const result = await this.#client.callTool({ name: tool, arguments: input }, undefined, { signal, timeout: this.entry.timeoutMs });
      return fromMcpResult(result);
    } catch (error) {
      if (signal.aborted) return errorResult(`The call to ${this.name}/${tool} was cancelled.`);
      if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
        return errorResult(`The call to ${this.name}/${tool} timed out after ${this.entry.timeoutMs} ms.`);
      }
      if (this.#exited || (error instanceof McpError && error.code === ErrorCode.ConnectionClosed)) {
        this.#exited = true;
        return errorResult(this.#exitedMessage(tool));
      }
      return errorResult(`MCP server "${this.name}" failed the call to ${tool}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  #exitedMessage(tool: string): string {
    const tail = this.#stderr.toString().trim();
    return `MCP server "${this.name}" is no longer running, so ${tool} cannot be called.${tail ? ` Its last stderr output:\n${tail}` : ''}`;
  }

  /** Stops the server: bounded, idempotent, no process left behind. */
  close(): Promise<void> {
    this.#closing ??= closeQuietly(this.#client, this.#transport);
    return this.#closing;
  }
}

function describeStartFailure(entry: McpServerEntry, error: unknown): string {
  const what = entry.kind === 'stdio' ? `command "${[entry.command, ...entry.args].join(' ')}"` : `URL ${entry.url}`;
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return `${what}: the command was not found`;
  if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) return `${what}: no MCP handshake within ${entry.startTimeoutMs} ms`;
  if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed) return `${what}: it exited before completing the MCP handshake`;
  return `${what}: ${error instanceof Error ? error.message : String(error)}`;
}

/** Closes the client and transport; kills a stdio process that is still there after the grace period. */
async function closeQuietly(client: Client, transport: Transport): Promise<void> {
  const pid = transport instanceof StdioClientTransport ? transport.pid : null;
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), CLOSE_GRACE_MS);
  });
  const closed = await Promise.race([client.close().then(() => true, () => true), grace]);
  clearTimeout(timer);
  if (!closed && pid !== null) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Kills a server that failed to start and waits (briefly) until it is gone. */
async function killAndWait(pid: number): Promise<void> {
  const alive = (): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  for (let waited = 0; alive() && waited < 1000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
}

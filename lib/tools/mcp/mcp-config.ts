/**
 * The MCP servers' config file: the `mcpServers` JSON format of Claude Desktop and llmproc.
 *
 * ```json
 * { "mcpServers": {
 *     "clock": { "command": "node", "args": ["clock.mjs"], "env": { "TZ": "UTC" } },
 *     "remote": { "url": "https://example.com/mcp", "headers": { "authorization": "Bearer ..." } } } }
 * ```
 *
 * A stdio server runs in the config file's folder unless it sets `cwd`. llmproc also reads
 * `timeoutMs` (per tool call, default 30 s) and `startTimeoutMs` (default 30 s) on each entry.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as v from 'valibot';
import { McpConfigError } from '../../errors.js';

/** Default limit of one tool call. */
export const DEFAULT_MCP_CALL_TIMEOUT_MS = 30_000;
/** Default limit of a server's start and handshake. */
export const DEFAULT_MCP_START_TIMEOUT_MS = 30_000;

const Timeouts = {
  timeoutMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  startTimeoutMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
};

const StdioServerSchema = v.looseObject({
  type: v.optional(v.literal('stdio')),
  command: v.pipe(v.string(), v.nonEmpty()),
  args: v.optional(v.array(v.string())),
  env: v.optional(v.record(v.string(), v.string())),
  cwd: v.optional(v.string()),
  ...Timeouts,
});

const HttpServerSchema = v.looseObject({
  type: v.optional(v.picklist(['http', 'streamable-http', 'streamableHttp'])),
  url: v.pipe(v.string(), v.url()),
  headers: v.optional(v.record(v.string(), v.string())),
  ...Timeouts,
});

const ConfigSchema = v.looseObject({ mcpServers: v.record(v.string(), v.union([StdioServerSchema, HttpServerSchema])) });

/** A server started as a child process, talking over stdin/stdout. */
export interface StdioServerEntry {
  kind: 'stdio';
  command: string;
  args: string[];
  /** Variables given to the server on top of the MCP SDK's safe defaults (never our whole environment). */
  env: Record<string, string>;
  /** Absolute working folder. */
  cwd: string;
  timeoutMs: number;
  startTimeoutMs: number;
}

/** A server reached over streamable HTTP. */
export interface HttpServerEntry {
  kind: 'http';
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  startTimeoutMs: number;
}

/** One server of the config. */
export type McpServerEntry = StdioServerEntry | HttpServerEntry;

/** A loaded config: server name → entry. */
export interface McpServersConfig {
  file: string;
  servers: Record<string, McpServerEntry>;
}

function describeIssue(issue: v.BaseIssue<unknown>): { keyPath: string; text: string } {
  const keyPath = (issue.path ?? []).map((item) => String(item.key)).join('.');
  const received = typeof issue.input === 'string' ? JSON.stringify(issue.input) : Array.isArray(issue.input) ? 'array' : issue.input === null ? 'null' : typeof issue.input;
  if (issue.type === 'union') {
    return { keyPath, text: `${keyPath}: expected a stdio server ({ "command", "args", "env" }) or an HTTP server ({ "url" })` };
  }
  return { keyPath, text: `${keyPath || '(file)'}: expected ${issue.expected ?? 'a valid value'}, received ${received}` };
}

/** Reads and validates the config at `file` (absolute). */
export function loadMcpConfig(file: string): McpServersConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as { code?: string }).code === 'ENOENT' ? 'file not found' : String((error as Error).message);
    throw new McpConfigError(`cannot read the MCP servers' config file: ${reason}`, { file, cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new McpConfigError(`invalid JSON: ${(error as Error).message}`, { file, cause: error });
  }
  const result = v.safeParse(ConfigSchema, data);
  if (!result.success) {
    const first = describeIssue(result.issues[0]);
    const lines = result.issues.map((issue) => describeIssue(issue).text);
    throw new McpConfigError([...new Set(lines)].join('\n'), { file, keyPath: first.keyPath, server: first.keyPath.split('.')[1] });
  }
  const folder = path.dirname(file);
  const servers: Record<string, McpServerEntry> = {};
  for (const [name, entry] of Object.entries(result.output.mcpServers)) {
    const timeouts = {
      timeoutMs: entry.timeoutMs ?? DEFAULT_MCP_CALL_TIMEOUT_MS,
      startTimeoutMs: entry.startTimeoutMs ?? DEFAULT_MCP_START_TIMEOUT_MS,
    };
    if (v.is(StdioServerSchema, entry)) {
      const cwd = path.resolve(folder, entry.cwd ?? '.');
      servers[name] = { kind: 'stdio', command: entry.command, args: entry.args ?? [], env: entry.env ?? {}, cwd, ...timeouts };
    } else {
      const http = entry as v.InferOutput<typeof HttpServerSchema>;
      servers[name] = { kind: 'http', url: http.url, headers: http.headers ?? {}, ...timeouts };
    }
  }
  return { file, servers };
}

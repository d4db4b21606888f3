/**
 * The MCP servers' config file: the `mcpServers` JSON format of Claude Desktop and llmproc.
 *
 * ```json
 * { "mcpServers": {
 *     "clock": { "command": "node", "args": ["clock.mjs"], "env": { "TZ": "UTC" } },
 *     "remote": { "url": "https://example.com/mcp", "headers": { "authorization": "Bearer ..." } } } }
 * ```
 *
 * An entry with a `command` is a stdio server; one with a `url` is a streamable HTTP server (`type`,
 * `"stdio"`, `"http"` or `"streamable-http"`, may say so explicitly). A stdio server runs in the
 * config file's folder unless it sets `cwd` (relative to that folder). llmproc also reads
 * `timeoutMs` (limit of one tool call, default 30 s) and `startTimeoutMs` (limit of the start and
 * handshake, default 30 s) on each entry.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as v from 'valibot';
import { McpConfigError } from '../../errors.js';
import { dottedPath, parseKeyPath } from '../../key-path.js';
import { formatIssues } from '../../program/format-issues.js';
import { describeFileError } from '../../file-error.js';

/** Default limit of one tool call, in milliseconds. */
export const DEFAULT_MCP_CALL_TIMEOUT_MS = 30_000;
/** Default limit of a server's start and MCP handshake, in milliseconds. */
export const DEFAULT_MCP_START_TIMEOUT_MS = 30_000;

const Milliseconds = v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.description('a positive whole number of milliseconds')));
const StringMap = v.optional(v.pipe(v.record(v.string(), v.string()), v.description('an object of strings')));
const HTTP_URL = 'an http:// or https:// URL';

const StdioServerSchema = v.looseObject({
  type: v.optional(v.literal('stdio')),
  command: v.pipe(v.string(), v.nonEmpty(), v.description('a non-empty command')),
  args: v.optional(v.array(v.string())),
  env: StringMap,
  cwd: v.optional(v.string()),
  timeoutMs: Milliseconds,
  startTimeoutMs: Milliseconds,
});

const HttpServerSchema = v.looseObject({
  type: v.optional(v.picklist(['http', 'streamable-http'])),
  url: v.pipe(v.string(), v.url(), v.regex(/^https?:\/\//i), v.description(HTTP_URL)),
  headers: StringMap,
  timeoutMs: Milliseconds,
  startTimeoutMs: Milliseconds,
});

const TypeSchema = v.looseObject({ type: v.optional(v.picklist(['stdio', 'http', 'streamable-http'])) });

const FileSchema = v.pipe(
  v.looseObject({ mcpServers: v.pipe(v.record(v.string(), v.pipe(v.looseObject({}), v.description('an object'))), v.description('an object of servers')) }),
  v.description('an object'),
);

/** A server started as a child process, talking over stdin/stdout. */
export interface StdioServerEntry {
  kind: 'stdio';
  command: string;
  args: string[];
  /** Variables given to the server on top of the MCP SDK's safe defaults (never our whole environment). */
  env: Record<string, string>;
  /** Absolute working folder. */
  cwd: string;
  /** Limit of one tool call, in milliseconds. */
  timeoutMs: number;
  /** Limit of the start and handshake, in milliseconds. */
  startTimeoutMs: number;
}

/** A server reached over streamable HTTP. */
export interface HttpServerEntry {
  kind: 'http';
  url: string;
  /** Headers sent with every request (an `authorization` header, for example). */
  headers: Record<string, string>;
  /** Limit of one tool call, in milliseconds. */
  timeoutMs: number;
  /** Limit of the connection and handshake, in milliseconds. */
  startTimeoutMs: number;
}

/** One server of the config. */
export type McpServerEntry = StdioServerEntry | HttpServerEntry;

/** A loaded config file. */
export interface McpServersConfig {
  /** The file, absolute. */
  file: string;
  /** Server name → entry, in the file's order. */
  servers: Record<string, McpServerEntry>;
}

type PathKey = string | number;

interface Problem {
  keys: PathKey[];
  text: string;
}

/** The problems of `value` against `schema`, one line each, by key path (the formatter every schema's issues share). */
function problemsOf(issues: readonly v.BaseIssue<unknown>[], schema: v.GenericSchema): Problem[] {
  return formatIssues(issues, schema, 'json').map((issue) => ({ keys: parseKeyPath(issue.keyPath), text: issue.text }));
}

/** `schema` for the entry `name`, so its problems are named `mcpServers.<name>.<key>`. */
function entrySchema(name: string, schema: v.GenericSchema): v.GenericSchema {
  return v.looseObject({ mcpServers: v.looseObject({ [name]: schema }) });
}

/** Parses one entry with `schema`, its problems named from the file's top. */
function parseEntry<T extends v.GenericSchema>(name: string, entry: Record<string, unknown>, schema: T): { output: v.InferOutput<T> } | { problems: Problem[] } {
  const wrapped = entrySchema(name, schema);
  const result = v.safeParse(wrapped, { mcpServers: { [name]: entry } });
  if (!result.success) return { problems: problemsOf(result.issues, wrapped) };
  return { output: (result.output as { mcpServers: Record<string, v.InferOutput<T>> }).mcpServers[name]! };
}

/** Whether an entry describes an HTTP server rather than a stdio one. */
function isHttpEntry(entry: Record<string, unknown>): boolean {
  return entry['type'] === 'http' || entry['type'] === 'streamable-http' || (entry['url'] !== undefined && entry['command'] === undefined);
}

function toEntry(
  name: string,
  entry: Record<string, unknown>,
  folder: string,
): { entry: McpServerEntry; problems?: undefined } | { problems: Problem[] } {
  const prefix = ['mcpServers', name];
  const type = parseEntry(name, entry, TypeSchema);
  if ('problems' in type) return type;
  if (entry['command'] === undefined && entry['url'] === undefined) {
    return { problems: [{ keys: prefix, text: `${dottedPath(prefix)}: expected a "command" (a stdio server) or a "url" (an HTTP server)` }] };
  }
  if (isHttpEntry(entry)) {
    const result = parseEntry(name, entry, HttpServerSchema);
    if ('problems' in result) return result;
    const http = result.output;
    return {
      entry: {
        kind: 'http',
        url: http.url,
        headers: http.headers ?? {},
        timeoutMs: http.timeoutMs ?? DEFAULT_MCP_CALL_TIMEOUT_MS,
        startTimeoutMs: http.startTimeoutMs ?? DEFAULT_MCP_START_TIMEOUT_MS,
      },
    };
  }
  const result = parseEntry(name, entry, StdioServerSchema);
  if ('problems' in result) return result;
  const stdio = result.output;
  return {
    entry: {
      kind: 'stdio',
      command: stdio.command,
      args: stdio.args ?? [],
      env: stdio.env ?? {},
      cwd: path.resolve(folder, stdio.cwd ?? '.'),
      timeoutMs: stdio.timeoutMs ?? DEFAULT_MCP_CALL_TIMEOUT_MS,
      startTimeoutMs: stdio.startTimeoutMs ?? DEFAULT_MCP_START_TIMEOUT_MS,
    },
  };
}

function configError(file: string, problems: readonly Problem[]): McpConfigError {
  const first = problems[0]!;
  const lines = [...new Set(problems.map((problem) => problem.text))];
  const body = lines.length === 1 ? lines[0]! : `${lines.length} problems:\n  - ${lines.join('\n  - ')}`;
  const server = first.keys[0] === 'mcpServers' && typeof first.keys[1] === 'string' ? first.keys[1] : undefined;
  return new McpConfigError(body, { file, keyPath: dottedPath(first.keys) || undefined, server });
}

/**
 * Reads and validates the MCP servers' config file.
 *
 * @param configPath - The file, absolute (relative paths resolve against the current folder).
 * @throws {McpConfigError} when the file is missing or unreadable, is not JSON, or has a value of
 *   the wrong type; the message starts with the file and the key path:
 *   `/…/mcp_servers.json: mcpServers.time.command: expected a non-empty command, received number`.
 */
export function loadMcpConfig(configPath: string): McpServersConfig {
  const file = path.resolve(configPath);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new McpConfigError(`cannot read the MCP servers' config file ([mcp] config_path): ${describeFileError(error)}`, { file, cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new McpConfigError(`invalid JSON: ${error instanceof Error ? error.message : String(error)}`, { file, cause: error });
  }
  const parsed = v.safeParse(FileSchema, data);
  if (!parsed.success) throw configError(file, problemsOf(parsed.issues, FileSchema));
  const folder = path.dirname(file);
  const servers: Record<string, McpServerEntry> = {};
  const problems: Problem[] = [];
  for (const [name, raw] of Object.entries(parsed.output.mcpServers)) {
    const outcome = toEntry(name, raw, folder);
    if (outcome.problems) problems.push(...outcome.problems);
    else servers[name] = outcome.entry;
  }
  if (problems.length > 0) throw configError(file, problems);
  return { file, servers };
}

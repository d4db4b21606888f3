/**
 * Starts the MCP servers a program names in `[mcp.tools]` (only those, in parallel) and turns their
 * selected tools into llmproc tools named `server__tool`.
 *
 * @module
 */
import { McpConfigError, McpToolNotFoundError } from '../../errors.js';
import type { McpConfig } from '../../program/program-definition.js';
import type { Tool } from '../tool.js';
import { loadMcpConfig, type McpServerEntry } from './load-config.js';
import { McpServerConnection, type McpToolListing } from './mcp-server-connection.js';
import { toMcpTool } from './mcp-tool.js';

export { MCP_TOOL_SEPARATOR } from './mcp-tool.js';

/** The started servers and their tools. */
export interface McpToolset {
  /** The selected tools of every server, in `[mcp.tools]` order. */
  tools: Tool[];
  /** The names of the servers started, in `[mcp.tools]` order. */
  servers: string[];
  /** Stops every server; idempotent, bounded (about 4 s at worst), leaves no server process behind. */
  close(): Promise<void>;
}

/** Options of {@link startMcpTools}. */
export interface StartMcpToolsOptions {
  /** Aborts the start: servers already started are stopped and the promise rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** The client name sent in the MCP handshake; default `llmproc`. */
  clientName?: string | undefined;
  /**
   * Variables given to every stdio server, beneath each server's own `env`. Servers otherwise get
   * only their config's `env` and the MCP SDK's safe defaults (`HOME`, `PATH`, ...), never this
   * process's whole environment.
   */
  env?: Record<string, string> | undefined;
}

/** The tools of one server that `selection` asks for. */
function selectTools(connection: McpServerConnection, listings: McpToolListing[], selection: string[] | 'all'): Tool[] {
  if (selection === 'all') return listings.map((listing) => toMcpTool(connection, listing));
  return [...new Set(selection)].map((wanted) => {
    const listing = listings.find((candidate) => candidate.name === wanted);
    if (!listing) throw new McpToolNotFoundError(connection.name, wanted, listings.map((candidate) => candidate.name));
    return toMcpTool(connection, listing);
  });
}

interface StartedServer {
  connection: McpServerConnection;
  tools: Tool[];
}

/** Starts one server and picks its tools; on failure the server is stopped before the rejection. */
async function startServer(
  server: string,
  entry: McpServerEntry,
  selection: string[] | 'all',
  options: { clientName: string; env: Record<string, string> | undefined; signal: AbortSignal },
): Promise<StartedServer> {
  const connection = await McpServerConnection.connect(server, entry, options);
  try {
    const listings = await connection.listTools(options.signal);
    return { connection, tools: selectTools(connection, listings, selection) };
  } catch (error) {
    await connection.close();
    throw error;
  }
}

/**
 * Starts, in parallel, the servers named in `mcp.tools` (only those) and returns their selected
 * tools. On the first failure the other servers are stopped (those still starting are abandoned)
 * before the promise rejects, so no server process is left behind.
 *
 * @param mcp - The config file (absolute path) and, per server, `'all'` or the tools to import.
 * @throws {McpConfigError} for a missing or invalid config file, or a server the file does not define.
 * @throws {McpServerStartError} naming the server, the command, the reason and the tail of its stderr.
 * @throws {McpToolNotFoundError} naming the server, the tool and the tools it does have.
 * @throws {ToolDefinitionError} when `server__tool` is not a valid tool name.
 * @throws the signal's reason when `options.signal` aborts.
 */
export async function startMcpTools(mcp: McpConfig, options: StartMcpToolsOptions = {}): Promise<McpToolset> {
  options.signal?.throwIfAborted();
  const config = loadMcpConfig(mcp.configPath);
  const wanted = Object.entries(mcp.tools);
  const missing = wanted.map(([server]) => server).filter((server) => !Object.hasOwn(config.servers, server));
  if (missing.length > 0) {
    const known = Object.keys(config.servers);
    const names = missing.map((server) => `"${server}"`).join(', ');
    throw new McpConfigError(
      `[mcp.tools] names the server${missing.length > 1 ? 's' : ''} ${names}, which this file does not define; its servers: ` +
        `${known.length ? known.join(', ') : '(none)'}. Add ${missing.length > 1 ? 'them' : 'it'} to "mcpServers" or remove ${missing.length > 1 ? 'them' : 'it'} from [mcp.tools].`,
      { file: config.file, keyPath: `mcpServers.${missing[0]}`, server: missing[0] },
    );
  }

  // One signal for every start: aborted by the caller, or by the first server that fails.
  const abandon = new AbortController();
  const forwardAbort = (): void => abandon.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', forwardAbort, { once: true });
  let firstFailure: { error: unknown } | undefined;
  const startOptions = { clientName: options.clientName ?? 'llmproc', env: options.env, signal: abandon.signal };
  let outcomes: PromiseSettledResult<StartedServer>[];
  try {
    outcomes = await Promise.allSettled(
      wanted.map(([server, selection]) =>
        startServer(server, config.servers[server]!, selection, startOptions).catch((error: unknown) => {
          if (!abandon.signal.aborted) {
            firstFailure = { error };
            abandon.abort(new Error(`another MCP server failed to start`));
          }
          throw error;
        }),
      ),
    );
  } finally {
    options.signal?.removeEventListener('abort', forwardAbort);
  }

  const started = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= Promise.all(started.map(({ connection }) => connection.close())).then(() => undefined);
    return closing;
  };
  if (firstFailure || started.length < wanted.length || options.signal?.aborted) {
    await close();
    if (firstFailure) throw firstFailure.error;
    throw options.signal?.reason;
  }
  return { tools: started.flatMap(({ tools }) => tools), servers: wanted.map(([server]) => server), close };
}

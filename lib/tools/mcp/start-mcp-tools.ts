/**
 * Starts the MCP servers a program names in `[mcp.tools]` and turns their tools into llmproc tools
 * named `server__tool`.
 *
 * @module
 */
import { McpConfigError, McpToolNotFoundError, ToolDefinitionError } from '../../errors.js';
import type { McpConfig } from '../../program/program-definition.js';
import { TOOL_NAME_PATTERN, type Tool } from '../tool.js';
import { loadMcpConfig } from './mcp-config.js';
import { McpServerConnection, type McpToolListing } from './mcp-server-connection.js';

/** Joins a server name and a tool name: `clock__current_time`. */
export const MCP_TOOL_SEPARATOR = '__';

/** The started servers and their tools. */
export interface McpToolset {
  tools: Tool[];
  /** The running servers. */
  connections: McpServerConnection[];
  /** Stops every server; bounded and idempotent. */
  close(): Promise<void>;
}

/** An llmproc tool that calls `listing` on `connection`. */
function toTool(connection: McpServerConnection, listing: McpToolListing): Tool {
  const name = `${connection.name}${MCP_TOOL_SEPARATOR}${listing.name}`;
  if (!TOOL_NAME_PATTERN.test(name)) {
    throw new ToolDefinitionError(
      name,
      `the MCP tool "${listing.name}" of server "${connection.name}" would be exposed as "${name}", which the API refuses (names must match ${TOOL_NAME_PATTERN} once joined with "${MCP_TOOL_SEPARATOR}"); rename the server in the config`,
    );
  }
  return {
    name,
    description: listing.description || `The ${listing.name} tool of the ${connection.name} MCP server.`,
    inputSchema: { ...listing.inputSchema, type: 'object' },
    source: { kind: 'mcp', server: connection.name, tool: listing.name },
    run: (input, context) => connection.callTool(listing.name, input, context.signal),
  };
}

/** The tools of one server that `selection` asks for. */
async function selectTools(connection: McpServerConnection, selection: string[] | 'all'): Promise<Tool[]> {
  const listings = await connection.listTools();
  if (selection === 'all') return listings.map((listing) => toTool(connection, listing));
  return selection.map((wanted) => {
    const listing = listings.find((candidate) => candidate.name === wanted);
    if (!listing) throw new McpToolNotFoundError(connection.name, wanted, listings.map((candidate) => candidate.name));
    return toTool(connection, listing);
  });
}

/**
 * Starts, in parallel, the servers named in `mcp.tools` (only those), and returns their selected
 * tools. On any failure every server already started is stopped before the promise rejects.
 *
 * @throws {McpConfigError} for a bad config file or a server the file does not define.
 * @throws {McpServerStartError} naming the server and the tail of its stderr.
 * @throws {McpToolNotFoundError} naming the server, the tool and the tools it does have.
 */
export async function startMcpTools(mcp: McpConfig, options: { clientName?: string } = {}): Promise<McpToolset> {
  const config = loadMcpConfig(mcp.configPath);
  const wanted = Object.entries(mcp.tools);
  for (const [server] of wanted) {
    if (!config.servers[server]) {
      const known = Object.keys(config.servers);
      throw new McpConfigError(
        `[mcp.tools] names the server "${server}", which this file does not define; its servers: ${known.length ? known.join(', ') : '(none)'}`,
        { file: config.file, keyPath: `mcpServers.${server}`, server },
      );
    }
  }
  const clientName = options.clientName ?? 'llmproc';
  const started = await Promise.allSettled(wanted.map(([server]) => McpServerConnection.connect(server, config.servers[server]!, clientName)));
  const connections = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const closeAll = async () => void (await Promise.all(connections.map((connection) => connection.close())));
  const failed = started.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed) {
    await closeAll();
    throw failed.reason;
  }
  try {
    const tools = (await Promise.all(connections.map((connection, i) => selectTools(connection, wanted[i]![1])))).flat();
    return { tools, connections, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

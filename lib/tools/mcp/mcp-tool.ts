/**
 * One tool of an MCP server as an llmproc {@link Tool}, named `server__tool`.
 *
 * @module
 */
import { ToolDefinitionError } from '../../errors.js';
import { TOOL_NAME_PATTERN, type Tool } from '../tool.js';
import type { McpServerConnection, McpToolListing } from './mcp-server-connection.js';

/** Joins a server name and a tool name into the name the model sees: `clock__current_time`. */
export const MCP_TOOL_SEPARATOR = '__';

/**
 * The llmproc tool that calls `listing` on `connection`: its description and input schema are the
 * server's (the schema always has `type: 'object'`), and its `run` never throws.
 *
 * @throws {ToolDefinitionError} when `server__tool` is not a valid tool name for the API (names
 *   are not rewritten: two different names could otherwise collide).
 */
export function toMcpTool(connection: McpServerConnection, listing: McpToolListing): Tool {
  const server = connection.name;
  const name = `${server}${MCP_TOOL_SEPARATOR}${listing.name}`;
  if (!TOOL_NAME_PATTERN.test(name)) {
    throw new ToolDefinitionError(
      name,
      `the tool "${listing.name}" of MCP server "${server}" would be exposed to the model as "${name}", which the API refuses ` +
        `(tool names must match ${TOOL_NAME_PATTERN}); give the server a shorter name made of letters, digits, "_" and "-" in the MCP config, ` +
        `or leave this tool out of [mcp.tools]`,
    );
  }
  return {
    name,
    description: listing.description?.trim() || `The "${listing.name}" tool of the "${server}" MCP server.`,
    inputSchema: { ...listing.inputSchema, type: 'object' },
    source: { kind: 'mcp', server, tool: listing.name },
    run: (input, context) => connection.callTool(listing.name, input, context.signal),
  };
}

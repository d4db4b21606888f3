/**
 * Loads the MCP SDK when a program with `[mcp]` tools starts, not when llmproc is imported: the
 * SDK and what it pulls in (zod, ajv, cross-spawn) weigh more than the rest of llmproc, and most
 * programs never start an MCP server.
 *
 * @module
 */

/** The parts of `@modelcontextprotocol/sdk` llmproc uses: the client, its two transports and its error class. */
export interface McpSdk {
  readonly Client: typeof import('@modelcontextprotocol/sdk/client/index.js').Client;
  readonly StdioClientTransport: typeof import('@modelcontextprotocol/sdk/client/stdio.js').StdioClientTransport;
  readonly getDefaultEnvironment: typeof import('@modelcontextprotocol/sdk/client/stdio.js').getDefaultEnvironment;
  readonly StreamableHTTPClientTransport: typeof import('@modelcontextprotocol/sdk/client/streamableHttp.js').StreamableHTTPClientTransport;
  readonly McpError: typeof import('@modelcontextprotocol/sdk/types.js').McpError;
  readonly ErrorCode: typeof import('@modelcontextprotocol/sdk/types.js').ErrorCode;
}

let loading: Promise<McpSdk> | undefined;

/** Imports the SDK's modules, once per Node process. */
export function loadMcpSdk(): Promise<McpSdk> {
  loading ??= Promise.all([
    import('@modelcontextprotocol/sdk/client/index.js'),
    import('@modelcontextprotocol/sdk/client/stdio.js'),
    import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
    import('@modelcontextprotocol/sdk/types.js'),
  ]).then(([client, stdio, http, types]) => ({
    Client: client.Client,
    StdioClientTransport: stdio.StdioClientTransport,
    getDefaultEnvironment: stdio.getDefaultEnvironment,
    StreamableHTTPClientTransport: http.StreamableHTTPClientTransport,
    McpError: types.McpError,
    ErrorCode: types.ErrorCode,
  }));
  // A failed import (a broken install) is retried at the next start rather than remembered.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

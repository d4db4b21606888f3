/**
 * Checks a program's `[mcp] config_path` when the program loads, so that a missing or invalid MCP
 * servers' config file is refused at its line, not when the first process starts.
 *
 * @module
 */
import { McpConfigError } from '../errors.js';
import { loadMcpConfig } from '../tools/mcp/load-config.js';
import { describeFileError } from '../file-error.js';
import type { FormattedIssue } from './format-issues.js';

/**
 * The problem with the MCP servers' config file at `resolved` (`written` is the path as the
 * program writes it, at `keyPath`), or `undefined` when the file is a valid config. Whether
 * `[mcp.tools]` names servers the file defines is checked at start, which names the file's servers.
 */
export function mcpConfigIssue(written: string, resolved: string, keyPath: string): FormattedIssue | undefined {
  try {
    loadMcpConfig(resolved);
    return undefined;
  } catch (error) {
    if (!(error instanceof McpConfigError)) throw error;
    const cause = error.cause as { code?: unknown } | undefined;
    const text =
      typeof cause?.code === 'string'
        ? `cannot read the MCP servers' config file "${written}" (resolved to ${resolved}): ${describeFileError(cause)}`
        : `"${written}" is not a valid MCP servers' config file: ${error.message}`;
    return { keyPath, text: `${keyPath}: ${text}`, cause: error };
  }
}

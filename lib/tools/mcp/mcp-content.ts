/**
 * MCP tool results → llmproc tool results.
 *
 * @module
 */
import type { ToolResultPart } from '../../providers/types.js';
import type { ToolResult } from '../tool.js';

type McpContent = { type: string; [key: string]: unknown };

/** One MCP content item as a tool result part (text, image; anything else described as text). */
function toPart(item: McpContent): ToolResultPart {
  switch (item.type) {
    case 'text':
      return { type: 'text', text: String(item['text'] ?? '') };
    case 'image':
      return { type: 'image', mediaType: String(item['mimeType'] ?? 'image/png'), data: String(item['data'] ?? '') };
    case 'resource': {
      const resource = (item['resource'] ?? {}) as { uri?: string; text?: string; mimeType?: string };
      return { type: 'text', text: resource.text ?? `[resource ${resource.uri ?? ''} (${resource.mimeType ?? 'binary'})]` };
    }
    case 'resource_link':
      return { type: 'text', text: `[resource link ${String(item['uri'] ?? '')}]` };
    default:
      return { type: 'text', text: `[${item.type} content (${String(item['mimeType'] ?? 'unknown type')}) not shown]` };
  }
}

/** An MCP `tools/call` result as a {@link ToolResult}. */
export function fromMcpResult(result: { content?: unknown; structuredContent?: unknown; isError?: unknown; toolResult?: unknown }): ToolResult {
  const isError = result.isError === true;
  const content = Array.isArray(result.content) ? (result.content as McpContent[]) : [];
  if (content.length === 0) {
    const data = result.structuredContent ?? result.toolResult;
    return { content: data === undefined ? '' : JSON.stringify(data), isError };
  }
  const parts = content.map(toPart);
  if (parts.every((part) => part.type === 'text')) {
    return { content: parts.map((part) => (part as { text: string }).text).join('\n'), isError };
  }
  return { content: parts, isError };
}

/**
 * MCP `tools/call` results → llmproc tool results: text items become text parts, image items image
 * parts (or a note, for an image the model API would refuse), anything else text the model can read: an embedded text resource its text, audio and
 * binary resources a one-line summary (never their base64), other items their JSON.
 *
 * @module
 */
import { acceptedImagePart } from '../../providers/accepted-images.js';
import type { ToolResultPart } from '../../providers/types.js';
import type { ToolResult } from '../tool.js';

type McpContentItem = { type?: unknown; [key: string]: unknown };

/** One MCP content item as a tool result part. */
function toPart(item: McpContentItem): ToolResultPart {
  if (item.type === 'text' && typeof item['text'] === 'string') return { type: 'text', text: item['text'] };
  if (item.type === 'image' && typeof item['data'] === 'string' && typeof item['mimeType'] === 'string') {
    return acceptedImagePart({ type: 'image', mediaType: item['mimeType'], data: item['data'] });
  }
  if (item.type === 'audio' && typeof item['data'] === 'string') {
    return { type: 'text', text: `[audio: ${mimeTypeOf(item['mimeType'])}, ${base64Bytes(item['data'])} bytes, not shown]` };
  }
  if (item.type === 'resource') {
    const resource = item['resource'] as { text?: unknown; blob?: unknown; uri?: unknown; mimeType?: unknown } | undefined;
    if (typeof resource?.text === 'string') return { type: 'text', text: resource.text };
    if (typeof resource?.blob === 'string') {
      const uri = typeof resource.uri === 'string' ? ` ${resource.uri}` : '';
      return { type: 'text', text: `[resource${uri}: ${mimeTypeOf(resource.mimeType)}, ${base64Bytes(resource.blob)} bytes of binary data, not shown]` };
    }
  }
  return { type: 'text', text: JSON.stringify(item) };
}

/** A mime type for a summary: the item's, or `unknown type`. */
function mimeTypeOf(value: unknown): string {
  return typeof value === 'string' && value !== '' ? value : 'unknown type';
}

/** The size of base64 `data` once decoded, computed without decoding it. */
function base64Bytes(data: string): number {
  return Buffer.byteLength(data, 'base64');
}

/**
 * An MCP `tools/call` result as a {@link ToolResult}. One text item gives a string; several items
 * give parts. `isError` is kept; `structuredContent` (or a legacy `toolResult`) without content
 * becomes its JSON text.
 */
export function fromMcpResult(result: { content?: unknown; structuredContent?: unknown; isError?: unknown; toolResult?: unknown }): ToolResult {
  const isError = result.isError === true;
  const items = Array.isArray(result.content) ? (result.content as McpContentItem[]) : [];
  if (items.length === 0) {
    const data = result.structuredContent ?? result.toolResult;
    return { content: data === undefined ? '' : JSON.stringify(data), isError };
  }
  const parts = items.map(toPart);
  const only = parts.length === 1 ? parts[0] : undefined;
  return { content: only?.type === 'text' ? only.text : parts, isError };
}

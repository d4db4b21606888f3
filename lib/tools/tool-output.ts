/**
 * What a function tool returns → a {@link ToolResult}.
 *
 * @module
 */
import { acceptedParts } from '../providers/accepted-images.js';
import type { ToolResultPart } from '../providers/types.js';
import { errorResult, textResult, type ToolResult } from './tool.js';

/** Whether `value` is a text part `{ type: 'text', text }` or an image part `{ type: 'image', mediaType, data }`. */
function isPart(value: unknown): value is ToolResultPart {
  if (typeof value !== 'object' || value === null) return false;
  const part = value as Record<string, unknown>;
  if (part['type'] === 'text') return typeof part['text'] === 'string';
  return part['type'] === 'image' && typeof part['data'] === 'string' && typeof part['mediaType'] === 'string';
}

/** Whether `value` is a non-empty array of content parts. */
function isPartList(value: unknown): value is ToolResultPart[] {
  return Array.isArray(value) && value.length > 0 && value.every(isPart);
}

/** Whether `value` has the shape of a {@link ToolResult}. */
function isToolResult(value: unknown): value is ToolResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { content, isError } = value as Record<string, unknown>;
  return typeof isError === 'boolean' && (typeof content === 'string' || isPartList(content) || (Array.isArray(content) && content.length === 0));
}

/** `value` as pretty JSON, or an error result saying why it cannot be sent. */
function jsonResult(value: unknown): ToolResult {
  let json: string | undefined;
  try {
    json = JSON.stringify(value, null, 2);
  } catch (error) {
    return errorResult(`The tool returned a value that cannot be sent as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  // JSON.stringify gives undefined for a function or a symbol.
  if (json === undefined) return errorResult(`The tool returned a ${typeof value}, which cannot be sent as JSON.`);
  return textResult(json);
}

/**
 * Converts a function tool's return value: a string is text; `undefined` or `null` is empty text;
 * a `{ content, isError }` result passes through (only those two fields); a non-empty array of
 * text/image parts is sent as parts, an image the API would refuse (its type or size) replaced by
 * a text note saying so; anything else is sent as pretty JSON. A value JSON cannot
 * hold (a BigInt, a cycle, a function) becomes an `is_error` result saying so.
 */
export function toToolResult(value: unknown): ToolResult {
  if (typeof value === 'string') return textResult(value);
  if (value === undefined || value === null) return textResult('');
  if (isToolResult(value)) return { content: typeof value.content === 'string' ? value.content : acceptedParts(value.content), isError: value.isError };
  if (isPartList(value)) return { content: acceptedParts(value), isError: false };
  return jsonResult(value);
}

/**
 * What a function tool returns → a {@link ToolResult}.
 *
 * @module
 */
import type { ToolResultPart } from '../providers/types.js';
import { errorResult, type ToolResult } from './tool.js';

function isPart(value: unknown): value is ToolResultPart {
  if (typeof value !== 'object' || value === null) return false;
  const part = value as Record<string, unknown>;
  return (part['type'] === 'text' && typeof part['text'] === 'string') || (part['type'] === 'image' && typeof part['data'] === 'string' && typeof part['mediaType'] === 'string');
}

function isToolResult(value: unknown): value is ToolResult {
  if (typeof value !== 'object' || value === null) return false;
  const { content, isError } = value as Record<string, unknown>;
  return typeof isError === 'boolean' && (typeof content === 'string' || (Array.isArray(content) && content.every(isPart)));
}

/**
 * Converts a function tool's return value: a string is text; `undefined` or `null` is empty text;
 * a `{ content, isError }` result passes through; an array of text/image parts is sent as parts;
 * anything else is sent as JSON (a value that cannot be, such as a BigInt or a cycle, is an error).
 */
export function toToolResult(value: unknown): ToolResult {
  if (typeof value === 'string') return { content: value, isError: false };
  if (value === undefined || value === null) return { content: '', isError: false };
  if (isToolResult(value)) return value;
  if (Array.isArray(value) && value.length > 0 && value.every(isPart)) return { content: value, isError: false };
  try {
    return { content: JSON.stringify(value, null, 2) ?? String(value), isError: false };
  } catch (error) {
    return errorResult(`The tool returned a value that cannot be sent as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

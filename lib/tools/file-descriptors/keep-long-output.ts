/**
 * Where long output is intercepted: after a tool ran (and its `afterToolCall` hook), before its
 * result enters the conversation. A text result longer than `maxDirectOutputChars` is kept in the
 * process's store and replaced by a note with its first page; results with images are left as
 * they are, and so are the descriptor tools' own results (read_fd's pages are never kept again).
 *
 * @module
 */
import type { ToolResultPart } from '../../providers/types.js';
import type { ToolResult, ToolSource } from '../tool.js';
import { formatKept } from './format.js';
import { FILE_DESCRIPTOR_TOOL_NAMES } from './settings.js';
import type { FileDescriptorStore } from './store.js';

/** The text of a result that holds only text, or `undefined` when it has an image. */
function textOnly(content: string | ToolResultPart[]): string | undefined {
  if (typeof content === 'string') return content;
  if (!content.every((part) => part.type === 'text')) return undefined;
  return content.map((part) => (part as { text: string }).text).join('\n');
}

/**
 * `result`, or when it is text longer than the store's limit, the note that replaces it (the text
 * kept in `store`). `source` is the tool's: only the builtin descriptor tools are exempt.
 */
export function keepLongOutput(store: FileDescriptorStore, call: { toolName: string; toolUseId: string; source: ToolSource | undefined }, result: ToolResult): ToolResult {
  if (call.source?.kind === 'builtin' && FILE_DESCRIPTOR_TOOL_NAMES.includes(call.toolName)) return result;
  const text = textOnly(result.content);
  if (text === undefined || !store.wouldKeep(text.length)) return result;
  const entry = store.keep(text, { toolName: call.toolName, toolUseId: call.toolUseId });
  return { content: formatKept(entry, store.settings.maxDirectOutputChars, store.settings.canWrite), isError: result.isError };
}

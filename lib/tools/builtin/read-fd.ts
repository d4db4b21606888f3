/**
 * The builtin `read_fd` tool (`[tools] enabled = ["read_fd"]`): reads a file descriptor, the
 * process's copy of a tool result too long to show at once, by page (`{ fd, page }`, 1-based) or
 * by range (`{ fd, offset, length }`, in characters). Every bad input — an id that is not one, was
 * never made or was released, a page or offset out of range, a length over what is shown at once,
 * a number that is not a non-negative integer — is an `is_error` result that says why. Its own
 * output is never kept as a new descriptor.
 *
 * @module
 */
import { FileDescriptorRefusal, type ReadRequest } from '../file-descriptors/store.js';
import { formatPart } from '../file-descriptors/format.js';
import { errorResult, textResult, type Tool, type ToolContext, type ToolResult } from '../tool.js';

/** The input keys `read_fd` takes. */
const KEYS = ['fd', 'page', 'offset', 'length'];

/** `value` as a safe integer of at least `min`, or a refusal naming `key`. */
function integerAt(input: Record<string, unknown>, key: string, min: number): number {
  const value = input[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    const shown = typeof value === 'number' ? String(value) : JSON.stringify(value) ?? typeof value;
    throw new FileDescriptorRefusal(`"${key}" must be an integer of at least ${min}, received ${shown.slice(0, 40)}.`);
  }
  return value;
}

/** The part of the descriptor `input` asks for. */
function requestOf(input: Record<string, unknown>, pageSize: number): ReadRequest {
  const unknown = Object.keys(input).filter((key) => !KEYS.includes(key));
  if (unknown.length > 0) throw new FileDescriptorRefusal(`unknown input ${unknown.map((key) => JSON.stringify(key.slice(0, 40))).join(', ')}; read_fd takes fd, and page or offset (with length).`);
  const has = (key: string): boolean => input[key] !== undefined;
  if (has('page') && (has('offset') || has('length'))) throw new FileDescriptorRefusal('give "page", or "offset" (with "length"), not both.');
  if (has('length') && !has('offset')) throw new FileDescriptorRefusal('"length" goes with "offset": give both, or "page" alone.');
  if (has('offset')) {
    const offset = integerAt(input, 'offset', 0);
    return { offset, length: has('length') ? integerAt(input, 'length', 1) : pageSize };
  }
  return { page: has('page') ? integerAt(input, 'page', 1) : 1 };
}

function read(input: Record<string, unknown>, context: ToolContext): ToolResult {
  const store = context.fileDescriptors;
  if (!store) return errorResult('Error: this process keeps no file descriptors (its program does not enable them), so there is nothing to read.');
  try {
    const entry = store.lookup(input['fd']);
    return textResult(formatPart(store.read(entry.fd, requestOf(input, entry.pageSize), context.toolUseId)));
  } catch (error) {
    if (error instanceof FileDescriptorRefusal) return errorResult(`Error: ${error.message}`);
    throw error;
  }
}

/** The `read_fd` tool. */
export const readFdTool: Tool = {
  name: 'read_fd',
  uses: ['fileDescriptors'],
  description:
    'Reads a file descriptor: a tool result too long to show at once, kept by the process (the result said "kept as fd:N"). ' +
    'Give "page" (1-based; default 1) to read a page, or "offset" and "length" (characters) to read a range.',
  inputSchema: {
    type: 'object',
    properties: {
      fd: { type: 'string', description: 'The descriptor id, e.g. "fd:1".' },
      page: { type: 'integer', minimum: 1, description: 'The page to read (1-based). Not with offset.' },
      offset: { type: 'integer', minimum: 0, description: 'Where to start reading (characters from the start).' },
      length: { type: 'integer', minimum: 1, description: 'How many characters to read from offset; default one page.' },
    },
    required: ['fd'],
    additionalProperties: false,
  },
  source: { kind: 'builtin' },
  run: async (input, context) => read(input, context),
};

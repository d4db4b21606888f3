/**
 * The builtin `read_file` tool (`[tools] enabled = ["read_file"]`): reads a UTF-8 text file inside
 * the allowed folders. The path as given and its real path (symlinks resolved) are both checked
 * against the roots, by path segment, so `..`, absolute paths elsewhere, NUL bytes, symlinks that
 * escape and sibling-prefix folders are all refused; so are files over a size cap, folders, devices
 * and binary files (RELIABILITY.md R18). Every refusal is an `is_error` result that says why.
 *
 * The file is opened with `O_NOFOLLOW` (its last segment cannot be swapped for a symlink after the
 * check) and read up to the cap, even if it grows after `stat`.
 *
 * @module
 */
import { constants } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { InvalidArgumentError } from '../../errors.js';
import { errorResult, textResult, type Tool, type ToolResult } from '../tool.js';
import { createFileRoots, describeFsError, Refusal } from './file-roots.js';

export { isInside } from './file-roots.js';

/** Largest file read by default: 256 KiB. */
export const DEFAULT_MAX_FILE_BYTES = 256 * 1024;

/** Options of {@link createReadFileTool}. */
export interface ReadFileToolOptions {
  /** Relative paths resolve against this folder (the program's folder). */
  baseDir: string;
  /** Folders the tool may read inside (relative ones resolve against `baseDir`); default `[baseDir]`. */
  allowedRoots?: readonly string[] | undefined;
  /** Largest file, in bytes (a positive integer); default {@link DEFAULT_MAX_FILE_BYTES}. */
  maxBytes?: number | undefined;
}

/** `O_NOFOLLOW` where the platform has it; `O_NONBLOCK` so that opening a FIFO never hangs. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
const CHUNK_BYTES = 64 * 1024;

/** Stats of a regular file, or a {@link Refusal} for a folder, a device, a FIFO, or a file over the cap. */
function checkFile(info: Stats, shown: string, maxBytes: number): void {
  if (info.isDirectory()) throw new Refusal(`${shown} is a folder, not a file.`);
  if (!info.isFile()) throw new Refusal(`${shown} is not a regular file.`);
  if (info.size > maxBytes) throw new Refusal(`${shown} is ${info.size} bytes, over the ${maxBytes}-byte limit of this tool; refused.`);
}

/** Up to `limit + 1` bytes of `handle` (one more than allowed shows that the file is too big). */
async function readAtMost(handle: FileHandle, limit: number, signal: AbortSignal): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total <= limit) {
    signal.throwIfAborted();
    const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, limit + 1 - total));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
  }
  return Buffer.concat(chunks, total);
}

/** `bytes` as text, or a {@link Refusal} for a binary file or invalid UTF-8. */
function decodeText(bytes: Buffer, shown: string): string {
  if (bytes.includes(0)) throw new Refusal(`${shown} looks like a binary file (it contains NUL bytes); only text files can be read.`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Refusal(`${shown} is not valid UTF-8 text; only text files can be read.`);
  }
}

/**
 * Creates a `read_file` tool confined to `options.allowedRoots` (default: `baseDir`). The roots'
 * real paths are resolved once, at the first call.
 *
 * @throws {InvalidArgumentError} for an empty `baseDir`, a bad root or a `maxBytes` that is not a positive integer.
 */
export function createReadFileTool(options: ReadFileToolOptions): Tool {
  const roots = createFileRoots(options);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) throw new InvalidArgumentError('options.maxBytes', `must be a positive integer, got ${String(maxBytes)}`);
  const shownRoots = roots.shown;

  /** The text of the file at `real`, checked before and after opening it. */
  async function readText(real: string, shown: string, signal: AbortSignal): Promise<string> {
    checkFile(await stat(real), shown, maxBytes);
    const handle = await open(real, OPEN_FLAGS);
    try {
      checkFile(await handle.stat(), shown, maxBytes);
      const bytes = await readAtMost(handle, maxBytes, signal);
      if (bytes.length > maxBytes) throw new Refusal(`${shown} grew over the ${maxBytes}-byte limit of this tool while being read; refused.`);
      return decodeText(bytes, shown);
    } finally {
      await handle.close();
    }
  }

  async function read(input: Record<string, unknown>, signal: AbortSignal): Promise<ToolResult> {
    let shown = '"(no path)"';
    try {
      if (typeof input['path'] === 'string') shown = JSON.stringify(input['path']);
      const located = await roots.locate(input['path'], 'read');
      shown = located.shown;
      if (!located.exists) return errorResult(`Error: cannot read ${shown}: no such file.`);
      return textResult(await readText(located.real, shown, signal));
    } catch (error) {
      if (error instanceof Refusal) return errorResult(`Error: ${error.message}`);
      if (signal.aborted) return errorResult(`Error: reading ${shown} was cancelled.`);
      return errorResult(`Error: cannot read ${shown}: ${describeFsError(error)}.`);
    }
  }

  return {
    name: 'read_file',
    description:
      `Reads a UTF-8 text file (at most ${maxBytes} bytes) and returns its content. Relative paths are relative to ` +
      `the program's folder; only files inside these folders can be read: ${shownRoots}.`,
    inputSchema: {
      type: 'object',
      properties: { path: { type: 'string', description: "Path of the file, relative to the program's folder." } },
      required: ['path'],
      additionalProperties: false,
    },
    source: { kind: 'builtin' },
    run: (input, context) => read(input, context.signal),
  };
}

/**
 * The builtin `read_file` tool (`[tools] enabled = ["read_file"]`): reads a UTF-8 text file inside
 * the allowed folders. The real path (symlinks resolved) is checked against the real path of each
 * root, by path segment, so `..`, absolute paths elsewhere, NUL bytes, symlinks that escape and
 * sibling-prefix folders are all refused; so are files over a size cap (RELIABILITY.md R18).
 *
 * @module
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { errorResult, textResult, type Tool, type ToolResult } from '../tool.js';

/** Largest file read by default: 256 KiB. */
export const DEFAULT_MAX_FILE_BYTES = 256 * 1024;

/** Options of {@link createReadFileTool}. */
export interface ReadFileToolOptions {
  /** Relative paths resolve against this folder (the program's folder). */
  baseDir: string;
  /** Folders the tool may read inside; default `[baseDir]`. */
  allowedRoots?: readonly string[] | undefined;
  /** Largest file, in bytes; default {@link DEFAULT_MAX_FILE_BYTES}. */
  maxBytes?: number | undefined;
}

/** Whether `target` is `root` or inside it, by whole path segments. */
export function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function describeError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'a part of the path is not a folder';
  if (code === 'ELOOP') return 'too many symbolic links';
  return error instanceof Error ? error.message : String(error);
}

/** Creates a `read_file` tool confined to `options.allowedRoots`. */
export function createReadFileTool(options: ReadFileToolOptions): Tool {
  const baseDir = path.resolve(options.baseDir);
  const roots = (options.allowedRoots ?? [baseDir]).map((root) => path.resolve(baseDir, root));
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  let realRoots: Promise<string[]> | undefined;
  const shownRoots = roots.join(', ');

  async function read(input: Record<string, unknown>, signal: AbortSignal): Promise<ToolResult> {
    const given = input['path'];
    if (typeof given !== 'string' || given.trim() === '') return errorResult('Error: "path" must be a non-empty string.');
    if (given.includes('\0')) return errorResult('Error: the path contains a NUL byte; refused.');
    const resolved = path.resolve(baseDir, given);
    if (!roots.some((root) => isInside(root, resolved))) {
      return errorResult(`Error: "${given}" is outside the folders this tool may read (${shownRoots}); refused.`);
    }
    let real: string;
    try {
      realRoots ??= Promise.all(roots.map((root) => realpath(root).catch(() => root)));
      real = await realpath(resolved);
    } catch (error) {
      return errorResult(`Error: cannot read "${given}": ${describeError(error)}.`);
    }
    if (!(await realRoots).some((root) => isInside(root, real))) {
      return errorResult(`Error: "${given}" leads outside the folders this tool may read (through a symbolic link); refused.`);
    }
    try {
      const info = await stat(real);
      if (info.isDirectory()) return errorResult(`Error: "${given}" is a folder, not a file.`);
      if (!info.isFile()) return errorResult(`Error: "${given}" is not a regular file.`);
      if (info.size > maxBytes) {
        return errorResult(`Error: "${given}" is ${info.size} bytes, over the ${maxBytes}-byte limit of this tool; refused.`);
      }
      const bytes = await readFile(real, { signal });
      if (bytes.includes(0)) return errorResult(`Error: "${given}" looks like a binary file (it contains NUL bytes); only text files can be read.`);
      const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
      return textResult(text);
    } catch (error) {
      if (error instanceof TypeError) return errorResult(`Error: "${given}" is not valid UTF-8 text.`);
      if ((error as { name?: string }).name === 'AbortError') return errorResult('Error: cancelled.');
      return errorResult(`Error: cannot read "${given}": ${describeError(error)}.`);
    }
  }

  return {
    name: 'read_file',
    description: 'Reads a UTF-8 text file and returns its content. Paths are relative to the program\'s folder.',
    inputSchema: {
      type: 'object',
      properties: { path: { type: 'string', description: 'Path of the file, relative to the program\'s folder.' } },
      required: ['path'],
      additionalProperties: false,
    },
    source: { kind: 'builtin' },
    run: (input, context) => read(input, context.signal),
  };
}

/**
 * The builtin `fd_to_file` tool (`[tools] enabled = ["fd_to_file"]`): writes a whole file
 * descriptor to a UTF-8 file inside the allowed folders (`[tools.read_file] allowed_roots`, default
 * the program's folder), with read_file's checks of the path (file-roots.ts: `..`, absolute paths
 * elsewhere, NUL bytes, symlinks that escape, sibling-prefix folders). It never writes through a
 * symbolic link (the last segment is opened with `O_NOFOLLOW`, into the real path of its folder),
 * never replaces a file unless the call says `overwrite: true`, never replaces a file with other
 * hard links (one of them may be outside), and never creates folders.
 *
 * @module
 */
import { constants } from 'node:fs';
import { lstat, open, realpath } from 'node:fs/promises';
import path from 'node:path';
import { FileDescriptorRefusal } from '../file-descriptors/store.js';
import { errorResult, textResult, type Tool, type ToolContext, type ToolResult } from '../tool.js';
import { createFileRoots, describeFsError, errorCode, type FileRootsOptions, Refusal } from './file-roots.js';

/** Options of {@link createFdToFileTool}: the folders it may write to. */
export type FdToFileToolOptions = FileRootsOptions;

const KEYS = ['fd', 'path', 'overwrite'];
/** `O_NOFOLLOW`: the last segment cannot be a symlink; `O_NONBLOCK`: a FIFO never hangs the call. */
const BASE_FLAGS = constants.O_WRONLY | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Creates an `fd_to_file` tool confined to `options.allowedRoots` (default: `baseDir`).
 * @throws {InvalidArgumentError} for an empty `baseDir` or a bad root.
 */
export function createFdToFileTool(options: FdToFileToolOptions): Tool {
  const roots = createFileRoots(options);

  /** Where to open the file: its folder's real path (checked inside) and its name; refuses what may not be written. */
  async function target(given: unknown, overwrite: boolean): Promise<{ file: string; shown: string }> {
    const located = await roots.locate(given, 'write to');
    const { shown, resolved } = located;
    const existing = await lstat(resolved).catch((error: unknown) => (errorCode(error) === 'ENOENT' ? undefined : Promise.reject(error)));
    if (existing?.isSymbolicLink()) throw new Refusal(`${shown} is a symbolic link; fd_to_file never writes through one.`);
    if (existing?.isDirectory()) throw new Refusal(`${shown} is a folder; give the path of a file in it.`);
    if (existing && !existing.isFile()) throw new Refusal(`${shown} is not a regular file; refused.`);
    if (existing && !overwrite) throw new Refusal(`${shown} already exists; give "overwrite": true to replace it.`);
    if (existing && existing.nlink > 1) throw new Refusal(`${shown} has other hard links (one may be outside the allowed folders); refused.`);
    const folder = await realpath(path.dirname(resolved)).catch((error: unknown) => {
      throw errorCode(error) === 'ENOENT' ? new Refusal(`the folder of ${shown} does not exist; fd_to_file does not create folders.`) : error;
    });
    if (!(await roots.insideReal(folder))) throw new Refusal(`${shown} leads outside the folders this tool may write to (through a symbolic link); refused.`);
    return { file: path.join(folder, path.basename(resolved)), shown };
  }

  async function write(input: Record<string, unknown>, context: ToolContext): Promise<ToolResult> {
    const store = context.fileDescriptors;
    if (!store) return errorResult('Error: this process keeps no file descriptors (its program does not enable them), so there is nothing to write.');
    let shown = '"(no path)"';
    try {
      const unknown = Object.keys(input).filter((key) => !KEYS.includes(key));
      if (unknown.length > 0) throw new Refusal(`unknown input ${unknown.map((key) => JSON.stringify(key.slice(0, 40))).join(', ')}; fd_to_file takes fd, path and overwrite.`);
      const overwrite = input['overwrite'] ?? false;
      if (typeof overwrite !== 'boolean') throw new Refusal('"overwrite" must be true or false.');
      const entry = store.lookup(input['fd']);
      if (typeof input['path'] === 'string') shown = JSON.stringify(input['path']);
      const place = await target(input['path'], overwrite);
      shown = place.shown;
      context.signal.throwIfAborted();
      const handle = await open(place.file, BASE_FLAGS | (overwrite ? 0 : constants.O_EXCL), 0o644);
      try {
        const info = await handle.stat();
        if (!info.isFile()) throw new Refusal(`${shown} is not a regular file; refused.`);
        // A file replaced loses its old content; a new one (O_EXCL) is empty already. UTF-8 is
        // writeFile's default, as it is Buffer.byteLength's below.
        await handle.truncate(0);
        await handle.writeFile(entry.content);
      } finally {
        await handle.close();
      }
      const bytes = Buffer.byteLength(entry.content);
      return textResult(
        `<fd_file_result fd="${entry.fd}" path=${shown} chars="${entry.content.length}" bytes="${bytes}">\n` +
          `Wrote ${entry.fd} (${entry.content.length} characters, ${bytes} bytes) to ${shown}.\n</fd_file_result>`,
      );
    } catch (error) {
      if (error instanceof Refusal || error instanceof FileDescriptorRefusal) return errorResult(`Error: ${error.message}`);
      if (context.signal.aborted) return errorResult(`Error: writing ${shown} was cancelled.`);
      if (errorCode(error) === 'ELOOP') return errorResult(`Error: ${shown} is a symbolic link; fd_to_file never writes through one.`);
      if (errorCode(error) === 'EEXIST') return errorResult(`Error: ${shown} already exists; give "overwrite": true to replace it.`);
      return errorResult(`Error: cannot write ${shown}: ${describeFsError(error)}.`);
    }
  }

  return {
    name: 'fd_to_file',
    uses: ['fileDescriptors'],
    description:
      'Writes the whole content of a file descriptor (a long tool result kept as "fd:N") to a UTF-8 text file. ' +
      `Relative paths are relative to the program's folder; only files inside these folders can be written: ${roots.shown}. ` +
      'An existing file is replaced only with "overwrite": true; folders are not created.',
    inputSchema: {
      type: 'object',
      properties: {
        fd: { type: 'string', description: 'The descriptor id, e.g. "fd:1".' },
        path: { type: 'string', description: "Path of the file to write, relative to the program's folder." },
        overwrite: { type: 'boolean', description: 'Replace the file if it exists (default false).' },
      },
      required: ['fd', 'path'],
      additionalProperties: false,
    },
    source: { kind: 'builtin' },
    exclusive: true,
    run: (input, context) => write(input, context),
  };
}

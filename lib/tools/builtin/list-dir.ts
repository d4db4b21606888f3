/**
 * The builtin `list_dir` tool (`[tools] enabled = ["list_dir"]`): lists a folder inside the allowed
 * folders (`[tools.read_file] allowed_roots`, default the program's folder) with read_file's checks
 * of the path (file-roots.ts). Each entry has its kind (file, dir, symlink, other) and, for files,
 * its size; entries are sorted by name and capped, with a note of how many were left out. Entries
 * are read with `lstat`, so a symbolic link is listed as a link: what it points to is described only
 * when that is inside the allowed folders, and a link leading outside is never followed.
 *
 * @module
 */
import { lstat, opendir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError } from '../../errors.js';
import { errorResult, textResult, type Tool, type ToolResult } from '../tool.js';
import { createFileRoots, describeFsError, type FileRootsOptions, Refusal } from './file-roots.js';

/** Most entries listed by default. */
export const DEFAULT_MAX_ENTRIES = 200;

/** Options of {@link createListDirTool}. */
export interface ListDirToolOptions extends FileRootsOptions {
  /** Most entries listed (a positive integer); default {@link DEFAULT_MAX_ENTRIES}. */
  maxEntries?: number | undefined;
}

const KEYS = ['path', 'show_hidden'];

/** One line of the listing. */
async function describeEntry(folder: string, name: string, insideReal: (real: string) => Promise<boolean>): Promise<string> {
  const full = path.join(folder, name);
  const shown = JSON.stringify(name);
  const info = await lstat(full).catch(() => undefined);
  if (!info) return `? ${shown} (vanished while listing)`;
  if (info.isDirectory()) return `dir ${shown}`;
  if (info.isFile()) return `file ${shown} ${info.size} bytes`;
  if (!info.isSymbolicLink()) return `other ${shown}`;
  const real = await realpath(full).catch(() => undefined);
  if (real === undefined) return `symlink ${shown} -> (broken or leads outside the allowed folders; not followed)`;
  if (!(await insideReal(real))) return `symlink ${shown} -> (outside the allowed folders; not followed)`;
  const target = await stat(real).catch(() => undefined);
  const kind = target?.isDirectory() ? 'dir' : target?.isFile() ? `file, ${target.size} bytes` : 'other';
  return `symlink ${shown} -> ${JSON.stringify(path.relative(folder, real) || '.')} (${kind})`;
}

/**
 * Creates a `list_dir` tool confined to `options.allowedRoots` (default: `baseDir`).
 * @throws {InvalidArgumentError} for an empty `baseDir`, a bad root or a `maxEntries` that is not a positive integer.
 */
export function createListDirTool(options: ListDirToolOptions): Tool {
  const roots = createFileRoots(options);
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  if (!Number.isSafeInteger(maxEntries) || maxEntries <= 0) throw new InvalidArgumentError('options.maxEntries', `must be a positive integer, got ${String(maxEntries)}`);

  async function list(input: Record<string, unknown>, signal: AbortSignal): Promise<ToolResult> {
    let shown = '"."';
    try {
      const unknown = Object.keys(input).filter((key) => !KEYS.includes(key));
      if (unknown.length > 0) throw new Refusal(`unknown input ${unknown.map((key) => JSON.stringify(key.slice(0, 40))).join(', ')}; list_dir takes path and show_hidden.`);
      const showHidden = input['show_hidden'] ?? false;
      if (typeof showHidden !== 'boolean') throw new Refusal('"show_hidden" must be true or false.');
      const given = input['path'] ?? '.';
      if (typeof given === 'string') shown = JSON.stringify(given);
      const located = await roots.locate(given, 'list');
      shown = located.shown;
      if (!located.exists) return errorResult(`Error: cannot list ${shown}: no such folder.`);
      const names: string[] = [];
      let hidden = 0;
      const folder = await opendir(located.real);
      for await (const entry of folder) {
        signal.throwIfAborted();
        if (!showHidden && entry.name.startsWith('.')) hidden++;
        else names.push(entry.name);
      }
      names.sort();
      const lines = [];
      for (const name of names.slice(0, maxEntries)) lines.push(await describeEntry(located.real, name, roots.insideReal));
      const notes = [
        names.length > maxEntries ? `${names.length - maxEntries} more entries not listed (at most ${maxEntries} are).` : '',
        hidden > 0 ? `${hidden} hidden entr${hidden === 1 ? 'y' : 'ies'} (names starting with ".") not listed; give "show_hidden": true to see them.` : '',
      ].filter((note) => note !== '');
      const header = `Folder ${shown}: ${names.length + hidden} entr${names.length + hidden === 1 ? 'y' : 'ies'}.`;
      return textResult([header, ...lines, ...notes].join('\n'));
    } catch (error) {
      if (error instanceof Refusal) return errorResult(`Error: ${error.message}`);
      if (signal.aborted) return errorResult(`Error: listing ${shown} was cancelled.`);
      if ((error as { code?: unknown }).code === 'ENOTDIR') return errorResult(`Error: ${shown} is a file, not a folder; read it with read_file.`);
      return errorResult(`Error: cannot list ${shown}: ${describeFsError(error)}.`);
    }
  }

  return {
    name: 'list_dir',
    description:
      `Lists a folder: each entry's kind (file, dir, symlink) and, for files, its size in bytes; at most ${maxEntries} entries. ` +
      `Relative paths are relative to the program's folder; only folders inside these can be listed: ${roots.shown}.`,
    inputSchema: {
      type: 'object',
      properties: {
        path: { type: 'string', description: "The folder, relative to the program's folder; default the program's folder." },
        show_hidden: { type: 'boolean', description: 'List entries whose names start with "." too (default false).' },
      },
      additionalProperties: false,
    },
    source: { kind: 'builtin' },
    run: (input, context) => list(input, context.signal),
  };
}

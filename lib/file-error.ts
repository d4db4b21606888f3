/**
 * Words for why a file could not be read or written, the same everywhere (program files, prompt
 * and preload files, MCP configs, run logs, reports, the read_file tool).
 *
 * @module
 */

/** The `code` of a file-system error, if it has one. */
export function fileErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * `file not found`, `is a folder, not a file`, `permission denied`, ... for an error thrown by
 * `fs`. When `writing`, a missing file means its folder does not exist.
 */
export function describeFileError(error: unknown, action: 'read' | 'write' = 'read'): string {
  switch (fileErrorCode(error)) {
    case 'ENOENT':
      return action === 'write' ? 'its folder does not exist' : 'file not found';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Words for why a file could not be read.
 *
 * @module
 */

/** `file not found`, `is a folder, not a file`, ... for an error thrown by `fs.readFileSync`. */
export function describeFileError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'file not found';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

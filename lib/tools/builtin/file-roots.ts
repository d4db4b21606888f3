/**
 * The allowed folders of the file builtins (`read_file`, `list_dir`, `fd_to_file`) and the one
 * check they all make (RELIABILITY.md R18): the path as given and its real path (symlinks
 * resolved) must both be inside a root, by whole path segments. `..`, absolute paths elsewhere, NUL
 * bytes, over-long paths, symlinks that escape (also dangling ones, also midway) and sibling-prefix
 * folders are refused with a {@link Refusal} whose message goes to the model as is.
 *
 * @module
 */
import { readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError } from '../../errors.js';
import { describeFileError, fileErrorCode } from '../../file-error.js';

/** Why a file operation is refused; its message goes to the model as is. */
export class Refusal extends Error {}

/** The longest path text accepted (Linux's `PATH_MAX`): longer ones are refused before the file system sees them. */
export const MAX_PATH_CHARS = 4096;

/** The most dangling symbolic links {@link realLocation} follows (Linux's own limit is 40). */
const MAX_LINK_HOPS = 40;

/** A root as configured (absolute) and as the file system resolves it. */
interface Root {
  lexical: string;
  real: string;
}

/** Options of {@link createFileRoots}. */
export interface FileRootsOptions {
  /** Relative paths resolve against this folder (the program's folder). */
  baseDir: string;
  /** Folders inside which the tool may work (relative ones resolve against `baseDir`); default `[baseDir]`. */
  allowedRoots?: readonly string[] | undefined;
}

/** A path checked by {@link FileRoots.locate}. */
export interface LocatedPath {
  /** The path as given, JSON-quoted, for messages. */
  shown: string;
  /** The path resolved against `baseDir` (symlinks not resolved). */
  resolved: string;
  /** Its real path (inside a root), or for a missing path, where it would be. */
  real: string;
  /** Whether something exists at the path (a dangling symlink counts as missing). */
  exists: boolean;
}

/** The checked roots of one tool. */
export interface FileRoots {
  /** The base folder, absolute. */
  readonly baseDir: string;
  /** The roots as shown to the model (`/a, /b`, or `(none)`). */
  readonly shown: string;
  /**
   * Checks `given` (the tool's `path` input) and locates it. `verb` completes "the folders this
   * tool may …" in refusals (`read`, `list`, `write to`).
   * @throws {Refusal} for a path that is not a string, holds a NUL byte, is too long, or leads outside.
   */
  locate(given: unknown, verb: string): Promise<LocatedPath>;
  /** Whether a real path is inside one of the roots' real paths. */
  insideReal(real: string): Promise<boolean>;
}

/** Whether `target` is `root` or inside it, by whole path segments (`/a/root-evil` is not inside `/a/root`). */
export function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  // `root` itself gives '', which passes all three.
  return !relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative);
}

/** `code` of a file-system error, if any. */
export const errorCode = fileErrorCode;

/**
 * A short reason for a file-system error, for the model (never the raw message, which repeats the
 * path): `describeFileError`'s words, but for a few the model is told more plainly.
 */
export function describeFsError(error: unknown): string {
  switch (fileErrorCode(error)) {
    case 'ENOENT':
      return 'no such file';
    case 'ENAMETOOLONG':
      return 'a name in the path is too long';
    case 'EEXIST':
      return 'it already exists';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return describeFileError(error);
  }
}

/**
 * Where a path that does not exist would be: the real path of its deepest existing ancestor plus
 * the rest, following dangling symbolic links (at the end or midway) to where they point. So a
 * missing file behind a link that leads outside is located outside.
 */
export async function realLocation(target: string, hops = 0): Promise<string> {
  const rest: string[] = [];
  for (let current = target; ; current = path.dirname(current)) {
    try {
      return path.join(await realpath(current), ...rest);
    } catch {
      const link = hops < MAX_LINK_HOPS ? await readlink(current).catch(() => undefined) : undefined;
      if (link !== undefined) return realLocation(path.join(path.resolve(path.dirname(current), link), ...rest), hops + 1);
      if (path.dirname(current) === current) return path.join(current, ...rest);
      rest.unshift(path.basename(current));
    }
  }
}

/** The `path` input as a string, or a {@link Refusal} when it is not a usable path. */
export function checkPathText(given: unknown): string {
  if (typeof given !== 'string' || given.trim() === '') throw new Refusal('"path" must be a non-empty string.');
  if (given.includes('\0')) throw new Refusal('the path contains a NUL byte; refused.');
  if (given.length > MAX_PATH_CHARS) throw new Refusal(`the path is ${given.length} characters long, over the ${MAX_PATH_CHARS} accepted; refused.`);
  return given;
}

/**
 * The roots of one tool, checked. Their real paths are resolved once, at the first call.
 * @throws {InvalidArgumentError} for an empty `baseDir` or a bad root.
 */
export function createFileRoots(options: FileRootsOptions): FileRoots {
  if (typeof options.baseDir !== 'string' || options.baseDir === '') throw new InvalidArgumentError('options.baseDir', 'must be a non-empty path');
  const baseDir = path.resolve(options.baseDir);
  const given = options.allowedRoots ?? [baseDir];
  if (!Array.isArray(given) || !given.every((root) => typeof root === 'string' && root !== '')) {
    throw new InvalidArgumentError('options.allowedRoots', 'must be a list of non-empty paths');
  }
  const roots = given.map((root) => path.resolve(baseDir, root));
  const shown = roots.length > 0 ? roots.join(', ') : '(none)';
  let resolvedRoots: Promise<Root[]> | undefined;
  const realRoots = (): Promise<Root[]> =>
    (resolvedRoots ??= Promise.all(roots.map(async (lexical) => ({ lexical, real: await realpath(lexical).catch(() => lexical) }))));

  async function insideReal(real: string): Promise<boolean> {
    return (await realRoots()).some((root) => isInside(root.real, real));
  }

  async function locate(input: unknown, verb: string): Promise<LocatedPath> {
    const text = checkPathText(input);
    const shownPath = JSON.stringify(text);
    const resolved = path.resolve(baseDir, text);
    const allowed = await realRoots();
    if (!allowed.some((root) => isInside(root.lexical, resolved) || isInside(root.real, resolved))) {
      throw new Refusal(`${shownPath} is outside the folders this tool may ${verb} (${shown}); refused.`);
    }
    const leadsOutside = new Refusal(`${shownPath} leads outside the folders this tool may ${verb} (through a symbolic link); refused.`);
    let real: string;
    let exists = true;
    try {
      real = await realpath(resolved);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
      // A missing path behind a symlink that escapes is refused the same way: the answer tells nothing about files outside.
      real = await realLocation(resolved);
      exists = false;
    }
    if (!(await insideReal(real))) throw leadsOutside;
    return { shown: shownPath, resolved, real, exists };
  }

  return { baseDir, shown, locate, insideReal };
}

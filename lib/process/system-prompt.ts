/**
 * The system prompt a process sends: the program's prompt, then an `<env>` block (when
 * `[env_info]` asks for one) and a `<preload>` block with the preloaded files. Built once per
 * process (again only when `preloadFiles()` adds files) and reused for every call, so every
 * request sends the same bytes: a stable prefix is what the API's prompt cache needs. With
 * automatic prompt caching on (the default), the Anthropic provider puts a `cache_control`
 * breakpoint at the end of this prompt (`lib/providers/anthropic/cache-breakpoints.ts`), so the
 * calls after the first read it from the cache.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import type { EnvInfoConfig } from '../program/program-definition.js';
import { ENV_INFO_VARIABLES } from '../program/env-info-variables.js';
import { describeFileError } from '../file-error.js';

/** A file read into the system prompt. */
export interface PreloadedFile {
  /** The path as shown to the model (absolute). */
  path: string;
  content: string;
}

/** The environment facts a process can share, by variable name. */
const ENV_VALUES: Readonly<Record<string, () => string | undefined>> = {
  working_directory: () => process.cwd(),
  platform: () => process.platform,
  date: () => new Date().toISOString().slice(0, 10),
  node_version: () => process.version,
  hostname: () => os.hostname(),
  username: () => {
    try {
      return os.userInfo().username;
    } catch {
      return undefined;
    }
  },
  // Accepted so llmproc 0.2.0 programs load; a Node process has no Python version to report.
  python_version: () => undefined,
};

/** The `<env>` block for `config`, or `''` when no variable is asked for. */
export function envBlock(config: Readonly<EnvInfoConfig>): string {
  const names = config.variables === 'all' ? ENV_INFO_VARIABLES : config.variables;
  if (names.length === 0) return '';
  const lines = names.flatMap((name) => {
    const value = ENV_VALUES[name]?.();
    return value === undefined ? [] : [`${name}: ${value}`];
  });
  return lines.length > 0 ? `<env>\n${lines.join('\n')}\n</env>` : '';
}

/** The `<preload>` block for `files`, or `''` when there are none. */
export function preloadBlock(files: readonly PreloadedFile[]): string {
  if (files.length === 0) return '';
  const body = files.map((file) => `<file path="${file.path}">\n${file.content}\n</file>`).join('\n');
  return `<preload>\n${body}\n</preload>`;
}

/** The whole system prompt: the program's prompt, the env block, the preload block. */
export function composeSystemPrompt(base: string, env: string, files: readonly PreloadedFile[]): string {
  if (env === '' && files.length === 0) return base;
  return [base, env, preloadBlock(files)].filter((part) => part !== '').join('\n\n');
}

/**
 * Reads `paths` (absolute). A file that cannot be read is reported through `onMissing` (a warning
 * naming it) and skipped, not a failure, as in llmproc.
 */
export async function readPreloadFiles(paths: readonly string[], onMissing: (path: string, reason: string) => void): Promise<PreloadedFile[]> {
  const read = await Promise.all(
    paths.map(async (path): Promise<PreloadedFile | undefined> => {
      try {
        return { path, content: await readFile(path, 'utf8') };
      } catch (error) {
        onMissing(path, describeFileError(error));
        return undefined;
      }
    }),
  );
  return read.filter((file): file is PreloadedFile => file !== undefined);
}

/** Warns, through Node's process warnings, that a preload file was skipped. */
export function warnMissingPreload(path: string, reason: string): void {
  process.emitWarning(`preload file skipped: ${path} (${reason})`, { type: 'LLMProcPreloadWarning' });
}

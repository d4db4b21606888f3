/**
 * The settings of a process's file descriptors (`[file_descriptor]` in TOML, `fileDescriptor` in
 * code; the key names are Python llmproc's): when a tool result is long enough to be kept, and how
 * long a page is. Counted in characters (UTF-16 code units, as JavaScript strings count them).
 *
 * @module
 */

/** Tool results longer than this many characters are kept as a descriptor by default (Python llmproc's default). */
export const DEFAULT_MAX_DIRECT_OUTPUT_CHARS = 8000;

/** Characters per page by default (Python llmproc's default). */
export const DEFAULT_PAGE_SIZE = 4000;

/** The largest accepted `max_direct_output_chars` and `default_page_size`: 1,000,000 characters (far over any context window). */
export const MAX_SETTING_CHARS = 1_000_000;

/** The most characters one descriptor keeps: a longer output is cut there, and the note says so. */
export const MAX_DESCRIPTOR_CHARS = 8 * 1024 * 1024;

/** The most characters a process keeps in all its descriptors: past it, the oldest are released. */
export const MAX_STORE_CHARS = 64 * 1024 * 1024;

/** The builtin tools that read or write descriptors; their own results are never kept as one. */
export const FILE_DESCRIPTOR_TOOL_NAMES: readonly string[] = Object.freeze(['read_fd', 'fd_to_file']);

/** A program's `[file_descriptor]` settings as written (every key optional). */
export interface FileDescriptorConfig {
  /** Whether tool results are kept as descriptors; default: whether `read_fd` or `fd_to_file` is enabled. */
  enabled?: boolean | undefined;
  /** Results longer than this (characters) are kept as a descriptor; default {@link DEFAULT_MAX_DIRECT_OUTPUT_CHARS}. */
  maxDirectOutputChars?: number | undefined;
  /** Characters per page, at most `maxDirectOutputChars`; default {@link DEFAULT_PAGE_SIZE} (or `maxDirectOutputChars` when that is smaller). */
  defaultPageSize?: number | undefined;
}

/** The settings a process's descriptor store works with. */
export interface FileDescriptorSettings {
  /** Results longer than this many characters are kept. */
  maxDirectOutputChars: number;
  /** Characters per page of a new descriptor. */
  defaultPageSize: number;
  /** Whether `fd_to_file` is enabled (the note then says the model may save a descriptor). */
  canWrite: boolean;
}

/**
 * The settings of a program's descriptors, or `undefined` when the program does not use them
 * (`enabled` false, or unset and neither `read_fd` nor `fd_to_file` enabled).
 */
export function fileDescriptorSettings(config: FileDescriptorConfig, builtinTools: readonly string[]): FileDescriptorSettings | undefined {
  const usesTools = builtinTools.some((name) => FILE_DESCRIPTOR_TOOL_NAMES.includes(name));
  if (!(config.enabled ?? usesTools)) return undefined;
  const maxDirectOutputChars = config.maxDirectOutputChars ?? DEFAULT_MAX_DIRECT_OUTPUT_CHARS;
  const defaultPageSize = config.defaultPageSize ?? Math.min(DEFAULT_PAGE_SIZE, maxDirectOutputChars);
  return { maxDirectOutputChars, defaultPageSize, canWrite: builtinTools.includes('fd_to_file') };
}

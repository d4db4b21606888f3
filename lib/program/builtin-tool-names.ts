/**
 * The builtin tools a program may enable with `[tools] enabled`.
 *
 * @module
 */

/** Every builtin tool a program may enable, by the name the model calls it. */
export const BUILTIN_TOOL_NAMES = ['calculator', 'read_file', 'spawn', 'fork', 'goto', 'read_fd', 'fd_to_file', 'list_dir'] as const;

/** One of {@link BUILTIN_TOOL_NAMES}. */
export type BuiltinToolName = (typeof BUILTIN_TOOL_NAMES)[number];

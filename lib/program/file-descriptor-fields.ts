/**
 * `[file_descriptor]` (TOML, Python llmproc's key names) and `fileDescriptor` (code): when a long
 * tool result is kept as a file descriptor and how long its pages are. Values are checked by the
 * schema (positive integers up to {@link MAX_SETTING_CHARS}); what goes together by
 * {@link fileDescriptorIssues}.
 *
 * @module
 */
import * as v from 'valibot';
import { DEFAULT_MAX_DIRECT_OUTPUT_CHARS, FILE_DESCRIPTOR_TOOL_NAMES, type FileDescriptorConfig, MAX_SETTING_CHARS } from '../tools/file-descriptors/settings.js';
import type { FormattedIssue } from './format-issues.js';
import { tomlTable } from './key-case.js';
import { BooleanSchema, table } from './schema-fields.js';

/** A number of characters: a positive integer up to {@link MAX_SETTING_CHARS}. */
const CharCountSchema = v.pipe(
  v.number(),
  v.integer(),
  v.minValue(1),
  v.maxValue(MAX_SETTING_CHARS),
  v.description(`a positive integer (characters) up to ${MAX_SETTING_CHARS}`),
);

/** The file descriptor settings, declared once (TOML spells them snake_case). */
export const FILE_DESCRIPTOR_SETTINGS = {
  enabled: v.optional(BooleanSchema),
  maxDirectOutputChars: v.optional(CharCountSchema),
  defaultPageSize: v.optional(CharCountSchema),
};

/** `[file_descriptor]` in a TOML program (camelCase once parsed). */
export const TomlFileDescriptorSchema = tomlTable(FILE_DESCRIPTOR_SETTINGS);

/** `fileDescriptor` of a program built in code. */
export const OptionsFileDescriptorSchema = table(FILE_DESCRIPTOR_SETTINGS);

/** How the keys are spelled where the settings came from. */
export interface FileDescriptorKeys {
  /** `file_descriptor` or `fileDescriptor`. */
  section: string;
  /** `default_page_size` or `defaultPageSize`. */
  pageSize: string;
  /** `max_direct_output_chars` or `maxDirectOutputChars`. */
  maxDirect: string;
  /** Where builtin tools are enabled, for messages: `[tools] enabled` or `tools`. */
  tools: string;
}

/** The TOML spelling of the keys. */
export const TOML_FILE_DESCRIPTOR_KEYS: FileDescriptorKeys = { section: 'file_descriptor', pageSize: 'default_page_size', maxDirect: 'max_direct_output_chars', tools: '[tools] enabled' };

/** The spelling of the keys in code. */
export const OPTIONS_FILE_DESCRIPTOR_KEYS: FileDescriptorKeys = { section: 'fileDescriptor', pageSize: 'defaultPageSize', maxDirect: 'maxDirectOutputChars', tools: 'tools' };

/**
 * What the schema cannot see: descriptors enabled without a tool to read them (or turned off while
 * one is enabled), and a page longer than what is shown at once.
 */
export function fileDescriptorIssues(config: FileDescriptorConfig | undefined, builtinTools: readonly string[], keys: FileDescriptorKeys): FormattedIssue[] {
  if (!config) return [];
  const issues: FormattedIssue[] = [];
  const issue = (key: string, text: string): void => void issues.push({ keyPath: `${keys.section}.${key}`, text: `${keys.section}.${key}: ${text}` });
  const tools = builtinTools.filter((name) => FILE_DESCRIPTOR_TOOL_NAMES.includes(name));
  if (config.enabled === true && tools.length === 0) {
    issue('enabled', `is true, but neither read_fd nor fd_to_file is in ${keys.tools}, so the model could not read what is kept; enable "read_fd"`);
  }
  if (config.enabled === false && tools.length > 0) {
    issue('enabled', `is false, but ${tools.join(' and ')} ${tools.length > 1 ? 'are' : 'is'} in ${keys.tools}, with no descriptor ever to read; remove ${tools.length > 1 ? 'them' : 'it'} or the key`);
  }
  const maxDirect = config.maxDirectOutputChars ?? DEFAULT_MAX_DIRECT_OUTPUT_CHARS;
  if (config.defaultPageSize !== undefined && config.defaultPageSize > maxDirect) {
    const given = config.maxDirectOutputChars === undefined ? `its default, ${maxDirect}` : maxDirect;
    issue(keys.pageSize, `${config.defaultPageSize} is longer than ${keys.maxDirect} (${given}): a page must fit in what is shown at once`);
  }
  return issues;
}

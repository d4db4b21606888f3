/**
 * A program as plain data, for snapshots: every setting of its definition (paths absolute), its
 * function tools by name and spec (their code cannot be written down), and linked programs built in
 * code nested the same way. Its fingerprint — a SHA-256 of the data with its keys sorted — tells
 * whether a snapshot belongs to a program: another model, prompt, tool or setting is another
 * program.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { LLMProgram } from '../program/llm-program.js';
import type { EndpointSettings, EnvInfoConfig, LogSettings, McpConfig, ReadFileSettings } from '../program/settings-tables.js';
import type { FileDescriptorConfig } from '../tools/file-descriptors/settings.js';

/** A function tool as a snapshot records it: what the model sees of it, and how it is run. */
export interface FunctionToolData {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  exclusive?: boolean | undefined;
  requireApproval?: boolean | undefined;
}

/** A program's definition as plain data (JSON). */
export interface ProgramData {
  model: string;
  provider: string;
  displayName: string;
  endpoint: EndpointSettings;
  /** The program's system prompt (the file's text when it has a prompt file). */
  systemPrompt: string;
  parameters: Record<string, unknown>;
  builtinTools: string[];
  functionTools: FunctionToolData[];
  preloadFiles: string[];
  envInfo: EnvInfoConfig;
  /** Name → an absolute TOML path, or a program built in code. */
  linkedPrograms: Record<string, string | ProgramData>;
  mcp?: McpConfig | undefined;
  readFile: ReadFileSettings;
  runDefaults: Record<string, unknown>;
  requireApproval: string[];
  /** `[file_descriptor]`, when the program sets it (absent otherwise, so older snapshots keep their fingerprint). */
  fileDescriptor?: FileDescriptorConfig | undefined;
  /** `[log]`, the run log's file (absolute), when the program sets it (absent otherwise, so older snapshots keep their fingerprint). */
  log?: LogSettings | undefined;
  baseDir: string;
  /** The TOML file, absolute, for a program loaded from one. */
  file?: string | undefined;
}

/**
 * The parameters as a snapshot may hold them: header values (`extraHeaders`, which may carry
 * credentials) are replaced by their SHA-256, so a changed header still changes the fingerprint
 * but no value is written.
 */
function parametersData(parameters: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const headers = parameters['extraHeaders'] as Record<string, string> | undefined;
  if (!headers) return { ...parameters };
  return { ...parameters, extraHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, `${HEADER_DIGEST}${sha256(String(value))}`])) };
}

/** How a header value is written in a snapshot: its digest after this prefix. */
export const HEADER_DIGEST = 'sha256:';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** `value` as JSON data: `undefined` fields dropped, only plain objects and arrays. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The plain data of `program`. */
export function programData(program: LLMProgram): ProgramData {
  return plain<ProgramData>({
    model: program.model,
    provider: program.provider,
    displayName: program.displayName,
    endpoint: { ...program.endpoint },
    systemPrompt: program.systemPrompt,
    parameters: parametersData(program.parameters),
    builtinTools: [...program.builtinTools],
    functionTools: program.functionTools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      inputSchema: tool.inputSchema,
      exclusive: tool.exclusive || undefined,
      requireApproval: tool.requireApproval || undefined,
    })),
    preloadFiles: [...program.preloadFiles],
    envInfo: { ...program.envInfo },
    linkedPrograms: Object.fromEntries(
      Object.entries(program.linkedPrograms).map(([name, target]) => [name, typeof target === 'string' ? target : programData(target)]),
    ),
    mcp: program.mcp && { ...program.mcp },
    readFile: { ...program.readFile },
    runDefaults: { ...program.runDefaults },
    requireApproval: [...program.requireApproval],
    fileDescriptor: program.fileDescriptor && { ...program.fileDescriptor },
    log: program.log && { ...program.log },
    baseDir: program.baseDir,
    file: program.file === undefined ? undefined : path.resolve(program.file),
  });
}

/** JSON with object keys sorted, so equal data always gives equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The fingerprint of a program's data: `sha256:<hex>` of its canonical JSON. */
export function fingerprintOf(data: ProgramData): string {
  return `sha256:${sha256(canonicalJson(data))}`;
}

/**
 * The dotted key path of the first place where `was` and `now` differ (`model`,
 * `functionTools[0].description`), or `undefined` when they are equal as data.
 */
export function firstDifference(was: unknown, now: unknown, at = ''): string | undefined {
  if (canonicalJson(was) === canonicalJson(now)) return undefined;
  const bothArrays = Array.isArray(was) && Array.isArray(now);
  const bothObjects = !bothArrays && isObject(was) && isObject(now);
  if (!bothArrays && !bothObjects) return at || '(the whole value)';
  if (bothArrays && was.length !== now.length) return at || '(the whole value)';
  const keys = bothArrays ? [...was.keys()].map(String) : [...new Set([...Object.keys(was as object), ...Object.keys(now as object)])].sort();
  for (const key of keys) {
    const next = bothArrays ? `${at}[${key}]` : at ? `${at}.${key}` : key;
    const found = firstDifference((was as Record<string, unknown>)[key], (now as Record<string, unknown>)[key], next);
    if (found !== undefined) return found;
  }
  return at || '(the whole value)';
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** `value` at the dotted key path `keyPath` of `data` (as {@link firstDifference} writes them). */
export function valueAt(data: unknown, keyPath: string): unknown {
  let value = data;
  for (const [, key, index] of keyPath.matchAll(/\.?([^.[\]]+)|\[(\d+)\]/g)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key ?? index!];
  }
  return value;
}

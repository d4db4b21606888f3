/**
 * `LLMProgram`: a validated description of an LLM program (model, prompt, parameters, tools, MCP
 * servers, linked programs), loaded from TOML or built in code. Start it to get a process.
 *
 * @module
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LLMProcess } from '../process/llm-process.js';
import type { RunDefaults } from '../process/run-options.js';
import { startProcess, type StartOptions } from '../process/start.js';
import { type RestoreOptions, restoreProcess } from '../snapshot/restore.js';
import type { ModelParameters } from '../providers/types.js';
import type { ProviderEndpoint } from '../providers/provider-definition.js';
import type { Tool } from '../tools/tool.js';
import type { Hooks } from '../process/hooks.js';
import type { FileDescriptorConfig } from '../tools/file-descriptors/settings.js';
import { ProgramError } from '../errors.js';
import type { BuiltinToolName } from './builtin-tool-names.js';
import { loadProgramOptions } from './load-options.js';
import { loadProgramFile, loadProgramText, type ProgramFormat } from './load-toml.js';
import type { ProgramOptions } from './options-schema.js';
import { PROGRAM_BRAND } from './program-brand.js';
import type { EnvInfoConfig, LogSettings, McpConfig, ProgramDefinition, ReadFileSettings } from './program-definition.js';
import type { ProviderName } from './provider-names.js';
import { formatIssues } from './format-issues.js';
import { FunctionToolSchema } from './schema-fields.js';
import * as v from 'valibot';

/** The settings an {@link LLMProgram} has as fields (it keeps `functionTools` apart: `addTool` adds to them). */
type ProgramFields = Omit<ProgramDefinition, 'functionTools'>;

/** Each setting's name (every one required: a setting left out of a definition is a field too). */
type FieldName = keyof ProgramFields;

/** A setting as a program holds it. */
type Frozen<T> = T extends readonly (infer Item)[] ? readonly Item[] : Readonly<T>;

/** A setting as a program holds it: an array or an object copied (one level) and frozen, anything else as it is. */
function frozen(value: unknown): unknown {
  if (Array.isArray(value)) return Object.freeze([...value]);
  return value !== null && typeof value === 'object' ? Object.freeze({ ...value }) : value;
}

/** A definition already validated (by the TOML loader); the constructor takes it as is. */
class Resolved {
  constructor(readonly definition: ProgramDefinition) {}
}

/** The argument of `addTool`, named `tool` so that issues read `tool.name: ...`. */
const AddToolSchema = v.strictObject({ tool: FunctionToolSchema });

/** The path of a program file given as a path or a `file:` URL, refusing anything else. */
function programPath(method: string, file: unknown): string {
  if (file instanceof URL) {
    if (file.protocol !== 'file:') throw new ProgramError(`${method}: expected a path or a file: URL, received a ${file.protocol} URL (${file.href})`);
    return fileURLToPath(file);
  }
  if (typeof file !== 'string' || file === '') {
    throw new ProgramError(`${method}: expected the path of a ${method === 'fromToml' ? 'TOML ' : ''}program file or a file: URL, received ${file === '' ? '""' : typeof file}`);
  }
  return file;
}

/** What `new LLMProgram(options)` accepts (camelCase; the TOML format's settings). */
export type LLMProgramOptions = ProgramOptions;

/**
 * A program: what to run, not a running thing. Programs are immutable apart from
 * {@link LLMProgram.addTool}; start as many processes of one program as you like.
 *
 * ```ts
 * const program = LLMProgram.fromToml('examples/calculator.toml');
 * const process = await program.start();
 * ```
 */
export class LLMProgram {
  /** @internal Lets the schema recognize programs without importing this class. */
  readonly [PROGRAM_BRAND] = true;
  /** The model id sent to the provider. */
  readonly model!: string;
  /** The provider named by the program (`start()` refuses the ones this version cannot run). */
  readonly provider!: ProviderName;
  /** Where the provider's API is: base URL, Vertex project and region (`[model]` in TOML). */
  readonly endpoint!: Readonly<ProviderEndpoint>;
  /** The name shown to people. */
  readonly displayName!: string;
  /** The system prompt (the file's text when `systemPromptFile` is set). */
  readonly systemPrompt!: string;
  /** The system prompt file, absolute, if any. */
  readonly systemPromptFile!: string | undefined;
  /** Sampling parameters sent with every request. */
  readonly parameters!: Readonly<ModelParameters>;
  /** Builtin tools enabled by name. */
  readonly builtinTools!: readonly BuiltinToolName[];
  /** Files added to the system prompt at start, absolute. */
  readonly preloadFiles!: readonly string[];
  /** Environment facts added to the system prompt. */
  readonly envInfo!: Readonly<EnvInfoConfig>;
  /** Linked programs: name → absolute TOML path or a program built in code. */
  readonly linkedPrograms!: Readonly<Record<string, string | LLMProgram>>;
  /** MCP servers to start and the tools to import from each. */
  readonly mcp!: Readonly<McpConfig> | undefined;
  /** The builtin read_file tool's allowed folders and size cap (`[tools.read_file]` in TOML). */
  readonly readFile!: Readonly<ReadFileSettings>;
  /** The file descriptor settings as written (`[file_descriptor]` in TOML); `undefined` when not given. */
  readonly fileDescriptor!: Readonly<FileDescriptorConfig> | undefined;
  /** Defaults for every `run()` of this program's processes (`[run]` in TOML). */
  readonly runDefaults!: Readonly<RunDefaults>;
  /** Tool names or globs whose calls wait for approval (`[tools] require_approval`). */
  readonly requireApproval!: readonly string[];
  /** Hooks of every run of this program's processes (programs built in code only). */
  readonly hooks!: Readonly<Hooks>;
  /** The run log every run of this program's processes is appended to (`[log] file`, absolute), if any. */
  readonly log!: Readonly<LogSettings> | undefined;
  /** The TOML file as given, or `undefined` for a program built in code. */
  readonly file!: string | undefined;
  /** The folder relative paths (read_file, preload, MCP config) resolve against. */
  readonly baseDir!: string;
  readonly #functionTools: Tool[];
  readonly #linked = new Map<string, LLMProgram>();

  /**
   * Builds a program in code.
   *
   * @throws {ProgramError} listing every invalid option by its key path.
   */
  constructor(options: LLMProgramOptions) {
    const { functionTools, ...settings } = options instanceof Resolved ? options.definition : loadProgramOptions(options);
    // Every setting is a field, frozen: the compiler refuses a setting this class does not declare.
    const fields: { -readonly [Key in FieldName]: Frozen<ProgramFields[Key]> } = this;
    for (const key of Object.keys(settings) as FieldName[]) (fields as Record<FieldName, unknown>)[key] = frozen(settings[key]);
    this.#functionTools = [...functionTools];
  }

  /**
   * Loads a TOML program (llmproc 0.2.0 format), synchronously. Relative paths inside it resolve
   * against the file's folder.
   *
   * @param file - A path (relative to the working directory, or absolute) or a `file:` URL
   *   (`new URL('./agent.toml', import.meta.url)`).
   * @throws {ProgramError} naming the file, the line and column, the key path and what was
   * expected, every problem in the order of the file; also when the MCP servers' config file
   * (`[mcp] config_path`) is missing or invalid.
   */
  static fromToml(file: string | URL): LLMProgram {
    return LLMProgram.#load(programPath('fromToml', file), new Map(), 'toml');
  }

  /**
   * Loads a program file by its extension: `.yaml` and `.yml` files are YAML programs (the TOML
   * format's sections and keys, written in YAML), any other file a TOML program.
   *
   * @param file - A path or a `file:` URL.
   * @throws {ProgramError} as {@link LLMProgram.fromToml}.
   */
  static fromFile(file: string | URL): LLMProgram {
    return LLMProgram.#load(programPath('fromFile', file), new Map());
  }

  /**
   * Loads a TOML program from its text. Relative paths inside it (prompt file, preload, MCP config,
   * linked programs) resolve against `options.baseDir` (default: the working directory).
   *
   * @param options.name - How errors name the text (default `<string>`).
   * @throws {ProgramError} as {@link LLMProgram.fromToml}, naming `options.name`.
   */
  static fromTomlString(text: string, options: { baseDir?: string | undefined; name?: string | undefined } = {}): LLMProgram {
    if (typeof text !== 'string') throw new ProgramError(`fromTomlString: expected the text of a TOML program, received ${typeof text}`);
    const baseDir = path.resolve(options.baseDir ?? process.cwd());
    const definition = loadProgramText({ text, format: 'toml', shownFile: options.name ?? '<string>', file: undefined, baseDir });
    return LLMProgram.#withLinked(LLMProgram.#fromDefinition(definition), options.name ?? '<string>', new Map());
  }

  /** Loads `file` and, once each, every program it links to (cycles allowed). */
  static #load(file: string, loaded: Map<string, LLMProgram>, format?: ProgramFormat): LLMProgram {
    const absolute = path.resolve(file);
    const known = loaded.get(absolute);
    if (known) return known;
    const program = LLMProgram.#fromDefinition(loadProgramFile(file, format));
    loaded.set(absolute, program);
    return LLMProgram.#withLinked(program, file, loaded);
  }

  /** Loads the programs `program` links to (each by its extension), refusing missing ones. */
  static #withLinked(program: LLMProgram, file: string, loaded: Map<string, LLMProgram>): LLMProgram {
    for (const [name, target] of Object.entries(program.linkedPrograms)) {
      if (typeof target !== 'string') continue;
      if (!existsSync(target) || statSync(target).isDirectory()) {
        const problem = existsSync(target) ? 'is a folder, not a file' : 'does not exist';
        throw new ProgramError(`linked_programs.${name}: the linked program "${target}" ${problem}`, { file, keyPath: `linked_programs.${name}` });
      }
      program.#linked.set(name, LLMProgram.#load(target, loaded));
    }
    return program;
  }

  /**
   * The linked program `name` (for the spawn tool), compiled; `undefined` when there is none.
   *
   * @throws {ProgramError} when a linked TOML file given in code cannot be loaded.
   */
  linkedProgram(name: string): LLMProgram | undefined {
    if (!Object.hasOwn(this.linkedPrograms, name)) return undefined;
    let program = this.#linked.get(name);
    if (!program) {
      const target = this.linkedPrograms[name]!;
      program = typeof target === 'string' ? LLMProgram.fromFile(target) : target;
      this.#linked.set(name, program);
    }
    return program;
  }

  static #fromDefinition(definition: ProgramDefinition): LLMProgram {
    return new LLMProgram(new Resolved(definition) as unknown as LLMProgramOptions);
  }

  /** Function tools defined in code, in the order they were added. */
  get functionTools(): readonly Tool[] {
    return this.#functionTools;
  }

  /**
   * Adds a function tool (see `defineTool`). Returns the program, for chaining.
   *
   * @throws {ProgramError} when `tool` is not a valid tool or its name is already taken by
   * another function or builtin tool of this program.
   */
  addTool(tool: Tool): this {
    const result = v.safeParse(AddToolSchema, { tool });
    if (!result.success) {
      const issues = formatIssues(result.issues, AddToolSchema, 'options');
      throw new ProgramError(
        issues.map((issue) => `addTool: ${issue.text}`),
        { file: this.file, keyPath: issues[0]?.keyPath || undefined },
      );
    }
    const taken = [...this.builtinTools, ...this.#functionTools.map((t) => t.name)];
    if (taken.includes(tool.name)) {
      throw new ProgramError(`addTool: a tool named "${tool.name}" is already part of this program`, { file: this.file, keyPath: 'tool.name' });
    }
    this.#functionTools.push(tool);
    return this;
  }

  /**
   * A started process from a snapshot (`process.snapshot()`, a `checkpoint` event's, or its JSON
   * text): the same program — loaded again from its TOML file, or built again from its definition —
   * the conversation, the system prompt as it was sent, and the unfinished run, which
   * `process.resume()` continues. MCP servers are started again. Function tools and hooks cannot be
   * written into a snapshot: give them again in `options` (`tools`, `hooks`).
   *
   * @throws {SnapshotError} naming the key path at fault, for a snapshot that is corrupted, comes
   *   from a newer llmproc or belongs to another program (the TOML file changed), or when a function
   *   tool or hook it needs is missing.
   */
  static restore(snapshot: unknown, options: RestoreOptions = {}): Promise<LLMProcess> {
    return restoreProcess(snapshot, options, { fromToml: (file) => LLMProgram.fromFile(file), fromOptions: (programOptions) => new LLMProgram(programOptions) });
  }

  /**
   * Starts a process of this program: creates the model client (by default from
   * `ANTHROPIC_API_KEY` / `ANTHROPIC_BASE_URL`; on the built-in scripted model with
   * `offline: true`, or `offline: 'auto'` without a key), starts MCP servers, gathers the tools.
   *
   * @throws {MissingApiKeyError} when no API key is given or set (and `offline` does not apply).
   * @throws {UnsupportedProviderError} when the program's provider cannot be run by this version.
   */
  start(options: StartOptions = {}): Promise<LLMProcess> {
    return startProcess(this, options);
  }
}

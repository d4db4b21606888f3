/**
 * The program of a snapshot, again: a TOML program is loaded from its file, a program built in code
 * is built from its definition; function tools (which a snapshot cannot hold) come from the
 * restore options, by name. The result must have the snapshot's fingerprint, or it is another
 * program and the snapshot is refused, naming the first setting that differs.
 *
 * @module
 */
import { LLMProcError, SnapshotError } from '../errors.js';
import type { LLMProgram, LLMProgramOptions } from '../program/llm-program.js';
import type { Tool } from '../tools/tool.js';
import { canonicalJson, firstDifference, type FunctionToolData, fingerprintOf, programData, type ProgramData, valueAt } from './program-data.js';
import type { SnapshotProgram } from './snapshot-schema.js';

/** How to make programs (given by `LLMProgram`, so this module does not import it). */
export interface ProgramFactory {
  fromToml(file: string): LLMProgram;
  fromOptions(options: LLMProgramOptions): LLMProgram;
}

/**
 * The snapshot's program, with `tools` as its function tools.
 * @throws {SnapshotError} when the program cannot be loaded or built, a function tool is missing
 *   or not the one recorded, or the program is not the snapshot's (another fingerprint).
 */
export function rebuildProgram(recorded: SnapshotProgram, tools: readonly Tool[], factory: ProgramFactory): LLMProgram {
  const program =
    recorded.source === 'toml'
      ? attempt('program.file', () => withFunctionTools(factory.fromToml(recorded.file), recorded.definition.functionTools, tools, 'program.definition'))
      : attempt('program.definition', () => fromDefinition(recorded.definition, tools, factory, 'program.definition'));
  const now = programData(program);
  if (fingerprintOf(now) !== recorded.fingerprint) {
    const at = firstDifference(recorded.definition, now) ?? '(the whole program)';
    const shown = (value: unknown): string => (value === undefined ? 'nothing' : canonicalJson(value).slice(0, 200));
    throw new SnapshotError(
      `program.definition.${at}: the snapshot belongs to another program: it was ${shown(valueAt(recorded.definition, at))}, now it is ${shown(valueAt(now, at))}` +
        (recorded.source === 'toml' ? ` (${recorded.file} changed since the snapshot)` : ''),
      { keyPath: `program.definition.${at}` },
    );
  }
  return program;
}

/** Runs `make`, turning a failure to load or build the program into a {@link SnapshotError}. */
function attempt(keyPath: string, make: () => LLMProgram): LLMProgram {
  try {
    return make();
  } catch (error) {
    if (error instanceof SnapshotError || !(error instanceof LLMProcError)) throw error;
    throw new SnapshotError(`${keyPath}: the snapshot's program cannot be loaded: ${error.message}`, { keyPath, cause: error });
  }
}

/** The function tools `recorded` names, from `tools`, checked against what was recorded of each. */
function functionTools(recorded: readonly FunctionToolData[], tools: readonly Tool[], at: string): Tool[] {
  return recorded.map((data, i) => {
    const keyPath = `${at}.functionTools[${i}]`;
    const tool = tools.find((candidate) => candidate.name === data.name);
    if (!tool) {
      throw new SnapshotError(
        `${keyPath}: the program's function tool "${data.name}" cannot be written into a snapshot, so it must be given again: ` +
          `LLMProgram.restore(snapshot, { tools: [${data.name}] })`,
        { keyPath },
      );
    }
    const spec: FunctionToolData = { name: tool.name, description: tool.description, inputSchema: tool.inputSchema, exclusive: tool.exclusive || undefined, requireApproval: tool.requireApproval || undefined };
    const differs = firstDifference(data, JSON.parse(JSON.stringify(spec)));
    if (differs !== undefined) {
      throw new SnapshotError(`${keyPath}.${differs}: the function tool "${data.name}" given to restore() is not the one in the snapshot (its ${differs} differs)`, {
        keyPath: `${keyPath}.${differs}`,
      });
    }
    return tool;
  });
}

/** `program` with the recorded function tools added (a TOML program given tools in code with `addTool`). */
function withFunctionTools(program: LLMProgram, recorded: readonly FunctionToolData[], tools: readonly Tool[], at: string): LLMProgram {
  for (const tool of functionTools(recorded, tools, at)) program.addTool(tool);
  return program;
}

/** A program built in code, from its recorded definition. */
function fromDefinition(data: ProgramData, tools: readonly Tool[], factory: ProgramFactory, at: string): LLMProgram {
  if (data.parameters['extraHeaders'] !== undefined) {
    throw new SnapshotError(
      `${at}.parameters.extraHeaders: a snapshot holds only digests of header values (they may be credentials), so a program built in code with extraHeaders cannot be built again from it (a program loaded from a TOML file reads them from its file again)`,
      { keyPath: `${at}.parameters.extraHeaders` },
    );
  }
  const linkedPrograms = Object.fromEntries(
    Object.entries(data.linkedPrograms).map(([name, target]) => [
      name,
      typeof target === 'string'
        ? target
        : target.file !== undefined
          ? withFunctionTools(factory.fromToml(target.file), target.functionTools, tools, `${at}.linkedPrograms.${name}`)
          : fromDefinition(target, tools, factory, `${at}.linkedPrograms.${name}`),
    ]),
  );
  const options = {
    model: data.model,
    provider: data.provider,
    displayName: data.displayName,
    ...data.endpoint,
    systemPrompt: data.systemPrompt,
    parameters: data.parameters,
    tools: [...data.builtinTools, ...functionTools(data.functionTools, tools, at)],
    preload: data.preloadFiles,
    envInfo: data.envInfo,
    linkedPrograms,
    ...(data.mcp ? { mcp: data.mcp } : {}),
    readFile: data.readFile,
    ...(data.fileDescriptor ? { fileDescriptor: data.fileDescriptor } : {}),
    ...(data.log ? { log: data.log } : {}),
    run: data.runDefaults,
    requireApproval: data.requireApproval,
    baseDir: data.baseDir,
  };
  return factory.fromOptions(options as LLMProgramOptions);
}

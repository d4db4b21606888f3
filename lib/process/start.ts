/**
 * `startProcess`: what `program.start()` does. It finds the program's provider in the registry and
 * creates its client, gathers every tool (builtin, function, MCP) under unique names, and builds the
 * {@link LLMProcess}.
 *
 * @module
 */
import { ToolDefinitionError, UnsupportedProviderError } from '../errors.js';
import type { LLMProgram } from '../program/llm-program.js';
import { providerFacts } from '../program/provider-names.js';
import { providerDefinition, providerNames } from '../providers/index.js';
import type { ProviderClientOptions } from '../providers/provider-definition.js';
import type { ModelProvider } from '../providers/types.js';
import { writeRunLog } from '../observability/run-log/write-run-log.js';
import { loadPriceCatalog } from '../results/pricing.js';
import { createBuiltinTools } from '../tools/builtin/index.js';
import { startMcpTools } from '../tools/mcp/start-mcp-tools.js';
import { describeToolSource, type Tool } from '../tools/tool.js';
import { LLMProcess } from './llm-process.js';
import { type OfflineMode, startOfflineModel, wantsOffline } from './offline-model.js';
import { envBlock, readPreloadFiles, warnMissingPreload } from './system-prompt.js';
import { type Hooks, validateHooks } from './hooks.js';

/** Options of `program.start()`: the provider's client options, or a provider of your own. */
export interface StartOptions extends ProviderClientOptions {
  /**
   * A model provider to use instead of the program's (for tests, the offline scripted model, or a
   * provider of your own); the program's `provider` is then not checked, and linked programs and
   * forks use it too.
   */
  provider?: ModelProvider | undefined;
  /**
   * Run on llmproc's built-in offline scripted model (canned, deterministic answers; no key, no
   * network) instead of the program's provider: `true` always; `'auto'` when no credentials are
   * given or set (`ANTHROPIC_API_KEY` or `ANTHROPIC_AUTH_TOKEN` for Anthropic), with a
   * `LLMProcOfflineWarning` saying so (once per program). Default `false`. For demos, quick
   * starts and tests; leave it out in production, where a missing key should be an error.
   */
  offline?: OfflineMode | undefined;
  /** Hooks of every run of this process, over the program's (a run's own hooks win over these). */
  hooks?: Hooks | undefined;
}

/** What a restored process keeps from its snapshot instead of building it again. */
export interface RestoredParts {
  /** The system prompt as it was sent (preloaded files and env facts as they were at the first start). */
  systemPrompt: string;
}

/** Starts a process of `program`. Rejects with a clear error when something is missing or wrong. */
export async function startProcess(program: LLMProgram, options: StartOptions = {}, restored?: RestoredParts): Promise<LLMProcess> {
  if (options.hooks !== undefined) validateHooks(options.hooks, 'options.hooks');
  if (!wantsOffline(program, options, globalThis.process.env)) return startWith(program, options, restored);
  const offline = await startOfflineModel(program);
  try {
    return await startWith(program, { ...options, offline: false, provider: offline.provider }, restored, offline.close);
  } catch (error) {
    await offline.close();
    throw error;
  }
}

/** Starts the process on the options' provider (or the program's); `release` is called when it closes. */
async function startWith(program: LLMProgram, options: StartOptions, restored?: RestoredParts, release?: () => Promise<void>): Promise<LLMProcess> {
  // The catalog loads beside the provider's SDK on the first start; later starts find both loaded.
  const catalog = loadPriceCatalog();
  const provider = options.provider ?? (await createProvider(program, options));
  await catalog;
  const localTools = [...createBuiltinTools(program), ...program.functionTools];
  // Before any MCP server starts; the whole list again only when MCP tools join it.
  assertUniqueNames(localTools);
  const preloaded = restored || program.preloadFiles.length === 0 ? [] : await readPreloadFiles(program.preloadFiles, warnMissingPreload);
  const mcp = program.mcp && Object.keys(program.mcp.tools).length > 0 ? await startMcpTools(program.mcp) : undefined;
  let stopLog: (() => void) | undefined;
  try {
    const tools = mcp ? [...localTools, ...mcp.tools] : localTools;
    if (mcp) assertUniqueNames(tools);
    const process = new LLMProcess({
      program,
      provider,
      startOptions: options,
      tools,
      systemPrompt: restored?.systemPrompt ?? program.systemPrompt,
      envBlock: restored ? '' : envBlock(program.envInfo),
      preloaded,
      runDefaults: program.runDefaults,
      close: closeAll(program.log ? async () => stopLog?.() : undefined, mcp?.close, release),
    });
    // `[log]`: the run log listens to the process like any other observer.
    if (program.log) stopLog = writeRunLog(process, program.log.file);
    return process;
  } catch (error) {
    stopLog?.();
    await mcp?.close();
    throw error;
  }
}

/** One close function for what a process holds (MCP servers, the offline model); `undefined` when it holds nothing. */
function closeAll(...closers: Array<(() => Promise<void>) | undefined>): (() => Promise<void>) | undefined {
  const present = closers.filter((close): close is () => Promise<void> => close !== undefined);
  if (present.length === 0) return undefined;
  return async () => {
    await Promise.all(present.map((close) => close()));
  };
}

/** Creates the program's provider from the registry, or refuses a provider that is not there. */
function createProvider(program: LLMProgram, options: ProviderClientOptions): Promise<ModelProvider> {
  const definition = providerDefinition(program.provider);
  if (!definition) {
    throw new UnsupportedProviderError(program.provider, providerNames(), program.file, providerFacts(program.provider)?.refusal);
  }
  return definition.create({
    model: program.model,
    endpoint: program.endpoint,
    options,
    env: globalThis.process.env,
    file: program.file,
    parameters: program.parameters,
  });
}

/** Refuses two tools with one name, naming both sources. */
export function assertUniqueNames(tools: readonly Tool[]): void {
  const seen = new Map<string, Tool>();
  for (const tool of tools) {
    const first = seen.get(tool.name);
    if (first) {
      throw new ToolDefinitionError(
        tool.name,
        `defined twice: by the ${describeToolSource(first.source)} and by the ${describeToolSource(tool.source)}; tool names must be unique.`,
      );
    }
    seen.set(tool.name, tool);
  }
}

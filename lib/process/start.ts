/**
 * `startProcess`: what `program.start()` does. It checks the provider, creates the client, gathers
 * every tool (builtin, function, MCP) under unique names, and builds the {@link LLMProcess}.
 *
 * @module
 */
import { ToolDefinitionError, UnsupportedProviderError } from '../errors.js';
import type { LLMProgram } from '../program/llm-program.js';
import { AnthropicProvider, type AnthropicClientOptions, createAnthropicClient } from '../providers/anthropic/anthropic-provider.js';
import type { ModelProvider } from '../providers/types.js';
import { createBuiltinTools } from '../tools/builtin/index.js';
import { startMcpTools } from '../tools/mcp/start-mcp-tools.js';
import { describeToolSource, type Tool } from '../tools/tool.js';
import { LLMProcess } from './llm-process.js';
import { envBlock, readPreloadFiles, warnMissingPreload } from './system-prompt.js';

/** Providers this version can run. */
export const SUPPORTED_PROVIDERS = ['anthropic'] as const;

/** Options of `program.start()`. */
export interface StartOptions extends AnthropicClientOptions {
  /**
   * A model provider to use instead of the Anthropic client (for tests, or a provider of your
   * own); the program's `provider` is then not checked.
   */
  provider?: ModelProvider | undefined;
}

/** Starts a process of `program`. Rejects with a clear error when something is missing or wrong. */
export async function startProcess(program: LLMProgram, options: StartOptions = {}): Promise<LLMProcess> {
  const provider = options.provider ?? createProvider(program, options);
  const localTools = [...createBuiltinTools(program), ...program.functionTools];
  assertUniqueNames(localTools);
  const preloaded = await readPreloadFiles(program.preloadFiles, warnMissingPreload);
  const mcp = program.mcp && Object.keys(program.mcp.tools).length > 0 ? await startMcpTools(program.mcp) : undefined;
  try {
    const tools = [...localTools, ...(mcp?.tools ?? [])];
    assertUniqueNames(tools);
    return new LLMProcess({
      program,
      provider,
      tools,
      systemPrompt: program.systemPrompt,
      envBlock: envBlock(program.envInfo),
      preloaded,
      runDefaults: program.runDefaults,
      close: mcp?.close,
    });
  } catch (error) {
    await mcp?.close();
    throw error;
  }
}

function createProvider(program: LLMProgram, options: AnthropicClientOptions): ModelProvider {
  if (!(SUPPORTED_PROVIDERS as readonly string[]).includes(program.provider)) {
    throw new UnsupportedProviderError(program.provider, SUPPORTED_PROVIDERS, program.file);
  }
  return new AnthropicProvider(createAnthropicClient(options));
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

/**
 * Helpers for the reliability suite's MCP, security and secrets tests (R13–R20): a process of a
 * program with real MCP servers started against the fake Anthropic server, and readers for what
 * the fake server recorded.
 *
 * @module
 */
import { LLMProgram, type LLMProgramOptions } from '../../lib/program/llm-program.js';
import type { LLMProcess } from '../../lib/process/llm-process.js';
import type { StartOptions } from '../../lib/process/start.js';
import { type FakeAnthropicServer, type RecordedRequest, startFakeAnthropic, withoutCaching } from '../../lib/testing/index.js';
import { TempDir } from '../tools/mcp/support.js';
import { RELIABILITY_API_KEY } from '../support/sentinel-keys.js';

export { fixtures, isGone, TempDir } from '../tools/mcp/support.js';

/** The key every test here starts processes with; no test output may ever contain it. */
export { RELIABILITY_API_KEY };

/** A `tool_result` block as the fake server received it. */
export interface WireToolResult {
  type: 'tool_result';
  tool_use_id: string;
  content?: Array<{ type: string; text?: string }>;
  is_error?: boolean;
}

/** A tool definition as the fake server received it. */
export interface WireTool {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
}

interface WireBody {
  system?: unknown;
  tools?: WireTool[];
  messages: Array<{ role: string; content: string | Array<{ type: string }> }>;
}

/** The body of a recorded request, typed loosely. */
export function bodyOf(request: RecordedRequest | undefined): WireBody {
  if (request === undefined) throw new Error('the fake server recorded no such request');
  return withoutCaching(request.body) as WireBody;
}

/** The `tool_result` blocks of the last message of a recorded request (the answers to the previous turn). */
export function toolResultsOf(request: RecordedRequest | undefined): WireToolResult[] {
  const last = bodyOf(request).messages.at(-1);
  if (last === undefined || typeof last.content === 'string') return [];
  return last.content.filter((block): block is WireToolResult => block.type === 'tool_result');
}

/** The text of a recorded `tool_result`, its text blocks joined. */
export function resultText(result: WireToolResult | undefined): string {
  if (result === undefined) throw new Error('no such tool_result');
  return (result.content ?? []).map((block) => block.text ?? '').join('');
}

/** The tool names a recorded request offered the model. */
export function toolNamesOf(request: RecordedRequest | undefined): string[] {
  return (bodyOf(request).tools ?? []).map((tool) => tool.name);
}

/** A fake Anthropic server, a temp folder, a program with MCP servers, and its started process. */
export interface McpRun {
  server: FakeAnthropicServer;
  dir: TempDir;
  program: LLMProgram;
  process: LLMProcess;
  /** Closes the process (stopping its MCP servers), the fake server, and removes the folder. */
  close(): Promise<void>;
}

/**
 * Starts a fake Anthropic server and a process whose program has the MCP servers `servers` (config
 * entries, see {@link TempDir.server}) with the tools `tools`, plus `extra` program options (or a
 * function of the temp folder that returns them, to create files there first).
 */
export async function startMcpRun(
  servers: (dir: TempDir) => Record<string, unknown>,
  tools: Record<string, string[] | 'all'>,
  extra: Partial<LLMProgramOptions> | ((dir: TempDir) => Partial<LLMProgramOptions>) = {},
  startOptions: StartOptions = {},
): Promise<McpRun> {
  const dir = new TempDir();
  const server = await startFakeAnthropic();
  try {
    const options = typeof extra === 'function' ? extra(dir) : extra;
    const program = new LLMProgram({
      model: 'claude-test',
      provider: 'anthropic',
      systemPrompt: 'You are a reliability test.',
      mcp: { configPath: dir.config(servers(dir)), tools },
      baseDir: dir.path,
      ...options,
    });
    const process = await program.start({ apiKey: RELIABILITY_API_KEY, baseURL: server.url, maxRetries: 0, ...startOptions });
    return {
      server,
      dir,
      program,
      process,
      async close() {
        await process.close();
        await server.close();
        dir.remove();
      },
    };
  } catch (error) {
    await server.close();
    dir.remove();
    throw error;
  }
}

/** Collects unhandled rejections while installed; `stop()` returns them. */
export function watchUnhandledRejections(): { stop(): unknown[] } {
  const seen: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void seen.push(reason);
  process.on('unhandledRejection', onUnhandled);
  return {
    stop() {
      process.off('unhandledRejection', onUnhandled);
      return seen;
    },
  };
}

/**
 * The same agent loop many ways: llmproc (a process reused across conversations, or one started
 * per conversation as a server does), a minimal hand-written SDK loop (the floor), and the Vercel
 * AI SDK 6 and 7. Each `run(prompt)` resolves when the model gives its final answer. Each client
 * imports its SDKs when it is built, so a client's process loads only its own.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import { defineTool, LLMProgram, type LLMProcess } from 'llmproc';
import * as v from 'valibot';

/** One client's way to run a prompt to its final answer. */
export interface LoopClient {
  name: string;
  run(prompt: string): Promise<void>;
  close(): Promise<void>;
}

const MODEL = 'claude-haiku-4-5';
const OPENAI_MODEL = 'gpt-4o-mini';
const API_KEY = 'bench-key';
const SYSTEM = 'You are a benchmark.';
const ECHO_SCHEMA = { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } as const;

/** The clients of the Anthropic loop, by name. */
export const ANTHROPIC_CLIENTS = ['llmproc', 'llmproc per conversation', 'raw SDK', 'AI SDK 6', 'AI SDK 7'] as const;
/** The clients of the request-shape section (`BENCH_ONLY=shape`): where the gap to the raw loop is. */
export const SHAPE_CLIENTS = ['llmproc', 'llmproc, caching off', 'raw SDK', "raw SDK, llmproc's request shape"] as const;
/** The clients of the OpenAI loop, by name. */
export const OPENAI_CLIENTS = ['llmproc (openai)', 'llmproc per conversation (openai)', 'raw openai SDK'] as const;

/** Builds the client `name` (one of {@link ANTHROPIC_CLIENTS} or {@link OPENAI_CLIENTS}) against `baseURL`. */
export async function clientByName(name: string, baseURL: string, concurrency: number): Promise<LoopClient> {
  switch (name) {
    case 'llmproc':
      return llmprocClient(baseURL, concurrency, 'anthropic');
    case 'llmproc per conversation':
      return llmprocPerConversation(baseURL, 'anthropic');
    case 'raw SDK':
      return rawClient(baseURL);
    case 'llmproc, caching off':
      return llmprocClient(baseURL, concurrency, 'anthropic', { promptCaching: false });
    case "raw SDK, llmproc's request shape":
      return rawClient(baseURL, LLMPROC_SHAPE);
    case 'AI SDK 6':
      return aiSdkClient(baseURL);
    case 'AI SDK 7':
      return aiSdk7Client(baseURL);
    case 'llmproc (openai)':
      return llmprocClient(baseURL, concurrency, 'openai');
    case 'llmproc per conversation (openai)':
      return llmprocPerConversation(baseURL, 'openai');
    case 'raw openai SDK':
      return rawOpenAIClient(baseURL);
    default:
      throw new Error(`no bench client named ${name}`);
  }
}

/** The benchmark's program: one tool, a system prompt, a max_tokens. */
function benchProgram(provider: 'anthropic' | 'openai'): LLMProgram {
  const echo = defineTool({ name: 'echo', description: 'Echoes text.', input: v.object({ text: v.string() }), run: ({ text }) => text });
  const model = provider === 'openai' ? OPENAI_MODEL : MODEL;
  return new LLMProgram({ model, provider, systemPrompt: SYSTEM, parameters: { maxTokens: 1024 }, tools: [echo] });
}

/** What users attach to a run: callbacks, and an event listener on the process. */
function listen(process: LLMProcess): void {
  let calls = 0;
  process.on('api:call', () => void calls++);
}
let toolsSeen = 0;
const callbacks = { on_tool_start: () => void toolsSeen++, on_tool_end: () => {}, on_response: () => {} };

/** llmproc with processes reused across conversations (`resetState()` between them). */
export async function llmprocClient(
  baseURL: string,
  concurrency: number,
  provider: 'anthropic' | 'openai' = 'anthropic',
  options: { promptCaching?: boolean } = {},
): Promise<LoopClient> {
  const program = benchProgram(provider);
  const idle: LLMProcess[] = [];
  for (let i = 0; i < concurrency; i++) {
    const process = await program.start({ apiKey: API_KEY, baseURL, maxRetries: 0 });
    listen(process);
    idle.push(process);
  }
  return {
    name: provider === 'openai' ? 'llmproc (openai)' : options.promptCaching === false ? 'llmproc, caching off' : 'llmproc',
    async run(prompt) {
      const process = idle.pop()!;
      try {
        process.resetState();
        await process.run(prompt, { callbacks, ...options });
      } finally {
        idle.push(process);
      }
    },
    async close() {
      await Promise.all(idle.map((process) => process.close()));
    },
  };
}

/** llmproc as a server uses it: `program.start()` per conversation, closed after it. */
export function llmprocPerConversation(baseURL: string, provider: 'anthropic' | 'openai' = 'anthropic'): LoopClient {
  const program = benchProgram(provider);
  return {
    name: provider === 'openai' ? 'llmproc per conversation (openai)' : 'llmproc per conversation',
    async run(prompt) {
      const process = await program.start({ apiKey: API_KEY, baseURL, maxRetries: 0 });
      try {
        listen(process);
        await process.run(prompt, { callbacks });
      } finally {
        await process.close();
      }
    },
    close: async () => {},
  };
}

/** How a raw loop writes its requests: the first user message, the system prompt, a tool result's content, the messages as sent. */
interface RawRequestShape {
  name: string;
  user(prompt: string): Anthropic.MessageParam['content'];
  system: Anthropic.MessageCreateParams['system'];
  toolResult(text: string): Anthropic.ToolResultBlockParam['content'];
  sent(messages: Anthropic.MessageParam[]): Anthropic.MessageParam[];
}

/** The floor: the smallest correct loop on the raw SDK, with strings where the API takes them. */
const PLAIN_SHAPE: RawRequestShape = {
  name: 'raw SDK',
  user: (prompt) => prompt,
  system: SYSTEM,
  toolResult: (text) => text,
  sent: (messages) => messages,
};

const ephemeral = { type: 'ephemeral' } as const;

/**
 * What llmproc sends (bench/RESULTS.md, "Request shape"): the system prompt and every text as
 * content blocks, tool results as block arrays, and automatic caching's `cache_control` marks
 * (system, the last block of the last message, and of the previous request's last message). Not a
 * loop anyone writes: it tells how much of the gap is the request itself.
 */
const LLMPROC_SHAPE: RawRequestShape = {
  name: "raw SDK, llmproc's request shape",
  user: (prompt) => [{ type: 'text', text: prompt }],
  system: [{ type: 'text', text: SYSTEM, cache_control: ephemeral }],
  toolResult: (text) => [{ type: 'text', text }],
  sent: (messages) =>
    messages.map((message, index) =>
      index === messages.length - 1 || index === messages.length - 3
        ? ({ ...message, content: (message.content as Anthropic.ContentBlockParam[]).map((block, i, all) => (i === all.length - 1 ? { ...block, cache_control: ephemeral } : block)) } as Anthropic.MessageParam)
        : message,
    ),
};

/** The raw SDK loop writing its requests in `shape` (default: the plain floor). */
export async function rawClient(baseURL: string, shape: RawRequestShape = PLAIN_SHAPE): Promise<LoopClient> {
  const { default: Anthropic } = await import('@anthropic-ai/sdk');
  const client = new Anthropic({ apiKey: API_KEY, baseURL, maxRetries: 0 });
  const tools: Anthropic.Tool[] = [{ name: 'echo', description: 'Echoes text.', input_schema: ECHO_SCHEMA as unknown as Anthropic.Tool.InputSchema }];
  return {
    name: shape.name,
    async run(prompt) {
      const messages: Anthropic.MessageParam[] = [{ role: 'user', content: shape.user(prompt) }];
      for (let i = 0; i < 10; i++) {
        const message = await client.messages.create({ model: MODEL, max_tokens: 1024, system: shape.system, messages: shape.sent(messages), tools });
        messages.push({ role: 'assistant', content: message.content });
        const calls = message.content.filter((block): block is Anthropic.ToolUseBlock => block.type === 'tool_use');
        if (message.stop_reason !== 'tool_use' || calls.length === 0) return;
        messages.push({
          role: 'user',
          content: calls.map((call) => ({ type: 'tool_result' as const, tool_use_id: call.id, content: shape.toolResult(String((call.input as { text: string }).text)) })),
        });
      }
    },
    close: async () => {},
  };
}

/** The Vercel AI SDK 6 (`ai` 6, `@ai-sdk/anthropic` 3): generateText with one tool and a step limit. */
export async function aiSdkClient(baseURL: string): Promise<LoopClient> {
  const { createAnthropic } = await import('@ai-sdk/anthropic');
  const { generateText, jsonSchema, stepCountIs, tool } = await import('ai');
  const anthropic = createAnthropic({ apiKey: API_KEY, baseURL: `${baseURL}/v1` });
  const tools = {
    echo: tool({ description: 'Echoes text.', inputSchema: jsonSchema<{ text: string }>(ECHO_SCHEMA), execute: async ({ text }) => text }),
  };
  return {
    name: 'AI SDK 6',
    async run(prompt) {
      await generateText({ model: anthropic(MODEL), system: SYSTEM, prompt, tools, stopWhen: stepCountIs(10), maxOutputTokens: 1024, maxRetries: 0 });
    },
    close: async () => {},
  };
}

/** The Vercel AI SDK 7 (`ai` 7, `@ai-sdk/anthropic` 4, installed as `ai7` / `ai-sdk-anthropic4`), the same loop. */
export async function aiSdk7Client(baseURL: string): Promise<LoopClient> {
  const { createAnthropic } = await import('ai-sdk-anthropic4');
  const { generateText: generateText7, isStepCount, jsonSchema: jsonSchema7, tool: tool7 } = await import('ai7');
  const anthropic = createAnthropic({ apiKey: API_KEY, baseURL: `${baseURL}/v1` });
  const tools = {
    echo: tool7({ description: 'Echoes text.', inputSchema: jsonSchema7<{ text: string }>(ECHO_SCHEMA), execute: async ({ text }) => text }),
  };
  return {
    name: 'AI SDK 7',
    async run(prompt) {
      await generateText7({ model: anthropic(MODEL), instructions: SYSTEM, prompt, tools, stopWhen: isStepCount(10), maxOutputTokens: 1024, maxRetries: 0 });
    },
    close: async () => {},
  };
}

/** The OpenAI floor: the smallest correct tool loop on the raw `openai` SDK (Chat Completions). */
export async function rawOpenAIClient(baseURL: string): Promise<LoopClient> {
  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({ apiKey: API_KEY, baseURL, maxRetries: 0 });
  const tools: OpenAI.ChatCompletionTool[] = [{ type: 'function', function: { name: 'echo', description: 'Echoes text.', parameters: ECHO_SCHEMA as unknown as Record<string, unknown> } }];
  return {
    name: 'raw openai SDK',
    async run(prompt) {
      const messages: OpenAI.ChatCompletionMessageParam[] = [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: prompt },
      ];
      for (let i = 0; i < 10; i++) {
        const completion = await client.chat.completions.create({ model: OPENAI_MODEL, max_completion_tokens: 1024, messages, tools });
        const message = completion.choices[0]!.message;
        messages.push(message);
        const calls = (message.tool_calls ?? []).filter((call) => call.type === 'function');
        if (completion.choices[0]!.finish_reason !== 'tool_calls' || calls.length === 0) return;
        for (const call of calls) messages.push({ role: 'tool', tool_call_id: call.id, content: String((JSON.parse(call.function.arguments) as { text: string }).text) });
      }
    },
    close: async () => {},
  };
}

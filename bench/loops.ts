/**
 * The same agent loop three ways: llmproc, a minimal hand-written @anthropic-ai/sdk loop (the
 * floor), and the Vercel AI SDK. Each `run(prompt)` resolves when the model gives its final answer.
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import Anthropic from '@anthropic-ai/sdk';
import { generateText, jsonSchema, stepCountIs, tool } from 'ai';
import OpenAI from 'openai';
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

/** llmproc: a program with one tool; callbacks and an event listener attached, as users do. */
export async function llmprocClient(baseURL: string, concurrency: number, provider: 'anthropic' | 'openai' = 'anthropic'): Promise<LoopClient> {
  const echo = defineTool({ name: 'echo', description: 'Echoes text.', input: v.object({ text: v.string() }), run: ({ text }) => text });
  const model = provider === 'openai' ? OPENAI_MODEL : MODEL;
  const program = new LLMProgram({ model, provider, systemPrompt: 'You are a benchmark.', parameters: { maxTokens: 1024 }, tools: [echo] });
  const idle: LLMProcess[] = [];
  for (let i = 0; i < concurrency; i++) {
    const process = await program.start({ apiKey: API_KEY, baseURL, maxRetries: 0 });
    let calls = 0;
    process.on('api:call', () => void calls++);
    idle.push(process);
  }
  let toolsSeen = 0;
  const callbacks = { on_tool_start: () => void toolsSeen++, on_tool_end: () => {}, on_response: () => {} };
  return {
    name: 'llmproc',
    async run(prompt) {
      const process = idle.pop()!;
      try {
        process.resetState();
        await process.run(prompt, { callbacks });
      } finally {
        idle.push(process);
      }
    },
    async close() {
      await Promise.all(idle.map((process) => process.close()));
    },
  };
}

/** The floor: the smallest correct loop on the raw SDK. */
export function rawClient(baseURL: string): LoopClient {
  const client = new Anthropic({ apiKey: API_KEY, baseURL, maxRetries: 0 });
  const tools: Anthropic.Tool[] = [{ name: 'echo', description: 'Echoes text.', input_schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } }];
  return {
    name: 'raw SDK',
    async run(prompt) {
      const messages: Anthropic.MessageParam[] = [{ role: 'user', content: prompt }];
      for (let i = 0; i < 10; i++) {
        const message = await client.messages.create({ model: MODEL, max_tokens: 1024, system: 'You are a benchmark.', messages, tools });
        messages.push({ role: 'assistant', content: message.content });
        const calls = message.content.filter((block): block is Anthropic.ToolUseBlock => block.type === 'tool_use');
        if (message.stop_reason !== 'tool_use' || calls.length === 0) return;
        messages.push({
          role: 'user',
          content: calls.map((call) => ({ type: 'tool_result' as const, tool_use_id: call.id, content: String((call.input as { text: string }).text) })),
        });
      }
    },
    close: async () => {},
  };
}

/** The Vercel AI SDK: generateText with one tool and a multi-step stop condition. */
export function aiSdkClient(baseURL: string): LoopClient {
  const anthropic = createAnthropic({ apiKey: API_KEY, baseURL: `${baseURL}/v1` });
  const tools = {
    echo: tool({
      description: 'Echoes text.',
      inputSchema: jsonSchema<{ text: string }>({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] }),
      execute: async ({ text }) => text,
    }),
  };
  return {
    name: 'AI SDK',
    async run(prompt) {
      await generateText({ model: anthropic(MODEL), system: 'You are a benchmark.', prompt, tools, stopWhen: stepCountIs(10), maxOutputTokens: 1024, maxRetries: 0 });
    },
    close: async () => {},
  };
}

/** The OpenAI floor: the smallest correct tool loop on the raw `openai` SDK (Chat Completions). */
export function rawOpenAIClient(baseURL: string): LoopClient {
  const client = new OpenAI({ apiKey: API_KEY, baseURL, maxRetries: 0 });
  const tools: OpenAI.ChatCompletionTool[] = [
    { type: 'function', function: { name: 'echo', description: 'Echoes text.', parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } } },
  ];
  return {
    name: 'raw SDK',
    async run(prompt) {
      const messages: OpenAI.ChatCompletionMessageParam[] = [
        { role: 'system', content: 'You are a benchmark.' },
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

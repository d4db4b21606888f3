/**
 * llmproc's own loop with no HTTP: a provider that answers at once (through the real Anthropic
 * mapping, so building requests counts). For profiling what llmproc adds per call, apart from the
 * SDK: `node --import tsx bench/loop-only.ts [turns] [runs] [reuse|start]`.
 */
import { defineTool, LLMProgram, type LLMProcess } from 'llmproc';
import type { ModelProvider, ModelRequest, ModelTurn } from 'llmproc';
import { toAnthropicParams } from '../lib/providers/anthropic/mapping.js'; // the built dist/ is bundled: the mapping is not a file of its own there
import * as v from 'valibot';

const [turnsArg = '3', runsArg = '20000', mode = 'reuse'] = process.argv.slice(2);
const turns = Number(turnsArg);
const runs = Number(runsArg);
let sink = 0;
const provider: ModelProvider = {
  name: 'anthropic',
  async complete(request: ModelRequest): Promise<ModelTurn> {
    sink += toAnthropicParams(request).messages.length;
    const done = request.messages.filter((message) => message.role === 'assistant').length;
    const tokens = { inputTokens: 50, outputTokens: 10, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 };
    const usage = { input_tokens: 50, output_tokens: 10 };
    return done < turns
      ? { id: 'msg', model: 'claude-haiku-4-5', content: [{ type: 'tool_call', id: `t${done}`, name: 'echo', input: { text: `turn ${done}` } }], stopReason: 'tool_use', tokens, usage }
      : { id: 'msg', model: 'claude-haiku-4-5', content: [{ type: 'text', text: 'All done.' }], stopReason: 'end_turn', tokens, usage };
  },
  describeError: () => ({ message: '' }),
};
const echo = defineTool({ name: 'echo', description: 'Echoes text.', input: v.object({ text: v.string() }), run: ({ text }) => text });
const program = new LLMProgram({ model: 'claude-haiku-4-5', systemPrompt: 'You are a benchmark.', parameters: { maxTokens: 1024 }, tools: [echo] });
const callbacks = { on_tool_start: () => {}, on_tool_end: () => {}, on_response: () => {} };
const reused = await program.start({ provider });
async function one(): Promise<void> {
  const process: LLMProcess = mode === 'start' ? await program.start({ provider }) : reused;
  process.resetState();
  process.on('api:call', () => {});
  await process.run('hi', { callbacks });
  process.removeAllListeners('api:call');
  if (mode === 'start') await process.close();
}
for (let i = 0; i < runs / 4; i++) await one();
const cpu = process.cpuUsage();
for (let i = 0; i < runs; i++) await one();
const used = process.cpuUsage(cpu);
console.log(`${mode}, ${turns} tool turns: ${((used.user + used.system) / runs / (turns + 1)).toFixed(1)} µs CPU per API call (${sink > 0 ? 'ok' : ''})`);

/** The program the memory and queue benches run: a system prompt, parameters and one valibot tool, `echo` (the tool the fake server asks for). */
import { defineTool, LLMProgram } from 'llmproc';
import * as v from 'valibot';

/** The bench program; `run` is what `echo` does (default: return its text). */
export function benchProgram(run: (text: string) => string | Promise<string> = (text) => text): LLMProgram {
  const echo = defineTool({ name: 'echo', description: 'Echoes text.', input: v.object({ text: v.string() }), run: ({ text }) => run(text) });
  return new LLMProgram({ model: 'claude-haiku-4-5', systemPrompt: 'You are a benchmark.', parameters: { maxTokens: 1024 }, tools: [echo] });
}

/**
 * Two runs logged for the report tests, against the fake Anthropic server: a planner that calls
 * two lookups and a spawned expert at once (the expert calls a lookup of its own), then a run
 * whose second model call fails. The server answers each call after `latencyMs`, and a lookup
 * takes `lookupMs`, so the bars have lengths to compare.
 */
import { writeRunLog } from '../../../lib/observability/run-log/write-run-log.js';
import { LLMProgram } from '../../../lib/program/llm-program.js';
import { delayed, errorReply, textReply, toolUseReply } from '../../../lib/testing/index.js';
import type { Tool } from '../../../lib/tools/tool.js';
import { setupTest } from '../../support/setup.js';

/** A lookup that takes `ms` (its own work, on a timer). */
function lookupTool(ms: number): Tool {
  return {
    name: 'lookup',
    description: 'Looks something up.',
    inputSchema: { type: 'object', properties: { topic: { type: 'string' } } },
    source: { kind: 'function' },
    run: (input, { signal }) =>
      new Promise((resolve) => {
        // The listener is removed again: a run that cannot abort shares one signal with every other.
        const onAbort = (): void => {
          clearTimeout(timer);
          resolve({ content: 'cancelled', isError: true });
        };
        const timer = setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          resolve({ content: `facts about ${String(input['topic'])}`, isError: false });
        }, ms);
        signal.addEventListener('abort', onAbort, { once: true });
      }),
  };
}

/** Writes the two runs to `file`. */
export async function logSampleRuns(file: string, options: { latencyMs?: number; lookupMs?: number } = {}): Promise<void> {
  const latency = options.latencyMs ?? 40;
  const lookup = lookupTool(options.lookupMs ?? 60);
  const expert = new LLMProgram({ model: 'claude-haiku-4-5', displayName: 'Expert', tools: [lookup] });
  const t = await setupTest({ model: 'claude-haiku-4-5', displayName: 'Planner', tools: [lookup, 'spawn'], linkedPrograms: { expert } });
  try {
    const detach = writeRunLog(t.process, file);
    t.server.enqueue(
      delayed(
        toolUseReply(
          [
            { name: 'lookup', input: { topic: 'tides' }, id: 'toolu_tides' },
            { name: 'lookup', input: { topic: 'winds' }, id: 'toolu_winds' },
            { name: 'spawn', input: { program_name: 'expert', query: 'Is it safe to sail?' }, id: 'toolu_expert' },
          ],
          { id: 'msg_plan', usage: { input_tokens: 900, output_tokens: 60, cache_creation_input_tokens: 1200 } },
        ),
        latency,
      ),
      delayed(toolUseReply([{ name: 'lookup', input: { topic: 'storms' }, id: 'toolu_storms' }], { id: 'msg_expert_1', usage: { input_tokens: 300, output_tokens: 20 } }), latency),
      delayed(textReply('Safe enough.', { id: 'msg_expert_2', usage: { input_tokens: 350, output_tokens: 8 } }), latency),
      delayed(textReply('Go sailing this afternoon.', { id: 'msg_answer', usage: { input_tokens: 200, output_tokens: 12, cache_read_input_tokens: 1200 } }), latency * 2),
    );
    await t.process.run('Plan a sailing trip for today.');
    t.server.enqueue(
      delayed(toolUseReply([{ name: 'lookup', input: { topic: 'harbour' }, id: 'toolu_harbour' }], { id: 'msg_try' }), latency),
      errorReply(500, { message: 'overloaded, try later' }),
    );
    await t.process.run('And tomorrow?').catch(() => {});
    detach();
  } finally {
    await t.close();
  }
}

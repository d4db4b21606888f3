/**
 * The builtin `fork` tool (`[tools] enabled = ["fork"]`): forks the process once per prompt, runs
 * the children concurrently from a copy of the conversation, and returns their answers. A forked
 * child cannot fork again. The children share the parent run's budget: each stops once the run's
 * totals, every child's calls included, reach it.
 *
 * @module
 */
import { errorResult, textResult, type Tool } from '../tool.js';

/** The most children one fork call may start. */
export const MAX_FORKS = 10;

/** The fork tool. */
export const forkTool: Tool = {
  name: 'fork',
  description:
    'Creates copies of yourself, each with the whole conversation so far, to work on several tasks in parallel. ' +
    'Give one prompt per copy; you get back each copy\'s final answer.',
  inputSchema: {
    type: 'object',
    properties: { prompts: { type: 'array', items: { type: 'string' }, description: 'One task per forked copy.' } },
    required: ['prompts'],
  },
  source: { kind: 'builtin' },
  uses: ['children'],
  async run(input, { children }) {
    const prompts = input['prompts'];
    if (!Array.isArray(prompts) || prompts.length === 0 || !prompts.every((p) => typeof p === 'string' && p.trim() !== '')) {
      return errorResult('Error: fork needs "prompts", a non-empty array of non-empty strings.');
    }
    if (prompts.length > MAX_FORKS) return errorResult(`Error: at most ${MAX_FORKS} forks per call.`);
    if (!children) return errorResult('Error: fork can only run inside a process.');
    if (!children.canFork) return errorResult('Error: this process is itself a fork, and a forked process cannot fork again. Do the task yourself.');
    const answers = await Promise.all(
      prompts.map(async (prompt, i) => {
        const child = children.fork(`You are fork ${i + 1} of ${prompts.length}. Work only on the task below and answer it.`);
        try {
          const result = await children.run(child, prompt);
          if (result.stopReason === 'budget') return { ok: false, text: `stopped before it finished: the run's budget is spent. ${child.getLastMessage()}`.trim() };
          return { ok: true, text: child.getLastMessage() };
        } catch (error) {
          return { ok: false, text: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    const text = answers.map((answer, i) => `Fork ${i + 1} (${prompts[i]}):\n${answer.ok ? answer.text : `failed: ${answer.text}`}`).join('\n\n');
    return answers.every((answer) => !answer.ok) ? errorResult(text) : textResult(text);
  },
};

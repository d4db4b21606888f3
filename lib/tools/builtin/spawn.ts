/**
 * The builtin `spawn` tool (`[tools] enabled = ["spawn"]`): runs a query on a fresh process of a
 * linked program and returns its final answer. The child's API calls and tool calls reach the
 * parent's listeners and RunResult, tagged with the child, and it spends from the parent run's
 * budget. A spawn nested deeper than the run's `maxSpawnDepth`, an unpriced child under a cost
 * budget, or a spawn once the budget is spent is answered with an `is_error` result saying so.
 *
 * @module
 */
import { ChildRunRefusedError } from '../../errors.js';
import type { LLMProgram } from '../../program/llm-program.js';
import { errorResult, textResult, type Tool } from '../tool.js';

/** Creates the spawn tool of `program`; its description lists the linked programs. */
export function createSpawnTool(program: LLMProgram): Tool {
  const names = Object.keys(program.linkedPrograms);
  const listed = names.length > 0 ? names.join(', ') : '(none)';
  return {
    name: 'spawn',
    description: `Runs a query on a linked program (a specialist with its own instructions) and returns its answer. Linked programs: ${listed}.`,
    inputSchema: {
      type: 'object',
      properties: {
        program_name: { type: 'string', description: `Which linked program to ask: one of ${listed}.` },
        query: { type: 'string', description: 'The question or task for it.' },
      },
      required: ['program_name', 'query'],
    },
    source: { kind: 'builtin' },
    uses: ['children'],
    async run(input, { children }) {
      const name = input['program_name'];
      const query = input['query'];
      if (typeof name !== 'string' || typeof query !== 'string' || query.trim() === '') {
        return errorResult('Error: spawn needs "program_name" (a string) and a non-empty "query".');
      }
      if (!children) return errorResult('Error: spawn can only run inside a process.');
      if (!program.linkedProgram(name)) return errorResult(`Error: there is no linked program "${name}". Linked programs: ${listed}.`);
      let child;
      try {
        child = await children.spawn(name);
      } catch (error) {
        if (error instanceof ChildRunRefusedError) return errorResult(`Error: ${error.message}`);
        throw error;
      }
      try {
        const result = await children.run(child, query);
        const answer = child.getLastMessage();
        if (result.stopReason === 'budget') {
          return errorResult(`Error: the linked program "${name}" stopped before it finished: the run's budget is spent.${answer ? ` Its last answer: ${answer}` : ''}`);
        }
        return textResult(answer || '(the linked program gave no text answer)');
      } catch (error) {
        if (error instanceof ChildRunRefusedError) return errorResult(`Error: ${error.message}`);
        return errorResult(`Error: the linked program "${name}" failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        await child.close();
      }
    },
  };
}

/**
 * The builtin `spawn` tool (`[tools] enabled = ["spawn"]`): runs a query on a fresh process of a
 * linked program and returns its final answer. The child's API calls and tool calls reach the
 * parent's listeners and RunResult, tagged with the child.
 *
 * @module
 */
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
    async run(input, { signal, toolUseId, process: parent }) {
      const name = input['program_name'];
      const query = input['query'];
      if (typeof name !== 'string' || typeof query !== 'string' || query.trim() === '') {
        return errorResult('Error: spawn needs "program_name" (a string) and a non-empty "query".');
      }
      if (!parent) return errorResult('Error: spawn can only run inside a process.');
      const linked = program.linkedProgram(name);
      if (!linked) return errorResult(`Error: there is no linked program "${name}". Linked programs: ${listed}.`);
      const child = await parent.startChild(linked);
      const detach = parent.adoptChild(child, 'spawn', toolUseId);
      try {
        await child.run(query, { signal });
        return textResult(child.getLastMessage() || '(the linked program gave no text answer)');
      } catch (error) {
        return errorResult(`Error: the linked program "${name}" failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        detach();
        await child.close();
      }
    },
  };
}

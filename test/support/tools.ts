/** Small hand-written tools for loop tests (the Tool interface, no helpers). */
import type { Tool, ToolResult } from '../../lib/tools/tool.js';

/** A function-kind tool whose `run` is given; `exclusive` tools run alone. */
export function stubTool(name: string, run: Tool['run'], exclusive = false): Tool {
  return {
    name,
    description: `The ${name} test tool.`,
    inputSchema: { type: 'object', properties: { value: { type: 'string' } } },
    source: { kind: 'function' },
    ...(exclusive ? { exclusive } : {}),
    run,
  };
}

/** A tool that answers `<name>:<value>`. */
export function echoTool(name: string): Tool {
  return stubTool(name, async (input): Promise<ToolResult> => ({ content: `${name}:${String(input['value'])}`, isError: false }));
}

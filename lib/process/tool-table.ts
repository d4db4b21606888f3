/**
 * A process's tools by name, with their origins (as events report them) and their specs (as the
 * model is offered them), built once per program and shared by its processes while their tools
 * say the same: `program.start()` per conversation (as a server does it) builds no map and maps
 * no tool to the wire again.
 *
 * @module
 */
import type { LLMProgram } from '../program/llm-program.js';
import type { ToolSpec } from '../providers/types.js';
import type { Tool } from '../tools/tool.js';
import type { ToolOrigin } from './events.js';

/** The tools of a process, looked up by name; shared, so never changed. */
export interface ToolTable {
  /** The tools, in the order the process was given them. */
  readonly tools: readonly Tool[];
  readonly byName: ReadonlyMap<string, Tool>;
  /** Each tool's origin, spread into each of its events' payloads (never handed out). */
  readonly origins: ReadonlyMap<string, ToolOrigin>;
  /** The specs, frozen (list and specs), so a provider maps them once: its wire form is cached by identity. */
  readonly specs: readonly ToolSpec[];
}

/** The origin of a tool the program does not have. */
export const UNKNOWN_ORIGIN: ToolOrigin = Object.freeze({ source: 'unknown' });

/** Each program's last table, which its next processes share when their tools say the same. */
const tables = new WeakMap<LLMProgram, ToolTable>();

/**
 * The table of `tools` for a process of `program`: the table of the program's last process when
 * it holds the same tool objects and they still say the same (name, description, schema), else a
 * new one, which the next processes then share.
 */
export function toolTableOf(program: LLMProgram, tools: readonly Tool[]): ToolTable {
  const earlier = tables.get(program);
  if (earlier !== undefined && sameTools(earlier, tools)) return earlier;
  const table: ToolTable = {
    tools: [...tools],
    byName: new Map(tools.map((tool) => [tool.name, tool])),
    origins: new Map(tools.map((tool) => [tool.name, originOf(tool)])),
    specs: Object.freeze(tools.map(({ name, description, inputSchema }) => Object.freeze({ name, description, inputSchema }))),
  };
  tables.set(program, table);
  return table;
}

/** Whether `table` was built from `tools` as they are now (a tool's fields may have been changed since). */
function sameTools(table: ToolTable, tools: readonly Tool[]): boolean {
  if (table.tools.length !== tools.length) return false;
  for (let i = 0; i < tools.length; i++) {
    const tool = tools[i]!;
    const spec = table.specs[i]!;
    if (table.tools[i] !== tool || spec.name !== tool.name || spec.description !== tool.description || spec.inputSchema !== tool.inputSchema) return false;
  }
  return true;
}

/** How events name where `tool` comes from. */
export function originOf(tool: Tool | undefined): ToolOrigin {
  if (!tool) return UNKNOWN_ORIGIN;
  return tool.source.kind === 'mcp' ? { source: 'mcp', server: tool.source.server } : { source: tool.source.kind };
}

/**
 * A process's tool table (lib/process/tool-table.ts): shared by the processes of one program while
 * their tools are the same objects saying the same, built anew as soon as one differs.
 */
import { expect } from 'chai';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { originOf, toolTableOf, UNKNOWN_ORIGIN } from '../../lib/process/tool-table.js';
import type { Tool } from '../../lib/tools/tool.js';
import { echoTool } from '../support/tools.js';

describe('toolTableOf', () => {
  const program = () => new LLMProgram({ model: 'claude-test' });

  it('shares the table of the same tools, saying the same, between the processes of a program (not of another)', () => {
    const tools = [echoTool('a'), echoTool('b')];
    const mine = program();
    const first = toolTableOf(mine, tools);
    expect(toolTableOf(mine, [...tools])).to.equal(first);
    expect(toolTableOf(program(), tools)).not.to.equal(first);
    expect(first.specs.map((spec) => spec.name)).to.deep.equal(['a', 'b']);
  });

  it('builds a new table for more or fewer tools', () => {
    const mine = program();
    const a = echoTool('a');
    toolTableOf(mine, [a]);
    expect(toolTableOf(mine, [a, echoTool('b')]).specs.map((spec) => spec.name)).to.deep.equal(['a', 'b']);
    expect(toolTableOf(mine, [a]).specs.map((spec) => spec.name)).to.deep.equal(['a']);
  });

  it('builds a new table for another tool object saying the same, which then runs', () => {
    const mine = program();
    const before = echoTool('a');
    // The same name, description and schema object: only the tool object (and its run) differ.
    const after: Tool = { ...before, run: async () => ({ content: 'the new run', isError: false }) };
    const z = echoTool('z');
    toolTableOf(mine, [z, before]);
    expect(toolTableOf(mine, [z, after]).byName.get('a')).to.equal(after);
  });

  for (const [field, change] of [
    ['name', (tool: { -readonly [K in keyof Tool]: Tool[K] }) => void (tool.name = 'renamed')],
    ['description', (tool: { -readonly [K in keyof Tool]: Tool[K] }) => void (tool.description = 'Now it says this.')],
    ['inputSchema', (tool: { -readonly [K in keyof Tool]: Tool[K] }) => void (tool.inputSchema = { type: 'object', properties: {} })],
  ] as const) {
    it(`builds a new table when a tool's ${field} was changed since`, () => {
      const mine = program();
      const tool = echoTool('a');
      const tools = [echoTool('first'), tool];
      const earlier = toolTableOf(mine, tools);
      change(tool);
      const table = toolTableOf(mine, tools);
      expect(table).not.to.equal(earlier);
      expect(table.specs[1]![field]).to.equal(tool[field]);
    });
  }
});

describe('originOf', () => {
  it('names where a tool comes from, and a tool the program does not have as unknown', () => {
    expect(originOf(undefined)).to.equal(UNKNOWN_ORIGIN);
    expect(originOf(echoTool('a'))).to.deep.equal({ source: 'function' });
  });
});

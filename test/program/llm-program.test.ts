import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as v from 'valibot';
import { ProgramError } from '../../lib/errors.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { defineTool } from '../../lib/tools/function-tool.js';
import type { Tool } from '../../lib/tools/tool.js';

const tool = (name: string): Tool => ({
  name,
  description: 'x',
  inputSchema: { type: 'object' },
  source: { kind: 'function' },
  run: async () => ({ content: 'x', isError: false }),
});

const refusal = (options: unknown): ProgramError => {
  try {
    new LLMProgram(options as never);
  } catch (error) {
    expect(error).to.be.instanceOf(ProgramError);
    return error as ProgramError;
  }
  throw new Error('the options were accepted');
};

describe('new LLMProgram(options)', () => {
  it('takes camelCase options and applies defaults', () => {
    const program = new LLMProgram({ model: 'claude-haiku-4-5', systemPrompt: 'Be brief.', parameters: { maxTokens: 10 } });
    expect(program).to.include({ model: 'claude-haiku-4-5', provider: 'anthropic', displayName: 'anthropic claude-haiku-4-5', systemPrompt: 'Be brief.', file: undefined });
    expect(program.parameters).to.deep.equal({ maxTokens: 10 });
    expect(program.baseDir).to.equal(process.cwd());
    expect(Object.isFrozen(program.parameters)).to.equal(true);
  });

  it('accepts function tools and builtin tool names', () => {
    const weather = defineTool({ name: 'weather', description: 'x', input: v.object({}), run: () => 'sunny' });
    const program = new LLMProgram({ model: 'm', tools: ['calculator', weather] });
    expect(program.builtinTools).to.deep.equal(['calculator']);
    expect(program.functionTools).to.deep.equal([weather]);
  });

  it('refuses invalid options by key path', () => {
    expect(refusal({ model: 'm', parameters: { maxTokens: -1 } }).message).to.equal('parameters.maxTokens: expected a positive integer, received -1');
    expect(refusal({ model: 'm', tols: [] }).message).to.match(/^tols: unknown option; expected one of: model, provider, /);
    expect(refusal({ model: 3 }).message).to.equal('model: expected string, received number');
    expect(refusal({ model: 'm', tools: [tool('a b')] }).message).to.equal('tools[0].name: expected a tool name matching /^[a-zA-Z0-9_-]{1,64}$/, received "a b"');
    expect(refusal({ model: 'm', tools: [tool('x'), tool('x')] }).message).to.equal('tools[1]: a tool named "x" is already listed at tools[0]');
    expect(refusal({ model: 'm', tools: ['hammer'] }).keyPath).to.equal('tools[0]');
  });

  it('resolves paths against baseDir, and a system prompt file wins over the inline prompt', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'llmproc-options-'));
    try {
      writeFileSync(path.join(dir, 'prompt.md'), 'From a file.');
      const program = new LLMProgram({ model: 'm', baseDir: dir, systemPrompt: 'inline', systemPromptFile: 'prompt.md', preload: ['notes.txt'] });
      expect(program.systemPrompt).to.equal('From a file.');
      expect(program.systemPromptFile).to.equal(path.join(dir, 'prompt.md'));
      expect(program.preloadFiles).to.deep.equal([path.join(dir, 'notes.txt')]);
      expect(refusal({ model: 'm', baseDir: dir, systemPromptFile: 'none.md' }).message).to.match(/^systemPromptFile: cannot read "none\.md" \(resolved to .*none\.md\): file not found$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('addTool', () => {
    it('adds a function tool to a program, for chaining', () => {
      const program = new LLMProgram({ model: 'm', tools: ['calculator'] });
      expect(program.addTool(tool('one')).addTool(tool('two')).functionTools.map((t) => t.name)).to.deep.equal(['one', 'two']);
    });

    it('refuses a duplicate name and an invalid tool', () => {
      const program = new LLMProgram({ model: 'm', tools: ['calculator', tool('one')] });
      expect(() => program.addTool(tool('one'))).to.throw(ProgramError, /a tool named "one" is already part of this program/);
      expect(() => program.addTool(tool('calculator'))).to.throw(ProgramError, /"calculator" is already part/);
      expect(() => program.addTool({ name: 'x' } as never)).to.throw(ProgramError, /expected a Tool/);
    });
  });
});

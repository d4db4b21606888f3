import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ProgramError } from '../../lib/errors.js';
import { loadProgramOptions } from '../../lib/program/load-options.js';
import { thrownBy } from '../support/thrown-by.js';
import { literalTool } from './support.js';

const tool = literalTool;

/** Validates `options`, returning the ProgramError (and failing when they are accepted). */
function refusal(options: unknown): ProgramError {
  return thrownBy(() => loadProgramOptions(options), ProgramError, JSON.stringify(options));
}

describe('loadProgramOptions(options) (what new LLMProgram(options) validates)', () => {
  describe('when the options are valid', () => {
    it('takes camelCase options and applies the defaults', () => {
      const definition = loadProgramOptions({ model: 'claude-haiku-4-5' });
      expect(definition).to.include({
        model: 'claude-haiku-4-5',
        provider: 'anthropic',
        displayName: 'anthropic claude-haiku-4-5',
        systemPrompt: '',
        systemPromptFile: undefined,
        file: undefined,
        baseDir: process.cwd(),
        mcp: undefined,
      });
      expect(definition.parameters).to.deep.equal({});
      expect(definition.builtinTools).to.deep.equal([]);
      expect(definition.functionTools).to.deep.equal([]);
      expect(definition.envInfo).to.deep.equal({ variables: [] });
    });

    it('keeps every setting given', () => {
      const definition = loadProgramOptions({
        model: 'gpt-4o',
        provider: 'openai',
        displayName: 'GPT',
        systemPrompt: 'Be brief.',
        parameters: { temperature: 0.2, maxTokens: 10, topP: 0.5, stopSequences: ['x'], frequencyPenalty: 0, presencePenalty: 1, seed: 7, reasoningEffort: 'low' },
        envInfo: { variables: ['platform'] },
        run: { stream: false, maxIterations: 4 },
      });
      expect(definition).to.include({ model: 'gpt-4o', provider: 'openai', displayName: 'GPT', systemPrompt: 'Be brief.' });
      expect(definition.parameters).to.deep.equal({ temperature: 0.2, maxTokens: 10, topP: 0.5, stopSequences: ['x'], frequencyPenalty: 0, presencePenalty: 1, seed: 7, reasoningEffort: 'low' });
      expect(definition.envInfo).to.deep.equal({ variables: ['platform'] });
      expect(definition.runDefaults).to.deep.equal({ stream: false, maxIterations: 4 });
    });

    it('splits tools into builtin names and function tools, keeping the tool objects themselves', () => {
      const weather = tool('weather');
      const definition = loadProgramOptions({ model: 'm', tools: ['calculator', weather, 'fork'] });
      expect(definition.builtinTools).to.deep.equal(['calculator', 'fork']);
      expect(definition.functionTools).to.have.length(1);
      expect(definition.functionTools[0]).to.equal(weather);
    });

    describe('with a baseDir', () => {
      let dir: string;
      beforeEach(() => {
        dir = mkdtempSync(path.join(tmpdir(), 'llmproc-options-'));
        writeFileSync(path.join(dir, 'prompt.md'), 'From a file.');
      });
      afterEach(() => rmSync(dir, { recursive: true, force: true }));

      it('resolves every relative path against it, and the system prompt file wins over the inline prompt', () => {
        const definition = loadProgramOptions({
          model: 'm',
          baseDir: dir,
          systemPrompt: 'inline',
          systemPromptFile: 'prompt.md',
          preload: ['notes.txt', '/abs/other.txt'],
          linkedPrograms: { helper: 'helper.toml' },
          mcp: { configPath: 'mcp.json' },
          readFile: { allowedRoots: ['docs'] },
        });
        expect(definition.baseDir).to.equal(dir);
        expect(definition.systemPrompt).to.equal('From a file.');
        expect(definition.systemPromptFile).to.equal(path.join(dir, 'prompt.md'));
        expect(definition.preloadFiles).to.deep.equal([path.join(dir, 'notes.txt'), '/abs/other.txt']);
        expect(definition.linkedPrograms).to.deep.equal({ helper: path.join(dir, 'helper.toml') });
        expect(definition.mcp).to.deep.equal({ configPath: path.join(dir, 'mcp.json'), tools: {} });
        expect(definition.readFile.allowedRoots).to.deep.equal([path.join(dir, 'docs')]);
      });

      it('resolves a relative baseDir against the working directory', () => {
        const relative = path.relative(process.cwd(), dir);
        expect(loadProgramOptions({ model: 'm', baseDir: relative }).baseDir).to.equal(dir);
      });

      it('names a missing system prompt file as written and as resolved', () => {
        const error = refusal({ model: 'm', baseDir: dir, systemPromptFile: 'none.md' });
        expect(error.message).to.equal(`systemPromptFile: cannot read "none.md" (resolved to ${path.join(dir, 'none.md')}): file not found`);
        expect(error).to.include({ keyPath: 'systemPromptFile', file: undefined });
      });
    });
  });

  describe('when an option is invalid, the message names it by key path', () => {
    const cases: Array<[what: string, options: unknown, message: string, keyPath: string | undefined]> = [
      ['a negative maxTokens', { model: 'm', parameters: { maxTokens: -1 } }, 'parameters.maxTokens: expected a positive integer, received -1', 'parameters.maxTokens'],
      ['a NaN temperature', { model: 'm', parameters: { temperature: Number.NaN } }, 'parameters.temperature: expected a number from 0 to 2, received NaN', 'parameters.temperature'],
      ['a model of the wrong type', { model: 3 }, 'model: expected a non-empty string, received number', 'model'],
      ['no model', {}, 'model: missing; expected a non-empty string', 'model'],
      ['an empty model', { model: '' }, 'model: expected a non-empty string, received ""', 'model'],
      ['a bad provider', { model: 'm', provider: 'bedrock' }, 'provider: unknown value "bedrock"; expected one of: anthropic, openai, anthropic_vertex, vertex, gemini, gemini_vertex', 'provider'],
      [
        'an unknown option',
        { model: 'm', tols: [] },
        'tols: unknown option; did you mean tools? expected one of: model, provider, baseUrl, projectId, region, displayName, systemPrompt, systemPromptFile, parameters, tools, preload, envInfo, linkedPrograms, mcp, readFile, fileDescriptor, run, requireApproval, hooks, baseDir, log',
        'tols',
      ],
      [
        'an unknown parameter',
        { model: 'm', parameters: { max_tokens: 1 } },
        'parameters.max_tokens: unknown key; did you mean maxTokens? expected one of: temperature, maxTokens, topP, topK, stopSequences, frequencyPenalty, presencePenalty, ' +
          'thinking, toolChoice, metadata, serviceTier, extraHeaders, betas, reasoningEffort, seed, responseFormat',
        'parameters.max_tokens',
      ],
      ['parameters as an array', { model: 'm', parameters: [] }, 'parameters: expected object, received array', 'parameters'],
      ['options that are not an object', null, 'options: expected object, received null', undefined],
      ['a bad tool name', { model: 'm', tools: [tool('a b')] }, 'tools[0].name: expected a tool name matching /^[a-zA-Z0-9_-]{1,64}$/, received "a b"', 'tools[0].name'],
      [
        'a tool whose input schema is not an object schema',
        { model: 'm', tools: [{ ...tool('t'), inputSchema: { type: 'string' } }] },
        'tools[0].inputSchema: expected a JSON Schema of type "object", received "string"',
        'tools[0].inputSchema',
      ],
      ['a tool without run', { model: 'm', tools: [{ ...tool('t'), run: undefined }] }, 'tools[0].run: expected a function, received undefined', 'tools[0].run'],
      [
        'an unknown builtin tool',
        { model: 'm', tools: ['hammer'] },
        'tools[0]: expected a Tool or a builtin tool name (calculator, read_file, spawn, fork, goto, read_fd, fd_to_file, list_dir), received "hammer"',
        'tools[0]',
      ],
      ['two tools with one name', { model: 'm', tools: [tool('x'), tool('x')] }, 'tools[1]: a tool named "x" is already listed at tools[0]', 'tools[1]'],
      ['a function tool named like a builtin', { model: 'm', tools: ['calculator', tool('calculator')] }, 'tools[1]: a tool named "calculator" is already listed at tools[0]', 'tools[1]'],
      ['a promptCaching that is not a boolean', { model: 'm', run: { promptCaching: 'no' } }, 'run.promptCaching: expected boolean, received "no"', 'run.promptCaching'],
      ['an unknown cache TTL', { model: 'm', run: { promptCacheTtl: '10m' } }, 'run.promptCacheTtl: unknown value "10m"; did you mean "5m"? expected "5m" or "1h"', 'run.promptCacheTtl'],
      ['mcp without configPath', { model: 'm', mcp: { tools: { time: 'all' } } }, 'mcp.configPath: missing; expected a non-empty path', 'mcp.configPath'],
      [
        'a bad envInfo variable',
        { model: 'm', envInfo: { variables: ['shoe_size'] } },
        'envInfo.variables[0]: unknown value "shoe_size"; expected one of: working_directory, platform, date, node_version, hostname, username, python_version',
        'envInfo.variables[0]',
      ],
      [
        'a linked program that is neither a path nor a program',
        { model: 'm', linkedPrograms: { helper: 3 } },
        'linkedPrograms.helper: expected a path to a TOML program or an LLMProgram, received number',
        'linkedPrograms.helper',
      ],
    ];
    for (const [what, options, message, keyPath] of cases) {
      it(`refuses ${what}: ${message}`, () => {
        const error = refusal(options);
        expect(error.message).to.equal(message);
        expect(error).to.include({ name: 'ProgramError', keyPath, file: undefined });
      });
    }

    it('names a missing tool field as missing', () => {
      const { run: _run, source: _source, ...partial } = tool('t');
      expect(refusal({ model: 'm', tools: [partial] }).issues).to.deep.equal([
        'tools[0].source: missing; expected an object with a kind (builtin, function or mcp)',
        'tools[0].run: missing; expected a function',
      ]);
    });

    it('lists every problem', () => {
      const error = refusal({ model: 1, parameters: { topK: 0 }, extra: true });
      expect(error.issues).to.deep.equal([
        'model: expected a non-empty string, received number',
        'parameters.topK: expected a positive integer, received 0',
        'extra: unknown option; expected one of: model, provider, baseUrl, projectId, region, displayName, systemPrompt, systemPromptFile, parameters, tools, preload, envInfo, linkedPrograms, mcp, readFile, fileDescriptor, run, requireApproval, hooks, baseDir, log',
      ]);
      expect(error.message).to.equal(`3 problems:\n  - ${error.issues.join('\n  - ')}`);
    });
  });
});

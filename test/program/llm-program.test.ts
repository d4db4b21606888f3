import { expect } from 'chai';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'smol-toml';
import * as v from 'valibot';
import { ProgramError, UnsupportedProviderError } from '../../lib/errors.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { defineTool } from '../../lib/tools/function-tool.js';
import { COMPAT_EXAMPLES, literalTool, PROGRAM_FIXTURES, tomlFilesUnder } from './support.js';

const tool = literalTool;

/** Runs `build`, returning the ProgramError it throws (and failing when it does not throw). */
function refusal(build: () => unknown): ProgramError {
  try {
    build();
  } catch (error) {
    expect(error).to.be.instanceOf(ProgramError);
    return error as ProgramError;
  }
  throw new Error('accepted, but should have been refused');
}

/** Valibot's default messages, which no refusal may show. */
const VALIBOT_DEFAULT = /Invalid (type|key|value|length|entries)|Expected |but received/;

describe('LLMProgram', () => {
  describe('new LLMProgram(options)', () => {
    it('takes camelCase options, applies the defaults and freezes what it keeps', () => {
      const program = new LLMProgram({ model: 'claude-haiku-4-5', systemPrompt: 'Be brief.', parameters: { maxTokens: 10 } });
      expect(program).to.include({
        model: 'claude-haiku-4-5',
        provider: 'anthropic',
        displayName: 'anthropic claude-haiku-4-5',
        systemPrompt: 'Be brief.',
        systemPromptFile: undefined,
        file: undefined,
        baseDir: process.cwd(),
        mcp: undefined,
      });
      expect(program.parameters).to.deep.equal({ maxTokens: 10 });
      expect(Object.isFrozen(program.parameters)).to.equal(true);
      expect(Object.isFrozen(program.builtinTools)).to.equal(true);
      expect(Object.isFrozen(program.linkedPrograms)).to.equal(true);
      expect(program.preloadFiles).to.deep.equal([]);
      expect(program.envInfo).to.deep.equal({ variables: [] });
    });

    it('uses the display name given', () => {
      expect(new LLMProgram({ model: 'm', provider: 'openai', displayName: 'Mine' })).to.include({ provider: 'openai', displayName: 'Mine' });
    });

    it('accepts function tools (a literal or defineTool) and builtin tool names', () => {
      const literal = tool('literal');
      const weather = defineTool({ name: 'weather', description: 'x', input: v.object({}), run: () => 'sunny' });
      const program = new LLMProgram({ model: 'm', tools: ['calculator', literal, weather] });
      expect(program.builtinTools).to.deep.equal(['calculator']);
      expect(program.functionTools).to.have.length(2);
      expect(program.functionTools[0]).to.equal(literal);
      expect(program.functionTools[1]).to.equal(weather);
    });

    it('refuses invalid options with a ProgramError naming the option', () => {
      expect(refusal(() => new LLMProgram({ model: 'm', parameters: { maxTokens: -1 } })).message).to.equal(
        'parameters.maxTokens: expected a positive integer, received -1',
      );
      expect(refusal(() => new LLMProgram({ model: 'm', tools: [tool('a b')] })).message).to.equal(
        'tools[0].name: expected a tool name matching /^[a-zA-Z0-9_-]{1,64}$/, received "a b"',
      );
      // @ts-expect-error an unknown option is a type error too
      const unknown = refusal(() => new LLMProgram({ model: 'm', tols: [] }));
      expect(unknown.message).to.match(/^tols: unknown option; did you mean tools\? expected one of: model, provider, /);
    });

    it('resolves paths against baseDir, and a system prompt file wins over the inline prompt', () => {
      const folder = path.join(PROGRAM_FIXTURES, 'relative');
      const program = new LLMProgram({ model: 'm', baseDir: folder, systemPrompt: 'inline', systemPromptFile: 'prompts/system.md', preload: ['a.txt'] });
      expect(program.baseDir).to.equal(folder);
      expect(program.systemPrompt).to.equal('You answer from the fixture prompt file.\n');
      expect(program.systemPromptFile).to.equal(path.join(folder, 'prompts/system.md'));
      expect(program.preloadFiles).to.deep.equal([path.join(folder, 'a.txt')]);
    });
  });

  describe("a program's fields", () => {
    const FIELDS = [
      'model', 'provider', 'endpoint', 'displayName', 'systemPrompt', 'systemPromptFile', 'parameters', 'builtinTools', 'preloadFiles', 'envInfo',
      'linkedPrograms', 'mcp', 'readFile', 'fileDescriptor', 'runDefaults', 'requireApproval', 'hooks', 'log', 'file', 'baseDir',
    ];

    it('are its settings and nothing else, whether it is built in code or loaded from TOML (the options an endpoint groups are not fields)', () => {
      const inCode = new LLMProgram({ model: 'm', baseUrl: 'http://127.0.0.1:9/v1', region: 'us-east5', preload: [], run: { stream: true }, tools: ['calculator'] });
      const fromToml = LLMProgram.fromTomlString('[model]\nname = "m"\nprovider = "anthropic"\nbase_url = "http://127.0.0.1:9/v1"\n[run]\nstream = true\n');
      for (const program of [inCode, fromToml]) {
        expect(Object.keys(program)).to.deep.equal(FIELDS);
        expect(program.endpoint).to.deep.equal({ baseUrl: 'http://127.0.0.1:9/v1', projectId: undefined, region: program === inCode ? 'us-east5' : undefined });
        expect(program.runDefaults).to.deep.equal({ stream: true });
        for (const field of FIELDS) {
          const value = (program as unknown as Record<string, unknown>)[field];
          if (typeof value === 'object' && value !== null) expect(Object.isFrozen(value), field).to.equal(true);
        }
      }
    });
  });

  describe('LLMProgram.fromToml(file)', () => {
    it('loads a program synchronously, with its file, folder and linked programs (cycles allowed, each compiled once)', () => {
      const file = path.join(PROGRAM_FIXTURES, 'relative', 'program.toml');
      const program = LLMProgram.fromToml(file);
      expect(program).to.be.instanceOf(LLMProgram);
      expect(program).to.include({ file, baseDir: path.dirname(file), model: 'claude-haiku-4-5', displayName: 'anthropic claude-haiku-4-5' });
      const helper = program.linkedProgram('helper');
      expect(helper).to.be.instanceOf(LLMProgram);
      expect(helper?.displayName).to.equal('Helper');
      expect(helper?.linkedProgram('back')).to.equal(program);
      expect(program.linkedProgram('nobody')).to.equal(undefined);
      expect(program.linkedProgram('toString')).to.equal(undefined);
    });

    describe('when it refuses the file', () => {
      let dir: string;
      beforeEach(() => {
        dir = mkdtempSync(path.join(tmpdir(), 'llmproc-program-'));
      });
      afterEach(() => rmSync(dir, { recursive: true, force: true }));
      const MODEL = '[model]\nname = "m"\nprovider = "anthropic"\n';

      it('names a missing linked program from the program that links it', () => {
        const file = path.join(dir, 'linker.toml');
        writeFileSync(file, `${MODEL}[linked_programs]\nexpert = "nowhere.toml"`);
        const error = refusal(() => LLMProgram.fromToml(file));
        expect(error.message).to.equal(`${file}: linked_programs.expert: the linked program "${path.join(dir, 'nowhere.toml')}" does not exist`);
        expect(error).to.include({ file, keyPath: 'linked_programs.expert' });
      });

      it('names a linked program that is a folder', () => {
        mkdirSync(path.join(dir, 'experts'));
        const file = path.join(dir, 'linker.toml');
        writeFileSync(file, `${MODEL}[linked_programs]\nexpert = "experts"`);
        expect(refusal(() => LLMProgram.fromToml(file)).message).to.equal(
          `${file}: linked_programs.expert: the linked program "${path.join(dir, 'experts')}" is a folder, not a file`,
        );
      });

      it('names the linked file when the linked program is invalid', () => {
        const file = path.join(dir, 'linker.toml');
        writeFileSync(file, `${MODEL}[linked_programs]\nexpert = "expert.toml"`);
        writeFileSync(path.join(dir, 'expert.toml'), '[model]\nname = 1\nprovider = "anthropic"');
        expect(refusal(() => LLMProgram.fromToml(file)).message).to.equal(`${path.join(dir, 'expert.toml')}: line 2, column 1: model.name: expected a non-empty string, received number`);
      });

      it('refuses a file argument that is not a path', () => {
        expect(refusal(() => LLMProgram.fromToml(42 as never)).message).to.equal('fromToml: expected the path of a TOML program file or a file: URL, received number');
        expect(refusal(() => LLMProgram.fromToml('')).message).to.equal('fromToml: expected the path of a TOML program file or a file: URL, received ""');
      });
    });
  });

  describe('addTool(tool)', () => {
    it('adds function tools, in order, for chaining', () => {
      const program = new LLMProgram({ model: 'm', tools: ['calculator'] });
      const one = tool('one');
      expect(program.addTool(one)).to.equal(program);
      program.addTool(tool('two'));
      expect(program.functionTools.map((t) => t.name)).to.deep.equal(['one', 'two']);
      expect(program.functionTools[0]).to.equal(one);
    });

    it('refuses a name already taken by a function or a builtin tool', () => {
      const program = new LLMProgram({ model: 'm', tools: ['calculator', tool('one')] });
      expect(refusal(() => program.addTool(tool('one'))).message).to.equal('addTool: a tool named "one" is already part of this program');
      expect(refusal(() => program.addTool(tool('calculator'))).message).to.equal('addTool: a tool named "calculator" is already part of this program');
      expect(program.functionTools.map((t) => t.name)).to.deep.equal(['one']);
    });

    it('refuses an invalid tool, saying what is wrong with it', () => {
      const program = new LLMProgram({ model: 'm' });
      expect(refusal(() => program.addTool(tool('a b'))).message).to.equal('addTool: tool.name: expected a tool name matching /^[a-zA-Z0-9_-]{1,64}$/, received "a b"');
      expect(refusal(() => program.addTool({ ...tool('t'), inputSchema: { type: 'array' } })).message).to.equal(
        'addTool: tool.inputSchema: expected a JSON Schema of type "object", received "array"',
      );
      expect(refusal(() => program.addTool({ name: 'x' } as never)).issues).to.deep.equal([
        'addTool: tool.description: missing; expected string',
        'addTool: tool.inputSchema: missing; expected a JSON Schema object',
        'addTool: tool.source: missing; expected an object with a kind (builtin, function or mcp)',
        'addTool: tool.run: missing; expected a function',
      ]);
      expect(refusal(() => program.addTool('calculator' as never)).message).to.equal(
        'addTool: tool: expected a Tool (an object with name, description, inputSchema, source and run), received "calculator"',
      );
      expect(program.functionTools).to.deep.equal([]);
    });
  });

  describe('start()', () => {
    it('rejects a provider this version cannot run, naming the file', async () => {
      const program = LLMProgram.fromToml(path.join(COMPAT_EXAMPLES, 'vertex.toml'));
      const error = await program.start({ apiKey: 'test' }).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).to.be.instanceOf(UnsupportedProviderError);
      expect((error as UnsupportedProviderError).file).to.equal(program.file);
    });
  });

  describe('when the input is random (property)', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'llmproc-property-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    /** Loads `text` as a program: an LLMProgram or a precise ProgramError, nothing else. */
    function loadsOrRefuses(text: string): void {
      const file = path.join(dir, 'case.toml');
      writeFileSync(file, text);
      let program: unknown;
      try {
        program = LLMProgram.fromToml(file);
      } catch (error) {
        if (!(error instanceof ProgramError)) throw error;
        expect(error.issues).not.to.have.length(0);
        expect(error.message).not.to.match(VALIBOT_DEFAULT);
        expect(error.message.startsWith(`${error.file}: `), error.message).to.equal(true);
        return;
      }
      expect(program).to.be.instanceOf(LLMProgram);
    }

    const SECTIONS = ['model', 'parameters', 'prompt', 'preload', 'env_info', 'tools', 'linked_programs', 'run', 'mcp', 'modle'];
    const KEYS = ['name', 'provider', 'display_name', 'max_tokens', 'temperature', 'system_prompt', 'system_prompt_file', 'files', 'variables', 'enabled', 'config_path', 'tools', 'x'];
    const tomlValue = fc.oneof(
      fc.integer(),
      fc.double(),
      fc.string({ maxLength: 12 }),
      fc.boolean(),
      fc.date({ noInvalidDate: true }),
      fc.constantFrom('anthropic', 'all', 'calculator', 'platform', 'case.toml', '.', 'claude-haiku-4-5'),
      fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('calculator', 'fork', 'platform'), fc.integer()), { maxLength: 3 }),
    );
    const key = fc.oneof(fc.constantFrom(...KEYS), fc.string({ minLength: 1, maxLength: 8 }));
    const section = fc.oneof(fc.dictionary(key, tomlValue, { maxKeys: 4 }), tomlValue);
    const document = fc.dictionary(fc.oneof(fc.constantFrom(...SECTIONS), fc.string({ minLength: 1, maxLength: 8 })), section, { maxKeys: 5 });

    it('a random document gives a program or a ProgramError, nothing else', () => {
      fc.assert(
        fc.property(document, fc.boolean(), (doc, withModel) => {
          const full = withModel ? { model: { name: 'm', provider: 'anthropic' }, ...doc } : doc;
          loadsOrRefuses(stringify(full));
        }),
        { numRuns: 300 },
      );
    });

    it('a mutated 0.2.0 example gives a program or a ProgramError, nothing else', () => {
      const seeds = tomlFilesUnder(COMPAT_EXAMPLES).map((file) => readFileSync(file, 'utf8'));
      expect(seeds.length).to.be.greaterThan(10);
      const mutation = fc.oneof(
        fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('value' as const), at: fc.nat(), value: tomlValue }),
        fc.record({ kind: fc.constant('chars' as const), at: fc.nat(), offset: fc.nat(), chars: fc.string({ minLength: 1, maxLength: 6 }) }),
      );
      fc.assert(
        fc.property(fc.nat(seeds.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }), (seed, mutations) => {
          const lines = seeds[seed]!.split('\n');
          for (const change of mutations) {
            const at = change.at % lines.length;
            const line = lines[at] ?? '';
            if (change.kind === 'delete') lines.splice(at, 1);
            else if (change.kind === 'duplicate') lines.splice(at, 0, line);
            else if (change.kind === 'value') lines[at] = line.replace(/=.*/, `= ${stringify({ v: change.value }).slice('v = '.length).trim()}`);
            else {
              const offset = change.offset % (line.length + 1);
              lines[at] = `${line.slice(0, offset)}${change.chars}${line.slice(offset)}`;
            }
            if (lines.length === 0) lines.push('');
          }
          loadsOrRefuses(lines.join('\n'));
        }),
        { numRuns: 400 },
      );
    });

    it('random options give a program or a ProgramError, nothing else', () => {
      const option = fc.constantFrom('model', 'provider', 'displayName', 'parameters', 'tools', 'envInfo', 'mcp', 'preload', 'linkedPrograms', 'baseDir', 'modle');
      const optionValue = fc.oneof(tomlValue, fc.constant(null), fc.constant(undefined), fc.dictionary(fc.constantFrom('maxTokens', 'variables', 'configPath', 'x'), tomlValue, { maxKeys: 2 }));
      fc.assert(
        fc.property(fc.dictionary(option, optionValue, { maxKeys: 4 }), (options) => {
          try {
            expect(new LLMProgram(options as never)).to.be.instanceOf(LLMProgram);
          } catch (error) {
            if (!(error instanceof ProgramError)) throw error;
            expect(error.message).not.to.match(VALIBOT_DEFAULT);
          }
        }),
        { numRuns: 300 },
      );
    });
  });
});

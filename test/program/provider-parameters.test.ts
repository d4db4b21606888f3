import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ProgramError } from '../../lib/errors.js';
import { loadProgramOptions } from '../../lib/program/load-options.js';
import { loadTomlProgram } from '../../lib/program/load-toml.js';
import { thrownBy } from '../support/thrown-by.js';

const program = (provider: string, parameters: string): string => `[model]\nname = "m"\nprovider = "${provider}"\n[parameters]\n${parameters}\n`;

describe('provider parameters ([parameters] and parameters)', () => {
  let dir: string;
  let count = 0;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'llmproc-parameters-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes a TOML program of `provider` with these `[parameters]` lines; returns its path. */
  function write(provider: string, parameters: string): string {
    const file = path.join(dir, `p${++count}.toml`);
    writeFileSync(file, program(provider, parameters));
    return file;
  }

  const tomlRefusal = (provider: string, parameters: string): ProgramError => {
    const file = write(provider, parameters);
    return thrownBy(() => loadTomlProgram(file), ProgramError, parameters);
  };
  const optionsRefusal = (options: Record<string, unknown>): ProgramError =>
    thrownBy(() => loadProgramOptions({ model: 'm', ...options }), ProgramError, JSON.stringify(options));

  describe('when an Anthropic program sets them', () => {
    it('loads thinking, tool_choice, metadata, service_tier, extra_headers and betas from TOML, camelCase', () => {
      const file = write(
        'anthropic',
        [
          'max_tokens = 4096',
          'thinking = { type = "enabled", budget_tokens = 2048 }',
          'tool_choice = { type = "auto", disable_parallel_tool_use = true }',
          'metadata = { user_id = "user-42" }',
          'service_tier = "standard_only"',
          'extra_headers = { "x-team" = "search" }',
          'betas = ["interleaved-thinking-2025-05-14"]',
        ].join('\n'),
      );
      expect(loadTomlProgram(file).parameters).to.deep.equal({
        maxTokens: 4096,
        thinking: { type: 'enabled', budgetTokens: 2048 },
        toolChoice: { type: 'auto', disableParallelToolUse: true },
        metadata: { user_id: 'user-42' },
        serviceTier: 'standard_only',
        extraHeaders: { 'x-team': 'search' },
        betas: ['interleaved-thinking-2025-05-14'],
      });
    });

    it('takes the tool_choice shorthands, a named tool, and thinking disabled', () => {
      expect(loadTomlProgram(write('anthropic', 'tool_choice = "any"')).parameters).to.deep.equal({ toolChoice: { type: 'any' } });
      expect(loadTomlProgram(write('anthropic_vertex', 'tool_choice = { type = "tool", name = "calculator" }')).parameters).to.deep.equal({
        toolChoice: { type: 'tool', name: 'calculator' },
      });
      expect(loadTomlProgram(write('anthropic', 'thinking = { type = "disabled" }\ntemperature = 0.2')).parameters).to.deep.equal({
        thinking: { type: 'disabled' },
        temperature: 0.2,
      });
    });

    it('takes the same settings in code, camelCase', () => {
      const definition = loadProgramOptions({
        model: 'm',
        provider: 'anthropic_vertex',
        parameters: { maxTokens: 8000, thinking: { type: 'enabled', budgetTokens: 4000 }, toolChoice: 'none', betas: ['b-1'], extraHeaders: { 'x-a': '1' } },
      });
      expect(definition.parameters).to.deep.equal({
        maxTokens: 8000,
        thinking: { type: 'enabled', budgetTokens: 4000 },
        toolChoice: { type: 'none' },
        betas: ['b-1'],
        extraHeaders: { 'x-a': '1' },
      });
      expect(loadProgramOptions({ model: 'm', parameters: { toolChoice: { type: 'tool', name: 'x', disableParallelToolUse: false } } }).parameters).to.deep.equal({
        toolChoice: { type: 'tool', name: 'x', disableParallelToolUse: false },
      });
    });
  });

  describe('when an OpenAI program sets them', () => {
    it('loads reasoning_effort, seed, response_format and the penalties', () => {
      const file = write(
        'openai',
        [
          'temperature = 1.5',
          'reasoning_effort = "minimal"',
          'seed = 42',
          'frequency_penalty = -2',
          'presence_penalty = 2',
          'service_tier = "flex"',
          'metadata = { team = "search", run = "7" }',
          'response_format = { type = "json_schema", name = "answer", strict = true, schema = { type = "object", properties = { a = { type = "string" } } } }',
        ].join('\n'),
      );
      expect(loadTomlProgram(file).parameters).to.deep.equal({
        temperature: 1.5,
        reasoningEffort: 'minimal',
        seed: 42,
        frequencyPenalty: -2,
        presencePenalty: 2,
        serviceTier: 'flex',
        metadata: { team: 'search', run: '7' },
        responseFormat: { type: 'json_schema', name: 'answer', strict: true, schema: { type: 'object', properties: { a: { type: 'string' } } } },
      });
      expect(loadProgramOptions({ model: 'gpt', provider: 'openai', parameters: { responseFormat: { type: 'json_object' } } }).parameters).to.deep.equal({
        responseFormat: { type: 'json_object' },
      });
    });
  });

  describe('when a parameter does not suit the program, the refusal names the file and the key', () => {
    const cases: Array<[provider: string, parameters: string, issue: string]> = [
      ['openai', 'top_k = 40', 'parameters.top_k: OpenAI does not take top_k'],
      ['openai', 'thinking = { type = "enabled", budget_tokens = 2048 }', 'parameters.thinking: OpenAI does not take thinking'],
      ['openai', 'betas = ["x"]', 'parameters.betas: OpenAI does not take betas'],
      ['anthropic', 'frequency_penalty = 0.5', 'parameters.frequency_penalty: Anthropic does not take frequency_penalty'],
      ['anthropic', 'presence_penalty = 0', 'parameters.presence_penalty: Anthropic does not take presence_penalty'],
      ['anthropic', 'seed = 1', 'parameters.seed: Anthropic does not take seed'],
      ['anthropic_vertex', 'reasoning_effort = "low"', 'parameters.reasoning_effort: Claude on Vertex AI does not take reasoning_effort'],
      ['anthropic', 'response_format = { type = "json_object" }', 'parameters.response_format: Anthropic does not take response_format'],
      ['anthropic', 'temperature = 1.5', 'parameters.temperature: expected a number from 0 to 1 for Anthropic, received 1.5'],
      ['openai', 'temperature = 2.5', 'parameters.temperature: expected a number from 0 to 2, received 2.5'],
      ['anthropic', 'temperature = -0.1', 'parameters.temperature: expected a number from 0 to 2, received -0.1'],
      ['anthropic', 'top_p = 1.2', 'parameters.top_p: expected a number from 0 to 1, received 1.2'],
      ['openai', 'frequency_penalty = 2.5', 'parameters.frequency_penalty: expected a number from -2 to 2, received 2.5'],
      ['anthropic', 'top_k = 0', 'parameters.top_k: expected a positive integer, received 0'],
      ['anthropic', 'stop_sequences = ["END", ""]', 'parameters.stop_sequences[1]: expected a non-empty string, received ""'],
      ['openai', 'stop_sequences = ["a", "b", "c", "d", "e"]', 'parameters.stop_sequences: OpenAI takes at most 4 stop sequences, received 5'],
      ['openai', 'reasoning_effort = "max"', 'parameters.reasoning_effort: unknown value "max"; expected one of: minimal, low, medium, high'],
      ['openai', 'seed = 1.5', 'parameters.seed: expected an integer, received 1.5'],
      ['anthropic', 'service_tier = "flex"', 'parameters.service_tier: unknown value "flex"; Anthropic takes one of: auto, standard_only'],
      ['openai', 'service_tier = "standard_only"', 'parameters.service_tier: unknown value "standard_only"; OpenAI takes one of: auto, default, flex, scale, priority'],
      ['anthropic', 'metadata = { user_id = "u", team = "t" }', 'parameters.metadata.team: Anthropic takes only metadata.user_id'],
      ['anthropic_vertex', 'metadata = { "my team" = "t" }', 'parameters.metadata."my team": Claude on Vertex AI takes only metadata.user_id'],
      ['openai', `metadata = { ${Array.from({ length: 17 }, (_, i) => `k${i} = "v"`).join(', ')} }`, 'parameters.metadata: OpenAI takes at most 16 entries, received 17'],
      ['openai', `metadata = { k = "${'x'.repeat(513)}" }`, 'parameters.metadata.k: OpenAI takes values of at most 512 characters'],
      ['openai', `metadata = { ${'k'.repeat(65)} = "v" }`, `parameters.metadata.${'k'.repeat(65)}: OpenAI takes keys of at most 64 characters`],
      ['anthropic', 'extra_headers = { "x-api-key" = "sk-ant-in-a-file" }', 'parameters.extra_headers.x-api-key: expected no credentials in a program (pass apiKey to program.start()), received "x-api-key"'],
      ['anthropic', 'extra_headers = { "bad header" = "v" }', 'parameters.extra_headers."bad header": expected a header name (letters, digits and !#$%&\'*+.^_`|~-), received "bad header"'],
      ['anthropic', 'betas = ["two betas"]', 'parameters.betas[0]: expected a beta name such as "interleaved-thinking-2025-05-14", received "two betas"'],
      ['anthropic', 'thinking = { type = "enabled" }', 'parameters.thinking.budget_tokens: missing; expected an integer of at least 1024'],
      ['anthropic', 'thinking = { type = "enabled", budget_tokens = 512 }', 'parameters.thinking.budget_tokens: expected an integer of at least 1024, received 512'],
      ['anthropic', 'thinking = { type = "disabled", budget_tokens = 2048 }', 'parameters.thinking.budget_tokens: expected no budget when type is "disabled", received 2048'],
      ['anthropic', 'thinking = { type = "on", budget_tokens = 2048 }', 'parameters.thinking.type: unknown value "on"; expected one of: enabled, disabled'],
      ['anthropic', 'thinking = { type = "enabled", budget_tokens = 4096 }', 'parameters.thinking.budget_tokens: expected less than max_tokens (4096, the default), received 4096'],
      ['anthropic', 'max_tokens = 2000\nthinking = { type = "enabled", budget_tokens = 2048 }', 'parameters.thinking.budget_tokens: expected less than max_tokens (2000), received 2048'],
      [
        'anthropic',
        'temperature = 0.7\nthinking = { type = "enabled", budget_tokens = 2048 }',
        'parameters.temperature: extended thinking (parameters.thinking) takes temperature 1 or none, received 0.7',
      ],
      ['anthropic', 'top_k = 5\nthinking = { type = "enabled", budget_tokens = 2048 }', 'parameters.top_k: extended thinking (parameters.thinking) does not take top_k'],
      ['anthropic', 'top_p = 0.9\nthinking = { type = "enabled", budget_tokens = 2048 }', 'parameters.top_p: extended thinking (parameters.thinking) takes top_p from 0.95 to 1 or none, received 0.9'],
      [
        'anthropic',
        'tool_choice = "any"\nthinking = { type = "enabled", budget_tokens = 2048 }',
        'parameters.tool_choice: extended thinking (parameters.thinking) cannot force tool use; expected type "auto" or "none", received "any"',
      ],
      ['anthropic', 'tool_choice = "required"', 'parameters.tool_choice: expected "auto", "any", "none", or a table with type ("auto", "any", "none" or "tool"), name and disable_parallel_tool_use, received "required"'],
      ['anthropic', 'tool_choice = { type = "tool" }', 'parameters.tool_choice.name: missing; expected the name of the tool to call'],
      ['anthropic', 'tool_choice = { type = "auto", name = "x" }', 'parameters.tool_choice.name: expected no name unless type is "tool", received "x"'],
      ['anthropic', 'tool_choice = { type = "none", disable_parallel_tool_use = true }', 'parameters.tool_choice.disable_parallel_tool_use: expected no disable_parallel_tool_use when type is "none", received true'],
      ['openai', 'response_format = { type = "json_schema", name = "a" }', 'parameters.response_format.schema: missing; expected a JSON Schema (a table)'],
      ['openai', 'response_format = { type = "text", strict = true }', 'parameters.response_format.strict: expected nothing unless type is "json_schema", received true'],
    ];
    for (const [provider, parameters, issue] of cases) {
      const title = `${provider}: ${parameters.replaceAll('\n', '; ')}`;
      it(`${title.length > 90 ? `${title.slice(0, 87)}...` : title} → ${issue.length > 120 ? `${issue.slice(0, 117)}...` : issue}`, () => {
        const error = tomlRefusal(provider, parameters);
        expect(error.issues).to.deep.equal([issue]);
        expect(error.file).to.equal(path.join(dir, `p${count}.toml`));
        expect(error.keyPath).to.equal(issue.slice(0, issue.indexOf(': ')));
        expect(error.line, 'the line of a key under [parameters] (line 4)').to.be.greaterThan(4);
        expect(error.message).to.equal(`${error.file}: line ${error.line}, column ${error.column}: ${issue}`);
      });
    }

    it('lists every such problem of a program at once', () => {
      const error = tomlRefusal('openai', 'top_k = 3\nthinking = { type = "enabled", budget_tokens = 2048 }\nseed = 3');
      expect(error.issues).to.deep.equal(['parameters.top_k: OpenAI does not take top_k', 'parameters.thinking: OpenAI does not take thinking']);
    });
  });

  describe('when a program built in code sets one that does not suit it, the refusal names the option', () => {
    const cases: Array<[options: Record<string, unknown>, issue: string]> = [
      [{ provider: 'openai', parameters: { topK: 4 } }, 'parameters.topK: OpenAI does not take topK'],
      [{ parameters: { presencePenalty: 1 } }, 'parameters.presencePenalty: Anthropic does not take presencePenalty'],
      [{ parameters: { temperature: 1.2 } }, 'parameters.temperature: expected a number from 0 to 1 for Anthropic, received 1.2'],
      [{ parameters: { thinking: { type: 'enabled', budgetTokens: 8192 } } }, 'parameters.thinking.budgetTokens: expected less than maxTokens (4096, the default), received 8192'],
      [{ parameters: { thinking: { type: 'enabled' } } }, 'parameters.thinking.budgetTokens: missing; expected an integer of at least 1024'],
      [
        { parameters: { temperature: 0, thinking: { type: 'enabled', budgetTokens: 1024 } } },
        'parameters.temperature: extended thinking (parameters.thinking) takes temperature 1 or none, received 0',
      ],
      [{ parameters: { toolChoice: { type: 'none', disableParallelToolUse: true } } }, 'parameters.toolChoice.disableParallelToolUse: expected no disableParallelToolUse when type is "none", received true'],
      [{ provider: 'openai', parameters: { reasoningEffort: 'extreme' } }, 'parameters.reasoningEffort: unknown value "extreme"; expected one of: minimal, low, medium, high'],
      [{ parameters: { stopSequences: [''] } }, 'parameters.stopSequences[0]: expected a non-empty string, received ""'],
    ];
    for (const [options, issue] of cases) {
      it(`${JSON.stringify(options)} → ${issue}`, () => {
        const error = optionsRefusal(options);
        expect(error.issues).to.deep.equal([issue]);
        expect(error).to.include({ file: undefined, keyPath: issue.slice(0, issue.indexOf(': ')) });
      });
    }
  });

  it('the extended-thinking rules hold only while thinking is enabled', () => {
    for (const parameters of ['temperature = 0.7\ntop_k = 5\ntop_p = 0.5\ntool_choice = "any"', 'thinking = { type = "disabled" }\ntemperature = 0.7\ntop_k = 5']) {
      expect(() => loadTomlProgram(write('anthropic', parameters)), parameters).not.to.throw();
    }
    expect(() => loadTomlProgram(write('anthropic', 'temperature = 1\ntop_p = 0.95\ntool_choice = "auto"\nthinking = { type = "enabled", budget_tokens = 1024 }'))).not.to.throw();
  });
});

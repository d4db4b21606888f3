import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TomlError } from 'smol-toml';
import { ProgramError } from '../../lib/errors.js';
import { loadTomlProgram } from '../../lib/program/load-toml.js';
import { thrownBy } from '../support/thrown-by.js';
import { PROGRAM_FIXTURES } from './support.js';

const MODEL = '[model]\nname = "m"\nprovider = "anthropic"\n';

describe('loadTomlProgram(file)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'llmproc-load-toml-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes `text` as `<name>.toml` in the temp folder and returns its path. */
  function write(name: string, text: string): string {
    const file = path.join(dir, `${name}.toml`);
    writeFileSync(file, text);
    return file;
  }

  /** Loads `file`, returning the ProgramError it throws (and failing when it loads). */
  function refusalOf(file: string): ProgramError {
    return thrownBy(() => loadTomlProgram(file), ProgramError, file);
  }

  describe('when the program is valid', () => {
    it('resolves every relative path against the file’s folder, even when the file is given relative to the working directory', () => {
      const folder = path.join(PROGRAM_FIXTURES, 'relative');
      const relative = path.relative(process.cwd(), path.join(folder, 'program.toml'));
      expect(path.isAbsolute(relative)).to.equal(false);
      const definition = loadTomlProgram(relative);
      expect(definition.file).to.equal(relative);
      expect(definition.baseDir).to.equal(folder);
      expect(definition.systemPromptFile).to.equal(path.join(folder, 'prompts/system.md'));
      expect(definition.systemPrompt, 'the file wins over the inline prompt').to.equal('You answer from the fixture prompt file.\n');
      expect(definition.preloadFiles).to.deep.equal([path.join(folder, 'notes/today.md'), path.join(PROGRAM_FIXTURES, 'shared.md')]);
      expect(definition.readFile.allowedRoots).to.deep.equal([path.join(folder, 'notes')]);
      expect(definition.linkedPrograms).to.deep.equal({ helper: path.join(folder, 'helper.toml') });
      expect(definition.mcp).to.deep.equal({ configPath: path.join(folder, 'mcp/servers.json'), tools: { clock: 'all' } });
      expect(definition.builtinTools).to.deep.equal(['calculator', 'read_file']);
    });

    it('maps snake_case settings to camelCase, only those the file sets', () => {
      const file = write(
        'full',
        `${MODEL}display_name = "Full"\n[parameters]\ntemperature = 0.5\nmax_tokens = 100\ntop_p = 0.9\ntop_k = 5\nstop_sequences = ["END"]\n` +
          `metadata = { user_id = "u-1" }\n[env_info]\nvariables = "all"\n` +
          `[run]\nstream = true\ntool_concurrency = 2\nmax_iterations = 3\nmax_tokens = 5000\nmax_cost_usd = 0.5\ntimeout_ms = 1000\n`,
      );
      const definition = loadTomlProgram(file);
      expect(definition).to.include({ model: 'm', provider: 'anthropic', displayName: 'Full', systemPrompt: '', systemPromptFile: undefined });
      expect(definition.parameters).to.deep.equal({
        temperature: 0.5,
        maxTokens: 100,
        topP: 0.9,
        topK: 5,
        stopSequences: ['END'],
        metadata: { user_id: 'u-1' },
      });
      expect(definition.envInfo).to.deep.equal({ variables: 'all' });
      expect(definition.runDefaults).to.deep.equal({ stream: true, toolConcurrency: 2, maxIterations: 3, maxTokens: 5000, maxCostUsd: 0.5, timeoutMs: 1000 });
      expect(loadTomlProgram(write('bare', MODEL)).parameters).to.deep.equal({});
      const caching = loadTomlProgram(write('caching', `${MODEL}[run]\nprompt_caching = false\nprompt_cache_ttl = "1h"\n`));
      expect(caching.runDefaults).to.deep.equal({ promptCaching: false, promptCacheTtl: '1h' });
    });

    it('keeps empty sections and an [mcp] without servers as no MCP', () => {
      const definition = loadTomlProgram(write('empty', `${MODEL}[preload]\n[env_info]\n[tools]\n[linked_programs]\n[mcp]\n[mcp.tools]\n`));
      expect(definition).to.include({ mcp: undefined });
      expect(definition.preloadFiles).to.deep.equal([]);
      expect(definition.envInfo).to.deep.equal({ variables: [] });
      expect(definition.linkedPrograms).to.deep.equal({});
    });
  });

  describe('when the program is refused, the message names the file, the key path and what was expected', () => {
    const cases: Array<[name: string, text: string, message: string, keyPath: string]> = [
      ['bad', '[model]\nname = 42\nprovider = "anthropic"', 'model.name: expected a non-empty string, received number', 'model.name'],
      ['caching', `${MODEL}[run]\nprompt_caching = "no"`, 'run.prompt_caching: expected boolean, received "no"', 'run.prompt_caching'],
      ['ttl', `${MODEL}[run]\nprompt_cache_ttl = "10m"`, 'run.prompt_cache_ttl: unknown value "10m"; did you mean "5m"? expected "5m" or "1h"', 'run.prompt_cache_ttl'],
      ['nomodel', '[prompt]\nsystem_prompt = "x"', '[model]: missing section', 'model'],
      ['noname', '[model]\nprovider = "anthropic"', 'model.name: missing; expected a non-empty string', 'model.name'],
      ['noprovider', '[model]\nname = "m"', 'model.provider: missing; expected one of: anthropic, openai, anthropic_vertex, vertex, gemini, gemini_vertex', 'model.provider'],
      ['emptyname', '[model]\nname = ""\nprovider = "anthropic"', 'model.name: expected a non-empty string, received ""', 'model.name'],
      [
        'section',
        `${MODEL}[modle]\nx = 1`,
        '[modle]: unknown section; did you mean [model]? expected one of: model, parameters, prompt, preload, env_info, tools, file_descriptor, linked_programs, run, mcp, log',
        'modle',
      ],
      [
        'key',
        `${MODEL}[parameters]\nmax_tokenz = 1`,
        'parameters.max_tokenz: unknown key; did you mean max_tokens? expected one of: temperature, max_tokens, top_p, top_k, stop_sequences, frequency_penalty, presence_penalty, ' +
          'thinking, tool_choice, metadata, service_tier, extra_headers, betas, reasoning_effort, seed, response_format',
        'parameters.max_tokenz',
      ],
      ['provider', '[model]\nname = "m"\nprovider = "bedrock"', 'model.provider: unknown value "bedrock"; expected one of: anthropic, openai, anthropic_vertex, vertex, gemini, gemini_vertex', 'model.provider'],
      ['negative', `${MODEL}[parameters]\nmax_tokens = -1`, 'parameters.max_tokens: expected a positive integer, received -1', 'parameters.max_tokens'],
      ['fraction', `${MODEL}[parameters]\ntop_k = 1.5`, 'parameters.top_k: expected a positive integer, received 1.5', 'parameters.top_k'],
      ['nan', `${MODEL}[parameters]\ntemperature = nan`, 'parameters.temperature: expected a number from 0 to 2, received NaN', 'parameters.temperature'],
      ['inf', `${MODEL}[parameters]\ntop_p = inf`, 'parameters.top_p: expected a number from 0 to 1, received Infinity', 'parameters.top_p'],
      [
        'env',
        `${MODEL}[env_info]\nvariables = ["shoe_size"]`,
        'env_info.variables[0]: unknown value "shoe_size"; expected one of: working_directory, platform, date, node_version, hostname, username, python_version',
        'env_info.variables[0]',
      ],
      [
        'envstring',
        `${MODEL}[env_info]\nvariables = "some"`,
        'env_info.variables: expected "all" or an array of variable names (working_directory, platform, date, node_version, hostname, username, python_version), received "some"',
        'env_info.variables',
      ],
      ['tool', `${MODEL}[tools]\nenabled = ["calculator", "hammer"]`, 'tools.enabled[1]: unknown value "hammer"; expected one of: calculator, read_file, spawn, fork, goto, read_fd, fd_to_file, list_dir', 'tools.enabled[1]'],
      ['dup', `${MODEL}[tools]\nenabled = ["calculator", "calculator"]`, 'tools.enabled[1]: a tool named "calculator" is already listed at tools.enabled[0]', 'tools.enabled[1]'],
      [
        'mcp',
        `${MODEL}[mcp.tools]\ntime = "all"`,
        "mcp.config_path: missing; [mcp.tools] names servers (time), so the MCP servers' config file is needed",
        'mcp.config_path',
      ],
      ['mcpname', `${MODEL}[mcp]\nconfig_path = "m.json"\n[mcp.tools]\ntime = ["now", ""]`, 'mcp.tools.time[1]: expected a non-empty tool name, received ""', 'mcp.tools.time[1]'],
      ['arraytable', '[[model]]\nname = "m"\nprovider = "anthropic"', '[model]: expected table, received array', 'model'],
      ['arraysection', `${MODEL}parameters = []`, 'model.parameters: unknown key; expected one of: name, provider, display_name, base_url, project_id, region', 'model.parameters'],
      ['emptyarray', `parameters = []\n${MODEL}`, '[parameters]: expected table, received array', 'parameters'],
      ['date', 'model = 1979-05-27', '[model]: expected table, received date', 'model'],
      ['string', 'model = "claude"', '[model]: expected table, received "claude"', 'model'],
      [
        'reserved',
        `${MODEL}[linked_programs]\nconstructor = "other.toml"`,
        'linked_programs.constructor: expected a name other than __proto__, constructor, prototype, received "constructor"',
        'linked_programs.constructor',
      ],
      ['quoted', `${MODEL}[mcp]\nconfig_path = "m.json"\n[mcp.tools]\n"my server" = 3`, 'mcp.tools."my server": expected "all" or an array of tool names, received number', 'mcp.tools."my server"'],
    ];
    /** Where each case's problem is written: the key, the array item, or the table around a missing key. */
    const places: Record<string, [line: number, column: number] | undefined> = {
      bad: [2, 1], nomodel: undefined, noname: [1, 1], noprovider: [1, 1], emptyname: [2, 1], section: [4, 1], key: [5, 1],
      provider: [3, 1], negative: [5, 1], fraction: [5, 1], nan: [5, 1], inf: [5, 1], env: [5, 14], envstring: [5, 1],
      tool: [5, 26], dup: [5, 26], mcp: [4, 1], mcpname: [7, 16], arraytable: [1, 1], arraysection: [4, 1], emptyarray: [1, 1],
      date: [1, 1], string: [1, 1], reserved: [5, 1], quoted: [7, 1], caching: [5, 1], ttl: [5, 1],
    };
    for (const [name, text, message, keyPath] of cases) {
      it(`${name}.toml → ${message}`, () => {
        const file = write(name, text);
        const error = refusalOf(file);
        const place = places[name];
        expect(error.message).to.equal(`${file}: ${place ? `line ${place[0]}, column ${place[1]}: ` : ''}${message}`);
        expect(error).to.include({ name: 'ProgramError', file, keyPath, line: place?.[0], column: place?.[1] });
        expect(error.issues).to.deep.equal([message]);
        expect(error.problems).to.deep.equal([{ text: message, keyPath, line: place?.[0], column: place?.[1] }]);
      });
    }

    it('lists every problem, one per line, in the order of the file', () => {
      const error = refusalOf(write('many', '[model]\nname = 1\nprovider = "x"\n[parameters]\ntop_k = 0'));
      expect(error.issues).to.deep.equal([
        'model.name: expected a non-empty string, received number',
        'model.provider: unknown value "x"; expected one of: anthropic, openai, anthropic_vertex, vertex, gemini, gemini_vertex',
        'parameters.top_k: expected a positive integer, received 0',
      ]);
      expect(error.message).to.equal(
        `${path.join(dir, 'many.toml')}: 3 problems:\n` +
          '  - line 2, column 1: model.name: expected a non-empty string, received number\n' +
          '  - line 3, column 1: model.provider: unknown value "x"; expected one of: anthropic, openai, anthropic_vertex, vertex, gemini, gemini_vertex\n' +
          '  - line 5, column 1: parameters.top_k: expected a positive integer, received 0',
      );
      expect(error).to.include({ line: 2, column: 1 });
      expect(error.keyPath).to.equal('model.name');
    });

    it('names every unknown section, not only the first', () => {
      const error = refusalOf(write('two', `${MODEL}[modle]\n[promt]\n`));
      expect(error.issues.map((issue) => issue.split(':')[0])).to.deep.equal(['[modle]', '[promt]']);
    });

    it('gives the line and column of a TOML syntax error, as fields and in the message', () => {
      const file = write('syntax', '[model]\nname = "m\nprovider = "anthropic"');
      const error = refusalOf(file);
      expect(error).to.include({ file, line: 2, column: 10, keyPath: undefined });
      expect(error.message.split('\n')[0]).to.equal(`${file}: line 2, column 10: invalid TOML: control characters are not allowed in strings`);
      expect(error.message, 'the offending line is quoted').to.include('name = "m');
      expect(error.cause).to.be.instanceOf(TomlError);
    });

    it('names a missing program file', () => {
      const file = path.join(dir, 'nope.toml');
      const error = refusalOf(file);
      expect(error.message).to.equal(`${file}: cannot read the program file (${file}): file not found`);
      expect(error.file).to.equal(file);
    });

    it('names a folder given as the program file', () => {
      expect(refusalOf(dir).message).to.equal(`${dir}: cannot read the program file (${dir}): is a folder, not a file`);
    });

    it('names a missing system prompt file as written and as resolved', () => {
      const file = write('prompt', `${MODEL}[prompt]\nsystem_prompt_file = "prompts/missing.md"`);
      const error = refusalOf(file);
      expect(error.message).to.equal(
        `${file}: line 5, column 1: prompt.system_prompt_file: cannot read "prompts/missing.md" (resolved to ${path.join(dir, 'prompts/missing.md')}): file not found`,
      );
      expect(error.keyPath).to.equal('prompt.system_prompt_file');
    });

    it('names a system prompt file that is a folder', () => {
      mkdirSync(path.join(dir, 'prompts'));
      const error = refusalOf(write('folder', `${MODEL}[prompt]\nsystem_prompt_file = "prompts"`));
      expect(error.message).to.match(/prompt\.system_prompt_file: cannot read "prompts" \(resolved to .*prompts\): is a folder, not a file$/);
    });
  });
});

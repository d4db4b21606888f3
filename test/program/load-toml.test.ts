import { expect } from 'chai';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';
import { ProgramError } from '../../lib/errors.js';
import { LLMProgram } from '../../lib/program/llm-program.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// A copy of ../shared/compat/llmproc-0.2.0, vendored so CI on a fresh clone has it.
const COMPAT = path.resolve(here, '../fixtures/compat/llmproc-0.2.0/examples');

function tomlFilesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    return statSync(full).isDirectory() ? tomlFilesUnder(full) : name.endsWith('.toml') ? [full] : [];
  });
}

describe('LLMProgram.fromToml', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'llmproc-program-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes `text` as `<name>.toml` and loads it, returning the ProgramError it throws. */
  function refusal(name: string, text: string): ProgramError {
    const file = path.join(dir, `${name}.toml`);
    writeFileSync(file, text);
    try {
      LLMProgram.fromToml(file);
    } catch (error) {
      expect(error).to.be.instanceOf(ProgramError);
      return error as ProgramError;
    }
    throw new Error(`${name}.toml loaded, but should have been refused`);
  }
  const MODEL = '[model]\nname = "m"\nprovider = "anthropic"\n';

  describe('the llmproc 0.2.0 example programs', () => {
    const files = tomlFilesUnder(COMPAT);
    it('are all there', () => expect(files.length).to.be.greaterThan(10));
    for (const file of files) {
      it(`loads ${path.relative(COMPAT, file)} unchanged`, () => {
        const program = LLMProgram.fromToml(file);
        const raw = parse(readFileSync(file, 'utf8')) as { model: { name: string; provider: string; display_name?: string }; prompt?: { system_prompt?: string; system_prompt_file?: string } };
        expect(program.model).to.equal(raw.model.name);
        expect(program.provider).to.equal(raw.model.provider);
        if (raw.model.display_name) expect(program.displayName).to.equal(raw.model.display_name);
        if (raw.prompt?.system_prompt && !raw.prompt.system_prompt_file) expect(program.systemPrompt).to.equal(raw.prompt.system_prompt);
        expect(program.file).to.equal(file);
        expect(program.baseDir).to.equal(path.dirname(file));
        for (const preload of program.preloadFiles) expect(path.isAbsolute(preload)).to.equal(true);
        for (const linked of Object.values(program.linkedPrograms)) expect(path.isAbsolute(linked as string)).to.equal(true);
        if (program.mcp) expect(path.isAbsolute(program.mcp.configPath)).to.equal(true);
      });
    }

    it('keeps the sections of features that come later', () => {
      const linking = LLMProgram.fromToml(path.join(COMPAT, 'program_linking/main.toml'));
      expect(Object.keys(linking.linkedPrograms)).not.to.have.length(0);
      const mcp = LLMProgram.fromToml(path.join(COMPAT, 'mcp.toml'));
      expect(mcp.mcp).to.deep.equal({ configPath: path.resolve(COMPAT, '../config/mcp_servers.json'), tools: { codemcp: ['read_file'], time: ['current'] } });
      const env = LLMProgram.fromToml(path.join(COMPAT, 'env_info.toml'));
      expect(env.envInfo.variables).not.to.have.length(0);
    });
  });

  it('maps every section to camelCase settings, paths resolved against the file', () => {
    mkdirSync(path.join(dir, 'prompts'));
    writeFileSync(path.join(dir, 'prompts', 'system.md'), 'From the file.');
    writeFileSync(path.join(dir, 'helper.toml'), `${MODEL}[linked_programs]\nback = "full.toml"\n`);
    const file = path.join(dir, 'full.toml');
    writeFileSync(
      file,
      `${MODEL}display_name = "Full"\n[parameters]\ntemperature = 0.5\nmax_tokens = 100\ntop_p = 0.9\ntop_k = 5\nstop_sequences = ["END"]\n` +
        `[prompt]\nsystem_prompt = "inline"\nsystem_prompt_file = "prompts/system.md"\n[preload]\nfiles = ["a.txt"]\n` +
        `[env_info]\nvariables = "all"\n[tools]\nenabled = ["calculator", "read_file"]\n[tools.read_file]\nallowed_roots = ["docs"]\nmax_bytes = 10\n` +
        `[linked_programs]\nhelper = "helper.toml"\n[run]\nstream = true\ntool_concurrency = 2\nmax_tokens = 5000\n` +
        `[mcp]\nconfig_path = "mcp.json"\n[mcp.tools]\nclock = "all"\n`,
    );
    const program = LLMProgram.fromToml(file);
    expect(program).to.include({ model: 'm', provider: 'anthropic', displayName: 'Full', systemPrompt: 'From the file.' });
    expect(program.parameters).to.deep.equal({ temperature: 0.5, maxTokens: 100, topP: 0.9, topK: 5, stopSequences: ['END'] });
    expect(program.preloadFiles).to.deep.equal([path.join(dir, 'a.txt')]);
    expect(program.envInfo).to.deep.equal({ variables: 'all' });
    expect(program.builtinTools).to.deep.equal(['calculator', 'read_file']);
    expect(program.readFile).to.deep.equal({ allowedRoots: [path.join(dir, 'docs')], maxBytes: 10 });
    expect(program.linkedPrograms).to.deep.equal({ helper: path.join(dir, 'helper.toml') });
    const helper = program.linkedProgram('helper')!;
    expect(helper.linkedProgram('back'), 'a cycle resolves to the same program, compiled once').to.equal(program);
    expect(program.runDefaults).to.deep.equal({ stream: true, toolConcurrency: 2, maxTokens: 5000 });
    expect(program.mcp).to.deep.equal({ configPath: path.join(dir, 'mcp.json'), tools: { clock: 'all' } });
  });

  describe('refusals name the file, the key path and what was expected', () => {
    const cases: Array<[string, string, string, string | undefined]> = [
      ['bad', '[model]\nname = 42\nprovider = "anthropic"', 'model.name: expected string, received number', 'model.name'],
      ['nomodel', '[prompt]\nsystem_prompt = "x"', '[model]: missing section', 'model'],
      ['noname', '[model]\nprovider = "anthropic"', 'model.name: missing; expected a non-empty string', 'model.name'],
      ['emptyname', '[model]\nname = ""\nprovider = "anthropic"', 'model.name: expected a non-empty string, received ""', 'model.name'],
      ['section', `${MODEL}[modle]\nx = 1`, '[modle]: unknown section; expected one of: model, parameters, prompt, preload, env_info, tools, linked_programs, run, mcp', 'modle'],
      ['key', `${MODEL}[parameters]\nmax_tokenz = 1`, 'parameters.max_tokenz: unknown key; expected one of: temperature, max_tokens, top_p, top_k, stop_sequences, frequency_penalty, presence_penalty', 'parameters.max_tokenz'],
      ['provider', '[model]\nname = "m"\nprovider = "bedrock"', 'model.provider: unknown value "bedrock"; expected one of: anthropic, openai, anthropic_vertex, vertex', 'model.provider'],
      ['negative', `${MODEL}[parameters]\nmax_tokens = -1`, 'parameters.max_tokens: expected a positive integer, received -1', 'parameters.max_tokens'],
      ['env', `${MODEL}[env_info]\nvariables = ["shoe_size"]`, 'env_info.variables[0]: unknown value "shoe_size"; expected one of: working_directory, platform, date, node_version, hostname, username, python_version', 'env_info.variables[0]'],
      ['tool', `${MODEL}[tools]\nenabled = ["calculator", "hammer"]`, 'tools.enabled[1]: unknown value "hammer"; expected one of: calculator, read_file, spawn, fork', 'tools.enabled[1]'],
      ['dup', `${MODEL}[tools]\nenabled = ["calculator", "calculator"]`, 'tools.enabled[1]: a tool named "calculator" is already listed at tools.enabled[0]', 'tools.enabled[1]'],
      ['mcp', `${MODEL}[mcp.tools]\ntime = "all"`, "mcp.config_path: missing; [mcp.tools] names servers (time), so the MCP servers' config file is needed", 'mcp.config_path'],
    ];
    for (const [name, text, message, keyPath] of cases) {
      it(`${name}.toml → ${message.slice(0, 60)}`, () => {
        const error = refusal(name, text);
        expect(error.message).to.equal(`${path.join(dir, `${name}.toml`)}: ${message}`);
        expect(error.file).to.equal(path.join(dir, `${name}.toml`));
        expect(error.keyPath).to.equal(keyPath);
        expect(error.name).to.equal('ProgramError');
      });
    }

    it('lists every problem, one per line', () => {
      const error = refusal('many', '[model]\nname = 1\nprovider = "x"\n[parameters]\ntop_k = 0');
      expect(error.issues).to.have.length(3);
      expect(error.message).to.match(/many\.toml: 3 problems:\n  - model\.name: .*\n  - model\.provider: .*\n  - parameters\.top_k: expected a positive integer, received 0$/);
    });

    it('gives the line and column of a TOML syntax error', () => {
      const error = refusal('syntax', '[model]\nname = "m\nprovider = "anthropic"');
      expect(error).to.include({ line: 2, column: 10 });
      expect(error.message).to.match(/syntax\.toml: line 2, column 10: invalid TOML: /);
    });

    it('names a missing system prompt file as written and as resolved', () => {
      const error = refusal('prompt', `${MODEL}[prompt]\nsystem_prompt_file = "prompts/missing.md"`);
      expect(error.message).to.equal(
        `${path.join(dir, 'prompt.toml')}: prompt.system_prompt_file: cannot read "prompts/missing.md" (resolved to ${path.join(dir, 'prompts/missing.md')}): file not found`,
      );
    });

    it('refuses a missing linked program, naming the program that links it', () => {
      const error = refusal('linker', `${MODEL}[linked_programs]\nexpert = "nowhere.toml"`);
      expect(error.message).to.equal(`${path.join(dir, 'linker.toml')}: linked_programs.expert: the linked program "${path.join(dir, 'nowhere.toml')}" does not exist`);
    });

    it('names a missing program file', () => {
      expect(() => LLMProgram.fromToml(path.join(dir, 'nope.toml'))).to.throw(ProgramError, /nope\.toml: cannot read the program file .*: file not found/);
    });
  });

  it('random and mutated documents give a program or a ProgramError, nothing else (property)', () => {
    const seeds = tomlFilesUnder(COMPAT).map((file) => readFileSync(file, 'utf8'));
    const value = fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant('[]'), fc.constant('{ a = 1 }'), fc.constant('"all"'), fc.double());
    const mutation = fc.record({
      seed: fc.nat(seeds.length - 1),
      line: fc.nat(200),
      kind: fc.constantFrom('delete', 'duplicate', 'replace-value', 'insert-chars', 'random'),
      chars: fc.string({ maxLength: 8 }),
      value,
    });
    const file = path.join(dir, 'mutant.toml');
    fc.assert(
      fc.property(mutation, ({ seed, line, kind, chars, value: replacement }) => {
        const lines = seeds[seed]!.split('\n');
        const at = line % lines.length;
        if (kind === 'delete') lines.splice(at, 1);
        else if (kind === 'duplicate') lines.splice(at, 0, lines[at]!);
        else if (kind === 'replace-value') lines[at] = lines[at]!.replace(/=.*/, `= ${typeof replacement === 'string' ? JSON.stringify(replacement) : String(replacement)}`);
        else if (kind === 'insert-chars') lines[at] = `${lines[at]!.slice(0, 3)}${chars}${lines[at]!.slice(3)}`;
        else lines.splice(0, lines.length, chars);
        writeFileSync(file, lines.join('\n'));
        try {
          expect(LLMProgram.fromToml(file)).to.be.instanceOf(LLMProgram);
        } catch (error) {
          if (!(error instanceof ProgramError)) throw error;
        }
      }),
      { numRuns: 300 },
    );
  });
});

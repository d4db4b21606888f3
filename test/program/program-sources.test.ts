/**
 * Where a program comes from: a TOML file (by path or file: URL), TOML text, a YAML file; and what
 * its errors say about the place of each problem.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sinon from 'sinon';
import { McpConfigError, ProgramError } from '../../lib/errors.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { thrownBy } from '../support/thrown-by.js';
import { PROGRAM_FIXTURES } from './support.js';

const MODEL = '[model]\nname = "m"\nprovider = "anthropic"\n';
const RELATIVE = path.join(PROGRAM_FIXTURES, 'relative');

/** The settings of `program` that do not depend on where it was loaded from. */
function settings(program: LLMProgram) {
  const { model, provider, displayName, systemPrompt, systemPromptFile, parameters, builtinTools, preloadFiles, linkedPrograms, mcp, readFile, baseDir } = program;
  return { model, provider, displayName, systemPrompt, systemPromptFile, parameters, builtinTools, preloadFiles, linkedPrograms, mcp, readFile, baseDir };
}

describe('where a program comes from', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'llmproc-sources-'));
  });
  afterEach(() => {
    sinon.restore();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes `text` as `name` in the temp folder and returns its path. */
  function write(name: string, text: string): string {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  }

  describe('LLMProgram.fromToml(url)', () => {
    it('takes a file: URL as it takes the path', () => {
      const file = path.join(RELATIVE, 'program.toml');
      const program = LLMProgram.fromToml(pathToFileURL(file));
      expect(program.file).to.equal(file);
      expect(settings(program)).to.deep.equal(settings(LLMProgram.fromToml(file)));
    });

    it('refuses a URL that is not a file: URL', () => {
      const error = thrownBy(() => LLMProgram.fromToml(new URL('https://example.com/p.toml')), ProgramError, 'an https URL');
      expect(error.message).to.equal('fromToml: expected a path or a file: URL, received a https: URL (https://example.com/p.toml)');
    });
  });

  describe('LLMProgram.fromTomlString(text, { baseDir })', () => {
    it('loads the text, resolving relative paths against baseDir, as a program with no file', () => {
      const text = `${MODEL}[prompt]\nsystem_prompt_file = "prompts/system.md"\n[preload]\nfiles = ["notes/today.md"]\n[linked_programs]\nhelper = "helper.toml"\n`;
      const program = LLMProgram.fromTomlString(text, { baseDir: RELATIVE });
      expect(program).to.include({ file: undefined, baseDir: RELATIVE, systemPrompt: 'You answer from the fixture prompt file.\n' });
      expect(program.preloadFiles).to.deep.equal([path.join(RELATIVE, 'notes/today.md')]);
      expect(program.linkedProgram('helper')?.displayName).to.equal('Helper');
    });

    it('resolves against the working directory by default', () => {
      expect(LLMProgram.fromTomlString(`${MODEL}[preload]\nfiles = ["a.md"]`).preloadFiles).to.deep.equal([path.resolve('a.md')]);
    });

    it('names the text <string> (or options.name) in errors, with the line', () => {
      const error = thrownBy(() => LLMProgram.fromTomlString('[model]\nname = 1\nprovider = "anthropic"'), ProgramError, 'name = 1');
      expect(error.message).to.equal('<string>: line 2, column 1: model.name: expected a non-empty string, received number');
      expect(error).to.include({ file: '<string>', line: 2, column: 1, keyPath: 'model.name' });
      const named = thrownBy(() => LLMProgram.fromTomlString('[model', { name: 'agent.toml (from the database)' }), ProgramError, '[model');
      expect(named.message.split('\n')[0]).to.match(/^agent\.toml \(from the database\): line 1, column 2: invalid TOML: /);
    });

    it('refuses text that is not a string', () => {
      expect(thrownBy(() => LLMProgram.fromTomlString(42 as never), ProgramError, '42').message).to.equal('fromTomlString: expected the text of a TOML program, received number');
    });
  });

  describe('LLMProgram.fromFile(file) on a .yaml or .yml file', () => {
    it('loads a YAML program with the TOML format’s sections and keys, to the same program', () => {
      const yaml = LLMProgram.fromFile(path.join(RELATIVE, 'program.yaml'));
      const toml = LLMProgram.fromFile(path.join(RELATIVE, 'program.toml'));
      expect(yaml.file).to.equal(path.join(RELATIVE, 'program.yaml'));
      expect(settings(yaml)).to.deep.equal(settings(toml));
      expect(yaml.linkedProgram('helper')?.displayName, 'a YAML program may link a TOML one').to.equal('Helper');
    });

    it('names the line and column of each problem, in the order of the file', () => {
      const file = write('bad.yml', 'parameters:\n  max_tokenz: 10\nmodel:\n  name: 42\n  provider: anthropic\n');
      const error = thrownBy(() => LLMProgram.fromFile(file), ProgramError, 'bad.yml');
      expect(error.problems).to.deep.equal([
        {
          keyPath: 'parameters.max_tokenz',
          line: 2,
          column: 3,
          text:
            'parameters.max_tokenz: unknown key; did you mean max_tokens? expected one of: temperature, max_tokens, top_p, top_k, stop_sequences, ' +
            'frequency_penalty, presence_penalty, thinking, tool_choice, metadata, service_tier, extra_headers, betas, reasoning_effort, seed, response_format',
        },
        { keyPath: 'model.name', line: 4, column: 3, text: 'model.name: expected a non-empty string, received number' },
      ]);
      expect(error.message).to.match(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 2 problems:\n  - line 2, column 3: parameters.max_tokenz: `));
    });

    it('refuses invalid YAML with its line and column', () => {
      const file = write('syntax.yaml', 'model:\n  name: "m\n  provider: anthropic\n');
      const error = thrownBy(() => LLMProgram.fromFile(file), ProgramError, 'syntax.yaml');
      expect(error.message).to.match(/: line \d+, column \d+: invalid YAML: /);
      expect(error.line).to.be.a('number');
      expect((error.cause as Error).name).to.equal('YAMLParseError');
      const twice = thrownBy(() => LLMProgram.fromFile(write('twice.yaml', 'model:\n  name: a\n  name: b\n')), ProgramError, 'twice.yaml');
      expect(twice.message).to.include('invalid YAML: Map keys must be unique');
      expect(twice).to.include({ line: 3, column: 3 });
    });

    it('loads the yaml package for the first YAML program only', async function () {
      this.timeout(60_000);
      const body = [
        "import { createRequire } from 'node:module';",
        "const { LLMProgram } = await import('llmproc');",
        "const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('/node_modules/yaml/'));",
        `LLMProgram.fromToml(${JSON.stringify(path.join(RELATIVE, 'program.toml'))});`,
        'const before = loaded();',
        `LLMProgram.fromFile(${JSON.stringify(path.join(RELATIVE, 'program.yaml'))});`,
        'console.log(JSON.stringify({ before, after: loaded() }));',
      ].join('\n');
      const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=llmproc-source', '--input-type=module', '-e', body], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      const [code] = (await once(child, 'close')) as [number];
      expect(code, out).to.equal(0);
      expect(JSON.parse(out)).to.deep.equal({ before: false, after: true });
    });

    it('reads any other extension as TOML', () => {
      expect(LLMProgram.fromFile(write('program.txt', MODEL)).model).to.equal('m');
    });
  });

  describe('when a TOML program has problems, each names its line and they come in the order of the file', () => {
    it('orders the problems by line, not by the order of the schema', () => {
      const file = write('order.toml', '[parameters]\ntop_k = 0\n\n[model]\nname = 1\nprovider = "anthropic"\n');
      const error = thrownBy(() => LLMProgram.fromToml(file), ProgramError, 'order.toml');
      expect(error.problems.map((problem) => [problem.line, problem.keyPath])).to.deep.equal([
        [2, 'parameters.top_k'],
        [5, 'model.name'],
      ]);
      expect(error).to.include({ line: 2, column: 1, keyPath: 'parameters.top_k' });
    });

    it('places a missing key at its table, and a missing section nowhere', () => {
      expect(thrownBy(() => LLMProgram.fromTomlString('\n\n[model]\nname = "m"'), ProgramError, 'no provider')).to.include({ line: 3, column: 1 });
      expect(thrownBy(() => LLMProgram.fromTomlString('[prompt]'), ProgramError, 'no model')).to.include({ line: undefined, message: '<string>: [model]: missing section' });
    });
  });

  describe('[mcp] config_path is checked when the program loads', () => {
    it('refuses a missing config file, naming the program file, the line and the key', () => {
      const file = write('mcp.toml', `${MODEL}[mcp]\nconfig_path = "servers.json"\n[mcp.tools]\nclock = "all"\n`);
      const error = thrownBy(() => LLMProgram.fromToml(file), ProgramError, 'a missing servers.json');
      expect(error.message).to.equal(
        `${file}: line 5, column 1: mcp.config_path: cannot read the MCP servers' config file "servers.json" (resolved to ${path.join(dir, 'servers.json')}): file not found`,
      );
      expect(error).to.include({ file, keyPath: 'mcp.config_path', line: 5, column: 1 });
      expect(error.cause).to.be.instanceOf(McpConfigError);
    });

    it('refuses an invalid config file with the config file’s own problem', () => {
      write('servers.json', JSON.stringify({ mcpServers: { clock: { command: 42 } } }));
      const file = write('mcp.toml', `${MODEL}[mcp]\nconfig_path = "servers.json"\n[mcp.tools]\nclock = "all"\n`);
      const error = thrownBy(() => LLMProgram.fromToml(file), ProgramError, 'an invalid servers.json');
      expect(error.message).to.equal(
        `${file}: line 5, column 1: mcp.config_path: "servers.json" is not a valid MCP servers' config file: ` +
          `${path.join(dir, 'servers.json')}: mcpServers.clock.command: expected a non-empty command, received number`,
      );
      expect(error.cause).to.be.instanceOf(McpConfigError).and.include({ keyPath: 'mcpServers.clock.command' });
    });

    it('warns when config_path is set but [mcp.tools] names no server', async () => {
      write('servers.json', JSON.stringify({ mcpServers: { clock: { command: 'node' } } }));
      const file = write('mcp.toml', `${MODEL}[mcp]\nconfig_path = "servers.json"\n`);
      const warned = once(process, 'warning');
      const program = LLMProgram.fromToml(file);
      const [warning] = (await warned) as [Error];
      expect(warning.name).to.equal('LLMProcProgramWarning');
      expect(warning.message).to.equal(
        `${file}: line 5, column 1: [mcp] config_path is set but no [mcp.tools] names a server of it, so no MCP server starts; ` +
          'add [mcp.tools] <server> = "all" (or a list of tool names)',
      );
      expect(program.mcp).to.deep.equal({ configPath: path.join(dir, 'servers.json'), tools: {} });
    });

    it('does not warn when [mcp.tools] names a server', async () => {
      write('servers.json', JSON.stringify({ mcpServers: { clock: { command: 'node' } } }));
      const spy = sinon.spy();
      process.on('warning', spy);
      try {
        LLMProgram.fromToml(write('mcp.toml', `${MODEL}[mcp]\nconfig_path = "servers.json"\n[mcp.tools]\nclock = "all"\n`));
        // A warning is emitted on the next tick; a later one is queued behind this one.
        const probe = once(process, 'warning');
        process.emitWarning('probe', { type: 'ProbeWarning' });
        await probe;
      } finally {
        process.off('warning', spy);
      }
      expect(spy.args.map((args) => (args[0] as Error).name)).to.deep.equal(['ProbeWarning']);
    });
  });
});

import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { COMPAT_EXAMPLES, tomlFilesUnder } from './support.js';

/** The parts of a 0.2.0 program this test compares, read independently of the loader. */
interface RawProgram {
  model: { name: string; provider: string; display_name?: string };
  parameters?: Record<string, unknown>;
  prompt?: { system_prompt?: string; system_prompt_file?: string };
  preload?: { files?: string[] };
  env_info?: { variables?: string[] | 'all' };
  tools?: { enabled?: string[] };
  linked_programs?: Record<string, string>;
  mcp?: { config_path?: string; tools?: Record<string, string[] | 'all'> };
}

/** TOML parameter name → `LLMProgram.parameters` key. */
const PARAMETER_KEYS: Record<string, string> = {
  temperature: 'temperature',
  max_tokens: 'maxTokens',
  top_p: 'topP',
  top_k: 'topK',
  stop_sequences: 'stopSequences',
  frequency_penalty: 'frequencyPenalty',
  presence_penalty: 'presencePenalty',
};

describe('the llmproc 0.2.0 example programs', () => {
  // Not a skip: when the folder is missing, the first test fails and no program test runs.
  const files = existsSync(COMPAT_EXAMPLES) ? tomlFilesUnder(COMPAT_EXAMPLES) : [];

  it('are found, subfolders included, more than 10 of them', () => {
    expect(existsSync(COMPAT_EXAMPLES), `${COMPAT_EXAMPLES} is missing`).to.equal(true);
    expect(files.length).to.be.greaterThan(10);
    expect(files.map((file) => path.relative(COMPAT_EXAMPLES, file))).to.include.members([
      'minimal.toml',
      path.join('program_linking', 'main.toml'),
      path.join('program_linking', 'repo_expert.toml'),
    ]);
  });

  for (const file of files) {
    describe(`when ${path.relative(COMPAT_EXAMPLES, file)} is loaded unchanged`, () => {
      const raw = parse(readFileSync(file, 'utf8')) as unknown as RawProgram;
      const folder = path.dirname(file);
      let program: LLMProgram;
      before(() => {
        program = LLMProgram.fromToml(file);
      });

      it('has the model, provider and display name the file says', () => {
        expect(program).to.be.instanceOf(LLMProgram);
        expect(program.model).to.equal(raw.model.name);
        expect(program.provider).to.equal(raw.model.provider);
        expect(program.displayName).to.equal(raw.model.display_name ?? `${raw.model.provider} ${raw.model.name}`);
        expect(program.file).to.equal(file);
        expect(program.baseDir).to.equal(folder);
      });

      it('has the parameters, the prompt and the enabled tools the file says', () => {
        const expected = Object.fromEntries(Object.entries(raw.parameters ?? {}).map(([key, value]) => [PARAMETER_KEYS[key], value]));
        expect(program.parameters).to.deep.equal(expected);
        const promptFile = raw.prompt?.system_prompt_file;
        if (promptFile === undefined) {
          expect(program.systemPromptFile).to.equal(undefined);
          expect(program.systemPrompt).to.equal(raw.prompt?.system_prompt ?? '');
        } else {
          expect(program.systemPromptFile).to.equal(path.resolve(folder, promptFile));
          expect(program.systemPrompt).to.equal(readFileSync(path.resolve(folder, promptFile), 'utf8'));
        }
        expect(program.builtinTools).to.deep.equal(raw.tools?.enabled ?? []);
        expect(program.envInfo.variables).to.deep.equal(raw.env_info?.variables ?? []);
      });

      it('keeps preload, linked programs and MCP, with absolute paths resolved against its folder', () => {
        for (const preload of program.preloadFiles) expect(path.isAbsolute(preload), preload).to.equal(true);
        expect(program.preloadFiles).to.deep.equal((raw.preload?.files ?? []).map((written) => path.resolve(folder, written)));
        for (const linked of Object.values(program.linkedPrograms)) expect(path.isAbsolute(linked as string), String(linked)).to.equal(true);
        expect(program.linkedPrograms).to.deep.equal(
          Object.fromEntries(Object.entries(raw.linked_programs ?? {}).map(([name, written]) => [name, path.resolve(folder, written)])),
        );
        const configPath = raw.mcp?.config_path;
        if (configPath === undefined) expect(program.mcp).to.equal(undefined);
        else expect(program.mcp).to.deep.equal({ configPath: path.resolve(folder, configPath), tools: raw.mcp?.tools ?? {} });
      });
    });
  }

  describe('the sections whose features come later', () => {
    it('keeps linked programs, compiled', () => {
      const main = LLMProgram.fromToml(path.join(COMPAT_EXAMPLES, 'program_linking', 'main.toml'));
      const names = Object.keys(main.linkedPrograms);
      expect(names).not.to.have.length(0);
      for (const name of names) expect(main.linkedProgram(name)).to.be.instanceOf(LLMProgram);
    });

    it('keeps [mcp] and [mcp.tools]', () => {
      const mcp = LLMProgram.fromToml(path.join(COMPAT_EXAMPLES, 'mcp.toml'));
      expect(mcp.mcp).to.deep.equal({
        configPath: path.resolve(COMPAT_EXAMPLES, '../config/mcp_servers.json'),
        tools: { codemcp: ['read_file'], time: ['current'] },
      });
    });

    it('keeps [preload] and [env_info]', () => {
      expect(LLMProgram.fromToml(path.join(COMPAT_EXAMPLES, 'preload.toml')).preloadFiles).to.deep.equal([
        path.resolve(COMPAT_EXAMPLES, '../README.md'),
        path.resolve(COMPAT_EXAMPLES, '../prompts/example_prompt.md'),
      ]);
      expect(LLMProgram.fromToml(path.join(COMPAT_EXAMPLES, 'env_info.toml')).envInfo.variables).not.to.have.length(0);
    });
  });
});

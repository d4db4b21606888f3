/**
 * The option types derived from the schemas are the ones users wrote against: each literal below
 * sets every option, so `tsc` fails when a derived type loses or narrows one.
 */
import { expect } from 'chai';
import type { LLMProgramOptions, RunDefaults, RunOptions } from '../../lib/index.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { literalTool } from './support.js';

describe('the option types derived from the schemas', () => {
  it('RunOptions and RunDefaults take every run option, optional, and undefined', () => {
    const run: Required<RunOptions> = {
      callbacks: { on_response: () => {} },
      maxIterations: 3,
      signal: new AbortController().signal,
      timeoutMs: 1000,
      stream: true,
      toolConcurrency: 2,
      maxTokens: 100,
      maxCostUsd: 0.5,
      hooks: { beforeRun: () => undefined },
      maxSpawnDepth: 2,
      promptCaching: false,
      promptCacheTtl: '1h',
    };
    const unset: RunOptions = { maxIterations: undefined, signal: undefined };
    const defaults: Required<RunDefaults> = { maxSpawnDepth: 2, maxIterations: 3, timeoutMs: 1000, stream: true, toolConcurrency: 2, maxTokens: 100, maxCostUsd: 0.5, promptCaching: false, promptCacheTtl: '1h' };
    expect(Object.keys(run)).to.have.length(12);
    expect(unset.maxIterations).to.equal(undefined);
    expect(new LLMProgram({ model: 'm', run: defaults }).runDefaults).to.deep.equal(defaults);
  });

  it('LLMProgramOptions takes every program option', () => {
    const options: Required<LLMProgramOptions> = {
      model: 'm',
      provider: 'anthropic',
      baseUrl: 'http://localhost:1/v1',
      projectId: 'p',
      region: 'r',
      displayName: 'D',
      systemPrompt: 's',
      systemPromptFile: 'prompts/system.md',
      parameters: { maxTokens: 2000, thinking: { type: 'enabled', budgetTokens: 1024 }, toolChoice: { type: 'auto', disableParallelToolUse: true }, metadata: { user_id: 'u' } },
      tools: ['calculator', literalTool('lookup')],
      preload: ['a.md'],
      envInfo: { variables: ['platform'] },
      linkedPrograms: { other: 'other.toml' },
      mcp: { configPath: 'servers.json', tools: { clock: 'all' } },
      readFile: { allowedRoots: ['.'], maxBytes: 10 },
      fileDescriptor: { enabled: false },
      run: { maxIterations: 2 },
      requireApproval: ['read_file'],
      hooks: {},
      baseDir: '/tmp',
      log: { file: 'runs.jsonl' },
    };
    expect(Object.keys(options)).to.have.length(21);
  });
});

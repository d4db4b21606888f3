import { expect } from 'chai';
import {
  chatRequestAttributes,
  genAiInputTokens,
  genAiProviderName,
  toolAttributes,
  toolErrorType,
} from '../../lib/observability/tracing/gen-ai-attributes.js';
import type { LLMProcess } from '../../lib/process/llm-process.js';
import { LLMProgram } from '../../lib/program/llm-program.js';

/** Only what the attribute builders read of a process. */
const processOf = (program: LLMProgram): LLMProcess => ({ program, model: program.model, id: 'proc-9' }) as unknown as LLMProcess;

describe('GenAI attributes', () => {
  it('names providers as the conventions do', () => {
    expect(['anthropic', 'openai', 'anthropic_vertex', 'vertex', 'gemini', 'gemini_vertex', 'my_own', 'constructor'].map(genAiProviderName)).to.deep.equal([
      'anthropic',
      'openai',
      'gcp.vertex_ai',
      'gcp.vertex_ai',
      'gcp.gemini',
      'gcp.vertex_ai',
      'my_own',
      'constructor',
    ]);
  });

  it('counts every prompt token as input: uncached, cache reads and cache writes', () => {
    expect(genAiInputTokens({ inputTokens: 5, outputTokens: 100, cacheReadInputTokens: 70, cacheCreationInputTokens: 25 })).to.equal(100);
  });

  it('puts the parameters a program sets on the chat span, and only those', () => {
    const program = new LLMProgram({ model: 'claude-x', provider: 'anthropic', parameters: { topP: 0.9, topK: 40, stopSequences: ['END'] } });
    expect(chatRequestAttributes(processOf(program), 'claude-x', 3)).to.deep.equal({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-x',
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.top_k': 40,
      'gen_ai.request.stop_sequences': ['END'],
      'llmproc.iteration': 3,
    });
  });

  it('calls an MCP server’s tool an extension and names its server; a local tool a function', () => {
    expect(toolAttributes({ toolName: 'time__now', args: {}, toolUseId: 'toolu_1', source: 'mcp', server: 'time' })).to.deep.equal({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'time__now',
      'gen_ai.tool.call.id': 'toolu_1',
      'gen_ai.tool.type': 'extension',
      'llmproc.tool.source': 'mcp',
      'llmproc.mcp.server': 'time',
    });
    expect(toolAttributes({ toolName: 'calculator', args: {}, toolUseId: 'toolu_2', source: 'builtin' })['gen_ai.tool.type']).to.equal('function');
  });

  it('tells an unknown tool from a tool that failed', () => {
    const end = { toolName: 't', args: {}, toolUseId: 'u', durationMs: 1, isError: true, result: { content: 'x', isError: true } };
    expect(toolErrorType({ ...end, source: 'unknown' })).to.equal('unknown_tool');
    expect(toolErrorType({ ...end, source: 'function' })).to.equal('tool_error');
  });
});

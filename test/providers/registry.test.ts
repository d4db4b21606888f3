import { expect } from 'chai';
import { InvalidArgumentError, MissingApiKeyError, ProgramError, UnsupportedProviderError } from '../../lib/errors.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { PROVIDER_NAMES, providerFacts } from '../../lib/program/provider-names.js';
import { anthropicProvider } from '../../lib/providers/anthropic/definition.js';
import { providerDefinition, providerNames, registerProvider } from '../../lib/providers/index.js';
import type { ProviderDefinition } from '../../lib/providers/provider-definition.js';
import type { ModelProvider } from '../../lib/providers/types.js';
import { startFakeAnthropic, textReply, toolUseReply } from '../../lib/testing/index.js';
import { SENTINEL_API_KEY } from '../support/setup.js';
import { thrownBy } from '../support/thrown-by.js';
import { stubTool } from '../support/tools.js';
import sinon from 'sinon';
import { AnthropicProvider, createAnthropicClient } from '../../lib/providers/anthropic/anthropic-provider.js';

describe('provider registry', () => {
  afterEach(() => registerProvider(anthropicProvider));

  it('has the builtin anthropic provider, which names ANTHROPIC_API_KEY', () => {
    expect(providerNames()).to.include('anthropic');
    const anthropic = providerDefinition('anthropic')!;
    expect(anthropic.apiKeyVariable).to.equal('ANTHROPIC_API_KEY');
    expect(anthropic.hasCredentials({ ANTHROPIC_API_KEY: 'k' })).to.equal(true);
    expect(anthropic.hasCredentials({ ANTHROPIC_AUTH_TOKEN: 't' })).to.equal(true);
    expect(anthropic.hasCredentials({ OPENAI_API_KEY: 'k' })).to.equal(false);
  });

  it('holds one builtin provider under each name a program may give that this version runs; none under vertex, which start() refuses', () => {
    const runnable = PROVIDER_NAMES.filter((name) => providerFacts(name)!.refusal === undefined);
    expect(runnable).to.deep.equal(['anthropic', 'openai', 'anthropic_vertex', 'gemini', 'gemini_vertex']);
    for (const name of runnable) expect(providerDefinition(name)?.name, name).to.equal(name);
    expect(providerDefinition('vertex')).to.equal(undefined);
    expect(providerFacts('vertex')!.refusal).to.include('provider = "anthropic_vertex"');
    expect(providerFacts('my_provider'), 'a name no program may give').to.equal(undefined);
  });

  it('refuses a definition without a name or a create function, naming the field', () => {
    const noName = thrownBy(() => registerProvider({ ...anthropicProvider, name: '' }), InvalidArgumentError, 'a nameless provider');
    expect(noName.argument).to.equal('definition.name');
    const noCreate = thrownBy(() => registerProvider({ ...anthropicProvider, create: undefined } as unknown as ProviderDefinition), InvalidArgumentError, 'a provider without create');
    expect(noCreate.argument).to.equal('definition.create');
  });

  it('start() creates the provider the registry holds for the program, with its endpoint, options and file', async () => {
    const seen: unknown[] = [];
    const stub: ModelProvider = { name: 'anthropic', complete: async () => ({ id: 'm', model: 'x', content: [{ type: 'text', text: 'hi' }], stopReason: 'end_turn', tokens: { inputTokens: 1, outputTokens: 1, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 }, usage: {} }), describeError: () => ({ message: 'no' }) };
    registerProvider({ ...anthropicProvider, create: async (context) => (seen.push(context), stub) });
    const program = new LLMProgram({ model: 'claude-test', baseUrl: 'http://127.0.0.1:9/v1' });
    const process = await program.start({ apiKey: 'k', maxRetries: 0 });
    await process.run('hello');
    expect(process.getLastMessage()).to.equal('hi');
    expect(seen).to.have.length(1);
    expect(seen[0]).to.deep.include({ model: 'claude-test', endpoint: { baseUrl: 'http://127.0.0.1:9/v1', projectId: undefined, region: undefined }, file: undefined });
    expect((seen[0] as { options: object }).options).to.include({ apiKey: 'k', maxRetries: 0 });
  });

  it('refuses provider = "vertex" (llmproc 0.2.0) suggesting anthropic_vertex, naming the file', async () => {
    const program = new LLMProgram({ model: 'claude-3-5-haiku@20241022', provider: 'vertex' });
    const error = await program.start().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(UnsupportedProviderError);
    expect((error as Error).message).to.include('model.provider: "vertex" is not supported').and.include('use provider = "anthropic_vertex"');
  });

  it('MissingApiKeyError names the provider, its variable and the program file', () => {
    const error = new MissingApiKeyError({ provider: 'openai', label: 'OpenAI', variable: 'OPENAI_API_KEY', file: 'minimal.toml' });
    expect(error).to.include({ provider: 'openai', variable: 'OPENAI_API_KEY', file: 'minimal.toml', name: 'MissingApiKeyError' });
    expect(error.message).to.equal('minimal.toml: No OpenAI API key: set the OPENAI_API_KEY environment variable, or pass `apiKey` (or a ready `client`) to program.start().');
  });

  it('[model] base_url must be an http(s) URL; project_id and region non-empty strings', () => {
    for (const [options, expected] of [
      [{ baseUrl: 'localhost:11434' }, 'baseUrl: expected an http:// or https:// URL'],
      [{ baseUrl: 'ftp://example.com' }, 'baseUrl: expected an http:// or https:// URL'],
      [{ projectId: '' }, 'projectId:'],
      [{ region: 7 }, 'region: expected a non-empty string, received number'],
    ] as const) {
      const error = thrownBy(() => new LLMProgram({ model: 'm', ...(options as object) }), ProgramError, JSON.stringify(options));
      expect(error.message, JSON.stringify(options)).to.include(expected);
    }
    const program = new LLMProgram({ model: 'm', baseUrl: 'http://localhost:11434/v1', projectId: 'p', region: 'us-east5' });
    expect(program.endpoint).to.deep.equal({ baseUrl: 'http://localhost:11434/v1', projectId: 'p', region: 'us-east5' });
  });
});

describe('a tool call whose arguments the provider could not read', () => {
  it('is not run: the model gets an is_error result saying why, and the conversation stays valid', async () => {
    const server = await startFakeAnthropic();
    const run = sinon.spy(async () => ({ content: 'ran', isError: false }));
    const tool = stubTool('alpha', run);
    const anthropic = new AnthropicProvider(await createAnthropicClient({ apiKey: SENTINEL_API_KEY, baseURL: server.url, maxRetries: 0 }));
    const broken: ModelProvider = {
      name: 'anthropic',
      describeError: (e) => anthropic.describeError(e),
      async complete(request, options) {
        const turn = await anthropic.complete(request, options);
        return { ...turn, content: turn.content.map((part) => (part.type === 'tool_call' ? { ...part, input: {}, inputError: 'Unterminated string in JSON at position 12' } : part)) };
      },
    };
    server.enqueue(toolUseReply([{ name: "alpha", input: { value: "x" } }]), textReply("sorry"));
    const process = await new LLMProgram({ model: 'claude-test', tools: [tool] }).start({ provider: broken });
    const result = await process.run('go');
    expect(run.called).to.equal(false);
    expect(result.toolCalls).to.have.length(1);
    const answer = (server.requests[1]!.body as { messages: { content: { content: unknown }[] }[] }).messages.at(-1)!;
    expect(answer.content[0]).to.include({ type: 'tool_result', is_error: true });
    expect(JSON.stringify(answer.content[0]!.content)).to.include('could not be read, so it was not run: Unterminated string in JSON at position 12');
    await process.close();
    await server.close();
  });
});

/**
 * The process's own surface around the loop: what it hands its provider, its getters, its copies
 * of the conversation, forks, children's providers, and close().
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { RunInProgressError } from '../../lib/errors.js';
import { LLMProcess } from '../../lib/process/llm-process.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import type { CompleteOptions, ModelProvider, ModelRequest } from '../../lib/providers/types.js';
import { setModelPrice } from '../../lib/results/pricing.js';
import { type FakeAnthropicServer, startFakeAnthropic, textReply, toolUseReply, withoutCaching } from '../../lib/testing/index.js';
import { SENTINEL_API_KEY, setupTest, signalled, type TestSetup } from '../support/setup.js';
import { echoTool } from '../support/tools.js';
import { createSpawnTool } from '../../lib/tools/builtin/spawn.js';
import { wrappedAnthropic } from '../support/wrapped-provider.js';


describe('LLMProcess, around the loop', () => {
  let t: TestSetup | undefined;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
    t = undefined;
  });

  describe('what it hands the provider', () => {
    let server: FakeAnthropicServer;
    let calls: Array<{ request: ModelRequest; options: CompleteOptions | undefined }>;
    beforeEach(async () => {
      server = await startFakeAnthropic();
      calls = [];
    });
    afterEach(() => server.close());

    /** A process on the real provider, recording what each complete() call was given. */
    async function recordingProcess(options: Partial<ConstructorParameters<typeof LLMProgram>[0]> = {}): Promise<LLMProcess> {
      const real = await wrappedAnthropic(server);
      const recording: ModelProvider = {
        ...real,
        complete: (request, callOptions) => {
          calls.push({ request: structuredClone(request), options: callOptions });
          return real.complete(request, callOptions);
        },
      };
      return new LLMProgram({ model: 'claude-test', systemPrompt: 'You are a test.', ...options }).start({ provider: recording });
    }

    it('sends no signal on a run nothing can abort, and the run signal on one that can', async () => {
      const llm = await recordingProcess();
      server.enqueue(textReply('one'), textReply('two'), textReply('three'));
      await llm.run('plain');
      const controller = new AbortController();
      await llm.run('abortable', { signal: controller.signal });
      await llm.run('timed', { timeoutMs: 60_000 });
      expect(calls[0]!.options!.signal).to.equal(undefined);
      expect(calls[1]!.options!.signal).to.be.instanceOf(AbortSignal);
      expect(calls[1]!.options!.signal).not.to.equal(controller.signal);
      expect(calls[2]!.options!.signal).to.be.instanceOf(AbortSignal);
    });

    it('asks for a stream, with a text handler, only when the run streams', async () => {
      const llm = await recordingProcess();
      server.enqueue(textReply('one'), textReply('two'));
      const text = sinon.spy();
      llm.on('text', text);
      await llm.run('plain');
      await llm.run('streamed', { stream: true });
      expect(calls[0]!.options!.stream).to.equal(false);
      expect(calls[0]!.options!.onText).to.equal(undefined);
      expect(calls[1]!.options!.stream).to.equal(true);
      expect(calls[1]!.options!.onText).to.be.a('function');
      expect(text.lastCall.args[0]).to.deep.equal({ delta: 'two', snapshot: 'two' });
    });

    it('sends the model, the system prompt (none when empty), the tools and the parameters', async () => {
      const llm = await recordingProcess({ systemPrompt: '', parameters: { maxTokens: 77, temperature: 0.5 }, tools: [echoTool('alpha')] });
      server.enqueue(textReply('one'));
      await llm.run('hi');
      const { request } = calls[0]!;
      expect(request.model).to.equal('claude-test');
      expect(request.system).to.equal(undefined);
      expect(request.parameters).to.deep.include({ maxTokens: 77, temperature: 0.5 });
      expect(request.tools.map((tool) => tool.name)).to.deep.equal(['alpha']);
      expect(request.messages).to.deep.equal([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]);
      expect(server.requests[0]!.body).not.to.have.property('system');
    });
  });

  describe('api:call', () => {
    it('carries the call\'s model, usage, stop reason, ids, duration and cost', async () => {
      setModelPrice('claude-priced-test', { input: 2, output: 10, cacheRead: 0, cacheWrite: 0 });
      try {
        t = await setupTest({ model: 'claude-priced-test' });
        t.server.enqueue(textReply('hi', { usage: { input_tokens: 1000, output_tokens: 100 }, id: 'msg_pinned' }));
        const apiCall = sinon.spy();
        t.process.on('api:call', apiCall);
        await t.process.run('hello');
        const event = apiCall.firstCall.args[0];
        expect(event).to.deep.include({
          model: 'claude-priced-test',
          stopReason: 'end_turn',
          id: 'msg_pinned',
          requestId: 'req_fake_1',
          timeToFirstTokenMs: undefined,
          tokens: { inputTokens: 1000, outputTokens: 100, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 },
        });
        expect(event.usage).to.deep.include({ input_tokens: 1000, output_tokens: 100 });
        expect(event.costUsd).to.be.closeTo((1000 * 2 + 100 * 10) / 1e6, 1e-15);
        expect(event.durationMs).to.be.a('number').and.at.least(0);
        expect(event).not.to.have.property('child');
      } finally {
        setModelPrice('claude-priced-test', undefined);
      }
    });

    it('has the time to the first token of a streamed call', async () => {
      t = await setupTest();
      t.server.enqueue(textReply('streamed'));
      const apiCall = sinon.spy();
      t.process.on('api:call', apiCall);
      await t.process.run('hello', { stream: true });
      expect(apiCall.firstCall.args[0].timeToFirstTokenMs).to.be.a('number').and.at.least(0);
    });
  });

  describe('its getters and copies', () => {
    it('shares one frozen tool list among the processes of a program (mapped to the wire once), not with another program', async () => {
      const alpha = echoTool('alpha');
      t = await setupTest({ tools: [alpha, 'calculator'] });
      const options = { apiKey: SENTINEL_API_KEY, baseURL: t.server.url, maxRetries: 0 };
      const again = await t.program.start(options);
      const other = await new LLMProgram({ model: 'claude-test', tools: [alpha, 'calculator'] }).start(options);
      try {
        expect(again.tools).to.equal(t.process.tools);
        expect(Object.isFrozen(again.tools) && again.tools.every(Object.isFrozen)).to.equal(true);
        expect(other.tools).to.not.equal(t.process.tools);
        expect(other.tools).to.deep.equal(t.process.tools);
      } finally {
        await again.close();
        await other.close();
      }
    });

    it('gives its model, its tools as sent, and whether it is running', async () => {
      t = await setupTest({ tools: [echoTool('alpha'), 'calculator'] });
      expect(t.process.model).to.equal('claude-test');
      expect(t.process.tools.map((tool) => tool.name)).to.deep.equal(['calculator', 'alpha']);
      expect(Object.keys(t.process.tools[0]!)).to.deep.equal(['name', 'description', 'inputSchema']);
      expect(t.process.id).to.match(/^proc-\d+$/);
      expect(t.process.forkedFrom).to.equal(undefined);
      const started = signalled();
      t.server.respondWith(async () => {
        started.resolve();
        return textReply('ok');
      });
      expect(t.process.running).to.equal(false);
      const run = t.process.run('go');
      await started.promise;
      expect(t.process.running).to.equal(true);
      expect(() => t!.process.resetState()).to.throw(RunInProgressError);
      await run;
      expect(t.process.running).to.equal(false);
    });

    it('getState() is a deep copy: changing it changes nothing in the process', async () => {
      t = await setupTest();
      t.server.enqueue(textReply('answer'), textReply('again'));
      await t.process.run('question');
      const state = t.process.getState();
      (state[0]!.content[0] as { text: string }).text = 'tampered';
      state[1]!.content.push({ type: 'text', text: 'added' });
      expect(t.process.getState()[0]!.content).to.deep.equal([{ type: 'text', text: 'question' }]);
      expect(t.process.getState()[1]!.content).to.have.length(1);
      await t.process.run('next');
      expect(JSON.stringify(t.server.requests[1]!.body)).not.to.include('tampered');
    });

    it('fork() copies the conversation, the program and the tools; each goes on alone; closing it leaves the parent\'s servers', async () => {
      const close = sinon.spy(async () => {});
      const program = new LLMProgram({ model: 'claude-test', systemPrompt: 'Base.', tools: [echoTool('alpha')] });
      const server = await startFakeAnthropic();
      try {
        const parent = new LLMProcess({ program, provider: await wrappedAnthropic(server), tools: program.functionTools, systemPrompt: 'Base.', close });
        server.enqueue(textReply('parent answer'), textReply('fork answer'), textReply('parent again'));
        await parent.run('first');
        const fork = parent.fork();
        expect(fork.forkedFrom).to.equal(parent.id);
        expect(fork.id).not.to.equal(parent.id);
        expect(fork.program).to.equal(parent.program);
        expect(fork.tools).to.deep.equal(parent.tools);
        expect(fork.systemPrompt).to.equal(parent.systemPrompt);
        expect(fork.getState()).to.deep.equal(parent.getState());
        await fork.run('fork only');
        await parent.run('parent only');
        expect(JSON.stringify(parent.getState())).not.to.include('fork only');
        expect(JSON.stringify(fork.getState())).not.to.include('parent only');
        await fork.close();
        expect(close.called).to.equal(false);
        await parent.close();
        expect(close.calledOnce).to.equal(true);
      } finally {
        await server.close();
      }
    });
  });

  describe('close()', () => {
    it('releases what it holds once, however often it is called, await using included', async () => {
      const close = sinon.spy(async () => {});
      const program = new LLMProgram({ model: 'claude-test' });
      const server = await startFakeAnthropic();
      try {
        const llm = new LLMProcess({ program, provider: await wrappedAnthropic(server), tools: [], systemPrompt: '', close });
        const first = llm.close();
        expect(llm.close()).to.equal(first);
        await first;
        await llm[Symbol.asyncDispose]();
        expect(close.calledOnce).to.equal(true);
        const bare = new LLMProcess({ program, provider: await wrappedAnthropic(server), tools: [], systemPrompt: '' });
        expect(await bare.close()).to.equal(undefined);
      } finally {
        await server.close();
      }
    });
  });

  describe('the processes spawn starts', () => {
    /** The parent's spawn call, the child's answer, the parent's answer. */
    const spawnReplies = (name: string) => [toolUseReply([{ name: 'spawn', input: { program_name: name, query: 'hi' } }]), textReply('child answer'), textReply('parent answer')];

    it('starts a program of its own provider with its start options (key, base URL)', async () => {
      t = await setupTest({ tools: ['spawn'], linkedPrograms: { other: new LLMProgram({ model: 'claude-other', systemPrompt: 'Same provider.' }) } });
      t.server.enqueue(...spawnReplies('other'));
      await t.process.run('ask other');
      const request = t.server.requests[1]!;
      expect(withoutCaching(request.body)).to.deep.include({ model: 'claude-other', system: 'Same provider.' });
      expect(String(request.headers['authorization'] ?? request.headers['x-api-key']).includes(SENTINEL_API_KEY), 'the parent\'s key').to.equal(true);
    });

    it('starts every child on a provider given to start() as `provider`, and on the parent\'s provider when it has no start options', async () => {
      const server = await startFakeAnthropic();
      try {
        const provider = await wrappedAnthropic(server);
        const complete = sinon.spy(provider, 'complete');
        const parent = await new LLMProgram({ model: 'claude-test', tools: ['spawn'], linkedPrograms: { child: new LLMProgram({ model: 'claude-child' }) } }).start({ provider });
        server.enqueue(...spawnReplies('child'));
        await parent.run('ask child');
        expect(complete.getCalls().map((call) => call.args[0].model)).to.deep.equal(['claude-test', 'claude-child', 'claude-test']);
        const program = new LLMProgram({ model: 'claude-test', tools: ['spawn'], linkedPrograms: { orphan: new LLMProgram({ model: 'claude-orphan' }) } });
        const bare = new LLMProcess({ program, provider, tools: [createSpawnTool(program)], systemPrompt: '' });
        server.enqueue(...spawnReplies('orphan'));
        await bare.run('ask orphan');
        expect(complete.getCalls().slice(3).map((call) => call.args[0].model)).to.deep.equal(['claude-test', 'claude-orphan', 'claude-test']);
      } finally {
        await server.close();
      }
    });
  });

  it('runs a tool call with a tool_use stop reason again, and stops after tools when the model said it was done', async () => {
    t = await setupTest({ tools: [echoTool('alpha')] });
    t.server.enqueue(toolUseReply([{ name: 'alpha', input: { value: '1' } }], { stopReason: 'end_turn' }), textReply('not asked for'));
    const result = await t.process.run('go');
    expect(result).to.include({ apiCalls: 1, stopReason: 'end_turn' });
    expect(result.toolCalls).to.have.length(1);
    expect(t.server.pending(), 'no second call').to.equal(1);
    const last = t.process.getState().at(-1)!;
    expect(last.role, 'the call is answered all the same (R5)').to.equal('user');
  });
});

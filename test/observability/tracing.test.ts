import { context, type Context, type ContextManager, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { expect } from 'chai';
import sinon from 'sinon';
import { instrument } from '../../lib/observability/tracing/index.js';
import type { LLMProcess } from '../../lib/process/llm-process.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { errorReply, hang, textReply, toolUseReply } from '../../lib/testing/index.js';
import { rejectionOf } from '../support/promises.js';
import { SENTINEL_API_KEY, signalled, setupTest, type TestSetup } from '../support/setup.js';
import { echoTool, stubTool } from '../support/tools.js';
import { isChildOf, recordSpans, type SpanRecorder, spanNamed, spanWith } from './support/spans.js';
import { withoutCaching } from '../../lib/testing/without-caching.js';

type Body = { model: string; messages: Array<{ role: string; content: Array<{ type: string; text?: string }> }> };

const CONTENT_KEYS = ['gen_ai.input.messages', 'gen_ai.output.messages', 'gen_ai.system_instructions', 'gen_ai.tool.call.arguments', 'gen_ai.tool.call.result'];

describe('tracing (llmproc/otel instrument)', () => {
  let t: TestSetup | undefined;
  let spans: SpanRecorder;
  beforeEach(() => {
    spans = recordSpans();
  });
  afterEach(async () => {
    sinon.restore();
    await t?.close();
    t = undefined;
    expect(spans.open().map((span) => (span as unknown as { name: string }).name), 'spans left open').to.deep.equal([]);
    expect(JSON.stringify(spans.finished().map((span) => [span.name, span.attributes, span.status, span.events])), 'R19: the key in a span').not.to.include(SENTINEL_API_KEY);
    await spans.shutdown();
  });

  /** A run of two parallel tools on a priced model, with cache reads and writes in the first call. */
  async function twoToolRun(options: { captureContent?: boolean } = {}) {
    t = await setupTest({
      model: 'claude-haiku-4-5',
      displayName: 'Helper',
      systemPrompt: 'You are a test.',
      parameters: { maxTokens: 1000, temperature: 0.3 },
      tools: [echoTool('alpha'), echoTool('beta')],
    });
    t.server.enqueue(
      toolUseReply([{ name: 'alpha', input: { value: 'a' }, id: 'toolu_a' }, { name: 'beta', input: { value: 'b' }, id: 'toolu_b' }], {
        text: 'Using tools.',
        id: 'msg_first',
        usage: { input_tokens: 40, output_tokens: 12, cache_read_input_tokens: 100, cache_creation_input_tokens: 20 },
      }),
      textReply('Both done.', { id: 'msg_second', usage: { input_tokens: 70, output_tokens: 5 } }),
    );
    const runStart = sinon.spy();
    t.process.on('run:start', runStart);
    const detach = instrument(t.process, { tracer: spans.tracer, ...options });
    const result = await t.process.run('use both');
    detach();
    return { result, runId: runStart.firstCall.args[0].runId as string, finished: spans.finished() };
  }

  describe('when a run calls two tools in parallel', () => {
    it('makes an invoke_agent span with two chat spans and two execute_tool spans under it, in one trace', async () => {
      const { finished } = await twoToolRun();
      expect(spans.tree()).to.deep.equal([
        {
          name: 'invoke_agent Helper',
          children: [
            { name: 'chat claude-haiku-4-5', children: [] },
            { name: 'execute_tool alpha', children: [] },
            { name: 'execute_tool beta', children: [] },
            { name: 'chat claude-haiku-4-5', children: [] },
          ],
        },
      ]);
      expect(new Set(finished.map((span) => span.spanContext().traceId)).size).to.equal(1);
      const agent = spanNamed(finished, 'invoke_agent Helper');
      expect(agent.parentSpanContext).to.equal(undefined);
      expect(agent.kind).to.equal(SpanKind.INTERNAL);
      expect(finished.filter((span) => span.name.startsWith('chat')).map((span) => span.kind)).to.deep.equal([SpanKind.CLIENT, SpanKind.CLIENT]);
      expect(finished.every((span) => span.status.code === SpanStatusCode.UNSET)).to.equal(true);
    });

    it('gives each span the GenAI attributes: operation, provider, models, parameters, response, usage with cache tokens, tool ids', async () => {
      const { result, runId, finished } = await twoToolRun();
      const [first, second] = result.apiCallInfos;
      expect(first!.costUsd).to.be.a('number');
      expect(spanWith(finished, 'gen_ai.response.id', 'msg_first').attributes).to.deep.equal({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': 'claude-haiku-4-5',
        'gen_ai.request.max_tokens': 1000,
        'gen_ai.request.temperature': 0.3,
        'llmproc.iteration': 1,
        'gen_ai.response.id': 'msg_first',
        'gen_ai.response.model': 'claude-haiku-4-5',
        'gen_ai.response.finish_reasons': ['tool_use'],
        'gen_ai.usage.input_tokens': 160,
        'gen_ai.usage.output_tokens': 12,
        'gen_ai.usage.cache_read.input_tokens': 100,
        'gen_ai.usage.cache_creation.input_tokens': 20,
        'llmproc.request_id': first!.requestId,
        'llmproc.cost_usd': first!.costUsd,
      });
      expect(spanWith(finished, 'gen_ai.response.id', 'msg_second').attributes).to.deep.include({
        'llmproc.iteration': 2,
        'gen_ai.response.finish_reasons': ['end_turn'],
        'gen_ai.usage.input_tokens': 70,
        'gen_ai.usage.cache_read.input_tokens': 0,
        'llmproc.cost_usd': second!.costUsd,
      });
      expect(spanNamed(finished, 'execute_tool alpha').attributes).to.deep.equal({
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'alpha',
        'gen_ai.tool.call.id': 'toolu_a',
        'gen_ai.tool.type': 'function',
        'llmproc.tool.source': 'function',
      });
      expect(spanNamed(finished, 'execute_tool beta').attributes['gen_ai.tool.call.id']).to.equal('toolu_b');
      expect(spanNamed(finished, 'invoke_agent Helper').attributes).to.deep.equal({
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': 'Helper',
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': 'claude-haiku-4-5',
        'llmproc.process.id': t!.process.id,
        'llmproc.run.id': runId,
        'gen_ai.usage.input_tokens': 230,
        'gen_ai.usage.output_tokens': 17,
        'gen_ai.usage.cache_read.input_tokens': 100,
        'gen_ai.usage.cache_creation.input_tokens': 20,
        'llmproc.run.api_calls': 2,
        'llmproc.run.tool_calls': 2,
        'llmproc.run.stop_reason': 'end_turn',
        'llmproc.run.cost_usd': result.costUsd,
      });
    });

    it('records no content unless asked', async () => {
      const { finished } = await twoToolRun();
      expect(finished.flatMap((span) => Object.keys(span.attributes)).filter((key) => CONTENT_KEYS.includes(key))).to.deep.equal([]);
      expect(JSON.stringify(finished.map((span) => span.attributes))).not.to.include('use both');
    });

    it('with captureContent, records the prompt, the system instructions, each call’s messages and answer, and tool arguments and results', async () => {
      const { finished } = await twoToolRun({ captureContent: true });
      const json = (value: unknown) => JSON.parse(String(value));
      const agent = spanNamed(finished, 'invoke_agent Helper');
      expect(json(agent.attributes['gen_ai.input.messages'])).to.deep.equal([{ role: 'user', parts: [{ type: 'text', content: 'use both' }] }]);
      expect(json(agent.attributes['gen_ai.system_instructions'])).to.deep.equal([{ type: 'text', content: 'You are a test.' }]);
      expect(json(agent.attributes['gen_ai.output.messages'])).to.deep.equal([{ role: 'assistant', parts: [{ type: 'text', content: 'Both done.' }], finish_reason: 'end_turn' }]);
      const first = spanWith(finished, 'gen_ai.response.id', 'msg_first');
      expect(json(first.attributes['gen_ai.input.messages'])).to.deep.equal([{ role: 'user', parts: [{ type: 'text', content: 'use both' }] }]);
      expect(json(first.attributes['gen_ai.output.messages'])).to.deep.equal([
        {
          role: 'assistant',
          parts: [
            { type: 'text', content: 'Using tools.' },
            { type: 'tool_call', id: 'toolu_a', name: 'alpha', arguments: { value: 'a' } },
            { type: 'tool_call', id: 'toolu_b', name: 'beta', arguments: { value: 'b' } },
          ],
          finish_reason: 'tool_use',
        },
      ]);
      const second = spanWith(finished, 'gen_ai.response.id', 'msg_second');
      expect(json(second.attributes['gen_ai.input.messages'])[2]).to.deep.equal({
        role: 'user',
        parts: [
          { type: 'tool_call_response', id: 'toolu_a', response: 'alpha:a' },
          { type: 'tool_call_response', id: 'toolu_b', response: 'beta:b' },
        ],
      });
      expect(json(second.attributes['gen_ai.output.messages'])[0].parts).to.deep.equal([{ type: 'text', content: 'Both done.' }]);
      const alpha = spanNamed(finished, 'execute_tool alpha');
      expect(alpha.attributes).to.deep.include({ 'gen_ai.tool.call.arguments': '{"value":"a"}', 'gen_ai.tool.call.result': 'alpha:a' });
    });
  });

  describe('when a run rewinds', () => {
    it('adds an llmproc.rewind event to the invoke_agent span, with the instruction only when content is captured', async () => {
      for (const captureContent of [false, true]) {
        t = await setupTest({ tools: ['goto'] });
        t.server.enqueue(textReply('A done'));
        await t.process.run('task A');
        const detach = instrument(t.process, { tracer: spans.tracer, captureContent });
        t.server.enqueue(toolUseReply([{ name: 'goto', input: { position: 'msg_0', message: 'Only do C.' }, id: 'toolu_goto' }]), textReply('C done'));
        const result = await t.process.run('task B');
        detach();
        await t.close();
        t = undefined;
        const agent = spans.finished().filter((span) => span.name.startsWith('invoke_agent')).at(-1)!;
        const events = agent.events.filter((event) => event.name === 'llmproc.rewind');
        expect(events, `captureContent ${captureContent}`).to.have.length(1);
        expect(events[0]!.attributes).to.deep.include({
          'llmproc.rewind.from': 'msg_4',
          'llmproc.rewind.to': 'msg_0',
          'llmproc.rewind.message_id': 'msg_5',
          'llmproc.rewind.removed': 5,
          'llmproc.rewind.via': 'goto',
          'gen_ai.tool.call.id': 'toolu_goto',
        });
        if (captureContent) expect(String(events[0]!.attributes!['llmproc.rewind.instruction'])).to.match(/Only do C\.$/);
        else expect(events[0]!.attributes).not.to.have.property('llmproc.rewind.instruction');
        const [seconds, nanos] = events[0]!.time;
        expect(Math.round(seconds * 1000 + nanos / 1e6)).to.equal(result.rewinds[0]!.at);
      }
    });
  });

  describe('when children are spawned and forked', () => {
    it('nests a spawned child’s invoke_agent span under the execute_tool span that started it, and a grandchild under the child’s', async () => {
      const leaf = new LLMProgram({ model: 'claude-leaf', displayName: 'Leaf' });
      const middle = new LLMProgram({ model: 'claude-middle', displayName: 'Middle', tools: ['spawn'], linkedPrograms: { leaf } });
      t = await setupTest({ displayName: 'Top', tools: ['spawn'], linkedPrograms: { middle } });
      t.server.respondWith((request) => {
        const body = withoutCaching(request.body) as Body;
        const last = JSON.stringify(body.messages.at(-1));
        if (body.model === 'claude-leaf') return textReply('leaf answer');
        if (last.includes('tool_result')) return textReply(`${body.model} done`);
        if (body.model === 'claude-middle') return toolUseReply([{ name: 'spawn', input: { program_name: 'leaf', query: 'deep' }, id: 'toolu_middle' }]);
        return toolUseReply([{ name: 'spawn', input: { program_name: 'middle', query: 'go on' }, id: 'toolu_top' }]);
      });
      instrument(t.process, { tracer: spans.tracer });
      const children: LLMProcess[] = [];
      t.process.on('child:start', ({ process: child }) => void children.push(child));
      await t.process.run('go');
      const traced = ['run:start', 'api:start', 'api:call', 'tool:start', 'tool:end', 'child:start', 'run:end'] as const;
      expect(children.map((child) => traced.map((event) => child.listenerCount(event))), 'a child is traced for its run only').to.deep.equal([
        [0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0],
      ]);
      const finished = spans.finished();
      expect(spans.tree()).to.deep.equal([
        {
          name: 'invoke_agent Top',
          children: [
            { name: 'chat claude-test', children: [] },
            {
              name: 'execute_tool spawn',
              children: [
                {
                  name: 'invoke_agent Middle',
                  children: [
                    { name: 'chat claude-middle', children: [] },
                    {
                      name: 'execute_tool spawn',
                      children: [{ name: 'invoke_agent Leaf', children: [{ name: 'chat claude-leaf', children: [] }] }],
                    },
                    { name: 'chat claude-middle', children: [] },
                  ],
                },
              ],
            },
            { name: 'chat claude-test', children: [] },
          ],
        },
      ]);
      const middleAgent = spanNamed(finished, 'invoke_agent Middle');
      expect(isChildOf(middleAgent, spanWith(finished, 'gen_ai.tool.call.id', 'toolu_top'))).to.equal(true);
      expect(isChildOf(spanNamed(finished, 'invoke_agent Leaf'), spanWith(finished, 'gen_ai.tool.call.id', 'toolu_middle'))).to.equal(true);
      expect(middleAgent.attributes).to.deep.include({ 'gen_ai.agent.name': 'Middle', 'llmproc.child.via': 'spawn', 'gen_ai.request.model': 'claude-middle' });
      expect(finished.filter((span) => span.name.startsWith('chat'))).to.have.length(t.server.requests.length);
    });

    it('nests each fork under the fork call’s execute_tool span', async () => {
      t = await setupTest({ displayName: 'Forker', tools: ['fork'] });
      t.server.enqueue(toolUseReply([{ name: 'fork', input: { prompts: ['task A', 'task B'] }, id: 'toolu_fork' }]));
      t.server.respondWith((request) => {
        const said = JSON.stringify((withoutCaching(request.body) as Body).messages.at(-1));
        return textReply(said.includes('You are fork') ? 'fork done' : 'all done');
      });
      instrument(t.process, { tracer: spans.tracer });
      await t.process.run('fork it');
      const finished = spans.finished();
      const fork = spanNamed(finished, 'execute_tool fork');
      const forks = finished.filter((span) => span.name === 'invoke_agent Forker' && span.parentSpanContext);
      expect(forks).to.have.length(2);
      for (const child of forks) {
        expect(isChildOf(child, fork)).to.equal(true);
        expect(child.attributes['llmproc.child.via']).to.equal('fork');
        expect(finished.filter((span) => isChildOf(span, child)).map((span) => span.name)).to.deep.equal(['chat claude-test']);
      }
      expect(new Set(forks.map((span) => span.attributes['llmproc.process.id'])).size).to.equal(2);
    });
  });

  describe('when something fails', () => {
    it('an API failure sets ERROR with its message and error.type on the chat and invoke_agent spans', async () => {
      t = await setupTest();
      t.server.enqueue(errorReply(500, { message: `server on fire, key ${SENTINEL_API_KEY}` }));
      instrument(t.process, { tracer: spans.tracer });
      const error = (await rejectionOf(t.process.run('fail'))) as Error;
      const finished = spans.finished();
      expect(spans.tree()).to.deep.equal([{ name: 'invoke_agent anthropic claude-test', children: [{ name: 'chat claude-test', children: [] }] }]);
      for (const span of finished) {
        expect(span.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: error.message });
        expect(span.attributes['error.type']).to.equal('ApiCallError');
      }
      expect(error.message).to.include('server on fire');
      expect(spanNamed(finished, 'chat claude-test').attributes).not.to.have.property('gen_ai.response.id');
    });

    it('a tool that fails sets ERROR and error.type on its span, without its text unless content is captured', async () => {
      const broken = stubTool('broken', async () => {
        throw new Error('secret-ish detail');
      });
      for (const captureContent of [false, true]) {
        await t?.close();
        spans = recordSpans();
        t = await setupTest({ tools: [broken] });
        t.server.enqueue(toolUseReply([{ name: 'broken', input: {} }, { name: 'missing', input: {} }]), textReply('ok'));
        instrument(t.process, { tracer: spans.tracer, captureContent });
        await t.process.run('break');
        const finished = spans.finished();
        const span = spanNamed(finished, 'execute_tool broken');
        expect(span.attributes['error.type']).to.equal('tool_error');
        expect(span.status.code).to.equal(SpanStatusCode.ERROR);
        expect(span.status.message).to.equal(captureContent ? 'Error in broken: secret-ish detail' : 'the tool returned an error result');
        expect(spanNamed(finished, 'execute_tool missing').attributes['error.type']).to.equal('unknown_tool');
        expect(spanNamed(finished, 'invoke_agent anthropic claude-test').status.code).to.equal(SpanStatusCode.UNSET);
        if (!captureContent) expect(JSON.stringify(finished.map((s) => [s.attributes, s.status]))).not.to.include('secret-ish');
      }
    });
  });

  describe('when a run is aborted', () => {
    it('while a tool ignores its signal: every span ends, the tool and agent spans with ERROR and RunAbortedError', async () => {
      const toolStarted = signalled();
      const stuck = stubTool('stuck', () => {
        toolStarted.resolve();
        return new Promise(() => {});
      });
      t = await setupTest({ tools: [stuck] });
      t.server.enqueue(toolUseReply([{ name: 'stuck', input: {} }]));
      instrument(t.process, { tracer: spans.tracer });
      const controller = new AbortController();
      const running = t.process.run('hang', { signal: controller.signal });
      await toolStarted.promise;
      expect(spans.open(), 'the agent and tool spans are open while the tool runs').to.have.length(2);
      controller.abort();
      await rejectionOf(running);
      expect(spans.open()).to.deep.equal([]);
      const finished = spans.finished();
      expect(spanNamed(finished, 'execute_tool stuck').status.code).to.equal(SpanStatusCode.ERROR);
      const agent = spanNamed(finished, 'invoke_agent anthropic claude-test');
      expect(agent.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'The run was aborted by its signal.' });
      expect(agent.attributes).to.deep.include({ 'error.type': 'RunAbortedError', 'llmproc.run.stop_reason': 'aborted' });
    });

    it('while a spawned child waits for the API: the child’s chat and agent spans end too, as failed', async () => {
      const expert = new LLMProgram({ model: 'claude-expert', displayName: 'Expert' });
      t = await setupTest({ tools: ['spawn'], linkedPrograms: { expert } });
      t.server.enqueue(toolUseReply([{ name: 'spawn', input: { program_name: 'expert', query: 'q' } }]), hang());
      instrument(t.process, { tracer: spans.tracer });
      const controller = new AbortController();
      const childCalling = signalled();
      const childEnded = signalled();
      t.process.on('child:start', ({ process: child }) => {
        child.on('api:start', () => childCalling.resolve());
        child.on('run:end', () => childEnded.resolve());
      });
      const running = t.process.run('ask', { signal: controller.signal });
      await childCalling.promise;
      expect(spans.open().length, 'agent, tool, child agent and child chat').to.equal(4);
      controller.abort();
      await rejectionOf(running);
      await childEnded.promise;
      expect(spans.open()).to.deep.equal([]);
      const finished = spans.finished();
      const childChat = spanNamed(finished, 'chat claude-expert');
      expect(childChat.status.code).to.equal(SpanStatusCode.ERROR);
      expect(childChat.attributes['error.type']).to.equal('RunAbortedError');
      expect(spanNamed(finished, 'invoke_agent Expert').status.code).to.equal(SpanStatusCode.ERROR);
      expect(isChildOf(spanNamed(finished, 'invoke_agent Expert'), spanNamed(finished, 'execute_tool spawn'))).to.equal(true);
    });
  });

  describe('attaching and detaching', () => {
    it('stops tracing when detached (listeners back to where they were), ending the spans of a run still going', async () => {
      const toolStarted = signalled();
      const release = signalled();
      const slow = stubTool('slow', async () => {
        toolStarted.resolve();
        await release.promise;
        return { content: 'late', isError: false };
      });
      t = await setupTest({ tools: [slow] });
      const events = ['run:start', 'api:start', 'api:call', 'response', 'tool:start', 'tool:end', 'child:start', 'run:end'] as const;
      const before = events.map((event) => t!.process.listenerCount(event));
      const detach = instrument(t.process, { tracer: spans.tracer });
      expect(events.map((event) => t!.process.listenerCount(event))).to.deep.equal(before.map((n) => n + 1));
      t.server.enqueue(toolUseReply([{ name: 'slow', input: {} }]), textReply('done'), textReply('again'));
      const running = t.process.run('go');
      await toolStarted.promise;
      detach();
      expect(spans.open()).to.deep.equal([]);
      const cut = spanNamed(spans.finished(), 'execute_tool slow');
      expect(cut.attributes['error.type']).to.equal('unfinished');
      release.resolve();
      await running;
      expect(events.map((event) => t!.process.listenerCount(event))).to.deep.equal(before);
      await t.process.run('more');
      expect(spans.finished()).to.have.length(3);
    });

    it('uses the global tracer provider’s llmproc tracer when none is given', async () => {
      trace.setGlobalTracerProvider(spans.provider);
      try {
        t = await setupTest();
        t.server.enqueue(textReply('hi'));
        const detach = instrument(t.process);
        await t.process.run('hello');
        detach();
      } finally {
        trace.disable();
      }
      // (The Anthropic SDK adds spans of its own, `anthropic.messages.create`, to a global provider.)
      const ours = spans.finished().filter((span) => span.instrumentationScope.name === 'llmproc');
      expect(ours.map((span) => span.name)).to.deep.equal(['chat claude-test', 'invoke_agent anthropic claude-test']);
    });

    it('puts a run under the span active when run() is called', async () => {
      let active: Context = ROOT_CONTEXT;
      const manager: ContextManager = {
        active: () => active,
        with: (ctx, fn, thisArg, ...args) => {
          const saved = active;
          active = ctx;
          try {
            return fn.call(thisArg, ...args);
          } finally {
            active = saved;
          }
        },
        bind: (_ctx, target) => target,
        enable() {
          return this;
        },
        disable() {
          return this;
        },
      };
      context.setGlobalContextManager(manager);
      try {
        t = await setupTest();
        t.server.enqueue(textReply('hi'));
        instrument(t.process, { tracer: spans.tracer });
        const outer = spans.tracer.startSpan('my request');
        await context.with(trace.setSpan(ROOT_CONTEXT, outer), () => t!.process.run('hello'));
        outer.end();
      } finally {
        context.disable();
      }
      expect(spans.tree()).to.deep.equal([
        { name: 'my request', children: [{ name: 'invoke_agent anthropic claude-test', children: [{ name: 'chat claude-test', children: [] }] }] },
      ]);
    });
  });
});

import { expect } from 'chai';
import sinon from 'sinon';
import { ApiCallError, InvalidArgumentError, RunError } from '../../lib/errors.js';
import type { LLMProcessEventName } from '../../lib/process/events.js';
import { checkMessagesRequest, errorReply, textReply, toolUseReply, withoutCaching } from '../../lib/testing/index.js';
import { setupTest, type TestSetup } from '../support/setup.js';
import { echoTool, stubTool } from '../support/tools.js';

const EVENTS: LLMProcessEventName[] = ['run:start', 'run:end', 'api:start', 'api:call', 'response', 'tool:start', 'tool:end', 'child:start', 'callback:error'];

function listenerCounts(t: TestSetup): number[] {
  return EVENTS.map((e) => t.process.listenerCount(e));
}

/** Every request the server got was valid for the API, and so is the history as the next request would send it. */
function expectValidHistory(t: TestSetup): void {
  for (const request of t.server.requests) expect(checkMessagesRequest(withoutCaching(request.body) as never), JSON.stringify(request.body)).to.equal(undefined);
}

describe('LLMProcess', () => {
  let t: TestSetup;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
  });

  describe('when the model answers with text', () => {
    it('sends the system prompt and input, and returns a completed RunResult', async () => {
      t = await setupTest();
      t.server.enqueue(textReply('Hello there!', { usage: { input_tokens: 11, output_tokens: 3 } }));
      const result = await t.process.run('Hello, how are you?');
      expect(t.process.getLastMessage()).to.equal('Hello there!');
      expect(result).to.include({ apiCalls: 1, stopReason: 'end_turn', lastMessage: 'Hello there!', completed: true });
      expect(result.usage).to.deep.equal({ inputTokens: 11, outputTokens: 3, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 });
      expect(result.apiCallInfos[0]).to.include({ model: 'claude-test', stopReason: 'end_turn' });
      expect(result.apiCallInfos[0]!.id).to.match(/^msg_/);
      expect(result.apiCallInfos[0]!.requestId).to.match(/^req_/);
      expect(result.durationMs).to.be.at.least(0);
      expect(result.endTime).to.be.at.least(result.startTime);
      const body = withoutCaching(t.server.requests[0]!.body) as { system: string; messages: unknown[] };
      expect(body.system).to.equal('You are a test.');
      expect(body.messages).to.deep.equal([{ role: 'user', content: [{ type: 'text', text: 'Hello, how are you?' }] }]);
    });

    it('keeps the conversation across runs and exposes a copy of it', async () => {
      t = await setupTest();
      t.server.enqueue(textReply('one'), textReply('two'));
      await t.process.run('first');
      await t.process.run('second');
      const state = t.process.getState();
      expect(state.map((m) => m.role)).to.deep.equal(['user', 'assistant', 'user', 'assistant']);
      state.pop();
      expect(t.process.getState()).to.have.length(4);
      t.process.resetState();
      expect(t.process.getState()).to.deep.equal([]);
      expect(t.process.getLastMessage()).to.equal('');
    });
  });

  describe('its RunResult', () => {
    it('records every call and tool call, before the listeners hear of them, even when a listener removes all listeners mid-run', async () => {
      t = await setupTest({ tools: [echoTool('alpha')] });
      t.server.enqueue(toolUseReply([{ name: 'alpha', input: { value: 'x' } }]), textReply('done'));
      const recordedWhenHeard: number[] = [];
      t.process.on('api:call', () => {
        // The snapshot's run result already holds the call a listener hears of.
        recordedWhenHeard.push(t.process.snapshot().run!.result.apiCalls);
        t.process.removeAllListeners();
      });
      const result = await t.process.run('go');
      expect(recordedWhenHeard).to.deep.equal([1]);
      expect(result.apiCalls).to.equal(2);
      expect(result.toolCalls.map((call) => call.toolName)).to.deep.equal(['alpha']);
      expect(result.usage.inputTokens).to.be.greaterThan(0);
    });
  });

  describe('when the model asks for two tools in one turn', () => {
    it('emits events in order with their payloads, and answers both in one message', async () => {
      t = await setupTest({ tools: [echoTool('alpha'), echoTool('beta')] });
      t.server.enqueue(
        toolUseReply([{ name: 'alpha', input: { value: 'a' }, id: 'toolu_a' }, { name: 'beta', input: { value: 'b' }, id: 'toolu_b' }], { text: 'Using tools.' }),
        textReply('Both done.'),
      );
      const log: string[] = [];
      const spies = Object.fromEntries(EVENTS.map((e) => {
        const spy = sinon.spy((payload: unknown) => log.push(`${e}${(payload as { toolName?: string }).toolName ? ` ${(payload as { toolName: string }).toolName}` : ''}`));
        t.process.on(e, spy as never);
        return [e, spy];
      })) as Record<LLMProcessEventName, sinon.SinonSpy<[any], number>>;

      const result = await t.process.run('use both');

      expect(log).to.deep.equal([
        'run:start', 'api:start', 'api:call', 'response', 'tool:start alpha', 'tool:start beta',
        'tool:end alpha', 'tool:end beta', 'api:start', 'api:call', 'response', 'run:end',
      ]);
      expect(spies['run:start']!.firstCall.args[0]).to.deep.equal({ input: 'use both', runId: spies['run:end']!.firstCall.args[0].runId });
      expect(spies['run:start']!.firstCall.args[0].runId).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(spies['tool:start']!.firstCall.args[0]).to.deep.equal({ toolName: 'alpha', args: { value: 'a' }, toolUseId: 'toolu_a', source: 'function' });
      const end = spies['tool:end']!.secondCall.args[0];
      expect(end).to.deep.include({ toolName: 'beta', args: { value: 'b' }, toolUseId: 'toolu_b', isError: false, result: { content: 'beta:b', isError: false } });
      expect(end.durationMs).to.be.a('number');
      expect(spies['response']!.firstCall.args[0]).to.deep.equal({ content: 'Using tools.' });
      expect(spies['response']!.secondCall.args[0]).to.deep.equal({ content: 'Both done.' });
      expect(spies['run:end']!.firstCall.args[0].runResult).to.equal(result);
      expect(spies['run:end']!.firstCall.args[0].error).to.equal(undefined);
      expect(spies['callback:error']!.called).to.equal(false);

      const second = withoutCaching(t.server.requests[1]!.body) as { messages: Array<{ role: string; content: unknown }> };
      expect(second.messages.at(-1)).to.deep.equal({
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_a', content: [{ type: 'text', text: 'alpha:a' }] },
          { type: 'tool_result', tool_use_id: 'toolu_b', content: [{ type: 'text', text: 'beta:b' }] },
        ],
      });
      expect(result.toolCalls.map((c) => c.toolName)).to.deep.equal(['alpha', 'beta']);
      expectValidHistory(t);
    });

    it('sums usage over apiCallInfos', async () => {
      t = await setupTest({ tools: [echoTool('alpha')] });
      t.server.enqueue(
        toolUseReply([{ name: 'alpha', input: { value: '1' } }], { usage: { input_tokens: 100, output_tokens: 20, cache_read_input_tokens: 7 } }),
        textReply('done', { usage: { input_tokens: 130, output_tokens: 9, cache_creation_input_tokens: 5 } }),
      );
      const result = await t.process.run('go');
      const sum = (key: string): number => result.apiCallInfos.reduce((n, info) => n + Number(info.usage[key] ?? 0), 0);
      expect(result.usage).to.deep.equal({
        inputTokens: sum('input_tokens'),
        outputTokens: sum('output_tokens'),
        cacheReadInputTokens: sum('cache_read_input_tokens'),
        cacheCreationInputTokens: sum('cache_creation_input_tokens'),
      });
      expect(result.usage.inputTokens).to.equal(230);
    });
  });

  describe('when a tool fails', () => {
    it('turns an unknown tool, a throw, a thrown non-Error and an invalid result into is_error results, and the run goes on', async () => {
      t = await setupTest({
        tools: [
          stubTool('thrower', async () => { throw new Error('disk on fire'); }),
          stubTool('stringer', async () => { throw 'just a string'; }),
          stubTool('liar', async () => 42 as never),
        ],
      });
      t.server.enqueue(
        toolUseReply([
          { name: 'nope', input: {}, id: 't1' }, { name: 'thrower', input: {}, id: 't2' },
          { name: 'stringer', input: {}, id: 't3' }, { name: 'liar', input: {}, id: 't4' },
        ]),
        textReply('recovered'),
      );
      const result = await t.process.run('try');
      expect(result.stopReason).to.equal('end_turn');
      expect(result.toolCalls.map((c) => c.isError)).to.deep.equal([true, true, true, true]);
      const results = (withoutCaching(t.server.requests[1]!.body) as { messages: Array<{ content: Array<{ content: Array<{ text: string }>; is_error: boolean }> }> }).messages.at(-1)!.content;
      expect(results.map((r) => r.is_error)).to.deep.equal([true, true, true, true]);
      expect(results[0]!.content[0]!.text).to.equal('Unknown tool "nope". Available tools: thrower, stringer, liar.');
      expect(results[1]!.content[0]!.text).to.equal('Error in thrower: disk on fire');
      expect(results[2]!.content[0]!.text).to.equal('Error in stringer: just a string');
      expect(results[3]!.content[0]!.text).to.match(/returned an invalid result/);
      expect(result.toolCalls[0]!.source).to.equal('unknown');
      expectValidHistory(t);
    });
  });

  describe('callbacks', () => {
    it('are called with the spec signatures and detached after a success', async () => {
      t = await setupTest({ tools: [echoTool('alpha')] });
      t.server.enqueue(toolUseReply([{ name: 'alpha', input: { value: 'x' } }], { text: 'Calling alpha.' }), textReply('Finished.'));
      const before = listenerCounts(t);
      const callbacks = { on_tool_start: sinon.spy(), on_tool_end: sinon.spy(), on_response: sinon.spy() };
      await t.process.run('go', { callbacks });
      expect(callbacks.on_tool_start.calledOnceWithExactly('alpha', { value: 'x' })).to.equal(true);
      expect(callbacks.on_tool_end.calledOnceWithExactly('alpha', { content: 'alpha:x', isError: false })).to.equal(true);
      expect(callbacks.on_response.args).to.deep.equal([['Calling alpha.'], ['Finished.']]);
      expect(listenerCounts(t)).to.deep.equal(before);
    });

    it('are detached after a failure too', async () => {
      t = await setupTest();
      t.server.enqueue(errorReply(400, { message: 'bad request' }));
      const before = listenerCounts(t);
      await t.process.run('go', { callbacks: { onResponse: () => {}, onToolStart: () => {} } }).catch(() => {});
      expect(listenerCounts(t)).to.deep.equal(before);
    });

    it('a callback that throws, rejects or throws a non-Error is reported and does not break the run', async () => {
      t = await setupTest({ tools: [echoTool('alpha')] });
      t.server.enqueue(toolUseReply([{ name: 'alpha', input: { value: 'x' } }]), textReply('still fine'));
      const reported = sinon.spy();
      t.process.on('callback:error', reported);
      const result = await t.process.run('go', {
        callbacks: {
          on_tool_start: () => { throw new Error('start broke'); },
          on_tool_end: async () => { throw new Error('end rejected'); },
          on_response: () => { throw 'not an error'; },
        },
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(result.stopReason).to.equal('end_turn');
      expect(t.process.getLastMessage()).to.equal('still fine');
      const byCallback = Object.fromEntries(reported.args.map(([e]) => [e.callback, e]));
      expect(byCallback['on_tool_start']).to.deep.include({ event: 'tool:start' });
      expect((byCallback['on_tool_start'].error as Error).message).to.equal('start broke');
      expect((byCallback['on_tool_end'].error as Error).message).to.equal('end rejected');
      expect(byCallback['on_response'].error).to.equal('not an error');
      expect(result.toolCalls).to.have.length(1);
    });

    it('refuses an unknown callback key before anything is sent', async () => {
      t = await setupTest();
      const error = await t.process.run('go', { callbacks: { on_tool_begin: () => {} } as never }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(InvalidArgumentError).with.property('argument', 'callbacks.on_tool_begin');
      expect((error as Error).message).to.match(/valid keys: on_tool_start, on_tool_end, on_response/);
      expect(t.server.requests).to.have.length(0);
    });
  });

  describe('when the API fails', () => {
    it('a 529 followed by success (the SDK retries) gives one api:call', async () => {
      t = await setupTest({}, { maxRetries: 2 });
      t.server.enqueue(errorReply(529, { retryAfter: 0 }), textReply('after overload'));
      const apiCall = sinon.spy();
      t.process.on('api:call', apiCall);
      const result = await t.process.run('hi');
      expect(apiCall.callCount).to.equal(1);
      expect(result.apiCalls).to.equal(1);
      expect(t.server.requests).to.have.length(2);
    });

    it('rejects with ApiCallError carrying the SDK error as cause and the completed partial RunResult', async () => {
      t = await setupTest({ tools: [echoTool('alpha')] });
      t.server.enqueue(toolUseReply([{ name: 'alpha', input: { value: 'x' } }]), errorReply(500, { message: 'kaput' }));
      const runEnd = sinon.spy();
      t.process.on('run:end', runEnd);
      const error = (await t.process.run('go').catch((e: unknown) => e)) as ApiCallError;
      expect(error).to.be.instanceOf(ApiCallError).and.instanceOf(RunError);
      expect(error.name).to.equal('ApiCallError');
      expect(error.status).to.equal(500);
      expect(error.requestId).to.match(/^req_/);
      expect(error.message).to.match(/500.*kaput/);
      expect((error.cause as { status: number }).status).to.equal(500);
      expect(error.runResult).to.include({ apiCalls: 1, stopReason: 'error', completed: true });
      expect(error.runResult.toolCalls).to.have.length(1);
      expect(runEnd.calledOnce).to.equal(true);
      expect(runEnd.firstCall.args[0]).to.deep.include({ runResult: error.runResult, error });
      expect(error.message + String(error.stack)).not.to.include('sk-ant-sentinel');
    });

    it('a failed first run has no last message: the prompt is not an answer', async () => {
      t = await setupTest();
      t.server.enqueue(errorReply(500, { message: 'kaput' }));
      const error = (await t.process.run('my own prompt').catch((e: unknown) => e)) as ApiCallError;
      expect(error.runResult.lastMessage).to.equal('');
      expect(t.process.getLastMessage()).to.equal('');
      t.server.enqueue(textReply('an answer'), errorReply(500));
      await t.process.run('second');
      const later = (await t.process.run('third, which fails').catch((e: unknown) => e)) as ApiCallError;
      expect(later.runResult.lastMessage, 'the last answer, not the failed prompt').to.equal('an answer');
      expect(t.process.getLastMessage()).to.equal('an answer');
    });

    it('leaves a conversation the next run can continue', async () => {
      t = await setupTest();
      t.server.enqueue(errorReply(400, { message: 'nope' }), textReply('ok now'));
      await t.process.run('first').catch(() => {});
      await t.process.run('second');
      expect(t.process.getLastMessage()).to.equal('ok now');
      const body = withoutCaching(t.server.requests[1]!.body) as { messages: unknown[] };
      expect(body.messages).to.deep.equal([{ role: 'user', content: [{ type: 'text', text: 'first' }, { type: 'text', text: 'second' }] }]);
      expectValidHistory(t);
    });
  });

  describe('stop reasons and limits', () => {
    it('maxIterations ends the run with a history the next run can use', async () => {
      t = await setupTest({ tools: [echoTool('alpha')] });
      t.server.enqueue(
        toolUseReply([{ name: 'alpha', input: { value: '1' } }]),
        toolUseReply([{ name: 'alpha', input: { value: '2' } }]),
        textReply('next run answer'),
      );
      const result = await t.process.run('loop', { maxIterations: 2 });
      expect(result).to.include({ stopReason: 'max_iterations', apiCalls: 2 });
      expect(result.toolCalls).to.have.length(2);
      await t.process.run('and now?');
      expect(t.process.getLastMessage()).to.equal('next run answer');
      expectValidHistory(t);
    });

    it('max_tokens with a trailing tool_use does not run the truncated call', async () => {
      const run = sinon.spy(async () => ({ content: 'x', isError: false }));
      t = await setupTest({ tools: [stubTool('alpha', run)] });
      t.server.enqueue(toolUseReply([{ name: 'alpha', input: {} }], { text: 'Partial', stopReason: 'max_tokens' }), textReply('fine'));
      const result = await t.process.run('go');
      expect(result.stopReason).to.equal('max_tokens');
      expect(run.called).to.equal(false);
      expect(t.process.getState().at(-1)).to.deep.equal({ role: 'assistant', content: [{ type: 'text', text: 'Partial' }] });
      await t.process.run('continue');
      expectValidHistory(t);
    });

    it('pause_turn continues, refusal stops and is reported', async () => {
      t = await setupTest();
      t.server.enqueue(textReply('thinking...', { stopReason: 'pause_turn' }), textReply('I cannot help with that.', { stopReason: 'refusal' }));
      const result = await t.process.run('go');
      expect(result).to.include({ apiCalls: 2, stopReason: 'refusal', lastMessage: 'I cannot help with that.' });
    });

    it('fires response only for turns that have text, never with empty content', async () => {
      t = await setupTest({ tools: [echoTool('alpha')] });
      t.server.enqueue(
        toolUseReply([{ name: 'alpha', input: { value: '1' } }]),
        toolUseReply([{ name: 'alpha', input: { value: '2' } }], { text: '' }),
        textReply('the answer'),
      );
      const response = sinon.spy();
      const onResponse = sinon.spy();
      t.process.on('response', response);
      await t.process.run('go', { callbacks: { on_response: onResponse } });
      expect(response.getCalls().map((call) => call.args[0])).to.deep.equal([{ content: 'the answer' }]);
      expect(onResponse.getCalls().map((call) => call.args)).to.deep.equal([['the answer']]);
    });

    it('an empty response ends the run without leaving an empty message', async () => {
      t = await setupTest();
      t.server.enqueue(textReply(''), textReply('second'));
      const result = await t.process.run('go');
      expect(result.stopReason).to.equal('end_turn');
      expect(t.process.getState()).to.have.length(1);
      await t.process.run('again');
      expectValidHistory(t);
    });
  });

  describe('input checks', () => {
    it('refuses an empty prompt and bad options', async () => {
      t = await setupTest();
      expect(await t.process.run('  ').catch((e: unknown) => e)).to.be.instanceOf(InvalidArgumentError);
      const empty = await t.process.run('').catch((e: unknown) => e);
      expect(empty).to.be.instanceOf(InvalidArgumentError).with.property('argument', 'input');
      const bad = await t.process.run('x', { maxIterations: 0 }).catch((e: unknown) => e);
      expect(bad).to.be.instanceOf(InvalidArgumentError).with.property('argument', 'options.maxIterations');
      const unknown = await t.process.run('x', { maxIteration: 3 } as never).catch((e: unknown) => e);
      expect((unknown as Error).message).to.match(/options\.maxIteration: unknown option; did you mean maxIterations\? expected one of: callbacks, /);
      expect(t.server.requests).to.have.length(0);
    });
  });
});

/**
 * An OpenAI program's model/tool loop, end to end: the real `openai` SDK over HTTP against the fake
 * OpenAI server, with the same events and RunResult as on Anthropic.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import type { LLMProcess } from '../../../lib/process/llm-process.js';
import type { RunResult } from '../../../lib/results/run-result.js';
import { chatReply, textReply, toolCallsReply, toolUseReply } from '../../../lib/testing/index.js';
import { setupTest, type TestSetup } from '../../support/setup.js';
import { echoTool, stubTool } from '../../support/tools.js';
import { signalled } from '../../support/promises.js';
import { expectValidOpenAIRequests, type OpenAITestSetup, setupOpenAITest } from './support.js';

describe('an OpenAI program runs the tool loop', () => {
  let t: OpenAITestSetup | undefined;
  let anthropic: TestSetup | undefined;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
    await anthropic?.close();
    t = undefined;
    anthropic = undefined;
  });

  it('runs parallel tool calls and sends every result as a tool message, in the order of the calls (R5)', async () => {
    const slowStarted = signalled();
    const release = signalled();
    // The first call finishes last: its result must still come first.
    const slow = stubTool('slow', async (input) => {
      slowStarted.resolve();
      await release.promise;
      return { content: `slow:${String(input['value'])}`, isError: false };
    });
    const fast = stubTool('fast', async (input) => {
      await slowStarted.promise;
      release.resolve();
      return { content: `fast:${String(input['value'])}`, isError: false };
    });
    t = await setupOpenAITest({ tools: [slow, fast] });
    t.server.enqueue(
      toolCallsReply(
        [
          { name: 'slow', arguments: { value: 'a' }, id: 'call_slow' },
          { name: 'fast', arguments: { value: 'b' }, id: 'call_fast' },
        ],
        { text: 'Running both.' },
      ),
      chatReply('Both done.'),
    );
    const toolEnd = sinon.spy();
    t.process.on('tool:end', toolEnd);
    const result = await t.process.run('go');
    expect(t.process.getLastMessage()).to.equal('Both done.');
    expect(toolEnd.getCalls().map((call) => call.args[0].toolUseId)).to.deep.equal(['call_fast', 'call_slow']);
    const second = t.bodies()[1]!;
    expect(second.messages.slice(-3)).to.deep.equal([
      {
        role: 'assistant',
        content: 'Running both.',
        tool_calls: [
          { id: 'call_slow', type: 'function', function: { name: 'slow', arguments: '{"value":"a"}' } },
          { id: 'call_fast', type: 'function', function: { name: 'fast', arguments: '{"value":"b"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_slow', content: 'slow:a' },
      { role: 'tool', tool_call_id: 'call_fast', content: 'fast:b' },
    ]);
    expect(result.toolCalls.map((call) => [call.toolName, call.toolUseId, call.isError])).to.deep.equal([
      ['fast', 'call_fast', false],
      ['slow', 'call_slow', false],
    ]);
    expectValidOpenAIRequests(t.server);
  });

  it('sends the system prompt, the tools as function tools and the parameters', async () => {
    t = await setupOpenAITest({ tools: [echoTool('alpha'), 'calculator'], parameters: { maxTokens: 321, temperature: 0.2, topP: 0.8, stopSequences: ['END'], frequencyPenalty: 0.5, presencePenalty: 0.25 } });
    t.server.enqueue(chatReply('ok'));
    await t.process.run('hello');
    const body = t.bodies()[0]!;
    expect(body.messages).to.deep.equal([
      { role: 'system', content: 'You are a test.' },
      { role: 'user', content: 'hello' },
    ]);
    expect(body.tools!.map((tool) => tool.function.name)).to.deep.equal(['calculator', 'alpha']);
    expect(body).to.deep.include({ max_completion_tokens: 321, temperature: 0.2, top_p: 0.8, stop: ['END'], frequency_penalty: 0.5, presence_penalty: 0.25 });
    expect(body).not.to.have.any.keys('stream', 'stream_options', 'top_k', 'max_tokens');
  });

  it('malformed tool arguments: the tool is not run, the model gets an error tool message, the run goes on', async () => {
    const run = sinon.spy(async () => ({ content: 'ran', isError: false }));
    t = await setupOpenAITest({ tools: [stubTool('alpha', run), echoTool('beta')] });
    t.server.enqueue(
      toolCallsReply([
        { name: 'alpha', arguments: '{"value": "unterminated', id: 'call_bad' },
        { name: 'beta', arguments: { value: 'fine' }, id: 'call_ok' },
      ]),
      chatReply('I will retry with valid JSON.'),
    );
    const toolEnd = sinon.spy();
    t.process.on('tool:end', toolEnd);
    const result = await t.process.run('go');
    expect(run.called, 'the tool with unreadable arguments never runs').to.equal(false);
    expect(t.process.getLastMessage()).to.equal('I will retry with valid JSON.');
    const [bad, ok] = t.bodies()[1]!.messages.slice(-2);
    expect(bad).to.include({ role: 'tool', tool_call_id: 'call_bad' });
    expect(bad!.content).to.match(/^Error: The arguments of this call to "alpha" could not be read, so it was not run: the arguments are cut off/);
    expect(ok).to.deep.equal({ role: 'tool', tool_call_id: 'call_ok', content: 'beta:fine' });
    // The assistant turn is sent back with arguments the API accepts.
    expect(t.bodies()[1]!.messages.at(-3)!.tool_calls![0]!.function.arguments).to.equal('{}');
    expect(result.toolCalls.find((call) => call.toolUseId === 'call_bad')).to.deep.include({ isError: true, args: {} });
    expect(toolEnd.getCalls().find((call) => call.args[0].toolUseId === 'call_bad')!.args[0].isError).to.equal(true);
    expectValidOpenAIRequests(t.server);
  });

  it('an unknown tool and a throwing tool become error tool messages too', async () => {
    t = await setupOpenAITest({ tools: [stubTool('boom', async () => { throw new Error('kaput'); })] });
    t.server.enqueue(toolCallsReply([{ name: 'nope', arguments: {} }, { name: 'boom', arguments: {} }]), chatReply('ok'));
    await t.process.run('go');
    const [unknown, boom] = t.bodies()[1]!.messages.slice(-2);
    expect(unknown!.content).to.equal('Error: Unknown tool "nope". Available tools: boom.');
    expect(boom!.content).to.equal('Error in boom: kaput');
    expectValidOpenAIRequests(t.server);
  });

  it("finish_reason length with a tool call does not run the cut-off call (R7)", async () => {
    const run = sinon.spy(async () => ({ content: 'ran', isError: false }));
    t = await setupOpenAITest({ tools: [stubTool('alpha', run)] });
    t.server.enqueue(toolCallsReply([{ name: 'alpha', arguments: '{"value": "x' }], { text: 'Let me', finishReason: 'length' }));
    const result = await t.process.run('go');
    expect(result.stopReason).to.equal('max_tokens');
    expect(run.called).to.equal(false);
    t.server.enqueue(chatReply('next'));
    await t.process.run('again');
    expectValidOpenAIRequests(t.server);
  });

  describe('RunResult and events, exactly as on Anthropic', () => {
    /** Runs one script (a tool call, then an answer) and records what the process said. */
    async function record(process: LLMProcess): Promise<{ result: RunResult; events: string[] }> {
      const events: string[] = [];
      for (const name of ['run:start', 'api:start', 'api:call', 'response', 'tool:start', 'tool:end', 'run:end'] as const) {
        process.on(name, () => void events.push(name));
      }
      const result = await process.run('Use alpha.');
      return { result, events };
    }

    /** A RunResult without what differs by nature between two runs: ids, times, the raw usage. */
    function comparable(result: RunResult): unknown {
      const json = result.toJSON();
      return {
        apiCalls: json.apiCalls,
        calls: json.apiCallInfos.map((call) => ({ tokens: call.tokens, stopReason: call.stopReason, hasRequestId: typeof call.requestId === 'string' })),
        toolCalls: json.toolCalls.map(({ toolName, args, isError, source }) => ({ toolName, args, isError, source })),
        usage: json.usage,
        stopReason: json.stopReason,
        lastMessage: json.lastMessage,
      };
    }

    it('the same script gives the same event sequence and the same RunResult on both providers', async () => {
      t = await setupOpenAITest({ model: 'gpt-4o-mini', tools: [echoTool('alpha')] });
      t.server.enqueue(
        toolCallsReply([{ name: 'alpha', arguments: { value: 'v' } }], { text: 'Calling.', usage: { prompt_tokens: 120, cached_tokens: 20, completion_tokens: 10 } }),
        chatReply('Done.', { usage: { prompt_tokens: 140, completion_tokens: 4 } }),
      );
      anthropic = await setupTest({ model: 'claude-haiku-4-5', tools: [echoTool('alpha')] });
      anthropic.server.enqueue(
        toolUseReply([{ name: 'alpha', input: { value: 'v' } }], { text: 'Calling.', usage: { input_tokens: 100, cache_read_input_tokens: 20, output_tokens: 10 } }),
        textReply('Done.', { usage: { input_tokens: 140, output_tokens: 4 } }),
      );
      const openai = await record(t.process);
      const claude = await record(anthropic.process);
      expect(openai.events).to.deep.equal(claude.events);
      expect(openai.events).to.deep.equal(['run:start', 'api:start', 'api:call', 'response', 'tool:start', 'tool:end', 'api:start', 'api:call', 'response', 'run:end']);
      expect(comparable(openai.result)).to.deep.equal(comparable(claude.result));
      expect(openai.result.apiCallInfos.map((call) => call.model)).to.deep.equal(['gpt-4o-mini', 'gpt-4o-mini']);
      expect(openai.result.apiCallInfos[0]!.usage).to.deep.include({ prompt_tokens: 120, completion_tokens: 10 });
      expect(openai.result.apiCallInfos[0]!.requestId).to.equal('req_fake_1');
      expect(openai.result.apiCallInfos[0]!.id).to.equal('chatcmpl_fake_1');
    });

    it('api:call carries the model, raw usage, normalized tokens, stop reason, request id and cost', async () => {
      t = await setupOpenAITest({ model: 'gpt-4o-mini' });
      t.server.enqueue(chatReply('hi', { model: 'gpt-4o-mini-2024-07-18', usage: { prompt_tokens: 1_000_000, cached_tokens: 400_000, completion_tokens: 1_000_000 } }));
      const apiCall = sinon.spy();
      t.process.on('api:call', apiCall);
      await t.process.run('hi');
      expect(apiCall.callCount).to.equal(1);
      const event = apiCall.firstCall.args[0];
      expect(event).to.deep.include({ model: 'gpt-4o-mini-2024-07-18', stopReason: 'end_turn', requestId: 'req_fake_1', id: 'chatcmpl_fake_1', timeToFirstTokenMs: undefined });
      expect(event.tokens).to.deep.equal({ inputTokens: 600_000, outputTokens: 1_000_000, cacheReadInputTokens: 400_000, cacheCreationInputTokens: 0 });
      expect(event.usage).to.deep.include({ prompt_tokens: 1_000_000, completion_tokens: 1_000_000 });
      // gpt-4o-mini: $0.15 in, $0.075 cached, $0.60 out per million tokens.
      expect(event.costUsd).to.be.closeTo(0.6 * 0.15 + 0.4 * 0.075 + 0.6, 1e-9);
    });
  });
});

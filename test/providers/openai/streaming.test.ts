/** Streamed OpenAI calls: text events as the chunks arrive, time to first token, counted usage, and breaks midway. */
import { expect } from 'chai';
import sinon from 'sinon';
import { ApiCallError } from '../../../lib/errors.js';
import { chatReply, streamDrop, streamError, toolCallsReply } from '../../../lib/testing/index.js';
import { rejectionOf } from '../../support/promises.js';
import { echoTool } from '../../support/tools.js';
import { expectValidOpenAIRequests, type OpenAITestSetup, setupOpenAITest } from './support.js';

describe('an OpenAI program streams', () => {
  let t: OpenAITestSetup | undefined;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
    t = undefined;
  });

  it('text events as chunks arrive, timeToFirstTokenMs, and the usage of the include_usage chunk', async () => {
    t = await setupOpenAITest({ model: 'gpt-4o-mini' });
    t.server.enqueue(chatReply('Streaming works fine.', { usage: { prompt_tokens: 50, cached_tokens: 10, completion_tokens: 6 } }));
    const text = sinon.spy();
    const apiCall = sinon.spy();
    t.process.on('text', text);
    t.process.on('api:call', apiCall);
    const result = await t.process.run('stream please', { stream: true });
    expect(text.getCalls().map((call) => call.args[0])).to.deep.equal([
      { delta: 'Streaming ', snapshot: 'Streaming ' },
      { delta: 'works ', snapshot: 'Streaming works ' },
      { delta: 'fine.', snapshot: 'Streaming works fine.' },
    ]);
    expect(t.process.getLastMessage()).to.equal('Streaming works fine.');
    const event = apiCall.firstCall.args[0];
    expect(event.timeToFirstTokenMs).to.be.a('number').and.be.at.least(0);
    expect(event.timeToFirstTokenMs).to.be.at.most(event.durationMs);
    expect(event.requestId).to.equal('req_fake_1');
    expect(event.tokens).to.deep.equal({ inputTokens: 40, outputTokens: 6, cacheReadInputTokens: 10, cacheCreationInputTokens: 0 });
    expect(result.usage).to.deep.equal({ inputTokens: 40, outputTokens: 6, cacheReadInputTokens: 10, cacheCreationInputTokens: 0 });
    expect(result.costUsd).to.be.closeTo((40 * 0.15 + 10 * 0.075 + 6 * 0.6) / 1e6, 1e-15);
    expect(t.bodies()[0]).to.deep.include({ stream: true, stream_options: { include_usage: true } });
  });

  it('streamed tool calls are assembled by the SDK and run; [run] stream = true is the default', async () => {
    t = await setupOpenAITest({ tools: [echoTool('alpha')], run: { stream: true } });
    t.server.enqueue(
      toolCallsReply([
        { name: 'alpha', arguments: { value: 'one long argument that spans several chunks' }, id: 'call_1' },
        { name: 'alpha', arguments: { value: 'two' }, id: 'call_2' },
      ]),
      chatReply('done'),
    );
    const result = await t.process.run('go');
    expect(result.toolCalls.map((call) => call.args)).to.deep.equal([{ value: 'one long argument that spans several chunks' }, { value: 'two' }]);
    expect(t.bodies()[1]!.messages.slice(-2).map((message) => message.content)).to.deep.equal(['alpha:one long argument that spans several chunks', 'alpha:two']);
    expect(result.apiCallInfos[0]!.timeToFirstTokenMs).to.be.a('number');
    expect(t.bodies().every((body) => body.stream === true)).to.equal(true);
    expectValidOpenAIRequests(t.server);
  });

  it('R3: an error event midway rejects with ApiCallError and leaves no partial turn', async () => {
    t = await setupOpenAITest();
    t.server.enqueue(chatReply('first answer'));
    await t.process.run('one', { stream: true });
    const before = t.process.getState();
    t.server.enqueue(streamError(chatReply('a partial answer that breaks'), { afterEvents: 3, type: 'server_error', message: 'The server had an error while processing your request.' }));
    const text = sinon.spy();
    t.process.on('text', text);
    const error = (await rejectionOf(t.process.run('two', { stream: true }))) as ApiCallError;
    expect(text.called, 'some text streamed before the error').to.equal(true);
    expect(error).to.be.instanceOf(ApiCallError);
    expect(error.message).to.equal('The OpenAI-compatible server at ' + t.server.baseURL + ' sent an error mid-stream (server_error): The server had an error while processing your request. [request req_fake_2]');
    const { APIError } = await import('openai');
    expect(error.cause).to.be.instanceOf(APIError);
    expect(error.runResult).to.include({ apiCalls: 0, stopReason: 'error' });
    const state = t.process.getState();
    expect(state.slice(0, before.length)).to.deep.equal(before);
    expect(state.slice(before.length).every((message) => message.role === 'user'), 'no assistant turn was kept').to.equal(true);
    t.server.enqueue(chatReply('recovered'));
    await t.process.run('three', { stream: true });
    expect(t.process.getLastMessage()).to.equal('recovered');
    expectValidOpenAIRequests(t.server);
  });

  it('R3: a connection dropped midway rejects with ApiCallError and the next run starts from a valid history', async () => {
    t = await setupOpenAITest();
    t.server.enqueue(streamDrop(chatReply('cut short by a dropped connection'), { afterEvents: 2 }));
    const error = (await rejectionOf(t.process.run('go', { stream: true }))) as ApiCallError;
    expect(error).to.be.instanceOf(ApiCallError);
    expect(t.process.getState().every((message) => message.role === 'user')).to.equal(true);
    t.server.enqueue(chatReply('recovered'));
    await t.process.run('again', { stream: true });
    expect(t.process.getLastMessage()).to.equal('recovered');
    expectValidOpenAIRequests(t.server);
  });
});

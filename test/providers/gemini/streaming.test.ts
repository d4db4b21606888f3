/** Streaming a Gemini program's answer: `text` events as chunks arrive, the joined turn, and usage billed for a stream that breaks off. */
import { expect } from 'chai';
import sinon from 'sinon';
import { ApiCallError } from '../../../lib/errors.js';
import { functionCallsReply, geminiResponseReply, geminiTextReply, streamError } from '../../../lib/testing/index.js';
import { rejectionOf } from '../../support/promises.js';
import { echoTool } from '../../support/tools.js';
import { expectValidGeminiRequests, type GeminiTestSetup, setupGeminiTest } from './support.js';

describe('streaming a Gemini run', () => {
  let t: GeminiTestSetup | undefined;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
    t = undefined;
  });

  it('emits text events with the text so far, on :streamGenerateContent?alt=sse, and keeps one joined text part', async () => {
    t = await setupGeminiTest();
    t.server.enqueue(geminiTextReply('Hello there, streaming world.', { usage: { promptTokenCount: 12, candidatesTokenCount: 6 } }));
    const text = sinon.spy();
    t.process.on('text', text);
    const result = await t.process.run('hi', { stream: true });
    const deltas = text.getCalls().map((call) => call.args[0].delta as string);
    expect(deltas.length).to.be.greaterThan(1);
    expect(deltas.join('')).to.equal('Hello there, streaming world.');
    expect(text.lastCall.args[0].snapshot).to.equal('Hello there, streaming world.');
    expect(t.server.requests[0]!.path).to.equal('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(t.process.getLastMessage()).to.equal('Hello there, streaming world.');
    expect(result.usage).to.deep.include({ inputTokens: 12, outputTokens: 6 });
    expect(result.apiCallInfos[0]!.timeToFirstTokenMs).to.be.a('number');
  });

  it('streams a turn of text and parallel function calls, and the next request holds them as one model turn', async () => {
    t = await setupGeminiTest({ tools: [echoTool('alpha'), echoTool('beta')] });
    t.server.enqueue(
      functionCallsReply([{ name: 'alpha', args: { value: '1' } }, { name: 'beta', args: { value: '2' } }], { text: 'Calling two tools now.', thoughtSignature: 'c2ln' }),
      geminiTextReply('done'),
    );
    await t.process.run('go', { stream: true });
    const model = t.bodies()[1]!.contents[1]!;
    expect(model).to.deep.equal({
      role: 'model',
      parts: [{ text: 'Calling two tools now.', thoughtSignature: 'c2ln' }, { functionCall: { name: 'alpha', args: { value: '1' } } }, { functionCall: { name: 'beta', args: { value: '2' } } }],
    });
    expect(t.bodies()[1]!.contents[2]!.parts.map((part) => part.functionResponse?.name)).to.deep.equal(['alpha', 'beta']);
    expectValidGeminiRequests(t.server);
  });

  it('a stream that ends with an error chunk rejects naming Gemini, and the call is billed with the usage seen so far', async () => {
    t = await setupGeminiTest();
    t.server.enqueue(streamError(geminiTextReply('one two three four', { usage: { promptTokenCount: 40 } }), { afterEvents: 2, type: 'UNAVAILABLE', message: 'The model is overloaded.' }));
    const apiCall = sinon.spy();
    t.process.on('api:call', apiCall);
    const error = (await rejectionOf(t.process.run('go', { stream: true }))) as ApiCallError;
    expect(error).to.be.instanceOf(ApiCallError);
    expect(error.message).to.equal('The Gemini API at ' + t.server.url + ' sent an error mid-stream, status 503 (UNAVAILABLE): The model is overloaded.');
    expect(apiCall.callCount).to.equal(1);
    expect(apiCall.firstCall.args[0].tokens).to.deep.include({ inputTokens: 40 });
    expect(error.runResult.usage.inputTokens).to.equal(40);
  });

  it('a streamed answer with no parts at all ends the run with its finish reason', async () => {
    t = await setupGeminiTest();
    t.server.enqueue(geminiResponseReply({ parts: [], finishReason: 'SAFETY' }));
    const result = await t.process.run('go', { stream: true });
    expect(result.stopReason).to.equal('refusal');
    expect(t.process.getLastMessage()).to.equal('');
  });
});

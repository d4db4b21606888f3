/** Cancelling an OpenAI program's run: mid-request, mid-stream, and while the SDK waits before a retry (R2, R4). */
import { expect } from 'chai';
import sinon from 'sinon';
import { RunAbortedError } from '../../../lib/errors.js';
import { LLMProgram } from '../../../lib/program/llm-program.js';
import { chatReply, type FakeOpenAIServer, hang, openAIErrorReply, startFakeOpenAI, streamHang, toolCallsReply } from '../../../lib/testing/index.js';
import { rejectionOf, signalled } from '../../support/promises.js';
import { echoTool } from '../../support/tools.js';
import { expectValidOpenAIRequests, OPENAI_SENTINEL_API_KEY, type OpenAITestSetup, setupOpenAITest } from './support.js';

describe('cancelling an OpenAI run', () => {
  let t: OpenAITestSetup | undefined;
  let server: FakeOpenAIServer | undefined;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
    await server?.close();
    t = undefined;
    server = undefined;
  });

  it('an abort during a request rejects with RunAbortedError, the partial RunResult and a valid conversation', async () => {
    t = await setupOpenAITest({ tools: [echoTool('alpha')] });
    const controller = new AbortController();
    t.server.enqueue(toolCallsReply([{ name: 'alpha', arguments: { value: '1' } }]));
    t.server.respondWith(() => {
      controller.abort();
      return hang();
    });
    const apiCall = sinon.spy();
    t.process.on('api:call', apiCall);
    const error = (await rejectionOf(t.process.run('go', { signal: controller.signal }))) as RunAbortedError;
    expect(error).to.be.instanceOf(RunAbortedError).with.property('reason', 'aborted');
    expect(error.runResult).to.include({ stopReason: 'aborted', apiCalls: 1, completed: true });
    expect(apiCall.callCount).to.equal(1);
    t.server.respondWith(() => chatReply('fresh start'));
    await t.process.run('again');
    expect(t.process.getLastMessage()).to.equal('fresh start');
    expectValidOpenAIRequests(t.server);
  });

  it('R4: an abort midway through a stream rejects, and no partial turn is kept', async () => {
    t = await setupOpenAITest();
    t.server.enqueue(streamHang(chatReply('words that never finish arriving'), { afterEvents: 3 }));
    const controller = new AbortController();
    const text = sinon.spy(() => controller.abort());
    t.process.on('text', text);
    const error = (await rejectionOf(t.process.run('go', { stream: true, signal: controller.signal }))) as RunAbortedError;
    expect(text.called).to.equal(true);
    expect(error).to.be.instanceOf(RunAbortedError);
    expect(error.runResult).to.include({ stopReason: 'aborted', apiCalls: 0 });
    expect(t.process.getState().map((message) => message.role)).to.deep.equal(['user']);
    t.process.off('text', text);
    t.server.enqueue(chatReply('done'));
    await t.process.run('again', { stream: true });
    expect(t.process.getLastMessage()).to.equal('done');
    expectValidOpenAIRequests(t.server);
  });

  it('R2: an abort while the SDK waits before a retry (retry-after: 1 hour) rejects without waiting for it', async () => {
    server = await startFakeOpenAI();
    const controller = new AbortController();
    const { default: OpenAI } = await import('openai');
    // Abort once the 429 has reached the SDK, so the abort lands in its retry sleep.
    const client = new OpenAI({
      apiKey: OPENAI_SENTINEL_API_KEY,
      baseURL: server.baseURL,
      maxRetries: 3,
      fetch: async (url: string | URL | Request, init?: RequestInit) => {
        const response = await fetch(url, init);
        if (response.status === 429) controller.abort();
        return response;
      },
    });
    server.respondWith(() => openAIErrorReply(429, { retryAfter: 3600 }));
    const process = await new LLMProgram({ model: 'gpt-4o-mini', provider: 'openai' }).start({ client });
    const error = (await rejectionOf(process.run('go', { signal: controller.signal }))) as RunAbortedError;
    expect(error).to.be.instanceOf(RunAbortedError);
    expect(error.runResult).to.include({ stopReason: 'aborted', apiCalls: 0 });
    expect(server.requests).to.have.length(1);
  });

  it('timeoutMs ends a run whose streamed request never answers, with stopReason timeout', async () => {
    t = await setupOpenAITest();
    const arrived = signalled();
    t.server.respondWith(() => {
      arrived.resolve();
      return hang();
    });
    const error = (await rejectionOf(t.process.run('go', { stream: true, timeoutMs: 50 }))) as RunAbortedError;
    await arrived.promise;
    expect(error).to.be.instanceOf(RunAbortedError).with.property('reason', 'timeout');
    expect(error.runResult.stopReason).to.equal('timeout');
  });
});

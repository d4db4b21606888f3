import Anthropic from '@anthropic-ai/sdk';
import { expect } from 'chai';
import { LLMProgram } from '../../lib/program/llm-program.js';
import sinon from 'sinon';
import { RunAbortedError, RunInProgressError } from '../../lib/errors.js';
import { errorReply, hang, startFakeAnthropic, textReply, toolUseReply } from '../../lib/testing/index.js';
import { expectValidRequests, SENTINEL_API_KEY, setupTest, signalled, type TestSetup } from '../support/setup.js';
import { echoTool, stubTool } from '../support/tools.js';

describe('LLMProcess cancellation', () => {
  let t: TestSetup;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
  });

  /** Aborts as soon as the fake server has received `count` requests. */
  function abortOnRequest(count: number, controller: AbortController): void {
    t.server.respondWith(() => {
      if (t.server.requests.length >= count) controller.abort();
      return hang();
    });
  }

  it('an abort during a request rejects with the partial RunResult and a valid conversation', async () => {
    t = await setupTest({ tools: [echoTool('alpha')] });
    const controller = new AbortController();
    t.server.enqueue(toolUseReply([{ name: 'alpha', input: { value: '1' } }]));
    abortOnRequest(2, controller);
    const apiCall = sinon.spy();
    const response = sinon.spy();
    t.process.on('api:call', apiCall);
    const error = (await t.process.run('go', { signal: controller.signal }).catch((e: unknown) => e)) as RunAbortedError;
    expect(error).to.be.instanceOf(RunAbortedError);
    expect(error.reason).to.equal('aborted');
    expect(error.runResult).to.include({ stopReason: 'aborted', apiCalls: 1, completed: true });
    expect(apiCall.callCount).to.equal(1);
    t.process.on('response', response);
    // The process can run again, from a valid history.
    t.server.enqueue(textReply('fresh start'));
    await t.process.run('again');
    expect(t.process.getLastMessage()).to.equal('fresh start');
    expect(response.callCount).to.equal(1);
    expectValidRequests(t);
  });

  it('an abort during a tool answers every tool_use and makes no further model call (R11)', async () => {
    const toolStarted = signalled<AbortSignal>();
    // This tool ignores its signal: the run must not wait for it.
    const stubborn = stubTool('stubborn', (_input, { signal }) => {
      toolStarted.resolve(signal);
      return new Promise(() => {});
    });
    t = await setupTest({ tools: [stubborn, echoTool('quick')] });
    t.server.enqueue(
      toolUseReply([
        { name: 'quick', input: { value: 'q' }, id: 'toolu_q' },
        { name: 'stubborn', input: {}, id: 'toolu_s' },
      ]),
    );
    const controller = new AbortController();
    const run = t.process.run('go', { signal: controller.signal });
    const toolSignal = await toolStarted.promise;
    controller.abort();
    const error = (await run.catch((e: unknown) => e)) as RunAbortedError;
    expect(toolSignal.aborted, 'the tool got the abort').to.equal(true);
    expect(error).to.be.instanceOf(RunAbortedError);
    expect(error.runResult.stopReason).to.equal('aborted');
    expect(t.server.requests).to.have.length(1);
    const last = t.process.getState().at(-1)!;
    expect(last.role).to.equal('user');
    expect(last.content.map((part) => (part as { toolCallId: string }).toolCallId)).to.deep.equal(['toolu_q', 'toolu_s']);
    expect((last.content[1] as { isError: boolean }).isError).to.equal(true);
    t.server.enqueue(textReply('ok'));
    await t.process.run('next');
    expectValidRequests(t);
  });

  it('an abort while the SDK waits before a retry rejects without waiting for it (R2)', async () => {
    const server = await startFakeAnthropic();
    const controller = new AbortController();
    // Abort once the 529 has reached the SDK, so the abort lands in its retry path (retry-after: 1 h).
    const client = new Anthropic({
      apiKey: SENTINEL_API_KEY,
      baseURL: server.url,
      maxRetries: 3,
      fetch: async (url: string | URL | Request, init?: RequestInit) => {
        const response = await fetch(url, init);
        if (response.status === 529) controller.abort();
        return response;
      },
    });
    const process = await new LLMProgram({ model: 'claude-test' }).start({ client });
    t = { server, program: process.program, process, close: async () => server.close() };
    server.respondWith(() => errorReply(529, { retryAfter: 3600 }));
    const error = (await process.run('go', { signal: controller.signal }).catch((e: unknown) => e)) as RunAbortedError;
    expect(error).to.be.instanceOf(RunAbortedError);
    expect(error.runResult).to.include({ stopReason: 'aborted', apiCalls: 0 });
    expect(server.requests).to.have.length(1);
  });

  it('timeoutMs ends a run whose request never answers with stopReason timeout', async () => {
    t = await setupTest();
    t.server.respondWith(() => hang());
    const error = (await t.process.run('go', { timeoutMs: 50 }).catch((e: unknown) => e)) as RunAbortedError;
    expect(error).to.be.instanceOf(RunAbortedError);
    expect(error.reason).to.equal('timeout');
    expect(error.runResult.stopReason).to.equal('timeout');
  });

  it('a signal aborted before the run starts makes no model call', async () => {
    t = await setupTest();
    const error = await t.process.run('go', { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RunAbortedError);
    expect(t.server.requests).to.have.length(0);
  });

  it('refuses a second concurrent run() on the same process', async () => {
    t = await setupTest();
    const controller = new AbortController();
    const arrived = signalled();
    t.server.respondWith(() => {
      arrived.resolve();
      return hang();
    });
    const first = t.process.run('first', { signal: controller.signal });
    await arrived.promise;
    const second = await t.process.run('second').catch((e: unknown) => e);
    expect(second).to.be.instanceOf(RunInProgressError);
    controller.abort();
    await first.catch(() => {});
    expect(t.server.requests).to.have.length(1);
    expect(t.process.running).to.equal(false);
  });
});

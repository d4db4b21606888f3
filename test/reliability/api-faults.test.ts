/**
 * Reliability R1–R4 (the model API) and fault injection: every fault of the fake server, through
 * the real Anthropic SDK over HTTP, ends in a clear result and a conversation the next run can use.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { expect } from 'chai';
import sinon from 'sinon';
import { inspect } from 'node:util';
import { ApiCallError, RunAbortedError } from '../../lib/errors.js';
import type { LLMProcess } from '../../lib/process/llm-process.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import {
  delayed,
  dropConnection,
  errorReply,
  type FakeAnthropicServer,
  hang,
  malformedJson,
  startFakeAnthropic,
  streamDrop,
  streamError,
  streamHang,
  textReply,
  toolUseReply,
} from '../../lib/testing/index.js';
import {
  expectValidHistory,
  invalidRequest,
  okTool,
  rejectionOf,
  SENTINEL_API_KEY,
  setupTest,
  signalled,
  startWithClient,
  type TestSetup,
} from './support.js';

const LONG_TEXT = 'A long answer that is cut off before it can ever finish.';

describe('reliability: the model API (R1–R4)', () => {
  let t: TestSetup | undefined;
  let server: FakeAnthropicServer | undefined;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
    await server?.close();
    t = undefined;
    server = undefined;
  });

  /** The next run of `process` succeeds from the history left behind, and every request was valid. */
  async function expectRecovers(process: LLMProcess, fake: FakeAnthropicServer, stream = false): Promise<void> {
    expectValidHistory(process);
    fake.enqueue(textReply('Recovered.'));
    const result = await process.run('try again', { stream });
    expect(result.stopReason).to.equal('end_turn');
    expect(process.getLastMessage()).to.equal('Recovered.');
    expect(invalidRequest(fake), 'a request the API would refuse').to.equal(undefined);
  }

  describe('R1: retries are the SDK’s', () => {
    for (const status of [408, 409, 429, 500, 529]) {
      it(`R1: a ${status} is retried by the SDK and the run succeeds with one api:call`, async () => {
        t = await setupTest({}, { maxRetries: 2 });
        t.server.enqueue(errorReply(status, { retryAfterMs: 1 }), textReply('after a retry'));
        const apiCall = sinon.spy();
        t.process.on('api:call', apiCall);
        const result = await t.process.run('go');
        expect(result).to.include({ stopReason: 'end_turn', apiCalls: 1 });
        expect(apiCall.callCount).to.equal(1);
        expect(t.server.requests).to.have.length(2);
        expect(t.server.requests[1]!.headers['x-stainless-retry-count']).to.equal('1');
      });
    }

    it('R1: a dropped connection is retried by the SDK (its own backoff) and the run succeeds', async () => {
      t = await setupTest({}, { maxRetries: 1 });
      t.server.enqueue(dropConnection(), textReply('reconnected'));
      const result = await t.process.run('go');
      expect(result).to.include({ stopReason: 'end_turn', apiCalls: 1 });
      expect(t.server.requests).to.have.length(2);
    });

    it('R1: adds no retry layer of its own: maxRetries N means N + 1 attempts, then run() rejects', async () => {
      for (const maxRetries of [0, 1, 3]) {
        const fake = await startFakeAnthropic({ responder: () => errorReply(529, { retryAfterMs: 1 }) });
        const process = await new LLMProgram({ model: 'claude-test' }).start({ apiKey: SENTINEL_API_KEY, baseURL: fake.url, maxRetries });
        const error = await rejectionOf(process.run('go'));
        await fake.close();
        expect(error, `maxRetries ${maxRetries}`).to.be.instanceOf(ApiCallError);
        expect(fake.requests, `maxRetries ${maxRetries}`).to.have.length(maxRetries + 1);
      }
    });

    it('R1: a 400 is not retried', async () => {
      t = await setupTest({}, { maxRetries: 3 });
      t.server.enqueue(errorReply(400, { message: 'prompt is too long' }));
      const error = (await rejectionOf(t.process.run('go'))) as ApiCallError;
      expect(error).to.be.instanceOf(ApiCallError).with.property('status', 400);
      expect(error.message).to.include('prompt is too long');
      expect(t.server.requests).to.have.length(1);
    });

    it('R1: after the SDK gives up, run() rejects with the SDK’s error as cause (class, status, requestID), the partial RunResult, and no API key', async () => {
      t = await setupTest({ tools: [okTool('alpha')] }, { maxRetries: 1 });
      t.server.enqueue(
        toolUseReply([{ name: 'alpha', input: { value: '1' } }]),
        errorReply(429, { retryAfterMs: 1, message: 'slow down' }),
        errorReply(429, { retryAfterMs: 1, message: 'slow down' }),
      );
      const runEnd = sinon.spy();
      t.process.on('run:end', runEnd);
      const error = (await rejectionOf(t.process.run('go'))) as ApiCallError;

      expect(error).to.be.instanceOf(ApiCallError);
      expect(error.name).to.equal('ApiCallError');
      expect(error.cause).to.be.instanceOf((await import('@anthropic-ai/sdk')).RateLimitError);
      const cause = error.cause as InstanceType<typeof Anthropic.RateLimitError>;
      expect(cause.status).to.equal(429);
      expect(cause.requestID).to.equal('req_fake_3');
      expect(error.status).to.equal(429);
      expect(error.requestId).to.equal('req_fake_3');
      expect(error.message).to.include('429').and.include('slow down').and.include('req_fake_3');

      expect(error.runResult).to.include({ completed: true, stopReason: 'error', apiCalls: 1 });
      expect(error.runResult.toolCalls.map((call) => call.toolName)).to.deep.equal(['alpha']);
      expect(runEnd.calledOnce).to.equal(true);
      expect(runEnd.firstCall.args[0]).to.include({ runResult: error.runResult, error });

      for (const [what, text] of [
        ['message', error.message],
        ['stack', error.stack ?? ''],
        ['inspect', inspect(error, { depth: Infinity, showHidden: true })],
        ['runResult', JSON.stringify(error.runResult)],
        ['cause message', cause.message],
      ] as const) {
        expect(text, what).not.to.include(SENTINEL_API_KEY);
      }
      await expectRecovers(t.process, t.server);
    });
  });

  describe('R2: an abort is honoured while the SDK sleeps before a retry', () => {
    for (const stream of [false, true]) {
      it(`R2: a 429 with retry-after: 3600 then an abort rejects with RunAbortedError at once (${stream ? 'streamed' : 'not streamed'})`, async () => {
        // If the abort waited for the SDK's sleep (one hour), mocha's timeout would fail this test.
        server = await startFakeAnthropic({ responder: () => errorReply(429, { retryAfter: 3600 }) });
        const retrying = signalled();
        // The SDK logs "retrying" just before it goes to sleep: that is the moment to abort.
        const logger = { debug() {}, info: (message: string) => void (/retrying/.test(message) && retrying.resolve()), warn() {}, error() {} };
        const process = await startWithClient(new LLMProgram({ model: 'claude-test' }), server, { maxRetries: 2, logger, logLevel: 'info' });
        const controller = new AbortController();
        const run = process.run('go', { signal: controller.signal, stream });
        await retrying.promise;
        await new Promise((resolve) => setImmediate(resolve)); // the SDK is now inside its sleep
        controller.abort();
        const error = (await rejectionOf(run)) as RunAbortedError;
        expect(error).to.be.instanceOf(RunAbortedError);
        expect(error.reason).to.equal('aborted');
        expect(error.runResult).to.include({ stopReason: 'aborted', apiCalls: 0, completed: true });
        expect(server.requests, 'the SDK obeyed retry-after: no second attempt').to.have.length(1);
        expect(process.running).to.equal(false);
        await expectRecovers(process, server, stream);
      });
    }
  });

  describe('R3: an error event inside a stream', () => {
    it('R3: overloaded_error after some text leaves no partial assistant turn', async () => {
      t = await setupTest();
      t.server.enqueue(streamError(textReply(LONG_TEXT), { afterEvents: 4, type: 'overloaded_error' }));
      const text = sinon.spy();
      const response = sinon.spy();
      t.process.on('text', text);
      t.process.on('response', response);
      const error = (await rejectionOf(t.process.run('first', { stream: true }))) as ApiCallError;
      expect(error).to.be.instanceOf(ApiCallError);
      expect(error.message).to.include('overloaded_error');
      expect(text.called, 'text had streamed before the error').to.equal(true);
      expect(response.called, 'no response event for a broken turn').to.equal(false);
      // The broken call was billed from message_start on: it is counted, flagged incomplete.
      expect(error.runResult.apiCallInfos.map((info) => info.incomplete)).to.deep.equal([true]);
      expect(t.process.getState()).to.deep.equal([{ role: 'user', content: [{ type: 'text', text: 'first' }] }]);
      await expectRecovers(t.process, t.server, true);
    });

    it('R3: an error event in the middle of a tool_use block runs no tool and keeps no partial turn', async () => {
      t = await setupTest({ tools: [okTool('alpha')] });
      const toolStart = sinon.spy();
      t.process.on('tool:start', toolStart);
      // message_start, ping, text block (start, delta, stop), tool block start: then the error.
      t.server.enqueue(streamError(toolUseReply([{ name: 'alpha', input: { value: 'x' } }], { text: 'Calling.' }), { afterEvents: 6 }));
      await rejectionOf(t.process.run('first', { stream: true }));
      expect(toolStart.called).to.equal(false);
      expect(t.process.getState()).to.have.length(1);
      await expectRecovers(t.process, t.server, true);
    });

    it('R3: an error event in the second call keeps the finished tool round and drops only the broken turn', async () => {
      t = await setupTest({ tools: [okTool('alpha')] });
      t.server.enqueue(
        toolUseReply([{ name: 'alpha', input: { value: 'x' }, id: 'toolu_r3' }]),
        streamError(textReply(LONG_TEXT), { afterEvents: 4, type: 'api_error' }),
      );
      const error = (await rejectionOf(t.process.run('first', { stream: true }))) as ApiCallError;
      expect(error.runResult).to.include({ apiCalls: 2, stopReason: 'error' });
      expect(error.runResult.apiCallInfos.map((info) => info.incomplete)).to.deep.equal([undefined, true]);
      const state = t.process.getState();
      expect(state.map((message) => message.role)).to.deep.equal(['user', 'assistant', 'user']);
      expect(state[2]!.content[0]).to.include({ type: 'tool_result', toolCallId: 'toolu_r3' });
      await expectRecovers(t.process, t.server, true);
    });
  });

  describe('R4: a stream aborted by the user', () => {
    for (const reason of ['aborted', 'timeout'] as const) {
      it(`R4: ${reason === 'aborted' ? 'aborting the signal' : 'timeoutMs elapsing'} midway through a stream rejects with RunAbortedError (${reason})`, async () => {
        t = await setupTest();
        t.server.enqueue(streamHang(textReply(LONG_TEXT), { afterEvents: 4 }));
        const controller = new AbortController();
        const firstText = signalled();
        t.process.once('text', () => firstText.resolve());
        const apiCall = sinon.spy();
        t.process.on('api:call', apiCall);
        // The timer starts with the run; 300 ms is normally long after the first text has arrived,
        // and nothing below depends on it (a slower machine just times out earlier in the stream).
        const run = t.process.run('go', { stream: true, signal: controller.signal, timeoutMs: reason === 'timeout' ? 300 : undefined });
        if (reason === 'aborted') {
          await firstText.promise;
          controller.abort();
        }
        const error = (await rejectionOf(run)) as RunAbortedError;
        expect(error).to.be.instanceOf(RunAbortedError);
        expect(error.reason).to.equal(reason);
        expect(error.runResult.stopReason).to.equal(reason);
        // An aborted stream is no completed call: at most the incomplete call billed from message_start.
        expect(error.runResult.apiCalls).to.equal(reason === 'aborted' ? 1 : apiCall.callCount);
        for (const call of apiCall.getCalls()) expect(call.args[0]).to.include({ incomplete: true, stopReason: reason });
        expect(t.process.getState()).to.have.length(1);
        await expectRecovers(t.process, t.server, true);
      });
    }
  });

  describe('fault injection: each fault ends clearly and the next run continues', () => {
    const cases: Array<{ name: string; reply: () => ReturnType<typeof textReply>; status: number | undefined; cause: (sdk: typeof Anthropic) => new (...args: never[]) => Error; stream?: boolean }> = [
      { name: '429 with retry-after', reply: () => errorReply(429, { retryAfter: 1 }), status: 429, cause: (sdk) => sdk.RateLimitError },
      { name: '429 without retry-after', reply: () => errorReply(429), status: 429, cause: (sdk) => sdk.RateLimitError },
      { name: '500 with retry-after', reply: () => errorReply(500, { retryAfter: 1 }), status: 500, cause: (sdk) => sdk.InternalServerError },
      { name: '500 without retry-after', reply: () => errorReply(500), status: 500, cause: (sdk) => sdk.InternalServerError },
      { name: '529 with retry-after', reply: () => errorReply(529, { retryAfter: 1 }), status: 529, cause: (sdk) => sdk.InternalServerError },
      { name: '529 without retry-after', reply: () => errorReply(529), status: 529, cause: (sdk) => sdk.InternalServerError },
      { name: 'a connection reset before the response', reply: () => dropConnection(), status: undefined, cause: (sdk) => sdk.APIConnectionError },
      { name: 'a connection reset during a streamed response', reply: () => streamDrop(textReply(LONG_TEXT), { afterEvents: 4 }), status: undefined, cause: (sdk) => sdk.AnthropicError, stream: true },
      { name: 'an SSE error event mid-stream', reply: () => streamError(textReply(LONG_TEXT), { afterEvents: 4 }), status: undefined, cause: (sdk) => sdk.APIError, stream: true },
      { name: 'malformed JSON', reply: () => malformedJson(), status: undefined, cause: () => SyntaxError },
    ];
    for (const fault of cases) {
      it(`${fault.name}: run() rejects with ApiCallError (SDK retries off) and the next run succeeds`, async () => {
        t = await setupTest({ tools: [okTool('alpha')] });
        t.server.enqueue(toolUseReply([{ name: 'alpha', input: { value: 'x' } }]), fault.reply());
        const error = (await rejectionOf(t.process.run('go', { stream: fault.stream ?? false }))) as ApiCallError;
        expect(error).to.be.instanceOf(ApiCallError);
        expect(error.status).to.equal(fault.status);
        // The SDK is loaded as an ES module when the program starts: its errors are the ES build's classes.
        expect(error.cause).to.be.instanceOf(fault.cause((await import('@anthropic-ai/sdk')).default));
        // A stream that broke off after message_start is counted too, flagged incomplete.
        expect(error.runResult).to.include({ stopReason: 'error', apiCalls: fault.stream ? 2 : 1, completed: true });
        expect(t.server.requests).to.have.length(2);
        await expectRecovers(t.process, t.server, fault.stream ?? false);
      });
    }

    it('a 500 without retry-after is retried on the SDK’s own backoff and the run succeeds', async () => {
      t = await setupTest({}, { maxRetries: 1 });
      t.server.enqueue(errorReply(500), textReply('fine now'));
      const result = await t.process.run('go');
      expect(result).to.include({ stopReason: 'end_turn', apiCalls: 1 });
      expect(t.server.requests).to.have.length(2);
    });

    it('a reply that never comes, with timeoutMs: RunAbortedError (timeout), no partial turn', async () => {
      t = await setupTest();
      t.server.enqueue(hang());
      const error = (await rejectionOf(t.process.run('go', { timeoutMs: 30 }))) as RunAbortedError;
      expect(error).to.be.instanceOf(RunAbortedError).with.property('reason', 'timeout');
      expect(error.runResult.stopReason).to.equal('timeout');
      await expectRecovers(t.process, t.server);
    });

    it('a reply slower than timeoutMs: RunAbortedError (timeout), and the late reply is never used', async () => {
      t = await setupTest();
      t.server.enqueue(delayed(textReply('too late'), 60_000));
      const error = (await rejectionOf(t.process.run('go', { timeoutMs: 30 }))) as RunAbortedError;
      expect(error).to.be.instanceOf(RunAbortedError).with.property('reason', 'timeout');
      await expectRecovers(t.process, t.server);
      expect(JSON.stringify(t.process.getState())).not.to.include('too late');
    });

    it('a reply slower than the SDK’s request timeout: ApiCallError with the SDK’s timeout error', async () => {
      // The SDK's timeout also applies to the run that shows the process recovers: 1 s leaves a
      // reply of the fake server room even on a busy machine.
      t = await setupTest({}, { timeout: 1_000 });
      t.server.enqueue(delayed(textReply('too late'), 60_000));
      const error = (await rejectionOf(t.process.run('go'))) as ApiCallError;
      expect(error).to.be.instanceOf(ApiCallError);
      expect(error.cause).to.be.instanceOf((await import('@anthropic-ai/sdk')).APIConnectionTimeoutError);
      await expectRecovers(t.process, t.server);
    });

    it('a slow reply within the limits is simply waited for', async () => {
      t = await setupTest();
      t.server.enqueue(delayed(textReply('worth the wait'), 20));
      const result = await t.process.run('go', { timeoutMs: 10_000 });
      expect(result.stopReason).to.equal('end_turn');
      expect(t.process.getLastMessage()).to.equal('worth the wait');
    });
  });
});

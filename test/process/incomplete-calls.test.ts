/**
 * A streamed call that fails or is aborted after the API began answering (`message_start`) is
 * billed for its input tokens: it is recorded as an incomplete call, in `api:call`, in
 * RunResult.apiCallInfos and in the totals (and so in budgets).
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { ApiCallError, RunAbortedError } from '../../lib/errors.js';
import { errorReply, streamDrop, streamError, streamHang, textReply, toolUseReply } from '../../lib/testing/index.js';
import { rejectionOf } from '../support/promises.js';
import { setupTest, signalled, type TestSetup } from '../support/setup.js';
import { echoTool } from '../support/tools.js';

const USAGE = { input_tokens: 500, output_tokens: 80 };
const ANSWER = 'An answer that breaks off somewhere in the middle of its many words.';

describe('a streamed call that breaks off after message_start', () => {
  let t: TestSetup;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
  });

  for (const [name, fault] of [
    ['an SSE error event', streamError(textReply(ANSWER, { usage: USAGE }), { afterEvents: 4 })],
    ['a dropped connection', streamDrop(textReply(ANSWER, { usage: USAGE }), { afterEvents: 4 })],
  ] as const) {
    it(`after ${name}: api:call with incomplete: true and the usage of message_start, then run() rejects with it in the RunResult`, async () => {
      t = await setupTest({ model: 'claude-haiku-4-5' });
      t.server.enqueue(fault);
      const apiCall = sinon.spy();
      const runEnd = sinon.spy();
      t.process.on('api:call', apiCall);
      t.process.on('run:end', runEnd);
      const error = (await rejectionOf(t.process.run('go', { stream: true }))) as ApiCallError;
      expect(error).to.be.instanceOf(ApiCallError);
      expect(apiCall.calledOnce).to.equal(true);
      expect(apiCall.calledBefore(runEnd)).to.equal(true);
      const call = apiCall.firstCall.args[0];
      expect(call).to.deep.include({
        incomplete: true,
        stopReason: 'error',
        model: 'claude-haiku-4-5',
        id: 'msg_fake_1',
        requestId: 'req_fake_1',
        tokens: { inputTokens: 500, outputTokens: 1, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 },
      });
      expect(call.usage).to.include({ input_tokens: 500, output_tokens: 1 });
      expect(call.costUsd).to.be.closeTo((500 * 1 + 1 * 5) / 1e6, 1e-12);
      const result = error.runResult;
      expect(result.apiCalls).to.equal(1);
      expect(result.apiCallInfos[0]).to.deep.include({ incomplete: true, stopReason: 'error' });
      expect(result.totalTokens).to.equal(501);
      expect(result.costUsd).to.be.closeTo(call.costUsd, 1e-12);
      expect(result.toJSON().apiCallInfos[0]).to.include({ incomplete: true });
      // The conversation is as before the call (R3), and the next run is a plain one.
      t.server.enqueue(textReply('fine'));
      const next = await t.process.run('again', { stream: true });
      expect(next.apiCallInfos[0]!.incomplete).to.equal(undefined);
    });
  }

  it('aborted midway: api:call with incomplete: true and stopReason aborted, then RunAbortedError carrying it', async () => {
    t = await setupTest({ tools: [echoTool('alpha')] });
    t.server.enqueue(toolUseReply([{ name: 'alpha', input: { value: 'x' } }]), streamHang(textReply(ANSWER, { usage: USAGE }), { afterEvents: 4 }));
    const controller = new AbortController();
    const secondCallText = signalled();
    t.process.on('text', () => {
      if (t.server.requests.length === 2) secondCallText.resolve();
    });
    const run = t.process.run('go', { stream: true, signal: controller.signal });
    await secondCallText.promise;
    controller.abort();
    const error = (await rejectionOf(run)) as RunAbortedError;
    expect(error).to.be.instanceOf(RunAbortedError);
    const infos = error.runResult.apiCallInfos;
    expect(infos.map((info) => info.incomplete)).to.deep.equal([undefined, true]);
    expect(infos[1]).to.deep.include({ stopReason: 'aborted', id: 'msg_fake_2' });
    expect(infos[1]!.tokens.inputTokens).to.equal(500);
    expect(error.runResult.usage.inputTokens).to.equal(10 + 500);
  });

  it('records nothing for a call that failed before the API began answering', async () => {
    t = await setupTest();
    t.server.enqueue(errorReply(529, { headers: { 'x-should-retry': 'false' } }));
    const apiCall = sinon.spy();
    t.process.on('api:call', apiCall);
    const error = (await rejectionOf(t.process.run('go', { stream: true }))) as ApiCallError;
    expect(error.runResult.apiCalls).to.equal(0);
    expect(apiCall.called).to.equal(false);
  });
});

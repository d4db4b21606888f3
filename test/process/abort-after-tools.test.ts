/**
 * An abort that lands while tools run ends the run as aborted, whatever the model's stop reason
 * was and whichever iteration it was: never a success, never `max_iterations`.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { RunAbortedError } from '../../lib/errors.js';
import { textReply, toolUseReply } from '../../lib/testing/index.js';
import { expectValidRequests, setupTest, type TestSetup } from '../support/setup.js';
import { stubTool } from '../support/tools.js';

describe('an abort while the tools of a response run', () => {
  let t: TestSetup;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
  });

  /** A tool that aborts `controller` and then answers normally (the abort lands during the tools). */
  function abortingTool(controller: AbortController) {
    return stubTool('stop_button', async () => {
      controller.abort();
      return { content: 'pressed', isError: false };
    });
  }

  for (const stopReason of ['end_turn', 'stop_sequence', 'refusal', 'some_future_reason']) {
    it(`rejects with RunAbortedError when the stop reason is ${stopReason}, with no success event`, async () => {
      const controller = new AbortController();
      t = await setupTest({ tools: [abortingTool(controller)] });
      t.server.enqueue(toolUseReply([{ name: 'stop_button', input: {} }], { stopReason }));
      const runEnd = sinon.spy();
      t.process.on('run:end', runEnd);
      const error = await t.process.run('go', { signal: controller.signal }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(RunAbortedError).with.property('reason', 'aborted');
      expect((error as RunAbortedError).runResult.stopReason).to.equal('aborted');
      expect(runEnd.firstCall.args[0].error).to.equal(error);
      expect(t.server.requests).to.have.length(1);
      t.server.enqueue(textReply('next'));
      await t.process.run('again');
      expectValidRequests(t);
    });
  }

  it('in the last iteration, rejects with RunAbortedError rather than ending with max_iterations', async () => {
    const controller = new AbortController();
    t = await setupTest({ tools: [abortingTool(controller)] });
    t.server.enqueue(toolUseReply([{ name: 'stop_button', input: {} }]));
    const error = await t.process.run('go', { signal: controller.signal, maxIterations: 1 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RunAbortedError);
    expect((error as RunAbortedError).runResult.stopReason).to.equal('aborted');
  });
});

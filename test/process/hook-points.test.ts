/**
 * What the answers of `beforeRun`, `beforeModelCall` and `afterToolCall` mean for the loop
 * (lib/process/hook-points.ts). test/process/hooks.test.ts checks the same through real runs.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { InvalidArgumentError } from '../../lib/errors.js';
import { applyAfterToolCall, applyBeforeModelCall, applyBeforeRun } from '../../lib/process/hook-points.js';
import type { AfterToolCallContext, BeforeModelCallContext } from '../../lib/process/hooks.js';
import type { CheckedInput } from '../../lib/process/run-input.js';

const live = new AbortController().signal;
const aborted = (() => {
  const controller = new AbortController();
  controller.abort();
  return controller.signal;
})();
const accept = (answered: unknown): CheckedInput => answered as CheckedInput;

describe('hook points', () => {
  describe('applyBeforeRun', () => {
    it('without a hook, or when it answers nothing, the run takes its input', async () => {
      expect(await applyBeforeRun(undefined, 'go', live, accept)).to.deep.equal({ kind: 'input', input: 'go' });
      const parts: CheckedInput = [{ type: 'text', text: 'go' }];
      const outcome = await applyBeforeRun(() => undefined, parts, live, accept);
      expect(outcome).to.deep.equal({ kind: 'input', input: parts });
      expect((outcome as { input: unknown }).input).to.equal(parts);
    });

    it('gives the hook the input (parts as copies) and the signal', async () => {
      const parts: CheckedInput = [{ type: 'text', text: 'go' }];
      const hook = sinon.spy((_context: { input: unknown; signal: AbortSignal }) => undefined);
      await applyBeforeRun(hook, parts, live, accept);
      const given = hook.firstCall.args[0];
      expect(given).to.deep.equal({ input: parts, signal: live });
      expect(given.input).not.to.equal(parts);
      expect((given.input as unknown[])[0]).not.to.equal(parts[0]);
      await applyBeforeRun(hook, 'text', live, accept);
      expect(hook.secondCall.args[0]).to.deep.equal({ input: 'text', signal: live });
    });

    it('an answered input goes through the check, and is the run\'s input', async () => {
      const check = sinon.spy((answered: unknown) => [{ type: 'text', text: `checked ${String(answered)}` }] as CheckedInput);
      expect(await applyBeforeRun(() => ({ input: 'new' }), 'go', live, check)).to.deep.equal({ kind: 'input', input: [{ type: 'text', text: 'checked new' }] });
      expect(check.firstCall.args[0]).to.equal('new');
    });

    it('fails, with the cause, when the hook throws, answers nonsense, or answers an input the check refuses', async () => {
      const cause = new TypeError('down');
      expect(await applyBeforeRun(() => { throw cause; }, 'go', live, accept)).to.deep.equal({ kind: 'failed', problem: 'threw TypeError: down', cause });
      expect(await applyBeforeRun(() => Promise.reject('nope'), 'go', live, accept)).to.deep.equal({ kind: 'failed', problem: 'threw nope', cause: 'nope' });
      expect(await applyBeforeRun(() => ({ input: 5 }) as never, 'go', live, accept)).to.deep.equal({ kind: 'failed', problem: 'answered { input: 5 }, not a non-empty string or content parts' });
      const refusal = new InvalidArgumentError('input', 'too short');
      const refused = await applyBeforeRun(() => ({ input: 'x' }), 'go', live, () => { throw refusal; });
      expect(refused).to.deep.equal({ kind: 'failed', problem: `answered an input that cannot be sent: ${refusal.message}`, cause: refusal });
      const odd = await applyBeforeRun(() => ({ input: 'x' }), 'go', live, () => { throw 'bad'; });
      expect(odd).to.deep.equal({ kind: 'failed', problem: 'answered an input that cannot be sent: bad', cause: 'bad' });
    });

    it('is aborted when the run is', async () => {
      const hook = sinon.spy(() => undefined);
      expect(await applyBeforeRun(hook, 'go', aborted, accept)).to.deep.equal({ kind: 'aborted' });
      expect(hook.called).to.equal(false);
    });
  });

  describe('applyBeforeModelCall', () => {
    const context = (signal: AbortSignal): BeforeModelCallContext => ({ iteration: 2, messages: [], model: 'claude-test', signal });

    it('makes the call without a hook or when it answers nothing, and gives the hook its context', async () => {
      expect(await applyBeforeModelCall(undefined, context(live))).to.deep.equal({ kind: 'call' });
      const hook = sinon.spy((_context: BeforeModelCallContext) => undefined);
      const given = context(live);
      expect(await applyBeforeModelCall(hook, given)).to.deep.equal({ kind: 'call' });
      expect(hook.firstCall.args[0]).to.equal(given);
    });

    it('{ stop } stops with the reason', async () => {
      expect(await applyBeforeModelCall(() => ({ stop: 'enough' }), context(live))).to.deep.equal({ kind: 'stop', reason: 'enough' });
    });

    it('fails when the hook throws or answers nonsense, and is aborted when the run is', async () => {
      const cause = new Error('quota down');
      expect(await applyBeforeModelCall(() => { throw cause; }, context(live))).to.deep.equal({ kind: 'failed', problem: 'threw Error: quota down', cause });
      const dressed = Object.assign(new RangeError('over'), { toString: () => 'not how it is shown' });
      expect((await applyBeforeModelCall(() => { throw dressed; }, context(live))) as object, 'an Error by its name and message').to.include({ problem: 'threw RangeError: over' });
      expect(await applyBeforeModelCall(() => ({ stop: 1 }) as never, context(live))).to.deep.equal({ kind: 'failed', problem: 'answered { stop: 1 }, not a string reason' });
      expect(await applyBeforeModelCall(() => ({ stop: 'x' }), context(aborted))).to.deep.equal({ kind: 'aborted' });
    });
  });

  describe('applyAfterToolCall', () => {
    const result = { content: 'SECRET', isError: false };
    const context = (signal: AbortSignal): AfterToolCallContext => ({ toolName: 'read', args: { path: 'a' }, result, toolUseId: 'toolu_1', decision: 'ran', signal, source: 'builtin' });
    const withheld = { content: 'The result of the call to "read" was withheld: the afterToolCall hook that checks it failed.', isError: true };

    it('keeps the result without a hook or when it answers nothing; gives the hook the call with a copy of its arguments', async () => {
      expect(await applyAfterToolCall(undefined, context(live))).to.deep.equal({ result });
      const hook = sinon.spy((_context: AfterToolCallContext) => undefined);
      const given = context(live);
      const outcome = await applyAfterToolCall(hook, given);
      expect(outcome).to.deep.equal({ result });
      expect(outcome.result).to.equal(result);
      expect(hook.firstCall.args[0]).to.deep.equal(given);
      expect(hook.firstCall.args[0].args).not.to.equal(given.args);
    });

    it('{ result } replaces the result', async () => {
      const replaced = { content: '[redacted]', isError: false };
      expect(await applyAfterToolCall(() => ({ result: replaced }), context(live))).to.deep.equal({ result: replaced });
    });

    it('withholds the result when the hook throws or answers nonsense, reporting why', async () => {
      const cause = new Error('scanner down');
      expect(await applyAfterToolCall(() => { throw cause; }, context(live))).to.deep.equal({ result: withheld, hookFailure: cause });
      const nonsense = await applyAfterToolCall(() => ({ result: 'clean' }) as never, context(live));
      expect(nonsense.result).to.deep.equal(withheld);
      expect(nonsense.hookFailure).to.be.instanceOf(InvalidArgumentError).and.include({ argument: 'hooks.afterToolCall' });
      expect((nonsense.hookFailure as Error).message).to.include('answered a result that is not { content: string | parts, isError: boolean }');
    });

    it('gives a cancelled result when the run is aborted', async () => {
      expect(await applyAfterToolCall(() => undefined, context(aborted))).to.deep.equal({
        result: { content: 'Tool "read" was cancelled: the run was aborted.', isError: true },
      });
    });
  });
});

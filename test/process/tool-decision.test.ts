/**
 * What is decided about one tool call before it runs (lib/process/tool-decision.ts): the
 * `beforeToolCall` hook's answer and the tool's approval requirement, read together.
 * test/process/hooks.test.ts and approvals.test.ts check the same through real runs.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { InvalidArgumentError } from '../../lib/errors.js';
import type { BeforeToolCallContext, Hooks } from '../../lib/process/hooks.js';
import { cancelledResult, deniedResult, planAsGiven, planToolCall, rejectedResult, type PlanContext } from '../../lib/process/tool-decision.js';
import type { ToolCallPart } from '../../lib/providers/types.js';

const call: ToolCallPart = { type: 'tool_call', id: 'toolu_1', name: 'send', input: { to: 'model' } };
const signal = new AbortController().signal;

function context(hook: Hooks['beforeToolCall'], requiresApproval = false, extra: Partial<PlanContext> = {}): PlanContext {
  return { hook, requiresApproval, signal, source: 'function', ...extra };
}

describe('tool decisions', () => {
  it('the results of a call that did not run say why', () => {
    expect(cancelledResult('send')).to.deep.equal({ content: 'Tool "send" was cancelled: the run was aborted.', isError: true });
    expect(deniedResult('send', ' policy ')).to.deep.equal({ content: 'The call to "send" was denied: policy', isError: true });
    expect(deniedResult('send', ' ')).to.deep.equal({ content: 'The call to "send" was denied.', isError: true });
    expect(rejectedResult('send', 'too risky\n')).to.deep.equal({ content: 'The call to "send" was not approved: too risky', isError: true });
    expect(rejectedResult('send', '')).to.deep.equal({ content: 'The call to "send" was not approved.', isError: true });
    expect(rejectedResult('send', ' \n')).to.deep.equal({ content: 'The call to "send" was not approved.', isError: true });
  });

  it('planAsGiven runs the call as the model gave it, or pauses it when its tool requires approval', () => {
    expect(planAsGiven(call, false)).to.deep.equal({ kind: 'run', args: call.input, decision: 'ran' });
    expect(planAsGiven(call, true)).to.deep.equal({ kind: 'pause', args: call.input });
  });

  describe('planToolCall', () => {
    it('without a hook, plans the call as given', async () => {
      expect(await planToolCall(call, context(undefined))).to.deep.equal({ plan: { kind: 'run', args: call.input, decision: 'ran' } });
      expect(await planToolCall(call, context(undefined, true))).to.deep.equal({ plan: { kind: 'pause', args: call.input } });
    });

    it('gives the hook the call, a copy of its arguments, the approval requirement, the signal and the origin', async () => {
      const hook = sinon.spy((_context: BeforeToolCallContext) => undefined);
      await planToolCall(call, context(hook, true));
      const given = hook.firstCall.args[0];
      expect(given).to.deep.equal({ toolName: 'send', args: { to: 'model' }, toolUseId: 'toolu_1', requiresApproval: true, signal, source: 'function' });
      expect(given.args).not.to.equal(call.input);
      await planToolCall(call, context(hook, false, { source: 'mcp', server: 'mail' }));
      expect(hook.secondCall.args[0]).to.deep.include({ source: 'mcp', server: 'mail', requiresApproval: false });
    });

    it('nothing keeps the plan as given; { allow: true } runs it even when the tool requires approval', async () => {
      expect((await planToolCall(call, context(() => undefined, true))).plan).to.deep.equal({ kind: 'pause', args: call.input });
      expect((await planToolCall(call, context(() => ({ allow: true }), true))).plan).to.deep.equal({ kind: 'run', args: call.input, decision: 'ran' });
    });

    it('{ args } runs with them (modified), or pauses with them when the tool requires approval and the hook does not allow', async () => {
      const args = { to: 'hook' };
      expect((await planToolCall(call, context(() => ({ args })))).plan).to.deep.equal({ kind: 'run', args, decision: 'modified', originalArgs: call.input });
      expect((await planToolCall(call, context(() => ({ args, allow: true }), true))).plan).to.deep.equal({ kind: 'run', args, decision: 'modified', originalArgs: call.input });
      expect((await planToolCall(call, context(() => ({ args }), true))).plan).to.deep.equal({ kind: 'pause', args, originalArgs: call.input });
    });

    it('{ deny } answers the call with the reason; { pause: true } pauses it', async () => {
      expect((await planToolCall(call, context(() => ({ deny: 'no mail' })))).plan).to.deep.equal({
        kind: 'answer',
        result: { content: 'The call to "send" was denied: no mail', isError: true },
        decision: 'denied',
      });
      expect((await planToolCall(call, context(() => ({ pause: true })))).plan).to.deep.equal({ kind: 'pause', args: call.input });
    });

    it('a hook that throws or answers nonsense denies the call, with what went wrong as hookFailure', async () => {
      const failure = new Error('down');
      const denied = { kind: 'answer', result: { content: 'The call to "send" was denied: the beforeToolCall hook that guards it failed', isError: true }, decision: 'denied' };
      const threw = await planToolCall(call, context(() => { throw failure; }));
      expect(threw).to.deep.equal({ plan: denied, hookFailure: failure });
      const nonsense = await planToolCall(call, context(() => ({ deny: 5 }) as never));
      expect(nonsense.plan).to.deep.equal(denied);
      expect(nonsense.hookFailure).to.be.instanceOf(InvalidArgumentError).and.include({ argument: 'hooks.beforeToolCall' });
      expect((nonsense.hookFailure as Error).message).to.include('answered { deny: 5 }, not a string reason');
    });

    it('after an abort the call is cancelled, the hook not asked', async () => {
      const controller = new AbortController();
      controller.abort();
      const hook = sinon.spy(() => undefined);
      expect(await planToolCall(call, context(hook, false, { signal: controller.signal }))).to.deep.equal({
        plan: { kind: 'answer', result: cancelledResult('send'), decision: 'cancelled' },
      });
      expect(hook.called).to.equal(false);
    });
  });
});

/**
 * Answering the tool calls of one response (lib/process/tool-batch.ts), with a context that
 * records what the batch asks of the process: calls planned in order, answered, paused for
 * approval, run (exclusive ones alone), and on resume, the decided ones carried on.
 */
import { expect } from 'chai';
import type { ToolCallPart } from '../../lib/providers/types.js';
import { resolveRunOptions } from '../../lib/process/run-options.js';
import { newRunState, type RunState } from '../../lib/process/run-state.js';
import { runToolBatch, type RunPlan, type ToolBatchContext } from '../../lib/process/tool-batch.js';
import type { ToolCallPlan, ToolDecision } from '../../lib/process/tool-decision.js';
import type { ToolResult } from '../../lib/tools/tool.js';
import { signalled } from '../support/promises.js';

const toolCall = (id: string, name = 'act'): ToolCallPart => ({ type: 'tool_call', id, name, input: { id } });
const ok = (text: string): ToolResult => ({ content: text, isError: false });

/** A context whose plans come from `plans` (by call id; a run plan by default), recording what happens. */
function recorder(plans: Record<string, ToolCallPlan> = {}, options: { state?: RunState; concurrency?: number; exclusive?: string[]; aborted?: () => boolean } = {}) {
  const log: string[] = [];
  const answered: Array<{ id: string; result: ToolResult; decision: ToolDecision }> = [];
  const ran: Array<{ id: string; plan: RunPlan }> = [];
  const context: ToolBatchContext = {
    state: options.state ?? newRunState('go', resolveRunOptions({}, {}, {}), []),
    concurrency: options.concurrency ?? Infinity,
    exclusive: (call) => options.exclusive?.includes(call.id) ?? false,
    plan: async (call) => {
      log.push(`plan ${call.id}`);
      return plans[call.id] ?? { kind: 'run', args: call.input, decision: 'ran' };
    },
    run: async (call, plan) => {
      log.push(`run ${call.id}`);
      ran.push({ id: call.id, plan });
      return ok(`ran ${call.id}`);
    },
    answer: (call, result, decision) => void answered.push({ id: call.id, result, decision }),
    aborted: options.aborted ?? (() => false),
  };
  return { context, log, answered, ran };
}

describe('runToolBatch', () => {
  it('plans every call in order, then runs those that may run, and gives the results in call order', async () => {
    const denied = { content: 'no', isError: true };
    const { context, log, answered, ran } = recorder({ b: { kind: 'answer', result: denied, decision: 'denied' } });
    const outcome = await runToolBatch([toolCall('a'), toolCall('b'), toolCall('c')], context);
    expect(outcome).to.deep.equal({ kind: 'done', results: [ok('ran a'), denied, ok('ran c')] });
    expect(log).to.deep.equal(['plan a', 'plan b', 'plan c', 'run a', 'run c']);
    expect(answered).to.deep.equal([{ id: 'b', result: denied, decision: 'denied' }]);
    expect(ran.map(({ plan }) => plan)).to.deep.equal([{ kind: 'run', args: { id: 'a' }, decision: 'ran' }, { kind: 'run', args: { id: 'c' }, decision: 'ran' }]);
    expect(context.state.results).to.deep.equal({ a: ok('ran a'), b: denied, c: ok('ran c') });
  });

  it('skips a call that already has a result', async () => {
    const state = newRunState('go', resolveRunOptions({}, {}, {}), []);
    state.results['a'] = ok('earlier');
    const { context, log } = recorder({}, { state });
    const outcome = await runToolBatch([toolCall('a'), toolCall('b')], context);
    expect(outcome).to.deep.equal({ kind: 'done', results: [ok('earlier'), ok('ran b')] });
    expect(log).to.deep.equal(['plan b', 'run b']);
  });

  it('skips a call that already has a result after a plan that had to be waited for too', async () => {
    const state = newRunState('go', resolveRunOptions({}, {}, {}), []);
    state.results['b'] = ok('earlier');
    const { context, log } = recorder({}, { state });
    const outcome = await runToolBatch([toolCall('a'), toolCall('b'), toolCall('c')], context);
    expect(outcome).to.deep.equal({ kind: 'done', results: [ok('ran a'), ok('earlier'), ok('ran c')] });
    expect(log).to.deep.equal(['plan a', 'plan c', 'run a', 'run c']);
  });

  it('pauses while a call waits for approval, recording it (with the model\'s arguments when others were given), and runs the rest', async () => {
    const { context, log } = recorder({
      a: { kind: 'pause', args: { id: 'a' } },
      b: { kind: 'pause', args: { changed: true }, originalArgs: { id: 'b' } },
    });
    const outcome = await runToolBatch([toolCall('a', 'send'), toolCall('b', 'send'), toolCall('c')], context);
    expect(outcome).to.deep.equal({ kind: 'paused' });
    expect(log).to.deep.equal(['plan a', 'plan b', 'plan c', 'run c']);
    expect(context.state.approvals).to.deep.equal([
      { id: 'a', toolName: 'send', args: { id: 'a' }, status: 'pending' },
      { id: 'b', toolName: 'send', args: { changed: true }, status: 'pending', originalArgs: { id: 'b' } },
    ]);
    expect(context.state.results).to.deep.equal({ c: ok('ran c') });
  });

  it('on resume, runs an approved call with its arguments, answers a denied one with its reason, and leaves the others as they were', async () => {
    const state = newRunState('go', resolveRunOptions({}, {}, {}), []);
    state.results['c'] = ok('ran c');
    state.approvals.push(
      { id: 'a', toolName: 'send', args: { approved: true }, status: 'approved', originalArgs: { id: 'a' } },
      { id: 'b', toolName: 'send', args: { id: 'b' }, status: 'denied', reason: 'not now' },
      { id: 'd', toolName: 'send', args: { id: 'd' }, status: 'denied' },
    );
    const { context, log, answered, ran } = recorder({}, { state });
    const outcome = await runToolBatch([toolCall('a', 'send'), toolCall('b', 'send'), toolCall('c'), toolCall('d', 'send')], context);
    const notNow = { content: 'The call to "send" was not approved: not now', isError: true };
    const noReason = { content: 'The call to "send" was not approved.', isError: true };
    expect(outcome).to.deep.equal({ kind: 'done', results: [ok('ran a'), notNow, ok('ran c'), noReason] });
    expect(log).to.deep.equal(['run a']);
    expect(ran[0]!.plan).to.deep.equal({ kind: 'run', args: { approved: true }, decision: 'approved', originalArgs: { id: 'a' } });
    expect(answered).to.deep.equal([
      { id: 'b', result: notNow, decision: 'rejected' },
      { id: 'd', result: noReason, decision: 'rejected' },
    ]);
  });

  it('a call still pending keeps the batch paused on resume, without being planned again', async () => {
    const state = newRunState('go', resolveRunOptions({}, {}, {}), []);
    state.approvals.push({ id: 'a', toolName: 'send', args: {}, status: 'pending' });
    const { context, log } = recorder({}, { state });
    expect(await runToolBatch([toolCall('a', 'send'), toolCall('b')], context)).to.deep.equal({ kind: 'paused' });
    expect(log).to.deep.equal(['plan b', 'run b']);
  });

  it('after an abort, cancels the calls still waiting for approval, so every call has a result', async () => {
    const { context, answered } = recorder({ a: { kind: 'pause', args: {} }, c: { kind: 'pause', args: {} } }, { aborted: () => true });
    const outcome = await runToolBatch([toolCall('a', 'send'), toolCall('b'), toolCall('c', 'mail')], context);
    const cancelled = (name: string) => ({ content: `Tool "${name}" was cancelled: the run was aborted.`, isError: true });
    expect(outcome).to.deep.equal({ kind: 'done', results: [cancelled('send'), ok('ran b'), cancelled('mail')] });
    expect(answered).to.deep.equal([
      { id: 'a', result: cancelled('send'), decision: 'cancelled' },
      { id: 'c', result: cancelled('mail'), decision: 'cancelled' },
    ]);
    expect(context.state.approvals).to.deep.equal([]);
  });

  it('after an abort, leaves alone a decided call and a pending one that has a result', async () => {
    const state = newRunState('go', resolveRunOptions({}, {}, {}), []);
    state.results['b'] = ok('kept');
    const approved = { id: 'a', toolName: 'send', args: {}, status: 'approved' as const };
    const pendingWithResult = { id: 'b', toolName: 'send', args: {}, status: 'pending' as const };
    state.approvals.push(approved, pendingWithResult);
    const { context, answered } = recorder({}, { state, aborted: () => true });
    const outcome = await runToolBatch([toolCall('a', 'send'), toolCall('b', 'send')], context);
    expect(answered).to.deep.equal([]);
    expect(context.state.approvals).to.deep.equal([approved, pendingWithResult]);
    expect(outcome).to.deep.equal({ kind: 'paused' });
  });

  /** A run that starts each call when called (signalling it) and ends it when its gate opens. */
  function gated(context: ToolBatchContext) {
    const started: string[] = [];
    const starts = new Map<string, ReturnType<typeof signalled<void>>>();
    const gates = new Map<string, ReturnType<typeof signalled<void>>>();
    const of = (map: Map<string, ReturnType<typeof signalled<void>>>, id: string) => map.get(id) ?? map.set(id, signalled<void>()).get(id)!;
    context.run = async (call) => {
      started.push(call.id);
      of(starts, call.id).resolve();
      await of(gates, call.id).promise;
      return ok(call.id);
    };
    return { started, startOf: (id: string) => of(starts, id).promise, finish: (id: string) => of(gates, id).resolve() };
  }

  it('after an abort on resume, cancels the call still waiting even behind a decided one', async () => {
    const state = newRunState('go', resolveRunOptions({}, {}, {}), []);
    state.approvals.push({ id: 'a', toolName: 'send', args: {}, status: 'approved' }, { id: 'c', toolName: 'send', args: {}, status: 'pending' });
    const { context, answered } = recorder({}, { state, aborted: () => true });
    const outcome = await runToolBatch([toolCall('a', 'send'), toolCall('c', 'send')], context);
    const cancelled = { content: 'Tool "send" was cancelled: the run was aborted.', isError: true };
    expect(outcome).to.deep.equal({ kind: 'done', results: [ok('ran a'), cancelled] });
    expect(answered).to.deep.equal([{ id: 'c', result: cancelled, decision: 'cancelled' }]);
    expect(context.state.approvals).to.deep.equal([{ id: 'a', toolName: 'send', args: {}, status: 'approved' }]);
  });

  it("runs the calls with the run's concurrency", async () => {
    const { context } = recorder({}, { concurrency: 2 });
    const run = gated(context);
    const batch = runToolBatch(['a', 'b', 'c'].map((id) => toolCall(id)), context);
    await run.startOf('b');
    expect(run.started, 'two at once').to.deep.equal(['a', 'b']);
    run.finish('a');
    await run.startOf('c');
    run.finish('b');
    run.finish('c');
    expect(await batch).to.deep.equal({ kind: 'done', results: ['a', 'b', 'c'].map(ok) });
  });

  it('runs an exclusive call alone', async () => {
    const { context } = recorder({}, { exclusive: ['b'] });
    const run = gated(context);
    const batch = runToolBatch(['a', 'b', 'c'].map((id) => toolCall(id)), context);
    await run.startOf('a');
    expect(run.started, 'b waits for a').to.deep.equal(['a']);
    run.finish('a');
    await run.startOf('b');
    expect(run.started, 'c waits for b').to.deep.equal(['a', 'b']);
    run.finish('b');
    await run.startOf('c');
    run.finish('c');
    expect(await batch).to.deep.equal({ kind: 'done', results: ['a', 'b', 'c'].map(ok) });
  });

  it('answers a one-call batch at once, not with a promise, when its plan and its call do; from the first plan that waits, later', async () => {
    const { context, log } = recorder();
    const atOnce: ToolBatchContext = { ...context, plan: (call) => ({ kind: 'run', args: call.input, decision: 'ran' }), run: (call) => ok(`ran ${call.id}`) };
    expect(runToolBatch([toolCall('a')], atOnce)).to.deep.equal({ kind: 'done', results: [ok('ran a')] });
    // Several calls are scheduled (concurrency, exclusive tools): their batch is a promise.
    expect(await runToolBatch([toolCall('b'), toolCall('c')], { ...atOnce, state: newRunState('go', resolveRunOptions({}, {}, {}), []) })).to.deep.equal({ kind: 'done', results: [ok('ran b'), ok('ran c')] });
    const planned: string[] = [];
    const secondWaits: ToolBatchContext = {
      ...atOnce,
      state: newRunState('go', resolveRunOptions({}, {}, {}), []),
      plan: (call) => {
        planned.push(call.id);
        const plan: ToolCallPlan = { kind: 'run', args: call.input, decision: 'ran' };
        return call.id === 'b' ? Promise.resolve(plan) : plan;
      },
    };
    const pending = runToolBatch([toolCall('a'), toolCall('b'), toolCall('c')], secondWaits);
    expect(pending).to.be.instanceOf(Promise);
    expect(await pending).to.deep.equal({ kind: 'done', results: ['a', 'b', 'c'].map((id) => ok(`ran ${id}`)) });
    expect(planned, 'every call planned, in order, before any runs').to.deep.equal(['a', 'b', 'c']);
    expect(log).to.deep.equal([]);
  });
});

/**
 * Hooks steer a run (issue 16, R24): each answer of each hook is obeyed, a hook that throws or
 * answers nonsense fails closed, a hook that never settles does not hold the run past its signal,
 * and the run's hooks win over the process's, which win over the program's.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { HookError, InvalidArgumentError, ProgramError, RunAbortedError } from '../../lib/errors.js';
import { callHook, emitHookWarning, HOOK_NAMES, hookNames, type Hooks, mergeHooks, validateHooks } from '../../lib/process/hooks.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { startFakeAnthropic, textReply, toolUseReply } from '../../lib/testing/index.js';
import type { ToolResult } from '../../lib/tools/tool.js';
import { expectValidHistory, messagesOf } from '../reliability/support.js';
import { SENTINEL_API_KEY, setupTest, signalled, type TestSetup } from '../support/setup.js';
import { thrownBy } from '../support/thrown-by.js';
import { stubTool } from '../support/tools.js';

/** A tool that records its calls and answers `<name>:<value>`. */
function spyTool(name: string) {
  const run = sinon.spy(async (input: Record<string, unknown>): Promise<ToolResult> => ({ content: `${name}:${String(input['value'])}`, isError: false }));
  return { tool: stubTool(name, run), run };
}

/** The tool_result blocks the model got in request `index`. */
function resultsSent(t: TestSetup, index: number): Array<Record<string, unknown>> {
  return messagesOf(t.server, index).at(-1)!.content.filter((block) => block.type === 'tool_result');
}

const oneCall = (input: Record<string, unknown> = { value: 'v' }) => toolUseReply([{ name: 'act', input, id: 'toolu_act' }]);

describe('hooks', () => {
  let t: TestSetup | undefined;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
    t = undefined;
  });

  describe('beforeToolCall', () => {
    it('answering nothing runs the call as the model gave it, and the hook sees the call', async () => {
      const act = spyTool('act');
      t = await setupTest({ tools: [act.tool] });
      t.server.enqueue(oneCall(), textReply('done'));
      const beforeToolCall = sinon.spy(async (_context: unknown) => undefined);
      const result = await t.process.run('go', { hooks: { beforeToolCall } });
      expect(beforeToolCall.calledOnce).to.equal(true);
      const context = beforeToolCall.firstCall.args[0] as unknown as Record<string, unknown>;
      expect(context).to.deep.include({ toolName: 'act', args: { value: 'v' }, toolUseId: 'toolu_act', requiresApproval: false, source: 'function' });
      expect(context['signal']).to.be.instanceOf(AbortSignal);
      expect(act.run.firstCall.args[0]).to.deep.equal({ value: 'v' });
      expect(result.toolCalls[0]).to.deep.include({ decision: 'ran', args: { value: 'v' } });
      expect(result.toolCalls[0]!.originalArgs).to.equal(undefined);
    });

    it('{ args } runs the call with them; tool:end and RunResult show the decision and the original arguments, the history keeps the model\'s', async () => {
      const act = spyTool('act');
      t = await setupTest({ tools: [act.tool] });
      t.server.enqueue(oneCall({ value: 'model' }), textReply('done'));
      const toolEnd = sinon.spy();
      t.process.on('tool:end', toolEnd);
      const result = await t.process.run('go', { hooks: { beforeToolCall: () => ({ args: { value: 'hook' } }) } });
      expect(act.run.firstCall.args[0]).to.deep.equal({ value: 'hook' });
      expect(toolEnd.firstCall.args[0]).to.deep.include({ decision: 'modified', args: { value: 'hook' }, originalArgs: { value: 'model' } });
      expect(result.toolCalls[0]).to.deep.include({ decision: 'modified', args: { value: 'hook' }, originalArgs: { value: 'model' } });
      expect(resultsSent(t, 1)[0]).to.deep.include({ content: [{ type: 'text', text: 'act:hook' }] });
      expect(messagesOf(t.server, 1)[1]!.content[0]).to.deep.include({ type: 'tool_use', input: { value: 'model' } });
    });

    it('{ deny } does not run the call: the model gets an is_error result with the reason; tool:end without tool:start', async () => {
      const act = spyTool('act');
      t = await setupTest({ tools: [act.tool] });
      t.server.enqueue(oneCall(), textReply('understood'));
      const toolStart = sinon.spy();
      const toolEnd = sinon.spy();
      t.process.on('tool:start', toolStart);
      t.process.on('tool:end', toolEnd);
      const result = await t.process.run('go', { hooks: { beforeToolCall: () => ({ deny: 'not on Sundays' }) } });
      expect(act.run.called).to.equal(false);
      expect(toolStart.called).to.equal(false);
      expect(toolEnd.firstCall.args[0]).to.deep.include({ decision: 'denied', isError: true, toolUseId: 'toolu_act' });
      expect(resultsSent(t, 1)[0]).to.deep.equal({
        type: 'tool_result',
        tool_use_id: 'toolu_act',
        content: [{ type: 'text', text: 'The call to "act" was denied: not on Sundays' }],
        is_error: true,
      });
      expect(result).to.include({ stopReason: 'end_turn' });
      expect(result.toolCalls[0]).to.deep.include({ decision: 'denied', isError: true });
    });

    it('{ allow: true } runs a call that requires approval without pausing', async () => {
      const act = spyTool('act');
      t = await setupTest({ tools: [{ ...act.tool, requireApproval: true }] });
      t.server.enqueue(oneCall(), textReply('done'));
      const beforeToolCall = sinon.spy(() => ({ allow: true as const }));
      const result = await t.process.run('go', { hooks: { beforeToolCall } });
      expect((beforeToolCall.firstCall.args as unknown[])[0]).to.deep.include({ requiresApproval: true });
      expect(act.run.calledOnce).to.equal(true);
      expect(result).to.include({ stopReason: 'end_turn' });
      expect(result.toolCalls[0]).to.deep.include({ decision: 'ran' });
    });

    for (const [what, hook] of [
      ['throws', () => { throw new Error('policy engine down'); }],
      ['rejects', async () => Promise.reject(new Error('policy engine down'))],
      ['throws a non-Error', () => { throw 'policy engine down'; }],
      ['answers { deny: 5 }', () => ({ deny: 5 })],
      ['answers { args: "x" }', () => ({ args: 'x' })],
      ['answers with a misspelt key', () => ({ dney: 'typo' })],
      ['answers { deny, args } at once', () => ({ deny: 'no', args: {} })],
    ] as Array<[string, () => unknown]>) {
      it(`a hook that ${what} fails closed: the call is denied with is_error, callback:error names the hook, the run goes on`, async () => {
        const act = spyTool('act');
        t = await setupTest({ tools: [act.tool] });
        t.server.enqueue(oneCall(), textReply('ok'));
        const callbackError = sinon.spy();
        t.process.on('callback:error', callbackError);
        const result = await t.process.run('go', { hooks: { beforeToolCall: hook as Hooks['beforeToolCall'] } });
        expect(act.run.called).to.equal(false);
        expect(callbackError.calledOnce).to.equal(true);
        expect(callbackError.firstCall.args[0]).to.deep.include({ callback: 'beforeToolCall', event: 'hook' });
        expect(resultsSent(t, 1)[0]).to.deep.include({ is_error: true, content: [{ type: 'text', text: 'The call to "act" was denied: the beforeToolCall hook that guards it failed' }] });
        expect(result.toolCalls[0]).to.deep.include({ decision: 'denied' });
        expect(result.stopReason).to.equal('end_turn');
      });
    }

    it('a failing hook with nobody listening to callback:error is a process warning (LLMProcHookWarning)', async () => {
      t = await setupTest({ tools: [spyTool('act').tool] });
      t.server.enqueue(oneCall(), textReply('ok'));
      const warned = signalled<Error>();
      const onWarning = (warning: Error): void => {
        if (warning.name === 'LLMProcHookWarning') warned.resolve(warning);
      };
      process.on('warning', onWarning);
      try {
        await t.process.run('go', { hooks: { beforeToolCall: () => { throw new Error('policy engine down'); } } });
        const warning = await warned.promise;
        expect(warning.message).to.include('beforeToolCall hook failed').and.include('policy engine down');
      } finally {
        process.off('warning', onWarning);
      }
    });

    it('a hook that never settles does not hold the run past its abort: the call is cancelled, run() rejects, the history is valid', async () => {
      const act = spyTool('act');
      t = await setupTest({ tools: [act.tool] });
      t.server.enqueue(oneCall());
      const entered = signalled();
      const controller = new AbortController();
      const toolEnd = sinon.spy();
      t.process.on('tool:end', toolEnd);
      const running = t.process.run('go', {
        signal: controller.signal,
        hooks: { beforeToolCall: () => (entered.resolve(), new Promise(() => {})) },
      });
      await entered.promise;
      controller.abort();
      const error = await running.catch((e: unknown) => e);
      expect(error).to.be.instanceOf(RunAbortedError);
      expect((error as RunAbortedError).reason).to.equal('aborted');
      expect(act.run.called).to.equal(false);
      expect(toolEnd.firstCall.args[0]).to.deep.include({ decision: 'cancelled', isError: true });
      expect(t.server.requests).to.have.length(1);
      expectValidHistory(t.process);
    });

    it('a hook that never settles does not hold the run past its timeoutMs either', async () => {
      t = await setupTest({ tools: [spyTool('act').tool] });
      t.server.enqueue(oneCall());
      const error = await t.process.run('go', { timeoutMs: 30, hooks: { beforeToolCall: () => new Promise(() => {}) } }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(RunAbortedError);
      expect((error as RunAbortedError).reason).to.equal('timeout');
      expectValidHistory(t.process);
    });
  });

  describe('afterToolCall', () => {
    it('{ result } replaces what the model gets, and the hook sees the call, its decision and its result', async () => {
      t = await setupTest({ tools: [spyTool('act').tool] });
      t.server.enqueue(oneCall(), textReply('done'));
      const afterToolCall = sinon.spy(() => ({ result: { content: '[redacted]', isError: false } }));
      const toolEnd = sinon.spy();
      t.process.on('tool:end', toolEnd);
      await t.process.run('go', { hooks: { afterToolCall } });
      expect((afterToolCall.firstCall.args as unknown[])[0]).to.deep.include({
        toolName: 'act',
        args: { value: 'v' },
        toolUseId: 'toolu_act',
        decision: 'ran',
        result: { content: 'act:v', isError: false },
      });
      expect(resultsSent(t, 1)[0]).to.deep.include({ content: [{ type: 'text', text: '[redacted]' }] });
      expect(toolEnd.firstCall.args[0]).to.deep.include({ result: { content: '[redacted]', isError: false } });
    });

    it('a hook that throws withholds the result (fail closed): the model never sees the tool output', async () => {
      t = await setupTest({ tools: [stubTool('act', async () => ({ content: 'SECRET-OUTPUT', isError: false }))] });
      t.server.enqueue(oneCall(), textReply('done'));
      const callbackError = sinon.spy();
      t.process.on('callback:error', callbackError);
      const result = await t.process.run('go', { hooks: { afterToolCall: () => { throw new Error('scanner down'); } } });
      expect(JSON.stringify(t.server.requests[1]!.body)).not.to.include('SECRET-OUTPUT');
      expect(resultsSent(t, 1)[0]).to.deep.include({ is_error: true });
      expect(callbackError.firstCall.args[0]).to.deep.include({ callback: 'afterToolCall', event: 'hook' });
      expect(result.toolCalls[0]).to.deep.include({ isError: true });
    });
  });

  describe('beforeRun', () => {
    it('{ input } rewrites the input the run sends; run:start carries the input as given', async () => {
      t = await setupTest();
      t.server.enqueue(textReply('hi'));
      const runStart = sinon.spy();
      t.process.on('run:start', runStart);
      const beforeRun = sinon.spy(({ input }: { input: string | object[] }) => ({ input: `${input} (please be brief)` }));
      await t.process.run('hello', { hooks: { beforeRun } });
      expect(messagesOf(t.server, 0)).to.deep.equal([{ role: 'user', content: [{ type: 'text', text: 'hello (please be brief)' }] }]);
      expect(runStart.firstCall.args[0]).to.deep.include({ input: 'hello' });
      expect((beforeRun.firstCall.args[0] as unknown as { signal: unknown }).signal).to.be.instanceOf(AbortSignal);
    });

    it('a hook that throws fails the run with a HookError naming it; nothing is sent and the next run works', async () => {
      t = await setupTest();
      const cause = new Error('filter down');
      const error = (await t.process.run('hello', { hooks: { beforeRun: () => { throw cause; } } }).catch((e: unknown) => e)) as HookError;
      expect(error).to.be.instanceOf(HookError);
      expect(error.hook).to.equal('beforeRun');
      expect(error.message).to.include('The beforeRun hook threw Error: filter down');
      expect(error.cause).to.equal(cause);
      expect(error.runResult).to.include({ stopReason: 'error', apiCalls: 0 });
      expect(t.server.requests).to.have.length(0);
      expect(t.process.getState()).to.deep.equal([]);
      t.server.enqueue(textReply('fine'));
      expect((await t.process.run('again')).stopReason).to.equal('end_turn');
    });

    it('an empty rewritten input is refused as a failure of the hook', async () => {
      t = await setupTest();
      const error = await t.process.run('hello', { hooks: { beforeRun: () => ({ input: ' ' }) } }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(HookError);
      expect((error as HookError).message).to.include('not a non-empty string');
    });

    it('a hook that never settles is abandoned when the run is aborted', async () => {
      t = await setupTest();
      const controller = new AbortController();
      const entered = signalled();
      const running = t.process.run('hello', { signal: controller.signal, hooks: { beforeRun: () => (entered.resolve(), new Promise(() => {})) } });
      await entered.promise;
      controller.abort();
      expect(await running.catch((e: unknown) => e)).to.be.instanceOf(RunAbortedError);
      expect(t.server.requests).to.have.length(0);
    });
  });

  describe('beforeModelCall', () => {
    it('sees each call\'s iteration and a copy of the conversation; { stop } ends the run with hook_stop and its reason, the history valid', async () => {
      t = await setupTest({ tools: [spyTool('act').tool] });
      t.server.enqueue(oneCall(), textReply('never sent'));
      const beforeModelCall = sinon.spy(({ iteration, messages }: { iteration: number; messages: unknown[] }) => {
        messages.length = 0;
        return iteration === 2 ? { stop: 'enough for today' } : undefined;
      });
      const result = await t.process.run('go', { hooks: { beforeModelCall } });
      expect(beforeModelCall.callCount).to.equal(2);
      expect(beforeModelCall.firstCall.args[0]).to.deep.include({ iteration: 1, model: 'claude-test' });
      expect(t.server.requests).to.have.length(1);
      expect(messagesOf(t.server, 0)).to.have.length(1);
      expect(result).to.include({ stopReason: 'hook_stop', stopDetail: 'enough for today', apiCalls: 1 });
      expect(result.toJSON()).to.deep.include({ stopReason: 'hook_stop', stopDetail: 'enough for today' });
      expect(t.process.getState().map((message) => message.role)).to.deep.equal(['user', 'assistant', 'user']);
      expectValidHistory(t.process);
    });

    it('a hook that throws fails the run with a HookError naming it, before the call', async () => {
      t = await setupTest();
      const error = (await t.process.run('go', { hooks: { beforeModelCall: async () => { throw new Error('quota service down'); } } }).catch((e: unknown) => e)) as HookError;
      expect(error).to.be.instanceOf(HookError);
      expect(error.hook).to.equal('beforeModelCall');
      expect(t.server.requests).to.have.length(0);
    });
  });

  describe('where hooks come from', () => {
    it("per hook, run() wins over start(), which wins over the program's", async () => {
      const server = await startFakeAnthropic();
      const programBefore = sinon.spy(() => ({ deny: 'program' }));
      const programAfter = sinon.spy(() => undefined);
      const startBefore = sinon.spy(() => ({ deny: 'start' }));
      const startModel = sinon.spy(() => undefined);
      const runBefore = sinon.spy(() => undefined);
      const program = new LLMProgram({ model: 'claude-test', tools: [spyTool('act').tool], hooks: { beforeToolCall: programBefore, afterToolCall: programAfter } });
      const process = await program.start({ apiKey: SENTINEL_API_KEY, baseURL: server.url, maxRetries: 0, hooks: { beforeToolCall: startBefore, beforeModelCall: startModel } });
      try {
        server.enqueue(oneCall(), textReply('1'), oneCall(), textReply('2'));
        await process.run('first');
        expect(startBefore.calledOnce, 'start over program').to.equal(true);
        expect(programBefore.called).to.equal(false);
        expect(programAfter.called, 'the program still gives afterToolCall').to.equal(false);
        await process.run('second', { hooks: { beforeToolCall: runBefore } });
        expect(runBefore.calledOnce, 'run over start').to.equal(true);
        expect(startBefore.calledOnce).to.equal(true);
        expect(programAfter.calledOnce, "afterToolCall from the program once the call runs").to.equal(true);
        expect(startModel.callCount).to.equal(4);
      } finally {
        await process.close();
        await server.close();
      }
    });

    it('refuses hooks that are not hook functions, naming the key', async () => {
      t = await setupTest();
      const unknown = await t.process.run('go', { hooks: { beforeToolcall: () => undefined } as never }).catch((e: unknown) => e);
      expect(unknown).to.be.instanceOf(InvalidArgumentError);
      expect((unknown as InvalidArgumentError).argument).to.equal('options.hooks.beforeToolcall');
      const notFunction = await t.process.run('go', { hooks: { beforeRun: 'yes' } as never }).catch((e: unknown) => e);
      expect((notFunction as InvalidArgumentError).argument).to.equal('options.hooks.beforeRun');
      const atStart = await new LLMProgram({ model: 'claude-test' }).start({ apiKey: SENTINEL_API_KEY, hooks: { after: () => undefined } as never }).catch((e: unknown) => e);
      expect((atStart as InvalidArgumentError).argument).to.equal('options.hooks.after');
      let programError: unknown;
      try {
        new LLMProgram({ model: 'claude-test', hooks: { beforeRun: 42 } as never });
      } catch (error) {
        programError = error;
      }
      expect(programError).to.be.instanceOf(ProgramError);
      expect((programError as ProgramError).keyPath).to.equal('hooks.beforeRun');
    });
  });

  describe('the hooks of a level, checked and merged', () => {
    const refusal = (hooks: unknown) => thrownBy(() => validateHooks(hooks, 'options.hooks'), InvalidArgumentError, JSON.stringify(hooks) ?? String(hooks));

    it('HOOK_NAMES are the four hooks, in the order a run meets them', () => {
      expect(HOOK_NAMES).to.deep.equal(['beforeRun', 'beforeModelCall', 'beforeToolCall', 'afterToolCall']);
    });

    it('validateHooks takes an object of hook functions, a hook set to undefined included', () => {
      expect(() => validateHooks({}, 'options.hooks')).not.to.throw();
      expect(() => validateHooks({ beforeRun: () => undefined, afterToolCall: undefined }, 'options.hooks')).not.to.throw();
    });

    it('validateHooks refuses what is not an object, saying what it is', () => {
      expect(refusal(null).message).to.equal('options.hooks: expected an object of hook functions, received null');
      expect(refusal([]).message).to.equal('options.hooks: expected an object of hook functions, received an array');
      expect(refusal(() => undefined).message).to.equal('options.hooks: expected an object of hook functions, received function');
      expect(refusal('x')).to.include({ argument: 'options.hooks', message: 'options.hooks: expected an object of hook functions, received string' });
    });

    it('validateHooks refuses an unknown hook or a hook that is not a function, naming its key', () => {
      expect(refusal({ beforeRun: () => undefined, before: () => undefined })).to.include({
        argument: 'options.hooks.before',
        message: 'options.hooks.before: unknown hook; valid hooks: beforeRun, beforeModelCall, beforeToolCall, afterToolCall',
      });
      expect(refusal({ beforeModelCall: null })).to.include({ argument: 'options.hooks.beforeModelCall', message: 'options.hooks.beforeModelCall: expected a function, received null' });
      expect(refusal({ afterToolCall: 1 }).message).to.equal('options.hooks.afterToolCall: expected a function, received number');
    });

    it('mergeHooks: per hook, the last level that has it wins; a missing level is skipped', () => {
      const [a, b, c] = [() => undefined, () => undefined, () => undefined];
      expect(mergeHooks()).to.deep.equal({});
      const merged = mergeHooks({ beforeRun: a, beforeToolCall: a }, undefined, { beforeToolCall: b, afterToolCall: undefined }, { afterToolCall: c });
      expect(merged).to.deep.equal({ beforeRun: a, beforeToolCall: b, afterToolCall: c });
      expect(Object.keys(mergeHooks({ beforeModelCall: undefined }))).to.deep.equal([]);
    });

    it('hookNames names the hooks that are functions, in HOOK_NAMES order', () => {
      expect(hookNames(undefined)).to.deep.equal([]);
      expect(hookNames({ afterToolCall: () => undefined, beforeRun: () => undefined, beforeToolCall: undefined })).to.deep.equal(['beforeRun', 'afterToolCall']);
    });
  });

  describe('callHook', () => {
    it('gives the hook its context and answers with what it returned or resolved with', async () => {
      const hook = sinon.spy((context: { n: number }) => context.n + 1);
      expect(await callHook(hook, { n: 1 }, new AbortController().signal)).to.deep.equal({ kind: 'answered', answer: 2 });
      expect(await callHook(async () => 'later', {}, new AbortController().signal)).to.deep.equal({ kind: 'answered', answer: 'later' });
      expect(await callHook(() => undefined, {}, new AbortController().signal)).to.deep.equal({ kind: 'answered', answer: undefined });
    });

    it('a sync throw and a rejection of anything are failures, never thrown', async () => {
      const error = new Error('x');
      expect(await callHook(() => { throw error; }, {}, new AbortController().signal)).to.deep.equal({ kind: 'failed', error });
      expect(await callHook(() => Promise.reject(undefined), {}, new AbortController().signal)).to.deep.equal({ kind: 'failed', error: undefined });
    });

    it('does not call the hook once the signal aborted, and stops waiting when it aborts', async () => {
      const controller = new AbortController();
      controller.abort();
      const hook = sinon.spy(() => undefined);
      expect(await callHook(hook, {}, controller.signal)).to.deep.equal({ kind: 'aborted' });
      expect(hook.called).to.equal(false);
      const later = new AbortController();
      const entered = signalled();
      const waiting = callHook(() => (entered.resolve(), new Promise(() => {})), {}, later.signal);
      await entered.promise;
      later.abort();
      expect(await waiting).to.deep.equal({ kind: 'aborted' });
    });

    it('a hook failure that arrives as the run aborts is aborted, not failed', async () => {
      // The abort lands just after the wait for the hook has seen its rejection (when it stops
      // listening to the signal), before callHook reads the outcome.
      const controller = new AbortController();
      const { signal } = controller;
      const stopListening = signal.removeEventListener.bind(signal);
      signal.removeEventListener = (...args: Parameters<AbortSignal['removeEventListener']>) => {
        stopListening(...args);
        controller.abort();
      };
      const outcome = await callHook(() => Promise.reject(new Error('aborted under me')), {}, signal);
      expect(signal.aborted).to.equal(true);
      expect(outcome).to.deep.equal({ kind: 'aborted' });
    });

    it('a hook that throws because the run was aborted is aborted, not failed', async () => {
      const controller = new AbortController();
      const outcome = await callHook(() => { controller.abort(); throw new Error('aborted under me'); }, {}, controller.signal);
      expect(outcome).to.deep.equal({ kind: 'aborted' });
    });
  });

  it('emitHookWarning writes an LLMProcHookWarning naming the hook and the failure', () => {
    const warn = sinon.stub(process, 'emitWarning');
    emitHookWarning('beforeRun', new TypeError('bad'));
    emitHookWarning('afterToolCall', 'plain');
    expect(warn.firstCall.args).to.deep.equal(['The beforeRun hook failed (it failed closed): TypeError: bad', { type: 'LLMProcHookWarning' }]);
    expect(warn.secondCall.args).to.deep.equal(['The afterToolCall hook failed (it failed closed): plain', { type: 'LLMProcHookWarning' }]);
  });
});

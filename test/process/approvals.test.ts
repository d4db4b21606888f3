/**
 * Tool approvals (issue 16): a call that needs approval pauses the run; approve(), deny() and
 * resume() finish it, with one RunResult for the whole run and a conversation that stays valid
 * (R5, R6) — while paused the history ends with the assistant turn, and nothing else may run.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import * as v from 'valibot';
import { ApprovalError, InvalidArgumentError, RunAbortedError, ResumeError, UnfinishedRunError } from '../../lib/errors.js';
import { type ApprovalRecord, decideApproval, pendingOf, toolRequiresApproval } from '../../lib/process/approvals.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { textReply, toolUseReply } from '../../lib/testing/index.js';
import { defineTool } from '../../lib/tools/function-tool.js';
import type { Tool, ToolResult } from '../../lib/tools/tool.js';
import { echoMcpProgram, expectValidHistory, listenerCounts, messagesOf } from '../reliability/support.js';
import { setupTest, signalled, type TestSetup } from '../support/setup.js';
import { stubTool } from '../support/tools.js';
import { thrownBy } from '../support/thrown-by.js';

function spyTool(name: string, options: { requireApproval?: boolean } = {}) {
  const run = sinon.spy(async (input: Record<string, unknown>): Promise<ToolResult> => ({ content: `${name}:${String(input['value'])}`, isError: false }));
  const tool: Tool = { ...stubTool(name, run), ...(options.requireApproval ? { requireApproval: true } : {}) };
  return { tool, run };
}

/** A turn calling `read` (no approval needed) and `send` (needs approval). */
const mixedTurn = () =>
  toolUseReply([
    { name: 'read', input: { value: 'r' }, id: 'toolu_read' },
    { name: 'send', input: { value: 's' }, id: 'toolu_send' },
  ]);

function resultsSent(t: TestSetup, index: number): Array<Record<string, unknown>> {
  return messagesOf(t.server, index).at(-1)!.content.filter((block) => block.type === 'tool_result');
}

describe('tool approvals', () => {
  let t: TestSetup | undefined;
  let read: ReturnType<typeof spyTool>;
  let send: ReturnType<typeof spyTool>;
  beforeEach(() => {
    read = spyTool('read');
    send = spyTool('send', { requireApproval: true });
  });
  afterEach(async () => {
    sinon.restore();
    await t?.close();
    t = undefined;
  });

  describe('when a call needs approval and no hook decides', () => {
    beforeEach(async () => {
      t = await setupTest({ tools: [read.tool, send.tool] });
      t.server.enqueue(mixedTurn(), textReply('All sent.'));
    });

    it('run() resolves with awaiting_approval and the pending call; the other call ran; the history ends with the assistant turn', async () => {
      const before = listenerCounts(t!.process);
      const runEnd = sinon.spy();
      t!.process.on('run:end', runEnd);
      const result = await t!.process.run('read then send');
      expect(result).to.include({ stopReason: 'awaiting_approval', apiCalls: 1, completed: true });
      const pending = [{ id: 'toolu_send', toolName: 'send', args: { value: 's' } }];
      expect(result.pendingApprovals).to.deep.equal(pending);
      expect(t!.process.pendingApprovals).to.deep.equal(pending);
      expect(result.toJSON().pendingApprovals).to.deep.equal(pending);
      expect(read.run.calledOnce, 'the call that needs no approval ran before the pause').to.equal(true);
      expect(send.run.called).to.equal(false);
      expect(result.toolCalls.map((call) => [call.toolName, call.decision])).to.deep.equal([['read', 'ran']]);
      expect(t!.process.getState().at(-1)!.role).to.equal('assistant');
      expect(t!.server.requests).to.have.length(1);
      expect(runEnd.calledOnce).to.equal(true);
      t!.process.off('run:end', runEnd);
      expect(listenerCounts(t!.process)).to.deep.equal(before);
    });

    it('approve() then resume() runs it and finishes the same run: one RunResult, both results in one message, in order', async () => {
      const paused = await t!.process.run('read then send');
      const runStart = sinon.spy();
      t!.process.on('run:start', runStart);
      t!.process.approve('toolu_send');
      expect(t!.process.pendingApprovals).to.deep.equal([]);
      const result = await t!.process.resume();
      expect(result).to.equal(paused);
      expect(result).to.include({ stopReason: 'end_turn', apiCalls: 2, lastMessage: 'All sent.' });
      expect(result.pendingApprovals).to.deep.equal([]);
      expect(result.toolCalls.map((call) => [call.toolName, call.decision])).to.deep.equal([['read', 'ran'], ['send', 'approved']]);
      expect(read.run.calledOnce, 'not run again').to.equal(true);
      expect(runStart.firstCall.args[0]).to.deep.include({ input: 'read then send', resumed: true });
      expect(resultsSent(t!, 1)).to.deep.equal([
        { type: 'tool_result', tool_use_id: 'toolu_read', content: [{ type: 'text', text: 'read:r' }] },
        { type: 'tool_result', tool_use_id: 'toolu_send', content: [{ type: 'text', text: 'send:s' }] },
      ]);
      expectValidHistory(t!.process);
    });

    it('approve(id, { args }) runs it with those arguments, recording the original ones', async () => {
      await t!.process.run('read then send');
      t!.process.approve('toolu_send', { args: { value: 'edited' } });
      const result = await t!.process.resume();
      expect(send.run.firstCall.args[0]).to.deep.equal({ value: 'edited' });
      expect(result.toolCalls[1]).to.deep.include({ decision: 'approved', args: { value: 'edited' }, originalArgs: { value: 's' } });
    });

    it('deny(id, reason) does not run it: the model gets is_error with the reason', async () => {
      await t!.process.run('read then send');
      t!.process.deny('toolu_send', 'the user said no');
      const result = await t!.process.resume();
      expect(send.run.called).to.equal(false);
      expect(resultsSent(t!, 1)[1]).to.deep.equal({
        type: 'tool_result',
        tool_use_id: 'toolu_send',
        content: [{ type: 'text', text: 'The call to "send" was not approved: the user said no' }],
        is_error: true,
      });
      expect(result.toolCalls[1]).to.deep.include({ decision: 'rejected', isError: true });
    });

    it('a new run() while approvals are pending is refused with UnfinishedRunError, changing nothing', async () => {
      await t!.process.run('read then send');
      const state = t!.process.getState();
      const error = (await t!.process.run('something else').catch((e: unknown) => e)) as UnfinishedRunError;
      expect(error).to.be.instanceOf(UnfinishedRunError);
      expect(error.pendingApprovals).to.deep.equal(['toolu_send']);
      expect(error.message).to.include('approve() or deny() each, then resume()');
      expect(t!.process.getState()).to.deep.equal(state);
      expect(t!.server.requests).to.have.length(1);
      expect(() => t!.process.fork()).to.throw(UnfinishedRunError);
    });

    it('resume() with an undecided call, and approve() of an unknown id, are refused clearly', async () => {
      await t!.process.run('read then send');
      const undecided = (await t!.process.resume().catch((e: unknown) => e)) as ResumeError;
      expect(undecided).to.be.instanceOf(ResumeError);
      expect(undecided.undecided).to.deep.equal(['toolu_send']);
      const unknown = (() => {
        try {
          t!.process.approve('toolu_nope');
        } catch (error) {
          return error as ApprovalError;
        }
        return undefined;
      })();
      expect(unknown).to.be.instanceOf(ApprovalError);
      expect(unknown!.toolUseId).to.equal('toolu_nope');
      expect(unknown!.pending).to.deep.equal(['toolu_send']);
    });

    it('resetState() drops the paused run, and the process runs again', async () => {
      await t!.process.run('read then send');
      t!.process.resetState();
      expect(t!.process.pendingApprovals).to.deep.equal([]);
      t!.server.enqueue(textReply('fresh'));
      expect((await t!.process.run('hello')).stopReason).to.equal('end_turn');
    });
  });

  it('resume() without a paused run is refused with ResumeError', async () => {
    t = await setupTest();
    expect(await t.process.resume().catch((e: unknown) => e)).to.be.instanceOf(ResumeError);
  });

  it('a run can pause more than once; the RunResult accumulates every part, and maxIterations counts them all', async () => {
    t = await setupTest({ tools: [read.tool, send.tool] });
    t.server.enqueue(
      toolUseReply([{ name: 'send', input: { value: '1' }, id: 'toolu_1' }]),
      toolUseReply([{ name: 'send', input: { value: '2' }, id: 'toolu_2' }]),
      toolUseReply([{ name: 'read', input: { value: '3' }, id: 'toolu_3' }]),
    );
    const first = await t.process.run('send twice', { maxIterations: 3 });
    t.process.approve('toolu_1');
    const second = await t.process.resume();
    expect(second).to.include({ stopReason: 'awaiting_approval', apiCalls: 2 });
    expect(second.pendingApprovals.map((approval) => approval.id)).to.deep.equal(['toolu_2']);
    t.process.approve('toolu_2');
    const done = await t.process.resume();
    expect(done).to.equal(first);
    expect(done).to.include({ stopReason: 'max_iterations', apiCalls: 3 });
    expect(done.toolCalls.map((call) => call.toolUseId)).to.deep.equal(['toolu_1', 'toolu_2', 'toolu_3']);
    expectValidHistory(t.process);
  });

  it('[tools] require_approval globs make builtin tools wait (TOML)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'llmproc-approval-'));
    try {
      const file = path.join(dir, 'program.toml');
      writeFileSync(file, '[model]\nname = "claude-test"\nprovider = "anthropic"\n\n[tools]\nenabled = ["calculator"]\nrequire_approval = ["calc*"]\n');
      const program = LLMProgram.fromToml(file);
      expect(program.requireApproval).to.deep.equal(['calc*']);
      t = await setupTest(program);
      t.server.enqueue(toolUseReply([{ name: 'calculator', input: { expression: '6*7' }, id: 'toolu_calc' }]), textReply('42'));
      const result = await t.process.run('6*7?');
      expect(result.pendingApprovals).to.deep.equal([{ id: 'toolu_calc', toolName: 'calculator', args: { expression: '6*7' } }]);
      t.process.approve('toolu_calc');
      await t.process.resume();
      expect(resultsSent(t, 1)[0]).to.deep.include({ content: [{ type: 'text', text: '42' }] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('requireApproval globs reach MCP tools (`echo__*`), and defineTool takes requireApproval', async () => {
    const mcp = echoMcpProgram(['echo']);
    const gated = defineTool({ name: 'gated', description: 'Needs approval.', input: v.object({}), requireApproval: true, run: () => 'ran' });
    expect(gated.requireApproval).to.equal(true);
    const program = new LLMProgram({ model: 'claude-test', mcp: { configPath: mcp.program.mcp!.configPath, tools: { echo: ['echo'] } }, requireApproval: ['echo__*'], tools: [gated] });
    try {
      t = await setupTest(program);
      t.server.enqueue(toolUseReply([{ name: 'echo__echo', input: { text: 'hi' }, id: 'toolu_mcp' }, { name: 'gated', input: {}, id: 'toolu_fn' }]));
      const result = await t.process.run('echo');
      expect(result.pendingApprovals.map((approval) => approval.id)).to.deep.equal(['toolu_mcp', 'toolu_fn']);
    } finally {
      mcp.remove();
    }
  });

  it('beforeToolCall { pause: true } pauses a call that needs no approval; { args } on one that does pauses it with the new arguments', async () => {
    t = await setupTest({ tools: [read.tool, send.tool] });
    t.server.enqueue(mixedTurn(), textReply('ok'));
    const result = await t.process.run('go', {
      hooks: { beforeToolCall: ({ toolName }) => (toolName === 'read' ? { pause: true } : { args: { value: 'from hook' } }) },
    });
    expect(result.pendingApprovals).to.deep.equal([
      { id: 'toolu_read', toolName: 'read', args: { value: 'r' } },
      { id: 'toolu_send', toolName: 'send', args: { value: 'from hook' } },
    ]);
    expect(read.run.called).to.equal(false);
    t.process.approve('toolu_read');
    t.process.approve('toolu_send');
    const done = await t.process.resume();
    expect(send.run.firstCall.args[0]).to.deep.equal({ value: 'from hook' });
    expect(done.toolCalls[1]).to.deep.include({ decision: 'approved', originalArgs: { value: 's' } });
  });

  it('an abort while a call runs beside one waiting for approval cancels the waiting one: run() rejects, every tool_use answered', async () => {
    const started = signalled();
    const slow = stubTool('slow', (_input, { signal }) => new Promise<ToolResult>((resolve) => {
      started.resolve();
      signal.addEventListener('abort', () => resolve({ content: 'stopped', isError: false }), { once: true });
    }));
    t = await setupTest({ tools: [slow, send.tool] });
    t.server.enqueue(toolUseReply([{ name: 'slow', input: {}, id: 'toolu_slow' }, { name: 'send', input: { value: 's' }, id: 'toolu_send' }]));
    const controller = new AbortController();
    const toolEnd = sinon.spy();
    t.process.on('tool:end', toolEnd);
    const running = t.process.run('go', { signal: controller.signal });
    await started.promise;
    controller.abort();
    expect(await running.catch((e: unknown) => e)).to.be.instanceOf(RunAbortedError);
    expect(t.process.pendingApprovals).to.deep.equal([]);
    expect(toolEnd.args.map(([event]) => [event.toolUseId, event.decision])).to.deep.include(['toolu_send', 'cancelled']);
    expectValidHistory(t.process);
    t.server.enqueue(textReply('again'));
    expect((await t.process.run('next')).stopReason).to.equal('end_turn');
  });

  describe('the approval records', () => {
    const records = (): ApprovalRecord[] => [
      { id: 'toolu_a', toolName: 'send', args: { to: 'a' }, status: 'pending' },
      { id: 'toolu_b', toolName: 'send', args: { to: 'b' }, status: 'approved' },
      { id: 'toolu_c', toolName: 'mail', args: { to: 'c' }, status: 'denied', reason: 'no' },
    ];

    it('toolRequiresApproval: the tool\'s own requireApproval, or a glob matching its name', () => {
      const tool = stubTool('send_mail', async () => ({ content: '', isError: false }));
      expect(toolRequiresApproval(undefined, ['*'])).to.equal(false);
      expect(toolRequiresApproval(tool, [])).to.equal(false);
      expect(toolRequiresApproval(tool, ['send_*'])).to.equal(true);
      expect(toolRequiresApproval(tool, ['read_*'])).to.equal(false);
      expect(toolRequiresApproval({ ...tool, requireApproval: true }, [])).to.equal(true);
      expect(toolRequiresApproval({ ...tool, requireApproval: false }, ['send_mail'])).to.equal(true);
    });

    it('pendingOf lists the calls still waiting, as copies', () => {
      const list = records();
      const pending = pendingOf(list);
      expect(pending).to.deep.equal([{ id: 'toolu_a', toolName: 'send', args: { to: 'a' } }]);
      expect(pending[0]!.args).not.to.equal(list[0]!.args);
    });

    it('approving records it, with a copy of new arguments and the model\'s kept once, and drops a reason given before', () => {
      const list = records();
      const args = { to: 'x' };
      decideApproval(list, 'toolu_c', { approve: true });
      expect(list[2]).to.deep.equal({ id: 'toolu_c', toolName: 'mail', args: { to: 'c' }, status: 'approved' });
      decideApproval(list, 'toolu_a', { approve: true, args });
      expect(list[0]).to.deep.equal({ id: 'toolu_a', toolName: 'send', args: { to: 'x' }, originalArgs: { to: 'a' }, status: 'approved' });
      expect(list[0]!.args).not.to.equal(args);
      decideApproval(list, 'toolu_a', { approve: true, args: { to: 'y' } });
      expect(list[0]).to.deep.include({ args: { to: 'y' }, originalArgs: { to: 'a' } });
      decideApproval(list, 'toolu_a', { approve: true, args: undefined });
      expect(list[0]).to.deep.include({ args: { to: 'y' }, originalArgs: { to: 'a' } });
    });

    it('denying records it with the reason, also after an approval', () => {
      const list = records();
      decideApproval(list, 'toolu_b', { approve: false, reason: 'changed my mind' });
      expect(list[1]).to.deep.equal({ id: 'toolu_b', toolName: 'send', args: { to: 'b' }, status: 'denied', reason: 'changed my mind' });
    });

    it('refuses an unknown id, naming those waiting, and arguments or a reason of the wrong type', () => {
      const unknown = thrownBy(() => decideApproval(records(), 'toolu_x', { approve: true }), ApprovalError, 'an unknown id');
      expect(unknown).to.deep.include({ toolUseId: 'toolu_x', pending: ['toolu_a'] });
      expect(unknown.message).to.equal('No tool call "toolu_x" is waiting for approval; waiting: toolu_a.');
      const odd = thrownBy(() => decideApproval(records(), 7 as never, { approve: true }), ApprovalError, 'an id that is not a string');
      expect(odd.toolUseId).to.equal('7');
      const list = records();
      const args = thrownBy(() => decideApproval(list, 'toolu_a', { approve: true, args: [] as never }), InvalidArgumentError, 'array args');
      expect(args.message).to.equal('options.args: expected an object of arguments');
      const reason = thrownBy(() => decideApproval(list, 'toolu_a', { approve: false, reason: 3 as never }), InvalidArgumentError, 'a number reason');
      expect(reason.message).to.equal('reason: expected a string, received number');
      expect(list, 'nothing changed').to.deep.equal(records());
    });
  });
});

/**
 * What `import ... from 'llmproc'` offers: every type a public payload uses, and every error
 * class, each an LLMProcError.
 */
import { expect } from 'chai';
import * as llmproc from '../lib/index.js';
import type { ApiCallEvent, ChildOrigin, ToolStartEvent } from '../lib/index.js';

describe('the public surface (lib/index.ts)', () => {
  it('exports ChildOrigin, the type of the child field of api:call, tool:start and tool:end payloads', () => {
    const child: ChildOrigin = { program: 'Expert', processId: 'proc-1', via: 'spawn' };
    const start: Pick<ToolStartEvent, 'child'> = { child };
    const call: Pick<ApiCallEvent, 'child'> = { child };
    expect(start.child).to.equal(call.child);
  });

  it('ExpressionError, thrown by evaluateExpression, is an LLMProcError with its name and position', () => {
    let thrown: unknown;
    try {
      llmproc.evaluateExpression('1 +');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.be.instanceOf(llmproc.ExpressionError).and.to.be.instanceOf(llmproc.LLMProcError);
    expect(thrown).to.include({ name: 'ExpressionError', position: 3 });
  });

  it('exports every error class, each an LLMProcError', () => {
    const errors = Object.entries(llmproc).filter(([name, value]) => typeof value === 'function' && name.endsWith('Error') && value !== llmproc.LLMProcError);
    expect(errors.map(([name]) => name)).to.include.members(['ProcessClosedError', 'ExpressionError', 'RunError', 'ProgramError']);
    for (const [name, value] of errors) expect((value as { prototype: unknown }).prototype, name).to.be.instanceOf(llmproc.LLMProcError);
  });

  it("pins LLMProcess's public methods and getters: what users call, nothing that exists only for the builtins (they get capabilities)", () => {
    const members = Object.getOwnPropertyNames(llmproc.LLMProcess.prototype).filter((name) => name !== 'constructor').sort();
    expect(members).to.deep.equal([
      'approve', 'close', 'deny', 'emit', 'fork', 'getLastMessage', 'getState', 'messageIds', 'model', 'onListenerError', 'pendingApprovals',
      'preloadFiles', 'resetState', 'resume', 'rewind', 'run', 'running', 'snapshot', 'stream', 'systemPrompt', 'toJSON', 'tools',
    ]);
    for (const internal of ['startChild', 'runChild', 'adoptChild', 'prepareForkOf', 'restoreState']) expect(members, internal).not.to.include(internal);
    expect(Object.getOwnPropertyNames(llmproc.LLMProcess).sort(), 'no static members').to.deep.equal(['length', 'name', 'prototype']);
  });

  it('exports RewindError, an LLMProcError with its reason and message id', () => {
    const error = new llmproc.RewindError('ahead', 'msg_9', 'Cannot go back to msg_9: ...');
    expect(error).to.be.instanceOf(llmproc.LLMProcError);
    expect(error).to.include({ name: 'RewindError', reason: 'ahead', messageId: 'msg_9' });
  });
});

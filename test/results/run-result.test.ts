import { expect } from 'chai';
import { EventEmitter } from 'eventemitter3';
import type { ApiCallEvent, LLMProcessEvents } from '../../lib/process/events.js';
import { RunResult } from '../../lib/results/run-result.js';

function apiCall(input: number, output: number, extra: Partial<ApiCallEvent['tokens']> = {}): ApiCallEvent {
  return {
    model: 'claude-test',
    usage: { input_tokens: input, output_tokens: output },
    tokens: { inputTokens: input, outputTokens: output, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, ...extra },
    stopReason: 'end_turn',
    id: `msg_${input}`,
    costUsd: null,
    durationMs: 5,
  };
}

describe('RunResult', () => {
  it('accumulates api:call and tool:end events while listening, and stops after detaching', () => {
    const emitter = new EventEmitter<LLMProcessEvents>();
    const result = new RunResult(1000);
    const detach = result.listen(emitter);
    emitter.emit('api:call', apiCall(10, 5, { cacheReadInputTokens: 3 }));
    emitter.emit('api:call', apiCall(20, 7, { cacheCreationInputTokens: 4 }));
    emitter.emit('tool:end', {
      toolName: 't', args: {}, toolUseId: 'toolu_1', result: { content: '', isError: true }, durationMs: 2, isError: true, source: 'function',
    });
    detach();
    emitter.emit('api:call', apiCall(99, 99));
    expect(result.apiCalls).to.equal(2);
    expect(result.usage).to.deep.equal({ inputTokens: 30, outputTokens: 12, cacheReadInputTokens: 3, cacheCreationInputTokens: 4 });
    expect(result.toolCalls).to.have.length(1);
    expect(result.toolCalls[0]).to.include({ toolName: 't', isError: true, source: 'function' });
    expect(emitter.listenerCount('api:call')).to.equal(0);
    expect(emitter.listenerCount('tool:end')).to.equal(0);
  });

  it('is finalized once by complete()', () => {
    const result = new RunResult(1000);
    expect(result.completed).to.equal(false);
    result.complete({ stopReason: 'end_turn', lastMessage: 'hi' }, 1250);
    result.complete({ stopReason: 'error', lastMessage: 'later' }, 9999);
    expect(result).to.include({ completed: true, endTime: 1250, durationMs: 250, stopReason: 'end_turn', lastMessage: 'hi' });
  });

  it('serializes to plain data with toJSON()', () => {
    const result = new RunResult(1000);
    result.addApiCall(apiCall(1, 2));
    result.complete({ stopReason: 'end_turn', lastMessage: 'done' }, 1010);
    const json = JSON.parse(JSON.stringify(result));
    expect(json).to.deep.include({ apiCalls: 1, startTime: 1000, endTime: 1010, durationMs: 10, stopReason: 'end_turn', lastMessage: 'done' });
    expect(json.apiCallInfos[0]).to.deep.include({ id: 'msg_1', usage: { input_tokens: 1, output_tokens: 2 } });
  });
  it('comes back from its plain data with RunResult.fromJSON: the same calls, totals, start and end', () => {
    const result = new RunResult(1000);
    result.addApiCall({ ...apiCall(10, 5), costUsd: 0.25 });
    result.addApiCall({ ...apiCall(20, 7, { cacheReadInputTokens: 3 }), costUsd: 0.5 });
    result.addToolCall({ toolName: 't', args: { a: 1 }, result: { content: 'x', isError: false }, toolUseId: 'toolu_1', durationMs: 2, isError: false, source: 'function', decision: 'modified', originalArgs: { a: 0 } });
    result.complete({ stopReason: 'awaiting_approval', lastMessage: 'wait', pendingApprovals: [{ id: 'toolu_2', toolName: 't', args: {} }] }, 1100);
    const json = JSON.parse(JSON.stringify(result));
    const again = RunResult.fromJSON(json);
    expect(JSON.parse(JSON.stringify(again))).to.deep.equal(json);
    expect(again).to.include({ apiCalls: 2, costUsd: 0.75, totalTokens: 45, completed: true, stopReason: 'awaiting_approval' });
    expect(again.toolCalls[0]).to.deep.include({ decision: 'modified', originalArgs: { a: 0 } });
    expect(again.pendingApprovals).to.deep.equal([{ id: 'toolu_2', toolName: 't', args: {} }]);
  });

  it('is opened again by reopen() (a resumed run), keeping what it recorded', () => {
    const result = new RunResult(1000);
    result.addApiCall(apiCall(1, 2));
    result.complete({ stopReason: 'hook_stop', lastMessage: 'x', stopDetail: 'enough' }, 1010);
    expect(result.stopDetail).to.equal('enough');
    result.reopen();
    expect(result).to.include({ completed: false, stopReason: undefined, stopDetail: undefined, apiCalls: 1 });
    result.complete({ stopReason: 'end_turn', lastMessage: 'done' }, 1020);
    expect(result).to.include({ endTime: 1020, stopReason: 'end_turn', apiCalls: 1 });
    expect(result.toJSON()).not.to.have.property('stopDetail');
  });
});

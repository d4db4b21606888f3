import { expect } from 'chai';
import { EventEmitter } from 'eventemitter3';
import { inspect } from 'node:util';
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

  describe('when inspected or serialized', () => {
    /** A finished result of two calls and a tool call, with the float noise real timings have. */
    function noisyResult(): RunResult {
      const result = new RunResult(1000);
      result.addApiCall({ ...apiCall(10, 5), durationMs: 12.345678900000001, timeToFirstTokenMs: 3.0000000000000004, costUsd: 0.1 + 0.2 });
      result.addApiCall({ ...apiCall(20, 7), durationMs: 0.5054890000000114, costUsd: 0.0000001 + 0.0000002 });
      result.addToolCall({
        toolName: 'calculator', args: { expression: '1+1' }, toolUseId: 'toolu_1', result: { content: '2', isError: false },
        durationMs: 0.5054890000000114, isError: false, source: 'builtin',
      });
      return result.complete({ stopReason: 'end_turn', lastMessage: 'two' }, 1037);
    }

    it('console.log and util.inspect show its fields, not only startTime', () => {
      const shown = inspect(noisyResult());
      expect(shown).to.match(/^RunResult \{/);
      for (const field of ['apiCalls: 2', 'totalTokens: 42', 'costUsd: 0.3000003', 'endTime: 1037', 'durationMs: 37', "stopReason: 'end_turn'", "lastMessage: 'two'", 'completed: true']) {
        expect(shown).to.include(field);
      }
      expect(inspect({ a: { b: { c: noisyResult() } } })).to.include('c: [RunResult]');
    });

    it('toJSON() has every documented field', () => {
      const json = noisyResult().toJSON();
      expect(Object.keys(json).sort()).to.deep.equal(
        ['apiCallInfos', 'apiCalls', 'completed', 'costUsd', 'durationMs', 'endTime', 'lastMessage', 'startTime', 'stopReason', 'toolCalls', 'totalTokens', 'usage'],
      );
      expect(json).to.deep.include({ totalTokens: 42, completed: true, apiCalls: 2 });
    });

    it('rounds durations to the microsecond and costs to 1e-9 USD in JSON', () => {
      const result = noisyResult();
      const json = JSON.parse(JSON.stringify(result));
      expect(json.apiCallInfos.map((call: { durationMs: number }) => call.durationMs)).to.deep.equal([12.346, 0.505]);
      expect(json.apiCallInfos[0].timeToFirstTokenMs).to.equal(3);
      expect(json.apiCallInfos.map((call: { costUsd: number }) => call.costUsd)).to.deep.equal([0.3, 0.0000003]);
      expect(json.toolCalls[0].durationMs).to.equal(0.505);
      expect(json.costUsd).to.equal(0.3000003);
      expect(result.costUsd, 'the getter too').to.equal(0.3000003);
      expect(result.apiCallInfos[0]!.durationMs, 'the recorded calls keep their exact timings').to.equal(12.345678900000001);
    });

    it('keeps a cost it does not know as null', () => {
      const result = new RunResult(1000);
      result.addApiCall(apiCall(1, 1));
      expect(result.toJSON()).to.include({ costUsd: null });
      expect(result.toJSON().apiCallInfos[0]).to.include({ costUsd: null });
    });
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

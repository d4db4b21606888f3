import { expect } from 'chai';
import { EventEmitter } from 'eventemitter3';
import { inspect } from 'node:util';
import type { ApiCallEvent, LLMProcessEvents, ToolEndEvent } from '../../lib/process/events.js';
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

function toolEnd(toolUseId: string, extra: Partial<ToolEndEvent> = {}): ToolEndEvent {
  return {
    toolName: 'alpha',
    args: { value: toolUseId },
    toolUseId,
    result: { content: 'secret output that RunResult does not keep', isError: false },
    durationMs: 3,
    isError: false,
    source: 'function',
    ...extra,
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

  it('comes back from the plain data of a run still going: not completed, its last message and rewinds kept', () => {
    const result = new RunResult(1000);
    result.addApiCall(apiCall(10, 5));
    result.addRewind({ from: 'msg_4', to: 'msg_2', messageId: 'msg_5', removed: 3, instruction: 'not kept', via: 'goto', toolUseId: 'toolu_9', at: 1050 });
    const json = { ...result.toJSON(), lastMessage: 'so far' };
    const again = RunResult.fromJSON(json);
    expect(again).to.include({ completed: false, endTime: undefined, stopReason: undefined, lastMessage: 'so far' });
    expect(again.rewinds).to.deep.equal([{ from: 'msg_4', to: 'msg_2', messageId: 'msg_5', removed: 3, via: 'goto', toolUseId: 'toolu_9', at: 1050 }]);
    const endedWithoutReason = RunResult.fromJSON({ ...json, endTime: 1100 });
    expect(endedWithoutReason, 'an end time without a stop reason is not a completed run').to.include({ completed: false, lastMessage: 'so far' });
    const reasonWithoutEnd = RunResult.fromJSON({ ...json, stopReason: 'end_turn' });
    expect(reasonWithoutEnd, 'a stop reason without an end time is not a completed run').to.include({ completed: false, stopReason: undefined });
  });

  describe('util.inspect at a given depth', () => {
    function deepResult(): RunResult {
      const result = new RunResult(1000);
      result.addApiCall(apiCall(1, 2));
      return result.complete({ stopReason: 'end_turn', lastMessage: 'hi' }, 1250);
    }

    it('shows its fields one level down per level of depth, as a plain object would', () => {
      expect(inspect(deepResult(), { depth: 0 })).to.equal('RunResult [Object]');
      const one = inspect(deepResult(), { depth: 1 });
      expect(one).to.match(/^RunResult \{/);
      expect(one).to.include('apiCallInfos: [Array]').and.include('usage: [Object]').and.include('apiCalls: 1');
      const all = inspect(deepResult(), { depth: null });
      expect(all, 'depth: null shows everything').to.include('usage: { input_tokens: 1, output_tokens: 2 }').and.include('cacheReadInputTokens: 0');
      expect(all).not.to.include('[Object]');
    });

    it('is [RunResult] below the depth, styled as special, and passes the colors on', () => {
      expect(inspect({ nested: deepResult() }, { depth: 0, colors: true })).to.equal(`{ nested: \x1b[${inspect.colors[inspect.styles.special]![0]}m[RunResult]\x1b[${inspect.colors[inspect.styles.special]![1]}m }`);
      expect(inspect(deepResult(), { depth: 1, colors: true }), 'numbers in color').to.include(`apiCalls: \x1b[${inspect.colors[inspect.styles.number]![0]}m1`);
    });
  });

  it('counts file descriptors kept and pages read, and keeps them through toJSON and fromJSON (absent from the JSON when none)', () => {
    const result = new RunResult(1000);
    expect(result.fileDescriptors).to.deep.equal({ created: 0, bytesKept: 0, pagesRead: 0 });
    expect(result.toJSON()).not.to.have.property('fileDescriptors');
    result.addFileDescriptor({ fd: 'fd:1', toolName: 't', toolUseId: 'toolu_1', chars: 10, bytes: 14, pages: 2, pageSize: 5, originalChars: 10 });
    result.addFileDescriptorRead({ fd: 'fd:1', toolUseId: 'toolu_2', page: 2, offset: 5, chars: 5 });
    result.addFileDescriptorRead({ fd: 'fd:1', toolUseId: 'toolu_3', offset: 0, chars: 3 });
    expect(result.toJSON().fileDescriptors).to.deep.equal({ created: 1, bytesKept: 14, pagesRead: 2 });
    expect(RunResult.fromJSON(JSON.parse(JSON.stringify(result))).fileDescriptors).to.deep.equal({ created: 1, bytesKept: 14, pagesRead: 2 });
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

  it('shows cache reads and writes per call and in the totals, the 1-hour writes apart only when there are some', () => {
    const result = new RunResult(1000);
    result.addApiCall(apiCall(10, 5, { cacheCreationInputTokens: 1500 }));
    expect(result.usage).to.deep.equal({ inputTokens: 10, outputTokens: 5, cacheReadInputTokens: 0, cacheCreationInputTokens: 1500 });
    result.addApiCall(apiCall(0, 5, { cacheReadInputTokens: 1500, cacheCreationInputTokens: 300, cacheCreation1hInputTokens: 300 }));
    expect(result.apiCallInfos.map((call) => [call.tokens.cacheReadInputTokens, call.tokens.cacheCreationInputTokens])).to.deep.equal([[0, 1500], [1500, 300]]);
    expect(result.usage).to.deep.equal({ inputTokens: 10, outputTokens: 10, cacheReadInputTokens: 1500, cacheCreationInputTokens: 1800, cacheCreation1hInputTokens: 300 });
    expect(result.totalTokens).to.equal(3320);
    expect(RunResult.fromJSON(result.toJSON()).usage).to.deep.equal(result.usage);
  });

  it('counts every kind of token in totalTokens: input, output, cache reads and cache writes', () => {
    const result = new RunResult();
    expect(result.totalTokens).to.equal(0);
    result.addApiCall(apiCall(10, 5, { cacheReadInputTokens: 300, cacheCreationInputTokens: 4000 }));
    result.addApiCall(apiCall(20, 7, { cacheReadInputTokens: 1, cacheCreationInputTokens: 2 }));
    expect(result.totalTokens).to.equal(10 + 5 + 300 + 4000 + 20 + 7 + 1 + 2);
  });

  it('sums the cost of the calls, and has none once a call had no known price', () => {
    const result = new RunResult();
    expect(result.costUsd, 'no call, no cost').to.equal(0);
    result.addApiCall({ ...apiCall(1, 1), costUsd: 0.25 });
    result.addApiCall({ ...apiCall(2, 2), costUsd: 0.5 });
    expect(result.costUsd).to.equal(0.75);
    result.addApiCall(apiCall(3, 3));
    expect(result.costUsd).to.equal(null);
    result.addApiCall({ ...apiCall(4, 4), costUsd: 1 });
    expect(result.costUsd, 'still unknown').to.equal(null);
  });

  it('records each API call as its event says, with the child only when there is one', () => {
    const result = new RunResult();
    const child = { program: 'Expert', processId: 'proc-9', via: 'spawn' as const };
    const own = { ...apiCall(1, 2), requestId: 'req_1', timeToFirstTokenMs: 12, costUsd: 0.5, stopReason: 'tool_use' };
    result.addApiCall(own);
    result.addApiCall({ ...apiCall(3, 4), child });
    expect(result.apiCallInfos[0]).to.deep.equal(own);
    expect(result.apiCallInfos[0]).not.to.have.property('child');
    expect(result.apiCallInfos[1]!.child).to.deep.equal(child);
  });

  it('records each tool call by name, input, id, duration, outcome and origin, without its output', () => {
    const result = new RunResult();
    const child = { program: 'Expert', processId: 'proc-9', via: 'fork' as const };
    result.addToolCall(toolEnd('toolu_1'));
    result.addToolCall(toolEnd('toolu_2', { toolName: 'time__now', source: 'mcp', server: 'time', isError: true, durationMs: 9, child }));
    expect(result.toolCalls).to.deep.equal([
      { toolName: 'alpha', args: { value: 'toolu_1' }, toolUseId: 'toolu_1', durationMs: 3, isError: false, source: 'function', server: undefined, decision: 'ran' },
      { toolName: 'time__now', args: { value: 'toolu_2' }, toolUseId: 'toolu_2', durationMs: 9, isError: true, source: 'mcp', server: 'time', child, decision: 'ran' },
    ]);
    expect(result.toolCalls[0]).not.to.have.property('child');
    expect(JSON.stringify(result)).not.to.include('secret output');
  });

  it('gives toJSON() its tool calls and usage, as copies', () => {
    const result = new RunResult(1000);
    result.addApiCall({ ...apiCall(10, 5, { cacheReadInputTokens: 3, cacheCreationInputTokens: 2 }), costUsd: 0.5 });
    result.addToolCall(toolEnd('toolu_1'));
    result.addToolCall(toolEnd('toolu_2', { isError: true }));
    result.complete({ stopReason: 'end_turn', lastMessage: 'done' }, 1010);
    const json = result.toJSON();
    expect(json.toolCalls).to.deep.equal(result.toolCalls);
    expect(json.toolCalls.map((call) => call.toolUseId)).to.deep.equal(['toolu_1', 'toolu_2']);
    expect(json.usage).to.deep.equal({ inputTokens: 10, outputTokens: 5, cacheReadInputTokens: 3, cacheCreationInputTokens: 2 });
    expect(json.costUsd).to.equal(0.5);
    expect(json.apiCallInfos).to.deep.equal(result.apiCallInfos);
    expect(JSON.parse(JSON.stringify(result))).to.deep.equal(JSON.parse(JSON.stringify(json)));
    json.usage.inputTokens = 999;
    json.toolCalls[0]!.toolName = 'changed';
    json.apiCallInfos[0]!.model = 'changed';
    expect(result.usage.inputTokens, 'the copy is not the result').to.equal(10);
    expect(result.toolCalls[0]!.toolName).to.equal('alpha');
    expect(result.apiCallInfos[0]!.model).to.equal('claude-test');
  });

  it('gives the time so far as durationMs until it completes, and no end time nor stop reason', () => {
    const result = new RunResult(Date.now() - 50);
    expect(result.endTime).to.equal(undefined);
    expect(result.stopReason).to.equal(undefined);
    expect(result.lastMessage).to.equal('');
    expect(result.durationMs).to.be.at.least(50);
    expect(new RunResult().startTime).to.be.a('number');
  });
});

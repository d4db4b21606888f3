import { expect } from 'chai';
import { EventEmitter } from 'eventemitter3';
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
      { toolName: 'alpha', args: { value: 'toolu_1' }, toolUseId: 'toolu_1', durationMs: 3, isError: false, source: 'function', server: undefined },
      { toolName: 'time__now', args: { value: 'toolu_2' }, toolUseId: 'toolu_2', durationMs: 9, isError: true, source: 'mcp', server: 'time', child },
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

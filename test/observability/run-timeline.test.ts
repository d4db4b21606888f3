import { expect } from 'chai';
import { assignLanes } from '../../lib/observability/report/lanes.js';
import { renderReport } from '../../lib/observability/report/render-report.js';
import { buildTimelines, processesOf } from '../../lib/observability/report/run-timeline.js';
import type { RunLogRecord } from '../../lib/observability/run-log/run-log-schema.js';

/** Records of one run, with times in ms from 1000 and tidy defaults. */
function record(time: number, event: RunLogRecord['event'], data: Record<string, unknown>, extra: Partial<RunLogRecord> = {}): RunLogRecord {
  return { v: 1, time: 1000 + time, pid: 7, processId: 'proc-1', runId: 'run-a', event, data, ...extra } as RunLogRecord;
}
const tokens = (input: number) => ({ inputTokens: input, outputTokens: 1, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 });
const call = (id: string, durationMs: number, extra: Record<string, unknown> = {}) => ({
  model: 'm', id, stopReason: 'tool_use', durationMs, tokens: tokens(10), usage: {}, costUsd: 0.001, ...extra,
});
const tool = (toolUseId: string, extra: Record<string, unknown> = {}) => ({ toolName: 't', toolUseId, args: {}, source: 'function', ...extra });

describe('run timelines (the report’s data)', () => {
  it('assignLanes puts overlapping intervals on separate lanes, each on the lowest free one', () => {
    expect(assignLanes([
      { startMs: 0, endMs: 10 },
      { startMs: 2, endMs: 5 },
      { startMs: 6, endMs: 8 },
      { startMs: 9, endMs: 12 },
      { startMs: 10, endMs: 11 },
    ])).to.deep.equal([0, 1, 1, 1, 0]);
    expect(assignLanes([])).to.deep.equal([]);
  });

  it('places calls relative to the run’s start, nests children under the process that spawned them, and takes totals from the RunResult', () => {
    const child = { program: 'Kid', processId: 'proc-2', via: 'spawn' };
    const grandchild = { program: 'Grandkid', processId: 'proc-3', via: 'fork' };
    const records = [
      record(0, 'run:start', { input: 'go', program: 'Top', model: 'm', provider: 'anthropic' }),
      record(1, 'api:start', { model: 'm', iteration: 1 }),
      record(11, 'api:call', call('msg_1', 10)),
      record(12, 'tool:start', tool('toolu_spawn', { toolName: 'spawn' })),
      record(12, 'tool:start', tool('toolu_x')),
      record(13, 'child:start', { toolUseId: 'toolu_spawn', origin: child }),
      record(20, 'api:call', call('msg_kid', 6, { child })),
      record(21, 'tool:start', tool('toolu_fork', { toolName: 'fork', child })),
      record(22, 'child:start', { toolUseId: 'toolu_fork', origin: grandchild, child }),
      record(30, 'api:call', call('msg_grandkid', 5, { child: grandchild })),
      record(31, 'tool:end', { ...tool('toolu_fork', { toolName: 'fork', child }), durationMs: 10, isError: false, result: { content: 'ok', isError: false } }),
      record(32, 'tool:end', { ...tool('toolu_x'), durationMs: 20, isError: true, result: { content: 'bad', isError: true } }),
      record(33, 'tool:end', { ...tool('toolu_spawn', { toolName: 'spawn' }), durationMs: 21, isError: false, result: { content: 'ok', isError: false } }),
      record(34, 'api:start', { model: 'm', iteration: 2 }),
      record(40, 'api:call', call('msg_2', 6, { stopReason: 'end_turn' })),
      record(40, 'run:end', {
        runResult: { apiCalls: 4, usage: tokens(99), costUsd: 0.5, startTime: 1000, endTime: 1040, durationMs: 40, stopReason: 'end_turn', lastMessage: 'ok', apiCallInfos: [], toolCalls: [{}, {}, {}] },
      }),
    ];
    const [run] = buildTimelines(records);
    expect(run).to.deep.include({ runId: 'run-a', program: 'Top', input: 'go', durationMs: 40, stopReason: 'end_turn', finished: true, pid: 7 });
    expect(run!.totals).to.deep.equal({ apiCalls: 4, toolCalls: 3, tokens: tokens(99), costUsd: 0.5 });
    expect(processesOf(run!).map(({ process, depth }) => [process.processId, process.program, process.via, process.startedBy, depth])).to.deep.equal([
      ['proc-1', 'Top', undefined, undefined, 0],
      ['proc-2', 'Kid', 'spawn', 'toolu_spawn', 1],
      ['proc-3', 'Grandkid', 'fork', 'toolu_fork', 2],
    ]);
    const top = run!.root;
    expect(top.bars.map((b) => [b.id, b.startMs, b.endMs, b.lane, b.isError])).to.deep.equal([
      ['msg_1', 1, 11, 0, false],
      ['toolu_spawn', 12, 33, 0, false],
      ['toolu_x', 12, 32, 1, true],
      ['msg_2', 34, 40, 0, false],
    ]);
    expect(top.lanes).to.equal(2);
    expect(top.children[0]!.bars.map((b) => [b.id, b.startMs, b.endMs])).to.deep.equal([
      ['msg_kid', 14, 20],
      ['toolu_fork', 21, 31],
    ]);
    expect(top.children[0]!.children[0]!.bars.map((b) => [b.id, b.kind, b.tokens?.inputTokens, b.costUsd])).to.deep.equal([['msg_grandkid', 'api', 10, 0.001]]);
  });

  it('shows a run whose end is not in the log as unfinished, to its last record, with totals from its calls and the call still waiting failed', () => {
    const records = [
      record(0, 'run:start', { input: 'go', program: 'Top', model: 'm', provider: 'anthropic' }),
      record(1, 'api:start', { model: 'm', iteration: 1 }),
      record(5, 'api:call', call('msg_1', 4, { costUsd: null })),
      record(6, 'tool:start', tool('toolu_a')),
      record(9, 'api:start', { model: 'm', iteration: 2 }, { runId: 'run-b', time: 1009 }),
      record(7, 'api:start', { model: 'm', iteration: 2 }),
    ];
    const [run, other] = buildTimelines(records);
    expect(run).to.deep.include({ finished: false, stopReason: undefined, durationMs: 7 });
    expect(run!.totals).to.deep.equal({ apiCalls: 1, toolCalls: 1, tokens: tokens(10), costUsd: null });
    expect(run!.root.bars.map((b) => [b.id, b.startMs, b.endMs, b.isError])).to.deep.equal([
      ['msg_1', 1, 5, false],
      ['toolu_a', 6, 7, true],
      ['failed-call-2', 7, 7, true],
    ]);
    expect(other!.runId).to.equal('run-b');
  });

  it('puts each rewind on its process as a mark at its time, saying where it went and who asked', () => {
    const records = [
      record(0, 'run:start', { input: 'go', program: 'Top', model: 'm', provider: 'anthropic' }),
      record(1, 'api:start', { model: 'm', iteration: 1 }),
      record(5, 'api:call', call('msg_1', 4)),
      record(6, 'tool:start', tool('toolu_goto')),
      record(7, 'tool:end', { ...tool('toolu_goto'), durationMs: 1, isError: false, result: { content: 'ok', isError: false } }),
      record(8, 'rewind', { from: 'msg_4', to: 'msg_0', messageId: 'msg_5', removed: 5, instruction: 'Only C.', via: 'goto', toolUseId: 'toolu_goto', at: 1008 }),
      record(9, 'rewind', { from: 'msg_6', to: 'msg_5', messageId: 'msg_7', removed: 1, instruction: 'Again.', via: 'code', at: 1009 }),
      record(12, 'run:end', { runResult: { apiCalls: 1, usage: tokens(10), costUsd: 0.001, startTime: 1000, durationMs: 12, lastMessage: '', apiCallInfos: [], toolCalls: [] } }),
    ];
    const [run] = buildTimelines(records);
    expect(run!.root.marks).to.deep.equal([
      { kind: 'rewind', atMs: 8, label: 'rewind to msg_0 (goto, 5 messages removed)', to: 'msg_0', messageId: 'msg_5', toolUseId: 'toolu_goto' },
      { kind: 'rewind', atMs: 9, label: 'rewind to msg_5 (process.rewind(), 1 message removed)', to: 'msg_5', messageId: 'msg_7' },
    ]);
    expect(run!.root.bars.map((b) => b.id), 'a mark is not a bar').to.deep.equal(['msg_1', 'toolu_goto']);

    const html = renderReport([run!], { source: 'runs.jsonl', generatedAt: new Date(0) });
    const marks = [...html.matchAll(/<div class="mark rewind" ([^>]*)>/g)].map((match) => match[1]!);
    expect(marks).to.have.length(2);
    expect(marks[0]).to.include('data-to="msg_0"').and.include('data-message-id="msg_5"').and.include('data-tool-use-id="toolu_goto"');
    expect(marks[0]).to.include(`left:${(8 / 12) * 100}`.slice(0, 10)).and.include('title="rewind to msg_0 (goto, 5 messages removed) at');
    expect(marks[1]).not.to.include('data-tool-use-id');
  });
});

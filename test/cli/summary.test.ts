import { expect } from 'chai';
import { formatCost, formatDuration, formatSummary } from '../../lib/cli/summary.js';
import { RunResult } from '../../lib/results/run-result.js';

/** A completed RunResult with two API calls (12+30 in, 5+7 out) and one tool call. */
function sampleResult(options: { costUsd?: number | null; stopReason?: 'end_turn' | 'max_iterations' | 'aborted' } = {}): RunResult {
  const result = new RunResult(1_000);
  const call = (input: number, output: number) => ({
    model: 'claude-haiku-4-5',
    usage: {},
    tokens: { inputTokens: input, outputTokens: output, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 },
    stopReason: 'end_turn' as const,
    id: 'msg',
    durationMs: 1,
    costUsd: options.costUsd === undefined ? 0.0001 : options.costUsd,
  });
  result.addApiCall(call(12, 5));
  result.addApiCall(call(30, 7));
  result.addToolCall({ toolName: 'calculator', args: {}, result: { content: '4', isError: false }, toolUseId: 't', durationMs: 1, isError: false, source: 'builtin' });
  return result.complete({ stopReason: options.stopReason ?? 'end_turn', lastMessage: '' }, 2_250);
}

describe('the summary line', () => {
  it('names API calls, tool calls, tokens, cost and duration from the RunResult', () => {
    expect(formatSummary(sampleResult())).to.equal('2 API calls · 1 tool call · 54 tokens (42 in, 12 out) · $0.000200 · 1.25s');
  });

  it('names a stop reason that is not a plain finish', () => {
    expect(formatSummary(sampleResult({ stopReason: 'max_iterations' }))).to.match(/ · stopped: max_iterations$/);
    expect(formatSummary(sampleResult({ stopReason: 'aborted' }))).to.match(/ · stopped: aborted$/);
  });

  it('says the cost is unknown for a model without a price, and names cache tokens when there are some', () => {
    const result = sampleResult({ costUsd: null });
    expect(formatSummary(result)).to.include(' · cost unknown · ');
    const cached = new RunResult(0);
    cached.addApiCall({
      model: 'm', usage: {}, stopReason: 'end_turn', id: 'x', durationMs: 1, costUsd: 0,
      tokens: { inputTokens: 1, outputTokens: 1, cacheReadInputTokens: 100, cacheCreationInputTokens: 20 },
    });
    expect(formatSummary(cached.complete({ stopReason: 'end_turn', lastMessage: '' }, 5))).to.equal(
      '1 API call · 0 tool calls · 122 tokens (1 in, 1 out, 100 cache read, 20 cache write) · $0 · 5ms',
    );
  });

  it('formats costs and durations', () => {
    expect([formatCost(null), formatCost(0), formatCost(0.000412), formatCost(0.0123), formatCost(1.5)]).to.deep.equal([
      'cost unknown', '$0', '$0.000412', '$0.0123', '$1.5000',
    ]);
    expect([formatDuration(0), formatDuration(999.4), formatDuration(1000), formatDuration(61_234)]).to.deep.equal(['0ms', '999ms', '1.00s', '61.23s']);
  });
});

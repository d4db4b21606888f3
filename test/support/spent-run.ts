/** A RunResult of one call that spent `tokens` input tokens at `costUsd` (`null`: unknown cost), for budget tests. */
import { RunResult } from '../../lib/results/run-result.js';

export function spent(tokens: number, costUsd: number | null): RunResult {
  const result = new RunResult();
  result.addApiCall({
    model: 'm',
    usage: {},
    tokens: { inputTokens: tokens, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 },
    stopReason: 'end_turn',
    id: 'msg_1',
    durationMs: 1,
    costUsd,
  });
  return result;
}

/**
 * The one-line summary the command prints after a run, from its RunResult.
 *
 * @module
 */
import type { RunResult } from '../results/run-result.js';

/** Stop reasons that mean the run simply finished; others are named in the summary. */
const FINISHED = new Set(['end_turn', 'stop_sequence']);

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/** A cost in USD: `$0.0123`, `$0.000412` for small ones, `cost unknown` for a model without a price. */
export function formatCost(costUsd: number | null): string {
  if (costUsd === null) return 'cost unknown';
  if (costUsd === 0) return '$0';
  return `$${costUsd.toFixed(costUsd < 0.01 ? 6 : 4)}`;
}

/** A duration: `850ms` under a second, `1.25s` above. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(2)}s`;
}

/**
 * `2 API calls · 1 tool call · 245 tokens (200 in, 45 out) · $0.000420 · 1.25s`, followed by
 * `· stopped: <reason>` when the run did not simply finish (`max_iterations`, `aborted`, ...).
 * Cache tokens are named when there are any.
 */
export function formatSummary(result: Pick<RunResult, 'apiCalls' | 'toolCalls' | 'usage' | 'totalTokens' | 'costUsd' | 'durationMs' | 'stopReason'>): string {
  const { usage } = result;
  const parts = [`${usage.inputTokens} in`, `${usage.outputTokens} out`];
  if (usage.cacheReadInputTokens > 0) parts.push(`${usage.cacheReadInputTokens} cache read`);
  if (usage.cacheCreationInputTokens > 0) parts.push(`${usage.cacheCreationInputTokens} cache write`);
  const fields = [
    plural(result.apiCalls, 'API call'),
    plural(result.toolCalls.length, 'tool call'),
    `${plural(result.totalTokens, 'token')} (${parts.join(', ')})`,
    formatCost(result.costUsd),
    formatDuration(result.durationMs),
  ];
  if (result.stopReason !== undefined && !FINISHED.has(result.stopReason)) fields.push(`stopped: ${result.stopReason}`);
  return fields.join(' · ');
}

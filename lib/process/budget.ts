/**
 * A run's spending ceiling: the loop asks before each API call whether it may start.
 *
 * @module
 */
import type { RunResult } from '../results/run-result.js';

/** Limits on what one run may spend. Unset: no limit. */
export interface Budget {
  /** Total tokens of every kind (input, output, cache read and write) over the run's calls. */
  maxTokens?: number | undefined;
  /** Total cost in USD. A model without a known price cannot be held to it: see {@link budgetLeft}. */
  maxCostUsd?: number | undefined;
}

/**
 * Whether another API call may start: `false` once the run (its children's calls included) has
 * spent its token budget or its cost budget. A model of unknown price is refused under a cost
 * budget (when the run starts, and for each child); should a call of unknown cost still happen,
 * the cost budget counts as spent: never unmetered (R23).
 */
export function budgetLeft(budget: Budget, result: RunResult): boolean {
  if (budget.maxTokens !== undefined && result.totalTokens >= budget.maxTokens) return false;
  const cost = result.costUsd;
  if (budget.maxCostUsd !== undefined && (cost === null || cost >= budget.maxCostUsd)) return false;
  return true;
}

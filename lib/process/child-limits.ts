/**
 * The limits a spawned or forked child runs under: what is left of the parent run's budget (the
 * parent's totals include its children's calls as they happen), and how deep spawns may nest.
 * Pure functions; the refusals are {@link ChildRunRefusedError}s.
 *
 * @module
 */
import { ChildRunRefusedError } from '../errors.js';
import type { ModelPrice } from '../results/pricing.js';
import type { RunResult } from '../results/run-result.js';
import type { Budget } from './budget.js';

/** The default of the run option `maxSpawnDepth`: how many spawns may nest below the run's process. */
export const DEFAULT_MAX_SPAWN_DEPTH = 5;

/** What a child's run may spend: the parent's remaining budget, in `run()` option form. */
export interface ChildBudget {
  maxTokens?: number | undefined;
  maxCostUsd?: number | undefined;
}

/**
 * The part of `budget` that `result` (the parent run, children included) has not spent.
 * @throws {ChildRunRefusedError} `budget` when a limit is reached (or the cost is unknown under a cost budget).
 */
export function remainingBudget(budget: Budget, result: RunResult, context: { program: string; chain: readonly string[] }): ChildBudget {
  const left: ChildBudget = {};
  if (budget.maxTokens !== undefined) {
    const tokens = budget.maxTokens - result.totalTokens;
    if (tokens <= 0) throw spent(`maxTokens ${budget.maxTokens}: ${result.totalTokens} tokens used`, context);
    left.maxTokens = tokens;
  }
  if (budget.maxCostUsd !== undefined) {
    const cost = result.costUsd;
    if (cost === null) throw spent(`maxCostUsd ${budget.maxCostUsd}: a call of unknown cost was made`, context);
    if (cost >= budget.maxCostUsd) throw spent(`maxCostUsd ${budget.maxCostUsd}: $${cost} used`, context);
    left.maxCostUsd = budget.maxCostUsd - cost;
  }
  return left;
}

/**
 * Refuses a child whose model has no known price when the run has a cost budget: its calls would
 * cost `null`, which no cost budget can be checked against.
 * @throws {ChildRunRefusedError} `unpriced`.
 */
export function assertPriced(
  budget: Budget,
  price: ModelPrice | undefined,
  context: { program: string; model: string; chain: readonly string[] },
): void {
  if (budget.maxCostUsd === undefined || price) return;
  throw new ChildRunRefusedError(
    'unpriced',
    `"${context.program}" was not started: its model "${context.model}" has no known price, so it cannot run under this run's cost budget ` +
      `(maxCostUsd ${budget.maxCostUsd}). Do the task without it; the program's owner can set a price with setModelPrice() or use maxTokens instead.`,
    context,
  );
}

/**
 * Refuses a spawn that would nest deeper than `maxDepth` below the run's process. `chain` is the
 * programs from the root down to the one to spawn (so its depth is `chain.length - 1`).
 * @throws {ChildRunRefusedError} `depth`, naming the chain.
 */
export function assertSpawnDepth(chain: readonly string[], maxDepth: number): void {
  const depth = chain.length - 1;
  if (depth <= maxDepth) return;
  const program = chain.at(-1) ?? '';
  throw new ChildRunRefusedError(
    'depth',
    `"${program}" was not spawned: spawns would nest ${depth} deep (${chain.join(' → ')}), past the run's maxSpawnDepth ${maxDepth}; ` +
      'linked programs may call each other in a cycle. Answer without spawning again.',
    { program, chain },
  );
}

function spent(detail: string, context: { program: string; chain: readonly string[] }): ChildRunRefusedError {
  return new ChildRunRefusedError('budget', `"${context.program}" was not started: the run's budget is spent (${detail}).`, context);
}

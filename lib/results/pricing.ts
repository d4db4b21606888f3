/**
 * What model calls cost: one price table per model, in US dollars per million tokens.
 *
 * Source: https://www.anthropic.com/pricing and https://docs.claude.com/en/docs/about-claude/pricing
 * (list prices, standard tier, 5-minute cache writes), as of 2025-11-24. Update the table and the
 * date together. A model that is not listed has no price: its cost is `null`, never a guess.
 *
 * @module
 */
import type { TokenUsage } from '../providers/types.js';

/** Prices of one model, in USD per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  /** Reading from the prompt cache. */
  cacheRead: number;
  /** Writing to the prompt cache (5-minute TTL). */
  cacheWrite: number;
}

/** When {@link MODEL_PRICES} was last checked against the source. */
export const PRICES_AS_OF = '2025-11-24';

const price = (input: number, output: number): ModelPrice => ({ input, output, cacheRead: input / 10, cacheWrite: input * 1.25 });

/**
 * List prices by model family. Keys are model ids without their date suffix; `priceOf` also
 * accepts dated ids (`claude-3-5-haiku-20241022`) and `-latest` aliases.
 */
export const MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-opus-4-5': price(5, 25),
  'claude-opus-4-1': price(15, 75),
  'claude-opus-4-0': price(15, 75),
  'claude-opus-4': price(15, 75),
  'claude-sonnet-4-5': price(3, 15),
  'claude-sonnet-4-0': price(3, 15),
  'claude-sonnet-4': price(3, 15),
  'claude-haiku-4-5': price(1, 5),
  'claude-3-7-sonnet': price(3, 15),
  'claude-3-5-sonnet': price(3, 15),
  'claude-3-5-haiku': price(0.8, 4),
  'claude-3-opus': price(15, 75),
  'claude-3-haiku': price(0.25, 1.25),
};

/** Prices already looked up, by model id as given (a process asks once per API call). */
const looked = new Map<string, ModelPrice | undefined>();

/** The price of `model`, or `undefined` when it is not in the table. */
export function priceOf(model: string): ModelPrice | undefined {
  if (looked.has(model)) return looked.get(model);
  const base = model.replace(/-latest$/, '').replace(/-\d{8}$/, '');
  // Own keys only: a model named "constructor" has no price.
  const price = Object.hasOwn(MODEL_PRICES, base) ? MODEL_PRICES[base] : undefined;
  if (looked.size < 1000) looked.set(model, price);
  return price;
}

/** The cost in USD of one call's tokens, or `null` when the model has no known price. */
export function costOf(model: string, tokens: TokenUsage): number | null {
  const p = priceOf(model);
  if (!p) return null;
  const micro =
    tokens.inputTokens * p.input +
    tokens.outputTokens * p.output +
    tokens.cacheReadInputTokens * p.cacheRead +
    tokens.cacheCreationInputTokens * p.cacheWrite;
  return micro / 1_000_000;
}

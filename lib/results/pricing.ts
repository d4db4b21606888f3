/**
 * What model calls cost, in US dollars per million tokens.
 *
 * Prices come from a maintained catalog, `@pydantic/genai-prices` (bundled data, no network),
 * loaded once by `program.start()` ({@link loadPriceCatalog}) so that `import('llmproc')` stays
 * fast. Each provider names the catalog it is priced by (`anthropic`, `openai`, `google` for Claude
 * on Vertex). Prices set with {@link setModelPrice} (a fine-tuned or local model, a negotiated
 * rate) win over the catalog. A model with no price costs `null`, never a guess.
 *
 * @module
 */
import type { TokenUsage } from '../providers/types.js';

/** Rates of one model, in USD per million tokens. */
export interface TokenRates {
  input: number;
  output: number;
  /** Reading from the prompt cache. */
  cacheRead: number;
  /** Writing to the prompt cache (5-minute TTL). */
  cacheWrite: number;
  /**
   * Writing to the prompt cache with the 1-hour TTL. Unset: twice the input rate, Anthropic's
   * published price for every Claude model (the catalog lacks it for Claude on Vertex).
   */
  cacheWrite1h?: number | undefined;
}

/** Prices of one model: base rates, and the rates of long prompts where the price changes. */
export interface ModelPrice extends TokenRates {
  /**
   * Rates that apply to a whole call once its prompt (input, cache reads and cache writes) reaches
   * `fromPromptTokens` tokens, highest threshold first wins (long-context pricing).
   */
  tiers?: readonly (Partial<TokenRates> & { fromPromptTokens: number })[] | undefined;
}

/** The slice of `@pydantic/genai-prices` this module uses. */
type Catalog = typeof import('@pydantic/genai-prices');

let catalog: Catalog | undefined;
let loading: Promise<void> | undefined;
const overrides = new Map<string, ModelPrice>();
/**
 * Catalog lookups already made, by catalog provider, then model (a process asks once per API call;
 * two maps, so that a lookup builds no key string).
 */
const looked = new Map<string, Map<string, ModelPrice | undefined>>();
/** How many lookups {@link looked} holds. */
let lookedCount = 0;

/** Loads the price catalog (about 70 ms, once per Node process). `program.start()` calls it. */
export function loadPriceCatalog(): Promise<void> {
  if (!loading) {
    loading = import('@pydantic/genai-prices').then((module) => {
      catalog = module;
    });
    // A start that fails before awaiting it must not leave a failed load unhandled; whoever awaits it still sees the failure.
    loading.catch(() => {});
  }
  return loading;
}

/**
 * Sets the price of `model` for every provider, over the catalog (pass `undefined` to remove it).
 * Use it for a model the catalog does not know (a local or fine-tuned model) or a rate of your own.
 * Its tiers may come in any order: the highest one a call's prompt reaches applies.
 */
export function setModelPrice(model: string, price: ModelPrice | undefined): void {
  if (price === undefined) overrides.delete(model);
  else if (price.tiers === undefined) overrides.set(model, { ...price });
  else overrides.set(model, { ...price, tiers: highestFirst(price.tiers) });
}

/**
 * The price of `model` as `catalogProvider` (a genai-prices provider id) sells it: a price set
 * with {@link setModelPrice}, else the catalog's, else `undefined`. Before the catalog is loaded
 * only set prices are known.
 */
export function priceOf(model: string, catalogProvider = 'anthropic'): ModelPrice | undefined {
  const own = overrides.get(model);
  if (own) return own;
  if (!catalog) return undefined;
  let byModel = looked.get(catalogProvider);
  if (byModel === undefined) looked.set(catalogProvider, (byModel = new Map()));
  const known = byModel.get(model);
  if (known !== undefined || byModel.has(model)) return known;
  const price = lookUp(catalog, model, catalogProvider);
  if (lookedCount < 1000) {
    byModel.set(model, price);
    lookedCount += 1;
  }
  return price;
}

/**
 * Forgets the catalog lookups made so far (prices set with {@link setModelPrice} stay), so that the
 * next {@link priceOf} of each model asks the catalog again. For tests, which must not depend on a
 * lookup an earlier test made; the test kit exports it (`llmproc/testing`).
 */
export function forgetPriceLookups(): void {
  looked.clear();
  lookedCount = 0;
}

function lookUp(source: Catalog, model: string, catalogProvider: string): ModelPrice | undefined {
  let found: ReturnType<Catalog['calcPrice']>;
  try {
    found = source.calcPrice({ input_tokens: 0, output_tokens: 0 }, model, { providerId: catalogProvider });
  } catch {
    return undefined;
  }
  if (!found) return undefined;
  const rates = found.model_price;
  const base = (key: string): number => {
    const rate = rates[key];
    return typeof rate === 'number' ? rate : (rate?.base ?? 0);
  };
  const input = base('input_mtok');
  const price: ModelPrice = {
    input,
    output: base('output_mtok'),
    cacheRead: rates['cache_read_mtok'] === undefined ? input : base('cache_read_mtok'),
    cacheWrite: rates['cache_write_mtok'] === undefined ? input : base('cache_write_mtok'),
  };
  if (rates['cache_write_1h_mtok'] !== undefined) price.cacheWrite1h = base('cache_write_1h_mtok');
  const tiers = tiersOf(rates);
  if (tiers.length > 0) price.tiers = tiers;
  return price;
}

const RATE_KEYS = {
  input_mtok: 'input',
  output_mtok: 'output',
  cache_read_mtok: 'cacheRead',
  cache_write_mtok: 'cacheWrite',
  cache_write_1h_mtok: 'cacheWrite1h',
} as const;

/** The long-context tiers of a catalog entry's rates (a rate the catalog gives as `{ base, tiers }`), merged by threshold. @internal Exported for its tests. */
export function tiersOf(rates: Record<string, unknown>): NonNullable<ModelPrice['tiers']> {
  const byStart = new Map<number, Partial<TokenRates> & { fromPromptTokens: number }>();
  for (const [key, name] of Object.entries(RATE_KEYS)) {
    const rate = rates[key];
    if (rate === null || typeof rate !== 'object' || !('tiers' in rate)) continue;
    for (const tier of (rate as { tiers: { start: number; price: number }[] }).tiers) {
      const entry = byStart.get(tier.start) ?? { fromPromptTokens: tier.start };
      entry[name] = tier.price;
      byStart.set(tier.start, entry);
    }
  }
  return highestFirst([...byStart.values()]);
}

/** Tiers highest threshold first, the order {@link costOf} reads them in (the first a prompt reaches applies). */
function highestFirst<T extends { fromPromptTokens: number }>(tiers: readonly T[]): T[] {
  return [...tiers].sort((a, b) => b.fromPromptTokens - a.fromPromptTokens);
}

/**
 * The cost in USD of one call's tokens at `price`, or `null` when there is no price: input,
 * output, cache reads at the read rate, and cache writes at the 5-minute write rate, except
 * `cacheCreation1hInputTokens` at the 1-hour one.
 */
export function costOf(price: ModelPrice | undefined, tokens: TokenUsage): number | null {
  if (!price) return null;
  const prompt = tokens.inputTokens + tokens.cacheReadInputTokens + tokens.cacheCreationInputTokens;
  // Asked on every API call: no closure unless the price has tiers.
  const tier = price.tiers === undefined ? undefined : price.tiers.find((t) => prompt >= t.fromPromptTokens);
  const write1h = tier?.cacheWrite1h ?? (tier?.input !== undefined ? 2 * tier.input : undefined) ?? price.cacheWrite1h ?? 2 * price.input;
  const oneHour = Math.min(tokens.cacheCreation1hInputTokens ?? 0, tokens.cacheCreationInputTokens);
  const micro =
    tokens.inputTokens * (tier?.input ?? price.input) +
    tokens.outputTokens * (tier?.output ?? price.output) +
    tokens.cacheReadInputTokens * (tier?.cacheRead ?? price.cacheRead) +
    (tokens.cacheCreationInputTokens - oneHour) * (tier?.cacheWrite ?? price.cacheWrite) +
    oneHour * write1h;
  return micro / 1_000_000;
}

import { expect } from 'chai';
import { costOf, forgetPriceLookups, loadPriceCatalog, type ModelPrice, priceOf, setModelPrice, tiersOf } from '../../lib/results/pricing.js';

const MTOK = { inputTokens: 1_000_000, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 };

describe('pricing', () => {
  before(() => loadPriceCatalog());

  it('prices Anthropic models from the catalog, pinned to their list prices (dated ids and -latest alike)', () => {
    expect(priceOf('claude-haiku-4-5', 'anthropic'), 'no tiers when the price does not change').to.deep.equal({ input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25, cacheWrite1h: 2 });
    expect(priceOf('claude-sonnet-4-6', 'anthropic')).to.deep.include({ input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 });
    expect(priceOf('claude-opus-4-6', 'anthropic')).to.deep.include({ input: 5, output: 25 });
    expect(priceOf('claude-3-5-haiku-20241022', 'anthropic')).to.deep.include({ input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1 });
    expect(priceOf('claude-3-5-haiku-latest', 'anthropic')).to.deep.include({ input: 0.8, output: 4 });
  });

  it('loads the catalog once: every call gives the same promise', async () => {
    const loading = loadPriceCatalog();
    expect(loading).to.be.instanceOf(Promise);
    expect(loadPriceCatalog()).to.equal(loading);
    expect(await loading).to.equal(undefined);
  });

  it('asks the Anthropic catalog when no provider is named', () => {
    expect(priceOf('claude-haiku-4-5')).to.deep.equal(priceOf('claude-haiku-4-5', 'anthropic'));
    expect(priceOf('gpt-4o-mini'), 'Anthropic does not sell it').to.equal(undefined);
  });

  it('prices cache reads and writes at the input rate when the catalog has no cache prices, and a missing rate at 0', () => {
    expect(priceOf('gpt-4', 'openai')).to.deep.equal({ input: 30, output: 60, cacheRead: 30, cacheWrite: 30 });
    expect(priceOf('claude-2.1', 'anthropic')).to.deep.equal({ input: 8, output: 24, cacheRead: 8, cacheWrite: 8 });
    expect(priceOf('text-embedding-3-small', 'openai'), 'an embedding model has no output price').to.deep.equal({
      input: 0.02,
      output: 0,
      cacheRead: 0.02,
      cacheWrite: 0.02,
    });
  });

  it('takes the base rates of a tiered price, and its tiers per threshold', () => {
    expect(priceOf('claude-sonnet-4-5', 'anthropic')).to.deep.equal({
      input: 3,
      output: 15,
      cacheRead: 0.3,
      cacheWrite: 3.75,
      cacheWrite1h: 6,
      tiers: [{ fromPromptTokens: 200_000, input: 6, output: 22.5, cacheRead: 0.6, cacheWrite: 7.5, cacheWrite1h: 12 }],
    });
    expect(priceOf('gemini-2.5-pro', 'google')).to.deep.equal({
      input: 1.25,
      output: 10,
      cacheRead: 0.125,
      cacheWrite: 1.25,
      tiers: [{ fromPromptTokens: 200_000, input: 2.5, output: 15, cacheRead: 0.25 }],
    });
  });

  it('prices OpenAI models (cached input at its own rate) and Claude on Vertex (provider google)', () => {
    expect(priceOf('gpt-4o-mini', 'openai')).to.deep.include({ input: 0.15, output: 0.6, cacheRead: 0.075 });
    expect(priceOf('gpt-4o-mini-2024-07-18', 'openai')).to.deep.include({ input: 0.15, output: 0.6 });
    expect(priceOf('claude-3-5-haiku@20241022', 'google')).to.deep.include({ input: 0.8, output: 4 });
  });

  it('has no price for an unknown model, nor for names of Object.prototype, asked twice', () => {
    for (const model of ['claude-unknown-9', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(priceOf(model, 'anthropic'), model).to.equal(undefined);
      expect(priceOf(model, 'anthropic'), `${model}, again`).to.equal(undefined);
      expect(costOf(priceOf(model, 'openai'), MTOK), model).to.equal(null);
    }
  });

  it('costs each kind of token at its own rate per million', () => {
    const price: ModelPrice = { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 };
    const tokens = { inputTokens: 1_000_000, outputTokens: 2_000_000, cacheReadInputTokens: 3_000_000, cacheCreationInputTokens: 4_000_000 };
    expect(costOf(price, tokens)).to.be.closeTo(1 + 10 + 0.3 + 5, 1e-9);
    expect(costOf(priceOf('claude-haiku-4-5', 'anthropic'), tokens)).to.be.closeTo(16.3, 1e-9);
  });

  it('applies a long-context tier to the whole call once the prompt, cache included, reaches it', () => {
    const price: ModelPrice = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75, tiers: [{ fromPromptTokens: 200_000, input: 6, output: 22.5 }] };
    const below = { inputTokens: 100_000, outputTokens: 1_000, cacheReadInputTokens: 99_999, cacheCreationInputTokens: 0 };
    expect(costOf(price, below)).to.be.closeTo((100_000 * 3 + 1_000 * 15 + 99_999 * 0.3) / 1e6, 1e-12);
    const at = { ...below, cacheReadInputTokens: 100_000 };
    expect(costOf(price, at)).to.be.closeTo((100_000 * 6 + 1_000 * 22.5 + 100_000 * 0.3) / 1e6, 1e-12);
    const byCacheWrites = { inputTokens: 100_000, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 100_000 };
    expect(costOf(price, byCacheWrites), 'cache writes count toward the threshold').to.be.closeTo((100_000 * 6 + 100_000 * 3.75) / 1e6, 1e-12);
    const vertexSonnet = priceOf('claude-sonnet-4-5@20250929', 'google');
    expect(vertexSonnet?.tiers?.[0]).to.deep.include({ fromPromptTokens: 200_000, input: 6, output: 22.5 });
  });

  it('a price set by the user wins over the catalog for every provider, and can be removed', () => {
    const own: ModelPrice = { input: 0.5, output: 0.5, cacheRead: 0, cacheWrite: 0 };
    try {
      setModelPrice('llama3.1:8b', own);
      setModelPrice('gpt-4o-mini', { ...own, input: 9 });
      expect(priceOf('llama3.1:8b', 'openai')).to.deep.equal(own);
      expect(priceOf('gpt-4o-mini', 'openai')?.input).to.equal(9);
    } finally {
      setModelPrice('llama3.1:8b', undefined);
      setModelPrice('gpt-4o-mini', undefined);
    }
    expect(priceOf('llama3.1:8b', 'openai')).to.equal(undefined);
    expect(priceOf('gpt-4o-mini', 'openai')?.input).to.equal(0.15);
  });

  it('applies the highest tier a prompt reaches, in whatever order a price set by the user lists its tiers', () => {
    const tiers = [{ fromPromptTokens: 100_000, input: 2 }, { fromPromptTokens: 200_000, input: 4 }];
    const tokens = { inputTokens: 250_000, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 };
    try {
      setModelPrice('tiered-up', { input: 1, output: 1, cacheRead: 1, cacheWrite: 1, tiers });
      expect(costOf(priceOf('tiered-up'), tokens)).to.be.closeTo((250_000 * 4) / 1e6, 1e-12);
      expect(costOf(priceOf('tiered-up'), { ...tokens, inputTokens: 150_000 })).to.be.closeTo((150_000 * 2) / 1e6, 1e-12);
      expect(priceOf('tiered-up')?.tiers?.map((tier) => tier.fromPromptTokens), 'kept highest first').to.deep.equal([200_000, 100_000]);
      expect(tiers.map((tier) => tier.fromPromptTokens), 'the caller\'s list is not reordered').to.deep.equal([100_000, 200_000]);
    } finally {
      setModelPrice('tiered-up', undefined);
    }
  });

  it('looks a model up in the catalog once: the same price each time, until the lookups are forgotten', () => {
    const first = priceOf('claude-haiku-4-5', 'anthropic');
    expect(priceOf('claude-haiku-4-5', 'anthropic')).to.equal(first);
    forgetPriceLookups();
    const again = priceOf('claude-haiku-4-5', 'anthropic');
    expect(again).to.deep.equal(first);
    expect(again, 'asked again').not.to.equal(first);
  });

  it('reads long-context tiers from the catalog\'s rates, merged by threshold, highest first; a rate that is a plain number or null has none', () => {
    const tiers = tiersOf({
      input_mtok: { base: 3, tiers: [{ start: 200_000, price: 6 }] },
      output_mtok: { base: 15, tiers: [{ start: 200_000, price: 22.5 }, { start: 1_000_000, price: 30 }] },
      cache_read_mtok: null,
      cache_write_mtok: 3.75,
    });
    expect(tiers).to.deep.equal([
      { fromPromptTokens: 1_000_000, output: 30 },
      { fromPromptTokens: 200_000, input: 6, output: 22.5 },
    ]);
    expect(tiersOf({ input_mtok: null, output_mtok: 1 })).to.deep.equal([]);
  });

  describe('1-hour cache writes', () => {
    it('are billed at the catalog\'s 1h write price, the other writes at the 5-minute price', () => {
      const sonnet = priceOf('claude-sonnet-4-5', 'anthropic');
      const tokens = { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 150_000, cacheCreation1hInputTokens: 50_000 };
      expect(costOf(sonnet, tokens)).to.be.closeTo((100_000 * 3.75 + 50_000 * 6) / 1e6, 1e-12);
      expect(costOf(sonnet, { ...tokens, cacheCreation1hInputTokens: undefined }), 'all 5-minute').to.be.closeTo((150_000 * 3.75) / 1e6, 1e-12);
    });

    it('cost twice the input rate when the catalog has no 1h price (Claude on Vertex), long-context tier included', () => {
      const vertex = priceOf('claude-sonnet-4-5@20250929', 'google');
      expect(vertex).to.not.have.property('cacheWrite1h');
      const oneHour = { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 1_000_000, cacheCreation1hInputTokens: 1_000_000 };
      expect(costOf(vertex, { ...oneHour, cacheCreationInputTokens: 100_000, cacheCreation1hInputTokens: 100_000 })).to.be.closeTo((100_000 * 6) / 1e6, 1e-12);
      const long = { ...oneHour, inputTokens: 200_000 }; // past the 200k-token long-context threshold
      expect(costOf(vertex, long), 'the tier\'s input rate, doubled').to.be.closeTo((200_000 * 6 + 1_000_000 * 12) / 1e6, 1e-9);
      const sonnet = priceOf('claude-sonnet-4-5', 'anthropic');
      expect(costOf(sonnet, long), 'the catalog\'s tier').to.be.closeTo((200_000 * 6 + 1_000_000 * 12) / 1e6, 1e-9);
    });
  });
});

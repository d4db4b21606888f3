import { expect } from 'chai';
import { costOf, MODEL_PRICES, priceOf } from '../../lib/results/pricing.js';

describe('pricing', () => {
  it('prices a listed model, its dated ids and its -latest alias alike', () => {
    const haiku = MODEL_PRICES['claude-haiku-4-5'];
    expect(haiku).to.not.equal(undefined);
    expect(priceOf('claude-haiku-4-5')).to.equal(haiku);
    expect(priceOf('claude-haiku-4-5-20251001')).to.equal(haiku);
    expect(priceOf('claude-haiku-4-5-latest')).to.equal(haiku);
  });

  it('has no price for an unknown model, nor for names of Object.prototype, asked twice', () => {
    for (const model of ['claude-unknown-9', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(priceOf(model), model).to.equal(undefined);
      expect(priceOf(model), `${model}, again`).to.equal(undefined);
      expect(costOf(model, { inputTokens: 1, outputTokens: 1, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 }), model).to.equal(null);
    }
  });

  it('costs each kind of token at its price per million', () => {
    const { input, output, cacheRead, cacheWrite } = MODEL_PRICES['claude-haiku-4-5']!;
    const tokens = { inputTokens: 1_000_000, outputTokens: 2_000_000, cacheReadInputTokens: 3_000_000, cacheCreationInputTokens: 4_000_000 };
    expect(costOf('claude-haiku-4-5', tokens)).to.be.closeTo(input + 2 * output + 3 * cacheRead + 4 * cacheWrite, 1e-9);
  });
});

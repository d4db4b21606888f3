import { expect } from 'chai';
import { InvalidArgumentError } from '../../lib/errors.js';
import { budgetLeft } from '../../lib/process/budget.js';
import { setModelPrice } from '../../lib/results/pricing.js';
import { textReply, toolUseReply } from '../../lib/testing/index.js';
import { expectValidRequests, setupTest, type TestSetup } from '../support/setup.js';
import { spent } from '../support/spent-run.js';
import { echoTool } from '../support/tools.js';

describe('LLMProcess budgets', () => {
  let t: TestSetup;
  afterEach(async () => t?.close());

  /** A model that asks for a tool forever. */
  function loopForever(usage: { input_tokens: number; output_tokens: number }): void {
    t.server.respondWith(() => toolUseReply([{ name: 'alpha', input: { value: 'again' } }], { usage }));
  }

  it('maxTokens stops a looping model before the call that would start past the budget', async () => {
    t = await setupTest({ tools: [echoTool('alpha')] });
    loopForever({ input_tokens: 100, output_tokens: 50 });
    const result = await t.process.run('loop', { maxTokens: 400, maxIterations: 50 });
    expect(result).to.include({ stopReason: 'budget', apiCalls: 3 });
    expect(result.totalTokens).to.equal(450);
    t.server.respondWith(() => textReply('stopped looping'));
    await t.process.run('next');
    expectValidRequests(t);
  });

  it('maxTokens reached exactly stops the run too: the next call would start with nothing left', async () => {
    t = await setupTest({ tools: [echoTool('alpha')] });
    loopForever({ input_tokens: 100, output_tokens: 50 });
    const result = await t.process.run('loop', { maxTokens: 300, maxIterations: 50 });
    expect(result).to.include({ stopReason: 'budget', apiCalls: 2, totalTokens: 300 });
    const under = await t.process.run('loop', { maxTokens: 301, maxIterations: 50 });
    expect(under).to.include({ stopReason: 'budget', apiCalls: 3, totalTokens: 450 });
  });

  it('counts cache reads and writes against maxTokens', async () => {
    t = await setupTest({ tools: [echoTool('alpha')] });
    t.server.respondWith(() =>
      toolUseReply([{ name: 'alpha', input: { value: 'again' } }], { usage: { input_tokens: 10, output_tokens: 10, cache_read_input_tokens: 30, cache_creation_input_tokens: 50 } }),
    );
    const result = await t.process.run('loop', { maxTokens: 200, maxIterations: 50 });
    expect(result).to.include({ stopReason: 'budget', apiCalls: 2, totalTokens: 200 });
  });

  it('maxCostUsd reached exactly stops the run', async () => {
    // $62,500 per million input tokens: 16 tokens cost exactly $1, with no rounding.
    setModelPrice('claude-budget-test', { input: 62_500, output: 0, cacheRead: 0, cacheWrite: 0 });
    try {
      t = await setupTest({ model: 'claude-budget-test', tools: [echoTool('alpha')] });
      loopForever({ input_tokens: 16, output_tokens: 0 });
      const result = await t.process.run('loop', { maxCostUsd: 2, maxIterations: 50 });
      expect(result).to.include({ stopReason: 'budget', apiCalls: 2, costUsd: 2 });
      const under = await t.process.run('loop', { maxCostUsd: 2.5, maxIterations: 50 });
      expect(under).to.include({ stopReason: 'budget', apiCalls: 3, costUsd: 3 });
    } finally {
      setModelPrice('claude-budget-test', undefined);
    }
  });

  it('maxCostUsd stops a looping model, and RunResult reports the cost per call and in total', async () => {
    t = await setupTest({ model: 'claude-haiku-4-5', tools: [echoTool('alpha')] });
    loopForever({ input_tokens: 1000, output_tokens: 1000 });
    const result = await t.process.run('loop', { maxCostUsd: 0.01, maxIterations: 50 });
    // claude-haiku-4-5: $1 in + $5 out per million tokens → $0.006 a call; the third call would start past $0.01.
    expect(result).to.include({ stopReason: 'budget', apiCalls: 2 });
    expect(result.apiCallInfos[0]!.costUsd).to.be.closeTo(0.006, 1e-12);
    expect(result.costUsd).to.be.closeTo(0.012, 1e-12);
    expectValidRequests(t);
  });

  it('gives costUsd null, not a guess, for a model without a known price', async () => {
    t = await setupTest({ model: 'claude-test' });
    t.server.enqueue(textReply('hi'));
    const result = await t.process.run('hi');
    expect(result.costUsd).to.equal(null);
    expect(result.apiCallInfos[0]!.costUsd).to.equal(null);
  });

  it('refuses a cost budget for a model without a known price', async () => {
    t = await setupTest({ model: 'claude-test' });
    const error = await t.process.run('hi', { maxCostUsd: 1 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(InvalidArgumentError).with.property('argument', 'options.maxCostUsd');
    expect(t.server.requests).to.have.length(0);
  });

  describe('budgetLeft', () => {

    it('has room until a limit is reached, and none from then on', () => {
      expect(budgetLeft({}, spent(1_000_000, 1_000))).to.equal(true);
      expect(budgetLeft({ maxTokens: 100 }, spent(99, 0))).to.equal(true);
      expect(budgetLeft({ maxTokens: 100 }, spent(100, 0))).to.equal(false);
      expect(budgetLeft({ maxCostUsd: 0.5 }, spent(0, 0.25))).to.equal(true);
      expect(budgetLeft({ maxCostUsd: 0.5 }, spent(0, 0.5))).to.equal(false);
      expect(budgetLeft({ maxTokens: 100, maxCostUsd: 0.5 }, spent(10, 0.5)), 'either limit').to.equal(false);
      expect(budgetLeft({ maxTokens: 100, maxCostUsd: 0.5 }, spent(100, 0.1)), 'either limit').to.equal(false);
    });

    it('counts a call of unknown cost as spending a cost budget (R23: never silently unmetered)', () => {
      expect(budgetLeft({ maxCostUsd: 0.5 }, spent(10, null))).to.equal(false);
      expect(budgetLeft({ maxCostUsd: 0 }, spent(10, null))).to.equal(false);
      expect(budgetLeft({ maxTokens: 100 }, spent(10, null)), 'a token budget is not a cost budget').to.equal(true);
    });
  });
});

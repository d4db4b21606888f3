/** Token and cost budgets on an OpenAI program: priced from the catalog, cached tokens counted once at their own rate. */
import { expect } from 'chai';
import { InvalidArgumentError } from '../../../lib/errors.js';
import { setModelPrice } from '../../../lib/results/pricing.js';
import { chatReply, toolCallsReply } from '../../../lib/testing/index.js';
import { rejectionOf } from '../../support/promises.js';
import { echoTool } from '../../support/tools.js';
import { expectValidOpenAIRequests, type OpenAITestSetup, setupOpenAITest } from './support.js';

describe('budgets on an OpenAI program', () => {
  let t: OpenAITestSetup | undefined;
  afterEach(async () => {
    setModelPrice('llama3.2', undefined);
    await t?.close();
    t = undefined;
  });

  /** A model that asks for a tool forever, with this usage per call. */
  function loopForever(usage: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number }): void {
    t!.server.respondWith(() => toolCallsReply([{ name: 'alpha', arguments: { value: 'again' } }], { usage }));
  }

  it('maxTokens stops a looping model; cached tokens are counted once', async () => {
    t = await setupOpenAITest({ tools: [echoTool('alpha')] });
    // 150 tokens a call whatever the caching: prompt 100 (60 of them cached) + completion 50.
    loopForever({ prompt_tokens: 100, cached_tokens: 60, completion_tokens: 50 });
    const result = await t.process.run('loop', { maxTokens: 400, maxIterations: 50 });
    expect(result).to.include({ stopReason: 'budget', apiCalls: 3 });
    expect(result.totalTokens).to.equal(450);
    expect(result.usage).to.deep.equal({ inputTokens: 120, outputTokens: 150, cacheReadInputTokens: 180, cacheCreationInputTokens: 0 });
    t.server.respondWith(() => chatReply('stopped looping'));
    await t.process.run('next');
    expectValidOpenAIRequests(t.server);
  });

  it('maxCostUsd stops a looping gpt-4o-mini priced from the catalog, cached tokens at the cached rate', async () => {
    t = await setupOpenAITest({ model: 'gpt-4o-mini', tools: [echoTool('alpha')] });
    // gpt-4o-mini: $0.15 in, $0.075 cached in, $0.60 out per million tokens.
    // A call: 6,000 uncached + 4,000 cached + 5,000 out = $0.0009 + $0.0003 + $0.003 = $0.0042.
    loopForever({ prompt_tokens: 10_000, cached_tokens: 4_000, completion_tokens: 5_000 });
    const result = await t.process.run('loop', { maxCostUsd: 0.01, maxIterations: 50 });
    expect(result).to.include({ stopReason: 'budget', apiCalls: 3 });
    expect(result.apiCallInfos[0]!.costUsd).to.be.closeTo(0.0042, 1e-12);
    expect(result.costUsd).to.be.closeTo(0.0126, 1e-12);
    expectValidOpenAIRequests(t.server);
  });

  it('a local model is unpriced: costUsd null and a cost budget refused, until setModelPrice prices it', async () => {
    t = await setupOpenAITest({ model: 'llama3.2' });
    t.server.respondWith(() => chatReply('hi', { usage: { prompt_tokens: 1_000_000, completion_tokens: 1_000_000 } }));
    expect((await t.process.run('hi')).costUsd).to.equal(null);
    const refused = await rejectionOf(t.process.run('hi', { maxCostUsd: 1 }));
    expect(refused).to.be.instanceOf(InvalidArgumentError).with.property('argument', 'options.maxCostUsd');
    setModelPrice('llama3.2', { input: 0.01, output: 0.02, cacheRead: 0, cacheWrite: 0 });
    const priced = await t.process.run('hi', { maxCostUsd: 1 });
    expect(priced.costUsd).to.be.closeTo(0.03, 1e-12);
  });
});

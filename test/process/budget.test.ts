import { expect } from 'chai';
import { InvalidArgumentError } from '../../lib/errors.js';
import { textReply, toolUseReply } from '../../lib/testing/index.js';
import { expectValidRequests, setupTest, type TestSetup } from '../support/setup.js';
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
});

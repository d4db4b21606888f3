import { expect } from 'chai';
import { chatReply, toolCallsReply } from '../../../lib/testing/index.js';
import { echoTool } from '../../support/tools.js';
import { type OpenAITestSetup, setupOpenAITest } from './support.js';

describe('prompt caching on OpenAI (automatic on OpenAI\'s side)', () => {
  let t: OpenAITestSetup | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('sends no cache marks, and its cached tokens are cache reads per call and in the totals, billed at the cached rate', async () => {
    t = await setupOpenAITest({ model: 'gpt-4o-mini', tools: [echoTool('alpha')] });
    t.server.enqueue(
      toolCallsReply([{ name: 'alpha', arguments: { value: 'v' } }], { usage: { prompt_tokens: 2_000, cached_tokens: 0, completion_tokens: 10 } }),
      chatReply('Done.', { usage: { prompt_tokens: 2_100, cached_tokens: 1_920, completion_tokens: 4 } }),
    );
    const result = await t.process.run('go', { promptCaching: true });
    expect(JSON.stringify(t.server.requests.map((request) => request.body))).not.to.include('cache_control');
    expect(result.apiCallInfos.map((call) => call.tokens)).to.deep.equal([
      { inputTokens: 2_000, outputTokens: 10, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 },
      { inputTokens: 180, outputTokens: 4, cacheReadInputTokens: 1_920, cacheCreationInputTokens: 0 },
    ]);
    expect(result.usage).to.deep.equal({ inputTokens: 2_180, outputTokens: 14, cacheReadInputTokens: 1_920, cacheCreationInputTokens: 0 });
    // gpt-4o-mini: $0.15 in, $0.075 cached, $0.60 out per million tokens.
    expect(result.apiCallInfos[1]!.costUsd).to.be.closeTo((180 * 0.15 + 1_920 * 0.075 + 4 * 0.6) / 1e6, 1e-12);
    expect(result.costUsd).to.be.closeTo((2_180 * 0.15 + 1_920 * 0.075 + 14 * 0.6) / 1e6, 1e-9);
  });
});

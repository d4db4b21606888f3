import type Anthropic from '@anthropic-ai/sdk';
import { expect } from 'chai';
import {
  checkMessagesRequest,
  estimateTokens,
  type FakeAnthropicServer,
  FakePromptCache,
  LOOKBACK_BLOCKS,
  minimumCacheableTokens,
  startFakeAnthropic,
  textReply,
} from '../../lib/testing/index.js';
import { clientOf, post, user } from './support.js';

type Body = Anthropic.MessageCreateParamsNonStreaming;
const MARK = { type: 'ephemeral' as const };
/** About 1,500 tokens: past Sonnet's 1,024-token minimum, short of Haiku 4.5's 4,096. */
const LONG = 'The policy says this. '.repeat(270);
const MINUTE = 60_000;

/** A request with a long marked system prompt and `messages`. */
function body(messages: Anthropic.MessageParam[], system: Anthropic.TextBlockParam[] = [{ type: 'text', text: LONG, cache_control: MARK }]): Body {
  return { model: 'claude-test', max_tokens: 100, system, messages };
}

/** The tokens the cache counts for `blocks` (each block's JSON, without its mark). */
function tokensOf(...blocks: object[]): number {
  return blocks.reduce((sum: number, block) => sum + estimateTokens(JSON.stringify({ ...block, cache_control: undefined })), 0);
}

describe('the fake Anthropic server\'s prompt cache', () => {
  let now: number;
  let cache: FakePromptCache;
  beforeEach(() => {
    now = 1_000_000;
    cache = new FakePromptCache({ now: () => now });
  });
  const system = { type: 'text' as const, text: LONG };
  const hello = { type: 'text' as const, text: 'Hello.' };

  it('writes a prefix up to a breakpoint, then reads it; input_tokens is the rest of the prompt', () => {
    const request = body([user([hello])]);
    const prompt = tokensOf(system, hello);
    expect(cache.use(request, 'claude-sonnet-4-5')).to.deep.equal({
      input_tokens: prompt - tokensOf(system),
      cache_creation_input_tokens: tokensOf(system),
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: tokensOf(system), ephemeral_1h_input_tokens: 0 },
    });
    expect(cache.use(request, 'claude-sonnet-4-5')).to.deep.include({ input_tokens: prompt - tokensOf(system), cache_creation_input_tokens: 0, cache_read_input_tokens: tokensOf(system) });
    expect(cache.use(request, 'claude-opus-4-1'), 'another model has its own cache').to.deep.include({ cache_read_input_tokens: 0, cache_creation_input_tokens: tokensOf(system) });
  });

  it('caches nothing shorter than the model\'s minimum: 1024 tokens for Sonnet 4.5, 4096 for Haiku 4.5, 2048 for Haiku 3.5', () => {
    expect([minimumCacheableTokens('claude-sonnet-4-5'), minimumCacheableTokens('claude-haiku-4-5'), minimumCacheableTokens('claude-3-5-haiku-latest'), minimumCacheableTokens('claude-opus-4-1')]).to.deep.equal([
      1024, 4096, 2048, 1024,
    ]);
    const request = body([user([hello])]);
    for (let i = 0; i < 2; i += 1) {
      expect(cache.use(request, 'claude-haiku-4-5')).to.deep.include({ cache_creation_input_tokens: 0, cache_read_input_tokens: 0, input_tokens: tokensOf(system, hello) });
    }
    const short = body([user([hello])], [{ type: 'text', text: 'Short.', cache_control: MARK }]);
    expect(cache.use(short, 'claude-sonnet-4-5').cache_creation_input_tokens).to.equal(0);
    expect(cache.size).to.equal(0);
  });

  it('reads the longest live prefix and writes from there to the last breakpoint (a tool loop\'s second call)', () => {
    const first = body([user([{ ...hello, cache_control: MARK }])]);
    cache.use(first, 'claude-sonnet-4-5');
    const answer = { type: 'text' as const, text: 'Hi!' };
    const more = { type: 'text' as const, text: 'More.' };
    const second = body([user([{ ...hello, cache_control: MARK }]), { role: 'assistant', content: [answer] }, user([{ ...more, cache_control: MARK }])]);
    expect(cache.use(second, 'claude-sonnet-4-5')).to.deep.include({
      cache_read_input_tokens: tokensOf(system, hello),
      cache_creation_input_tokens: tokensOf(answer, more),
      input_tokens: 0,
    });
  });

  it('a changed block earlier in the prefix is a miss', () => {
    cache.use(body([user([{ ...hello, cache_control: MARK }])]), 'claude-sonnet-4-5');
    const changed = body([user([{ ...hello, cache_control: MARK }])], [{ type: 'text', text: `${LONG}!`, cache_control: MARK }]);
    expect(cache.use(changed, 'claude-sonnet-4-5').cache_read_input_tokens).to.equal(0);
  });

  it(`finds an entry up to ${LOOKBACK_BLOCKS} blocks before a breakpoint, not further`, () => {
    const blocks = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'text' as const, text: `Block ${i}.` }));
    cache.use(body([user([hello])]), 'claude-sonnet-4-5');
    const near = [hello, ...blocks(LOOKBACK_BLOCKS - 2)];
    const markLast = (content: Anthropic.TextBlockParam[]) => content.map((block, i) => (i === content.length - 1 ? { ...block, cache_control: MARK } : block));
    expect(cache.use(body([user(markLast(near))], [system]), 'claude-sonnet-4-5').cache_read_input_tokens, 'within the lookback').to.equal(tokensOf(system));
    cache.clear();
    cache.use(body([user([hello])]), 'claude-sonnet-4-5');
    const far = [hello, ...blocks(LOOKBACK_BLOCKS)];
    expect(cache.use(body([user(markLast(far))], [system]), 'claude-sonnet-4-5').cache_read_input_tokens, 'past the lookback').to.equal(0);
  });

  it('expires an entry 5 minutes after its last use, and a read renews it (the clock is injected: no sleeps)', () => {
    const request = body([user([hello])]);
    cache.use(request, 'claude-sonnet-4-5');
    now += 4 * MINUTE;
    expect(cache.use(request, 'claude-sonnet-4-5').cache_read_input_tokens, 'at 4 minutes').to.be.above(0);
    now += 4 * MINUTE;
    expect(cache.use(request, 'claude-sonnet-4-5').cache_read_input_tokens, '4 minutes after the read').to.be.above(0);
    now += 5 * MINUTE;
    expect(cache.use(request, 'claude-sonnet-4-5'), '5 minutes after the last read').to.deep.include({ cache_read_input_tokens: 0, cache_creation_input_tokens: tokensOf(system) });
  });

  it('keeps a 1h entry for an hour and reports its writes as 1h writes', () => {
    const request = body([user([hello])], [{ type: 'text', text: LONG, cache_control: { type: 'ephemeral', ttl: '1h' } }]);
    expect(cache.use(request, 'claude-sonnet-4-5').cache_creation).to.deep.equal({ ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: tokensOf(system) });
    now += 59 * MINUTE;
    expect(cache.use(request, 'claude-sonnet-4-5').cache_read_input_tokens).to.equal(tokensOf(system));
    now += 61 * MINUTE;
    expect(cache.use(request, 'claude-sonnet-4-5').cache_read_input_tokens).to.equal(0);
  });

  describe('on the server (started with promptCache)', () => {
    let server: FakeAnthropicServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    it('reports the cache in the usage of JSON and streamed replies, keeping the scripted output tokens', async () => {
      server = await startFakeAnthropic({ promptCache: { now: () => now }, responder: () => textReply('ok', { usage: { input_tokens: 10, output_tokens: 7 } }) });
      const client = clientOf(server);
      const request = body([user([hello])]);
      const first = await client.messages.create(request);
      expect(first.usage).to.deep.include({ input_tokens: tokensOf(hello), cache_creation_input_tokens: tokensOf(system), cache_read_input_tokens: 0, output_tokens: 7 });
      expect(first.usage.cache_creation).to.deep.equal({ ephemeral_5m_input_tokens: tokensOf(system), ephemeral_1h_input_tokens: 0 });
      const streamed = await client.messages.stream(request).finalMessage();
      expect(streamed.usage).to.deep.include({ input_tokens: tokensOf(hello), cache_creation_input_tokens: 0, cache_read_input_tokens: tokensOf(system), output_tokens: 7 });
      expect(server.promptCache?.size).to.equal(1);
    });

    it('is off unless asked: the usage is as scripted', async () => {
      server = await startFakeAnthropic({ responder: () => textReply('ok') });
      const message = await clientOf(server).messages.create(body([user([hello])]));
      expect(message.usage).to.deep.include({ input_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
      expect(server.promptCache).to.equal(undefined);
    });

    it('answers 400 to marks the API refuses: more than 4, another type or TTL, on a thinking block, 1h after 5m', async () => {
      server = await startFakeAnthropic({ responder: () => textReply('ok') });
      const marked = (n: number) => user(Array.from({ length: n }, (_, i) => ({ type: 'text' as const, text: `b${i}`, cache_control: MARK })));
      const cases: Array<[unknown, string]> = [
        [body([marked(4)]), 'A maximum of 4 blocks with cache_control may be provided. Found 5.'],
        [body([user([{ ...hello, cache_control: { type: 'persistent' } } as unknown as Anthropic.TextBlockParam])]), "messages.0.content.0.cache_control.type: Input should be 'ephemeral'"],
        [body([user([{ ...hello, cache_control: { type: 'ephemeral', ttl: '10m' } } as unknown as Anthropic.TextBlockParam])]), "messages.0.content.0.cache_control.ttl: Input should be '5m' or '1h'"],
        [body([user([{ ...hello, cache_control: { type: 'ephemeral', ttl: '1h' } }])]), "messages.0.content.0: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block"],
      ];
      for (const [request, message] of cases) {
        const response = await post(server, request, { 'x-api-key': 'sk-test' });
        expect(response.status, message).to.equal(400);
        expect(((await response.json()) as { error: { message: string } }).error.message).to.equal(message);
      }
      expect((await post(server, body([marked(3)]), { 'x-api-key': 'sk-test' })).status, '4 in all').to.equal(200);
      // The server checks a thinking block's signature first; the check alone sees the mark.
      const thinking = body([user([hello]), { role: 'assistant', content: [{ type: 'thinking', thinking: 'x', signature: 's', cache_control: MARK } as Anthropic.ThinkingBlockParam] }]);
      expect(checkMessagesRequest(thinking)).to.equal('messages.1.content.0: cache_control cannot be set for thinking blocks');
    });
  });
});

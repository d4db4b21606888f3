import type Anthropic from '@anthropic-ai/sdk';
import { expect } from 'chai';
import fc from 'fast-check';
import { deepFreeze } from '../../../lib/deep-freeze.js';
import { countBreakpoints, MAX_CACHE_BREAKPOINTS, withCacheBreakpoints } from '../../../lib/providers/anthropic/cache-breakpoints.js';
import { toAnthropicParams } from '../../../lib/providers/anthropic/mapping.js';
import type { Message, ModelRequest } from '../../../lib/providers/types.js';
import { checkMessagesRequest, withoutCaching } from '../../../lib/testing/index.js';

type Params = Anthropic.MessageCreateParamsNonStreaming;
const FIVE_MINUTES = { ttl: '5m' } as const;
const MARK = { type: 'ephemeral' };

/** A tool loop's conversation after `turns` tool calls, ending with the last tool result. */
function toolLoop(turns: number): Message[] {
  const messages: Message[] = [{ role: 'user', content: [{ type: 'text', text: 'Start.' }] }];
  for (let i = 1; i <= turns; i += 1) {
    messages.push({ role: 'assistant', content: [{ type: 'text', text: `Call ${i}.` }, { type: 'tool_call', id: `toolu_${i}`, name: 'read', input: { i } }] });
    messages.push({ role: 'user', content: [{ type: 'tool_result', toolCallId: `toolu_${i}`, content: [{ type: 'text', text: `result ${i}` }], isError: false }] });
  }
  return messages;
}

function request(messages: Message[]): ModelRequest {
  return {
    model: 'claude-sonnet-4-5',
    system: 'You are a test.',
    messages,
    tools: [
      { name: 'read', description: 'Reads.', inputSchema: { type: 'object' } },
      { name: 'write', description: 'Writes.', inputSchema: { type: 'object' } },
    ],
    parameters: {},
  };
}

/** Where the breakpoints of `params` are, as readable paths. */
function breakpointsOf(params: Params): string[] {
  const found: string[] = [];
  params.tools?.forEach((tool, i) => 'cache_control' in tool && tool.cache_control && found.push(`tools.${i}`));
  if (Array.isArray(params.system)) params.system.forEach((block, i) => block.cache_control && found.push(`system.${i}`));
  params.messages.forEach((message, i) => {
    if (Array.isArray(message.content)) message.content.forEach((block, j) => 'cache_control' in block && block.cache_control && found.push(`messages.${i}.${j}`));
  });
  return found;
}

describe('withCacheBreakpoints (automatic prompt caching)', () => {
  it('marks the end of the system prompt, the last message, and the previous request\'s last message', () => {
    const params = withCacheBreakpoints(toAnthropicParams(request(toolLoop(2))), FIVE_MINUTES);
    expect(breakpointsOf(params)).to.deep.equal(['system.0', 'messages.2.0', 'messages.4.0']);
    expect(params.system).to.deep.equal([{ type: 'text', text: 'You are a test.', cache_control: MARK }]);
    expect(params.messages[4]!.content).to.deep.equal([
      { type: 'tool_result', tool_use_id: 'toolu_2', content: [{ type: 'text', text: 'result 2' }], cache_control: MARK },
    ]);
    expect(checkMessagesRequest(params)).to.equal(undefined);
  });

  it('on the first call marks the system prompt and the only message', () => {
    expect(breakpointsOf(withCacheBreakpoints(toAnthropicParams(request(toolLoop(0))), FIVE_MINUTES))).to.deep.equal(['system.0', 'messages.0.0']);
  });

  it('marks the last tool when there is no system prompt, and nothing of the prefix when there are no tools either', () => {
    const noSystem = withCacheBreakpoints(toAnthropicParams({ ...request(toolLoop(1)), system: undefined }), FIVE_MINUTES);
    expect(breakpointsOf(noSystem)).to.deep.equal(['tools.1', 'messages.0.0', 'messages.2.0']);
    expect(noSystem).not.to.have.property('system');
    const bare = withCacheBreakpoints(toAnthropicParams({ ...request(toolLoop(0)), system: undefined, tools: [] }), FIVE_MINUTES);
    expect(breakpointsOf(bare)).to.deep.equal(['messages.0.0']);
  });

  it('continuing after pause_turn (the conversation ends with the assistant), marks the assistant turn and the user turn before it', () => {
    const messages = [...toolLoop(1), { role: 'assistant' as const, content: [{ type: 'text' as const, text: 'Searching' }] }];
    expect(breakpointsOf(withCacheBreakpoints(toAnthropicParams(request(messages)), FIVE_MINUTES))).to.deep.equal(['system.0', 'messages.2.0', 'messages.3.0']);
  });

  it('never marks a thinking block: the last other block of the message, or no block of a message of thinking only', () => {
    const thinking = { type: 'thinking', thinking: 'Hmm.', signature: 'sig' };
    const params: Params = {
      model: 'm',
      max_tokens: 10,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Go.' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Going.' }, thinking as Anthropic.ThinkingBlockParam] },
      ],
    };
    expect(breakpointsOf(withCacheBreakpoints(params, FIVE_MINUTES))).to.deep.equal(['messages.0.0', 'messages.1.0']);
    const thinkingOnly: Params = { ...params, messages: [params.messages[0]!, { role: 'assistant', content: [thinking as Anthropic.ThinkingBlockParam] }] };
    expect(breakpointsOf(withCacheBreakpoints(thinkingOnly, FIVE_MINUTES))).to.deep.equal(['messages.0.0']);
  });

  it('writes the 1h TTL when asked (5m is the API\'s default and is left out)', () => {
    const params = withCacheBreakpoints(toAnthropicParams(request(toolLoop(1))), { ttl: '1h' });
    expect((params.system as Anthropic.TextBlockParam[])[0]!.cache_control).to.deep.equal({ type: 'ephemeral', ttl: '1h' });
    expect(JSON.stringify(params).match(/"ttl":"1h"/g)).to.have.length(3);
  });

  it('changes nothing it was given and copies only what it marks: the other messages are the same objects', () => {
    const built = deepFreeze(toAnthropicParams(request(toolLoop(3))));
    const before = structuredClone(built);
    const params = withCacheBreakpoints(built, FIVE_MINUTES);
    expect(built).to.deep.equal(before);
    expect(params).not.to.equal(built);
    const marked = new Set([4, 6]);
    params.messages.forEach((message, i) => {
      if (marked.has(i)) expect(message, `message ${i} is a copy`).not.to.equal(built.messages[i]);
      else expect(message, `message ${i} is shared`).to.equal(built.messages[i]);
    });
    expect(params.tools).to.equal(built.tools);
    expect(withCacheBreakpoints(built, undefined), 'caching off: the request itself').to.equal(built);
  });

  it('never changes what the model sees: equal to the request without caching once cache_control is stripped', () => {
    for (const turns of [0, 1, 5]) {
      const built = toAnthropicParams(request(toolLoop(turns)));
      expect(withoutCaching(withCacheBreakpoints(built, { ttl: '1h' }))).to.deep.equal(withoutCaching(built));
    }
  });

  it('keeps breakpoints already in the request and counts them: never more than 4', () => {
    const built = toAnthropicParams(request(toolLoop(4)));
    const own = (indexes: number[]): Params => ({
      ...built,
      messages: built.messages.map((message, i) =>
        indexes.includes(i) ? { ...message, content: (message.content as Anthropic.ContentBlockParam[]).map((block) => ({ ...block, cache_control: { type: 'ephemeral' as const } })) } : message,
      ) as Params['messages'],
    });
    expect(breakpointsOf(withCacheBreakpoints(own([2]), FIVE_MINUTES)), 'one of the user\'s: three of ours').to.deep.equal(['system.0', 'messages.2.0', 'messages.6.0', 'messages.8.0']);
    expect(breakpointsOf(withCacheBreakpoints(own([3]), FIVE_MINUTES)), 'two of the user\'s: two of ours').to.deep.equal(['system.0', 'messages.3.0', 'messages.3.1', 'messages.8.0']);
    expect(breakpointsOf(withCacheBreakpoints(own([8]), FIVE_MINUTES)), 'the user marked the last message: it is not marked twice').to.deep.equal(['system.0', 'messages.6.0', 'messages.8.0']);
    const full = own([1, 3]);
    expect(countBreakpoints(full)).to.equal(4);
    expect(withCacheBreakpoints(full, FIVE_MINUTES), 'no room left').to.equal(full);
    expect(countBreakpoints({ ...built, cache_control: { type: 'ephemeral' } }), 'the top-level cache_control is one').to.equal(1);
  });

  it('gives at most 4 breakpoints and keeps every breakpoint it was given, whatever the request (property)', () => {
    const built = toAnthropicParams(request(toolLoop(6)));
    const blockCount = built.messages.reduce((sum, message) => sum + (message.content as unknown[]).length, 0);
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat({ max: blockCount - 1 }), { maxLength: 4 }), fc.boolean(), (marked, withSystem) => {
        let k = 0;
        const messages = built.messages.map((message) => ({
          ...message,
          content: (message.content as Anthropic.ContentBlockParam[]).map((block) => (marked.includes(k++) ? { ...block, cache_control: { type: 'ephemeral' as const } } : block)),
        }));
        const given = (withSystem ? { ...built, messages } : { ...built, system: undefined, messages }) as Params;
        const params = withCacheBreakpoints(given, FIVE_MINUTES);
        expect(countBreakpoints(params)).to.be.at.most(MAX_CACHE_BREAKPOINTS).and.at.least(marked.length);
        if (marked.length < MAX_CACHE_BREAKPOINTS) expect(countBreakpoints(params), 'one of ours at least, while there is room').to.be.above(marked.length);
        expect(withoutCaching(params)).to.deep.equal(withoutCaching(given));
        expect(breakpointsOf(params)).to.include.members(breakpointsOf(given));
      }),
    );
  });
});

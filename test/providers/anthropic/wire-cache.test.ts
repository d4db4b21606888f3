import { expect } from 'chai';
import { deepFreeze } from '../../../lib/deep-freeze.js';
import { appendUserInput } from '../../../lib/process/conversation.js';
import { toAnthropicParams } from '../../../lib/providers/anthropic/mapping.js';
import type { Message, ModelRequest, ToolSpec } from '../../../lib/providers/types.js';

const base: ModelRequest = { model: 'claude-test', system: undefined, messages: [], tools: [], parameters: {} };
const history = (): Message[] => [
  deepFreeze<Message>({ role: 'user', content: [{ type: 'text', text: 'hi' }] }),
  deepFreeze<Message>({ role: 'assistant', content: [{ type: 'tool_call', id: 'toolu_1', name: 'calc', input: { a: 1 } }] }),
  deepFreeze<Message>({ role: 'user', content: [{ type: 'tool_result', toolCallId: 'toolu_1', content: [{ type: 'text', text: '2' }], isError: false }] }),
];

describe('the Anthropic wire form cache', () => {
  it('serves the same frozen wire message for the same frozen message on every call', () => {
    const messages = history();
    const first = toAnthropicParams({ ...base, messages });
    const second = toAnthropicParams({ ...base, messages: [...messages, deepFreeze<Message>({ role: 'assistant', content: [{ type: 'text', text: 'ok' }] })] });
    expect(second.messages.slice(0, 3)).to.have.ordered.members(first.messages);
    expect(first.messages).not.to.equal(second.messages);
    for (const message of first.messages) {
      expect(Object.isFrozen(message) && Object.isFrozen(message.content)).to.equal(true);
      for (const block of message.content as object[]) expect(Object.isFrozen(block)).to.equal(true);
    }
  });

  it('never serves a stale form: a message replaced by a new one (as appendUserInput does) is sent as it is now', () => {
    const messages = history();
    const before = toAnthropicParams({ ...base, messages });
    appendUserInput(messages, 'and now?');
    const after = toAnthropicParams({ ...base, messages });
    expect(after.messages[2]).not.to.equal(before.messages[2]);
    expect(after.messages[2]!.content).to.deep.equal([
      { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '2' }] },
      { type: 'text', text: 'and now?' },
    ]);
    expect(before.messages[2]!.content).to.have.length(1);
  });

  it('never serves a stale form: a message that is not frozen is mapped on every call, so a change to it shows', () => {
    const message: Message = { role: 'user', content: [{ type: 'text', text: 'before' }] };
    expect(toAnthropicParams({ ...base, messages: [message] }).messages[0]!.content).to.deep.equal([{ type: 'text', text: 'before' }]);
    (message.content[0] as { text: string }).text = 'after';
    expect(toAnthropicParams({ ...base, messages: [message] }).messages[0]!.content).to.deep.equal([{ type: 'text', text: 'after' }]);
    const shallow = Object.freeze<Message>({ role: 'user', content: [{ type: 'text', text: 'one' }] });
    toAnthropicParams({ ...base, messages: [shallow] });
    shallow.content.push({ type: 'text', text: 'two' });
    expect(toAnthropicParams({ ...base, messages: [shallow] }).messages[0]!.content).to.have.length(2);
  });

  it('maps a frozen tool list once and freezes its form; a list that is not frozen is mapped every time', () => {
    const tools: readonly ToolSpec[] = Object.freeze([Object.freeze({ name: 'calc', description: 'math', inputSchema: { type: 'object' } })]);
    const first = toAnthropicParams({ ...base, tools }).tools!;
    expect(toAnthropicParams({ ...base, tools }).tools).to.equal(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first[0])).to.equal(true);
    const open: ToolSpec[] = [{ name: 'calc', description: 'math', inputSchema: { type: 'object' } }];
    expect(toAnthropicParams({ ...base, tools: open }).tools![0]).to.deep.include({ description: 'math' });
    open[0]!.description = 'more math';
    expect(toAnthropicParams({ ...base, tools: open }).tools![0]).to.deep.include({ description: 'more math' });
  });

  it('joining assistant turns and trimming the final text copy the cached forms, never change them', () => {
    const paused = deepFreeze<Message>({ role: 'assistant', content: [{ type: 'text', text: 'thinking ' }] });
    const messages = [history()[0]!, paused];
    const trimmed = toAnthropicParams({ ...base, messages });
    expect(trimmed.messages[1]!.content).to.deep.equal([{ type: 'text', text: 'thinking' }]);
    const more = deepFreeze<Message>({ role: 'assistant', content: [{ type: 'text', text: 'more' }] });
    const joined = toAnthropicParams({ ...base, messages: [...messages, more, deepFreeze<Message>({ role: 'user', content: [{ type: 'text', text: 'ok' }] })] });
    expect(joined.messages[1]!.content).to.deep.equal([{ type: 'text', text: 'thinking ' }, { type: 'text', text: 'more' }]);
    // The cached form of the paused turn still has its text untrimmed and alone.
    expect(toAnthropicParams({ ...base, messages: [history()[0]!, paused, deepFreeze<Message>({ role: 'user', content: [{ type: 'text', text: 'x' }] })] }).messages[1]!.content).to.deep.equal([{ type: 'text', text: 'thinking ' }]);
  });
});

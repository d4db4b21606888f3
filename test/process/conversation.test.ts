import { expect } from 'chai';
import { appendUserInput, lastAssistantText, textOf, toolCallsOf, toToolResultPart } from '../../lib/process/conversation.js';
import type { AssistantPart, Message, ToolCallPart } from '../../lib/providers/types.js';

const call = (id: string, name = 'alpha'): ToolCallPart => ({ type: 'tool_call', id, name, input: { value: id } });
const opaque: AssistantPart = { type: 'opaque', provider: 'anthropic', data: { type: 'thinking', thinking: 'hmm' } };

describe('conversation helpers', () => {
  describe('appendUserInput', () => {
    it('starts a new user message after an assistant message, or in an empty conversation', () => {
      const messages: Message[] = [];
      appendUserInput(messages, 'first');
      expect(messages).to.deep.equal([{ role: 'user', content: [{ type: 'text', text: 'first' }] }]);
      messages.push({ role: 'assistant', content: [{ type: 'text', text: 'hello' }] });
      appendUserInput(messages, 'second');
      expect(messages).to.have.length(3);
      expect(messages[2]).to.deep.equal({ role: 'user', content: [{ type: 'text', text: 'second' }] });
    });

    it('joins a conversation that ends with a user message, after its tool results, so roles still alternate', () => {
      const results: Message = { role: 'user', content: [{ type: 'tool_result', toolCallId: 't1', content: [], isError: false }] };
      const messages: Message[] = [{ role: 'user', content: [{ type: 'text', text: 'go' }] }, { role: 'assistant', content: [call('t1')] }, results];
      appendUserInput(messages, 'and now?');
      expect(messages).to.have.length(3);
      expect(messages[2]!.content).to.deep.equal([
        { type: 'tool_result', toolCallId: 't1', content: [], isError: false },
        { type: 'text', text: 'and now?' },
      ]);
    });

    it('adds content parts as they are, in order, in a message of their own (the input array is not kept)', () => {
      const messages: Message[] = [];
      const parts = [{ type: 'text' as const, text: 'see' }, { type: 'image_url' as const, url: 'https://example.com/a.png' }];
      appendUserInput(messages, parts);
      parts.pop();
      expect(messages).to.deep.equal([{ role: 'user', content: [{ type: 'text', text: 'see' }, { type: 'image_url', url: 'https://example.com/a.png' }] }]);
    });
  });

  describe('textOf', () => {
    it('joins the text parts in order and skips tool calls and opaque parts', () => {
      expect(textOf([{ type: 'text', text: 'one ' }, call('t1'), opaque, { type: 'text', text: 'two' }])).to.equal('one two');
      expect(textOf([call('t1'), opaque])).to.equal('');
      expect(textOf([])).to.equal('');
    });
  });

  describe('toolCallsOf', () => {
    it('gives the tool calls in order, and nothing else', () => {
      const parts: AssistantPart[] = [{ type: 'text', text: 'calling' }, call('t1', 'alpha'), opaque, call('t2', 'beta')];
      expect(toolCallsOf(parts)).to.deep.equal([call('t1', 'alpha'), call('t2', 'beta')]);
      expect(toolCallsOf([{ type: 'text', text: 'no calls' }])).to.deep.equal([]);
    });
  });

  describe('lastAssistantText', () => {
    it('is the text of the most recent assistant message that has text, skipping later ones without', () => {
      const messages: Message[] = [
        { role: 'user', content: [{ type: 'text', text: 'q1' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'older answer' }] },
        { role: 'user', content: [{ type: 'text', text: 'q2' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'the ' }, call('t1'), { type: 'text', text: 'answer' }] },
        { role: 'user', content: [{ type: 'tool_result', toolCallId: 't1', content: [{ type: 'text', text: 'tool text' }], isError: false }] },
        { role: 'assistant', content: [call('t2')] },
      ];
      expect(lastAssistantText(messages)).to.equal('the answer');
    });

    it('reaches the first message (a fork or a restored conversation may start with the assistant)', () => {
      expect(lastAssistantText([{ role: 'assistant', content: [{ type: 'text', text: 'first' }] }, { role: 'user', content: [{ type: 'text', text: 'q' }] }])).to.equal('first');
    });

    it('never gives the text of a user message (after a first run that failed, the prompt is all there is)', () => {
      expect(lastAssistantText([{ role: 'user', content: [{ type: 'text', text: 'my prompt' }] }])).to.equal('');
      expect(
        lastAssistantText([
          { role: 'user', content: [{ type: 'text', text: 'q1' }] },
          { role: 'assistant', content: [{ type: 'text', text: 'a1' }] },
          { role: 'user', content: [{ type: 'text', text: 'q2, whose call failed' }] },
        ]),
      ).to.equal('a1');
    });

    it('is empty for an empty conversation or one whose assistant messages have no text', () => {
      expect(lastAssistantText([])).to.equal('');
      expect(lastAssistantText([{ role: 'user', content: [{ type: 'text', text: 'q' }] }, { role: 'assistant', content: [call('t1'), opaque] }])).to.equal('');
    });
  });

  describe('toToolResultPart', () => {
    it('sends a string output as one text part, an empty one as no part (R8), and parts as they are', () => {
      expect(toToolResultPart('t1', { content: 'done', isError: false })).to.deep.equal({
        type: 'tool_result',
        toolCallId: 't1',
        content: [{ type: 'text', text: 'done' }],
        isError: false,
      });
      expect(toToolResultPart('t2', { content: '', isError: true })).to.deep.equal({ type: 'tool_result', toolCallId: 't2', content: [], isError: true });
      const parts = [{ type: 'text' as const, text: 'see' }, { type: 'image' as const, mediaType: 'image/png', data: 'AAAA' }];
      expect(toToolResultPart('t3', { content: parts, isError: false })).to.deep.equal({ type: 'tool_result', toolCallId: 't3', content: parts, isError: false });
    });
  });
});

import { expect } from 'chai';
import { deepFreeze } from '../../lib/deep-freeze.js';
import { isFrozenMessage, WireFormCache } from '../../lib/providers/frozen-message.js';
import type { Message } from '../../lib/providers/types.js';

const textMessage = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });

describe('frozen messages and the wire form cache', () => {
  describe('isFrozenMessage', () => {
    it('is true only when the message, its content and each part (a tool call input, a tool result content) are frozen', () => {
      expect(isFrozenMessage(deepFreeze(textMessage('hi')))).to.equal(true);
      expect(isFrozenMessage(textMessage('hi'))).to.equal(false);
      expect(isFrozenMessage(Object.freeze(textMessage('hi')))).to.equal(false);
      const call: Message = { role: 'assistant', content: [{ type: 'tool_call', id: 't', name: 'n', input: { a: 1 } }] };
      Object.freeze(call);
      Object.freeze(call.content);
      Object.freeze(call.content[0]);
      expect(isFrozenMessage(call), 'input not frozen').to.equal(false);
      const result: Message = { role: 'user', content: [{ type: 'tool_result', toolCallId: 't', content: [{ type: 'text', text: 'x' }], isError: false }] };
      Object.freeze(result);
      Object.freeze(result.content);
      Object.freeze(result.content[0]);
      expect(isFrozenMessage(result), 'result content not frozen').to.equal(false);
    });
  });

  describe('WireFormCache', () => {
    it('maps a frozen message once, freezes the form and serves it again', () => {
      let maps = 0;
      const cache = new WireFormCache<{ text: string }>(deepFreeze);
      const map = (message: Message) => (maps++, { text: (message.content[0] as { text: string }).text });
      const message = deepFreeze(textMessage('hi'));
      const first = cache.get(message, map);
      expect(cache.get(message, map)).to.equal(first);
      expect(maps).to.equal(1);
      expect(Object.isFrozen(first)).to.equal(true);
    });

    it('never serves a stale form: a message that is not frozen is mapped every time, so a change shows', () => {
      let maps = 0;
      const cache = new WireFormCache<{ text: string }>(deepFreeze);
      const map = (message: Message) => (maps++, { text: (message.content[0] as { text: string }).text });
      const message = textMessage('before');
      expect(cache.get(message, map)).to.deep.equal({ text: 'before' });
      (message.content[0] as { text: string }).text = 'after';
      expect(cache.get(message, map)).to.deep.equal({ text: 'after' });
      expect(maps).to.equal(2);
      expect(Object.isFrozen(message)).to.equal(false);
    });

    it('remembers a message that maps to nothing', () => {
      let maps = 0;
      const cache = new WireFormCache<{ text: string }>(deepFreeze);
      const message = deepFreeze(textMessage(''));
      expect(cache.get(message, () => (maps++, undefined))).to.equal(undefined);
      expect(cache.get(message, () => (maps++, undefined))).to.equal(undefined);
      expect(maps).to.equal(1);
    });
  });
});

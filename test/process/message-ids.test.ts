import { expect } from 'chai';
import { RewindError } from '../../lib/errors.js';
import { isReturnPoint, labelMessages, type LabelledMessage, MessageIds } from '../../lib/process/message-ids.js';
import { applyRewind, findReturnPoint, shownId } from '../../lib/process/rewind.js';
import type { Message } from '../../lib/providers/types.js';

const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });
const assistant = (text: string): Message => ({ role: 'assistant', content: [{ type: 'text', text }] });
const call: Message = { role: 'assistant', content: [{ type: 'tool_call', id: 'toolu_1', name: 'ok', input: {} }] };
const result: Message = { role: 'user', content: [{ type: 'tool_result', toolCallId: 'toolu_1', content: [], isError: false }] };

describe('message ids', () => {
  it('MessageIds gives each new message the next number, keeps them through a reset, and copies for a fork', () => {
    const ids = new MessageIds();
    const messages = [user('a'), assistant('b')];
    expect(ids.sync(messages)).to.deep.equal([0, 1]);
    expect(ids.sync([...messages, user('c')])).to.deep.equal([0, 1, 2]);
    expect(ids.sync([])).to.deep.equal([]);
    expect(ids.sync([user('d')])).to.deep.equal([3]);
    const fork = ids.copy();
    expect(fork.sync([user('d'), assistant('e')])).to.deep.equal([3, 4]);
    expect(ids.next, 'the original counts alone').to.equal(4);
    expect(new MessageIds([5, 9]).next).to.equal(10);
    expect(new MessageIds([5, 9, 12]).next, 'after the last id').to.equal(13);
  });

  it('a return point is a user message with text that answers no tool call', () => {
    const messages = [user('a'), call, result, assistant('b'), { role: 'user', content: [...result.content, { type: 'text', text: 'joined' }] } as Message];
    expect(messages.map((_, index) => isReturnPoint(messages, index))).to.deep.equal([true, false, false, false, false]);
    expect(isReturnPoint(messages, 99)).to.equal(false);
    const image = { type: 'image', mediaType: 'image/png', data: 'AAAA' } as const;
    const media: Message[] = [{ role: 'user', content: [image] }, { role: 'user', content: [image, { type: 'text', text: 'and this' }] }];
    expect(media.map((_, index) => isReturnPoint(media, index)), 'a user message needs some text').to.deep.equal([false, true]);
  });

  it('labelMessages puts the id in front of each return point, as new objects built once, leaving the history unchanged', () => {
    const messages = [user('a'), call, result, assistant('b'), user('c')];
    const before = structuredClone(messages);
    const cache = new WeakMap<Message, LabelledMessage>();
    const labelled = labelMessages(messages, [0, 1, 2, 3, 7], cache);
    expect(labelled.map((message) => { const first = message.content[0]!; return first.type === 'text' && first.text; })).to.deep.equal(['[msg_0] a', false, false, 'b', '[msg_7] c']);
    expect(messages).to.deep.equal(before);
    expect(labelled[1]).to.equal(messages[1]);
    expect(labelled[2], 'a tool result message is no return point: left as it is').to.equal(messages[2]);
    expect(labelMessages(messages, [0, 1, 2, 3, 7], cache)[0], 'cached').to.equal(labelled[0]);
    (messages[4]!.content as Message['content']).push({ type: 'text', text: 'more' } as never);
    expect(labelMessages(messages, [0, 1, 2, 3, 7], cache)[4]!.content, 'a message that grew is labelled again').to.have.length(2);
  });
  it('labelMessages puts the id on the first text part only, whatever comes before it', () => {
    const image = { type: 'image', mediaType: 'image/png', data: 'AAAA' } as const;
    const messages: Message[] = [{ role: 'user', content: [image, { type: 'text', text: 'first' }, { type: 'text', text: 'second' }, image] }];
    expect(labelMessages(messages, [4], new WeakMap())[0]!.content).to.deep.equal([image, { type: 'text', text: '[msg_4] first' }, { type: 'text', text: 'second' }, image]);
  });
});

describe('rewinds, as functions', () => {
  const messages = [user('a'), call, result, assistant('b'), user('c'), call];
  const ids = [0, 1, 2, 3, 6, 7];
  const reasonOf = (id: unknown): string => {
    try {
      findReturnPoint(messages, ids, 8, id);
    } catch (error) {
      expect(error).to.be.instanceOf(RewindError);
      return (error as RewindError).reason;
    }
    return 'ok';
  };

  it('findReturnPoint finds a return point before the current message, and says why not otherwise', () => {
    expect(findReturnPoint(messages, ids, 8, 'msg_6')).to.equal(4);
    expect(findReturnPoint(messages, ids, 8, 'msg_0')).to.equal(0);
    expect(['msg_8', 'msg_4', 'msg_7', 'msg_1', 'msg_2', 'msg_3', 'msg_x', 7, null].map(reasonOf)).to.deep.equal([
      'ahead', 'removed', 'current', 'not_user', 'not_user', 'not_user', 'bad_id', 'bad_id', 'bad_id',
    ]);
    expect(() => findReturnPoint(messages, ids, 8, 'msg_4')).to.throw(/Messages you can go back to: msg_0, msg_6\./);
  });

  it('applyRewind makes a new list (no message changed): the messages before the target, then the instruction', () => {
    const done = [user('a'), call, result, assistant('b'), user('c'), call, result];
    const before = structuredClone(done);
    const messageIds = new MessageIds([0, 1, 2, 3, 6, 7, 8], 9);
    const applied = applyRewind(done, messageIds, { to: 'msg_6', instruction: 'again', via: 'code' }, 1234)!;
    expect(applied.messages).to.deep.equal([user('a'), call, result, assistant('b'), user('again')]);
    expect(applied.messages[0]).to.equal(done[0]);
    expect(done).to.deep.equal(before);
    expect(applied.event).to.deep.equal({ from: 'msg_8', to: 'msg_6', messageId: 'msg_9', removed: 3, instruction: 'again', via: 'code', at: 1234 });
    expect(messageIds.sync(applied.messages)).to.deep.equal([0, 1, 2, 3, 9]);
    expect(applyRewind(done, new MessageIds([0, 1, 2, 3, 6, 7, 8], 9), { to: 'msg_4', instruction: 'x', via: 'code' }, 0), 'gone').to.equal(undefined);
  });

  it('findReturnPoint lists the return points before the current message, or none yet', () => {
    const asked = [user('a'), assistant('b'), user('c')];
    expect(() => findReturnPoint(asked, [0, 1, 2], 3, 'nope')).to.throw(RewindError, /Messages you can go back to: msg_0\.$/);
    expect(() => findReturnPoint([user('a')], [0], 1, 'nope')).to.throw(RewindError, /Messages you can go back to: none yet\.$/);
    expect(() => findReturnPoint([user('a')], [0], 1, 'msg_0')).to.throw(RewindError, /^Cannot go back to msg_0: it is the current message; go back to an earlier one: none yet\.$/);
  });

  it('applyRewind gives up when the message is no longer a return point, and can return to the second message', () => {
    const twoUsers = [user('a'), user('b'), assistant('c')];
    expect(applyRewind(twoUsers, new MessageIds([0, 1, 2], 3), { to: 'msg_2', instruction: 'x', via: 'code' }, 0), 'an assistant message').to.equal(undefined);
    const applied = applyRewind(twoUsers, new MessageIds([0, 1, 2], 3), { to: 'msg_1', instruction: 'again', via: 'goto', toolUseId: 'toolu_g' }, 5)!;
    expect(applied.messages).to.deep.equal([user('a'), user('again')]);
    expect(applied.event).to.deep.equal({ from: 'msg_2', to: 'msg_1', messageId: 'msg_3', removed: 2, instruction: 'again', via: 'goto', toolUseId: 'toolu_g', at: 5 });
  });

  it('shownId cuts a long id short and never throws', () => {
    expect(shownId('msg_3')).to.equal('msg_3');
    expect(shownId('x'.repeat(40)), 'up to 40 characters as they are').to.equal('x'.repeat(40));
    expect(shownId('x'.repeat(100))).to.have.length(41);
    expect(shownId({ a: 1 })).to.equal('{"a":1}');
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(shownId(cyclic)).to.equal('object');
    expect(shownId(undefined)).to.equal('undefined');
  });
});

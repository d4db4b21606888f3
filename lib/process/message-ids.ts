/**
 * Message ids: every message of a process's conversation has one (`msg_0`, `msg_1`, ...), given
 * in order as messages are added and never reused in the process's life, so an id names one
 * message for good (a rewind removes ids; the messages added after it get new ones). The ids sit
 * beside the messages (a parallel list), so the messages stay the provider-neutral ones.
 *
 * @module
 */
import type { Message, UserPart } from '../providers/types.js';
import { deepFreeze } from '../deep-freeze.js';

/** The text form of id number `n`: `msg_3`. */
export function messageIdText(n: number): string {
  return `msg_${n}`;
}

/** The ids of a conversation: one per message, in order, and the number the next message gets. */
export class MessageIds {
  #ids: number[];
  #next: number;

  constructor(ids: readonly number[] = [], next: number = ids.length === 0 ? 0 : ids.at(-1)! + 1) {
    this.#ids = [...ids];
    this.#next = next;
  }

  /** The ids of `messages`: a message added since the last call gets the next number; after a reset, so does every message. */
  sync(messages: readonly Message[]): readonly number[] {
    if (this.#ids.length > messages.length) this.#ids.length = messages.length;
    while (this.#ids.length < messages.length) this.#ids.push(this.#next++);
    return this.#ids;
  }

  /** The number the next message gets: every number below it was given once. */
  get next(): number {
    return this.#next;
  }

  /** Keeps the first `count` ids and gives the next number to one new message (a rewind). */
  rewind(count: number): number {
    this.#ids.length = count;
    const id = this.#next++;
    this.#ids.push(id);
    return id;
  }

  /** A copy, for a fork: the same ids, counting on independently. */
  copy(): MessageIds {
    return new MessageIds(this.#ids, this.#next);
  }
}

/**
 * Whether the conversation can return to message `index`: a user message that answers no tool
 * call (the run's input, an instruction), so that putting a new user message in its place leaves
 * every tool call of the messages before it answered.
 */
export function isReturnPoint(messages: readonly Message[], index: number): boolean {
  const message = messages[index];
  if (message?.role !== 'user') return false;
  return !message.content.some((part) => part.type === 'tool_result') && message.content.some((part) => part.type === 'text');
}

/** A message with its id in front, as {@link labelMessages} caches it. */
export interface LabelledMessage {
  id: number;
  parts: number;
  labelled: Message;
}

/**
 * The conversation as the model sees it when `goto` is enabled: each message it can return to
 * (see {@link isReturnPoint}) has its id in front of its first text, `[msg_3] ...`. The history
 * is not changed: a labelled message is a new object, cached per message so each is built once.
 * Only return points are labelled: an id on an assistant message would teach the model to write
 * ids in its answers, and a tool result message cannot be returned to.
 */
export function labelMessages(messages: readonly Message[], ids: readonly number[], cache: WeakMap<Message, LabelledMessage>): Message[] {
  return messages.map((message, index) => {
    if (!isReturnPoint(messages, index) || message.role !== 'user') return message;
    const id = ids[index]!;
    const cached = cache.get(message);
    // The parts count too: a run's input may join the message before it (`appendUserInput`).
    if (cached?.id === id && cached.parts === message.content.length) return cached.labelled;
    const first = message.content.findIndex((part) => part.type === 'text');
    const content: UserPart[] = message.content.map((part, k) => (k === first && part.type === 'text' ? { ...part, text: `[${messageIdText(id)}] ${part.text}` } : part));
    // Frozen like the history's messages, so a provider's wire cache keeps its form too.
    const labelled: Message = deepFreeze({ role: 'user', content });
    cache.set(message, { id, parts: message.content.length, labelled });
    return labelled;
  });
}

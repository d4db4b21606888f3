/**
 * Rewinds: returning the conversation to an earlier user message and going on from there with a
 * new instruction in its place (`process.rewind()`, the `goto` tool). Pure functions over the
 * messages and their ids; the process keeps the pending rewind in its run state and applies it
 * where the conversation is complete (after a tool batch), so no tool call is left unanswered.
 *
 * @module
 */
import { RewindError, type RewindRefusal } from '../errors.js';
import type { Message } from '../providers/types.js';
import type { RewindEvent } from './events.js';
import { isReturnPoint, messageIdText, type MessageIds } from './message-ids.js';
import { frozenMessage } from './conversation.js';

/** Who asked for a rewind: the `goto` tool (the model) or code (`process.rewind()`). */
export type RewindSource = 'goto' | 'code';

/** A rewind waiting for the end of the tool batch; plain data, kept in the run state (and so in snapshots). */
export interface PendingRewind {
  /** The id of the message to return to (`msg_3`). */
  to: string;
  /** The user message that takes its place. */
  instruction: string;
  via: RewindSource;
  /** The `goto` call that asked for it. */
  toolUseId?: string | undefined;
}

/** The longest id quoted back in an error. */
const QUOTE_LIMIT = 40;

const MESSAGE_ID = /^msg_(0|[1-9]\d{0,14})$/;

/** `id` as an error message shows it: the text itself, or its JSON (cut short when long; never throws). */
export function shownId(id: unknown): string {
  let text: string;
  try {
    text = typeof id === 'string' ? id : String(JSON.stringify(id) ?? typeof id);
  } catch {
    text = typeof id;
  }
  return text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text;
}

/** The ids the conversation can return to, for error messages: `msg_0, msg_4`, or `none`. */
function returnPoints(messages: readonly Message[], ids: readonly number[], before: number): string {
  const points = ids.filter((_, index) => index < before && isReturnPoint(messages, index)).map(messageIdText);
  return points.length > 0 ? points.join(', ') : 'none yet';
}

/**
 * The index of the message `messageId` names, when the conversation (`messages`, their `ids`, and
 * `next`, the number the next message gets) can return to it: a user message that answers no tool
 * call, before the current (last) message.
 * @throws {RewindError} saying why not.
 */
export function findReturnPoint(messages: readonly Message[], ids: readonly number[], next: number, messageId: unknown): number {
  const shown = shownId(messageId);
  const current = messages.length - 1;
  const refuse = (reason: RewindRefusal, problem: string): never => {
    throw new RewindError(reason, shown, `Cannot go back to ${shown}: ${problem}`);
  };
  const match = typeof messageId === 'string' ? MESSAGE_ID.exec(messageId) : null;
  if (!match) refuse('bad_id', `a message id is "msg_" and a whole number, as shown in front of a message (e.g. "msg_0"). Messages you can go back to: ${returnPoints(messages, ids, current)}.`);
  const n = Number(match![1]);
  if (n >= next) refuse('ahead', `no message has that id yet (the newest is ${messageIdText(next - 1)}); you can only go back. Messages you can go back to: ${returnPoints(messages, ids, current)}.`);
  const index = ids.indexOf(n);
  if (index === -1) refuse('removed', `that message was removed by an earlier rewind. Messages you can go back to: ${returnPoints(messages, ids, current)}.`);
  if (index === current) refuse('current', `it is the current message; go back to an earlier one: ${returnPoints(messages, ids, current)}.`);
  if (!isReturnPoint(messages, index)) {
    refuse('not_user', `only a user message that answers no tool call can be returned to (those shown as [msg_N]): ${returnPoints(messages, ids, current)}.`);
  }
  return index;
}

/**
 * Applies `pending` to a complete conversation: a new list of the messages before the one it
 * returns to, then its instruction as a user message (roles still alternate; no message is
 * changed); `ids` follows. `undefined` when the message is no longer there.
 */
export function applyRewind(messages: readonly Message[], ids: MessageIds, pending: PendingRewind, at: number): { messages: Message[]; event: RewindEvent } | undefined {
  const numbers = ids.sync(messages);
  const index = numbers.indexOf(Number(pending.to.slice('msg_'.length)));
  if (index === -1 || !isReturnPoint(messages, index)) return undefined;
  const from = messageIdText(numbers.at(-1)!);
  const rewound: Message[] = [...messages.slice(0, index), frozenMessage({ role: 'user', content: [{ type: 'text', text: pending.instruction }] })];
  const messageId = messageIdText(ids.rewind(index));
  const { to, instruction, via, toolUseId } = pending;
  return { messages: rewound, event: { from, to, messageId, removed: messages.length - index, instruction, via, ...(toolUseId !== undefined ? { toolUseId } : {}), at } };
}

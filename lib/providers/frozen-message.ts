/**
 * Whether a neutral message is frozen, so that a provider may cache its wire form by identity: a
 * frozen message cannot change, so a cached form cannot go stale. The process's history freezes
 * every message it adds (deeply); a message given by a caller that is not frozen is mapped afresh
 * on every call.
 *
 * @module
 */
import type { Message } from './types.js';

/**
 * Whether `message`, its content and each of its parts (a tool result's content and parts, a tool
 * call's input) are frozen.
 */
export function isFrozenMessage(message: Message): boolean {
  if (!Object.isFrozen(message) || !Object.isFrozen(message.content)) return false;
  for (const part of message.content) {
    if (!Object.isFrozen(part)) return false;
    if (part.type === 'tool_call' && !Object.isFrozen(part.input)) return false;
    if (part.type === 'tool_result' && !(Object.isFrozen(part.content) && part.content.every(Object.isFrozen))) return false;
  }
  return true;
}

/**
 * A per-message cache of wire forms: `get(message, map)` maps a frozen message once and keeps its
 * (frozen) form for as long as the message lives; a message that is not frozen is mapped every time.
 */
export class WireFormCache<Wire> {
  readonly #forms = new WeakMap<Message, Wire | null>();
  readonly #freeze: (wire: Wire) => Wire;

  /** @param freeze freezes a form before it is kept (nobody may change a form shared by calls). */
  constructor(freeze: (wire: Wire) => Wire) {
    this.#freeze = freeze;
  }

  /** `message`'s wire form (`undefined` when nothing of it is sent), from the cache when it is frozen. */
  get(message: Message, map: (message: Message) => Wire | undefined): Wire | undefined {
    // Only frozen messages are kept, and frozen is for good: a kept message needs no new check.
    const cached = this.#forms.get(message);
    if (cached !== undefined) return cached ?? undefined;
    if (!isFrozenMessage(message)) return map(message);
    const wire = map(message);
    this.#forms.set(message, wire === undefined ? null : this.#freeze(wire));
    return wire;
  }
}

/**
 * Builders of successful replies: a text answer, tool calls, or any message shape.
 *
 * @module
 */
import type { FakeReply } from './fake-reply.js';
import { DEFAULT_USAGE, type WireContentBlock, type WireMessage, type WireUsage } from './wire.js';

/** Options shared by {@link textReply} and {@link toolUseReply}. */
export interface MessageReplyOptions {
  /** Merged over the default usage (10 input, 5 output, no cache). */
  usage?: Partial<WireUsage> | undefined;
  /** The stop reason (default `end_turn` for text, `tool_use` for tool calls). */
  stopReason?: string | undefined;
  /** Default `msg_fake_<n>`, numbered per server. */
  id?: string | undefined;
  /** Default: the model the request named. */
  model?: string | undefined;
}

/** The message a {@link messageReply} script may give: any part of a message, usage in part too. */
export type MessageScript = Partial<Omit<WireMessage, 'usage'>> & { usage?: Partial<WireUsage> | undefined };

/** One tool call of a {@link toolUseReply}. */
export interface ToolCallScript {
  name: string;
  input: Record<string, unknown>;
  /** Default `toolu_fake_<n>`. */
  id?: string | undefined;
}

/** Options of {@link toolUseReply}. */
export interface ToolUseReplyOptions extends MessageReplyOptions {
  /** A text block sent before the calls. */
  text?: string | undefined;
}

let toolUseCount = 0;

/**
 * Any message shape, merged over a default: no content, `end_turn`, no stop sequence, default usage
 * (a partial `usage` is merged over it).
 */
export function messageReply(message: MessageScript): FakeReply {
  return {
    kind: 'message',
    message: {
      type: 'message',
      role: 'assistant',
      content: [],
      stop_reason: 'end_turn',
      stop_sequence: null,
      stop_details: null,
      ...message,
      usage: { ...DEFAULT_USAGE, ...message.usage },
    },
  };
}

/** A text answer (`stop_reason` default `end_turn`). An empty `text` still sends one text block. */
export function textReply(text: string, options: MessageReplyOptions = {}): FakeReply {
  return messageReply({
    id: options.id,
    model: options.model,
    content: [{ type: 'text', text }],
    stop_reason: options.stopReason ?? 'end_turn',
    usage: options.usage,
  });
}

/**
 * Calls to one tool or several, in order, after an optional text block (`stop_reason` default
 * `tool_use`).
 */
export function toolUseReply(calls: readonly ToolCallScript[], options: ToolUseReplyOptions = {}): FakeReply {
  const blocks: WireContentBlock[] = options.text === undefined ? [] : [{ type: 'text', text: options.text }];
  for (const call of calls) {
    blocks.push({ type: 'tool_use', id: call.id ?? `toolu_fake_${++toolUseCount}`, name: call.name, input: call.input });
  }
  return messageReply({
    id: options.id,
    model: options.model,
    content: blocks,
    stop_reason: options.stopReason ?? 'tool_use',
    usage: options.usage,
  });
}

/**
 * The Messages API's response shapes as they travel on the wire, for scripting replies.
 *
 * @module
 */

/** The `usage` object of a Messages API response. */
export interface WireUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  /** The cache writes by TTL (the API sends it; scripts may leave it out). */
  cache_creation?: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number } | undefined;
}

/** A text block of a response. */
export interface WireTextBlock {
  type: 'text';
  text: string;
}

/** A tool call of a response. */
export interface WireToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
}

/** A content block of a response: text, a tool call, or any other block the API knows (sent as is). */
export type WireContentBlock = WireTextBlock | WireToolUseBlock | ({ type: string } & Record<string, unknown>);

/**
 * A Messages API `message` object. `id` and `model` may be left out of a script: the server fills
 * them in when it sends the reply (`msg_fake_<n>`, and the model the request named).
 */
export interface WireMessage {
  id?: string | undefined;
  type: 'message';
  role: 'assistant';
  model?: string | undefined;
  content: WireContentBlock[];
  stop_reason: string | null;
  stop_sequence: string | null;
  /** Set only for `refusal` stops by the real API; `null` otherwise. */
  stop_details: unknown;
  usage: WireUsage;
}

/** The usage a scripted message has unless told otherwise: 10 tokens in, 5 out, no cache. */
export const DEFAULT_USAGE: Readonly<WireUsage> = Object.freeze({
  input_tokens: 10,
  output_tokens: 5,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
});

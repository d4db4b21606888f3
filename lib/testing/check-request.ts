/**
 * The Messages API's checks on a request body, as a pure function: what the real API answers 400
 * to (a `tool_use` without its `tool_result`, an empty text block, roles out of order, ...).
 *
 * @module
 */
import { checkCacheControl } from './check-cache-control.js';
import { checkRequestSettings } from './check-parameters.js';
import { checkDocumentBlock, checkImageBlock, type MediaCheckOptions } from './check-media.js';
import { checkThinkingBlock, checkThinkingPreserved, checkThinkingSettings, type IssuedThinking } from './check-thinking.js';

/** Options of {@link checkMessagesRequest}. */
export interface CheckRequestOptions {
  /**
   * The thinking blocks the server sent: a thinking block sent back must be one of them,
   * unchanged (the API checks its signature). Without it, thinking blocks are checked for shape only.
   */
  issuedThinking?: IssuedThinking | undefined;
  /** Check as Claude on Vertex AI does: image and document sources by URL are refused. */
  vertex?: boolean | undefined;
}

type Json = Record<string, unknown>;

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The problem with a text block, if any. */
function checkText(block: Json, at: string): string | undefined {
  if (typeof block['text'] !== 'string') return `${at}.text: Field required`;
  if (block['text'] === '') return `${at}: text content blocks must be non-empty`;
  return undefined;
}

function checkSystem(system: unknown): string | undefined {
  if (system === undefined || typeof system === 'string') return undefined;
  if (!Array.isArray(system)) return 'system: expected a string or an array of text blocks';
  for (const [i, block] of system.entries()) {
    if (!isObject(block) || block['type'] !== 'text') return `system.${i}: expected a text block`;
    const problem = checkText(block, `system.${i}`);
    if (problem) return problem;
  }
  return undefined;
}

function checkTools(tools: unknown): string | undefined {
  if (tools === undefined) return undefined;
  if (!Array.isArray(tools)) return 'tools: expected an array';
  const seen = new Set<string>();
  for (const [i, tool] of tools.entries()) {
    if (!isObject(tool)) return `tools.${i}: expected an object`;
    const name = tool['name'];
    if (typeof name !== 'string' || !TOOL_NAME.test(name)) return `tools.${i}.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`;
    if (seen.has(name)) return `tools: Tool names must be unique (duplicate "${name}")`;
    seen.add(name);
    // Server tools (`{ type: 'web_search_20250305', name }`, ...) have no input schema.
    const custom = tool['type'] === undefined || tool['type'] === 'custom';
    const schema = tool['input_schema'];
    if (custom && (!isObject(schema) || schema['type'] !== 'object')) {
      return `tools.${i}.input_schema: expected a JSON Schema object with "type": "object"`;
    }
  }
  return undefined;
}

/** The problem with a `tool_result` block's `content`, if any. */
function checkToolResultContent(content: unknown, at: string, media: MediaCheckOptions): string | undefined {
  if (content === undefined || typeof content === 'string') return undefined;
  if (!Array.isArray(content)) return `${at}.content: expected a string or an array of content blocks`;
  for (const [k, inner] of content.entries()) {
    if (!isObject(inner) || (inner['type'] !== 'text' && inner['type'] !== 'image')) {
      return `${at}.content.${k}: tool_result content must be text or image blocks`;
    }
    const problem = inner['type'] === 'text' ? checkText(inner, `${at}.content.${k}`) : checkImageBlock(inner, `${at}.content.${k}`, media);
    if (problem) return problem;
  }
  return undefined;
}

function checkBlock(block: unknown, role: unknown, at: string, issued: IssuedThinking | undefined, media: MediaCheckOptions): string | undefined {
  if (!isObject(block) || typeof block['type'] !== 'string') return `${at}: expected a content block with a type`;
  switch (block['type']) {
    case 'thinking':
    case 'redacted_thinking':
      return checkThinkingBlock(block, role, at, issued);
    case 'text':
      return checkText(block, at);
    case 'image':
      return checkImageBlock(block, at, media);
    case 'document':
      return checkDocumentBlock(block, role, at, media);
    case 'tool_use':
      if (role !== 'assistant') return `${at}: tool_use blocks are only allowed in assistant messages`;
      if (typeof block['id'] !== 'string' || block['id'] === '') return `${at}.id: Field required`;
      if (typeof block['name'] !== 'string') return `${at}.name: Field required`;
      if (!isObject(block['input'])) return `${at}.input: Input should be an object`;
      return undefined;
    case 'tool_result':
      if (role !== 'user') return `${at}: tool_result blocks are only allowed in user messages`;
      if (typeof block['tool_use_id'] !== 'string') return `${at}.tool_use_id: Field required`;
      return checkToolResultContent(block['content'], at, media);
    default:
      return undefined;
  }
}

/** Checks a user message's `tool_result`s against the `tool_use` ids of the message before it. */
function checkToolResults(blocks: Json[], expected: readonly string[], at: string): string | undefined {
  const firstOther = blocks.findIndex((block) => block['type'] !== 'tool_result');
  if (firstOther !== -1 && blocks.slice(firstOther).some((block) => block['type'] === 'tool_result')) {
    return `${at}: tool_result blocks must come before any other content in a user message`;
  }
  const ids = blocks.filter((block) => block['type'] === 'tool_result').map((block) => String(block['tool_use_id']));
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate !== undefined) return `${at}: duplicate tool_result for tool_use id ${duplicate}`;
  const stray = ids.find((id) => !expected.includes(id));
  if (stray !== undefined) {
    return `${at}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${stray}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
  }
  const missing = expected.filter((id) => !ids.includes(id));
  if (missing.length > 0) {
    return `${at}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
  }
  return undefined;
}

function checkMessages(messages: unknown, issued: IssuedThinking | undefined, media: MediaCheckOptions): string | undefined {
  if (!Array.isArray(messages) || messages.length === 0) return 'messages: expected a non-empty array';
  let pendingToolUses: string[] = [];
  let previousRole: unknown;
  for (const [i, message] of messages.entries()) {
    const at = `messages.${i}`;
    if (!isObject(message)) return `${at}: expected an object`;
    const { role, content } = message;
    if (role !== 'user' && role !== 'assistant') return `${at}.role: expected "user" or "assistant"`;
    if (i === 0 && role !== 'user') return `${at}: the first message must use the "user" role`;
    if (role === previousRole) return `${at}: roles must alternate between "user" and "assistant"`;
    previousRole = role;
    if (typeof content === 'string' ? content === '' : !Array.isArray(content) || content.length === 0) {
      return `${at}: all messages must have non-empty content`;
    }
    const blocks = typeof content === 'string' ? [{ type: 'text', text: content }] : (content as unknown[]);
    for (const [j, block] of blocks.entries()) {
      const problem = checkBlock(block, role, `${at}.content.${j}`, issued, media);
      if (problem) return problem;
    }
    const typed = blocks as Json[];
    if (role === 'user') {
      const problem = checkToolResults(typed, pendingToolUses, at);
      if (problem) return problem;
      pendingToolUses = [];
    } else {
      pendingToolUses = typed.filter((block) => block['type'] === 'tool_use').map((block) => String(block['id']));
    }
  }
  const at = `messages.${messages.length - 1}`;
  if (pendingToolUses.length > 0) {
    return `${at}: the conversation ends with \`tool_use\` blocks that have no \`tool_result\`: ${pendingToolUses.join(', ')}`;
  }
  const last = messages.at(-1) as Json;
  const lastBlock: unknown = typeof last['content'] === 'string' ? { type: 'text', text: last['content'] } : (last['content'] as unknown[]).at(-1);
  if (last['role'] === 'assistant' && isObject(lastBlock) && lastBlock['type'] === 'text' && /\s$/.test(String(lastBlock['text']))) {
    return `${at}: final assistant content cannot end with trailing whitespace`;
  }
  return undefined;
}

/**
 * The first problem the Messages API would answer 400 to in a request `body`, in words, or
 * `undefined` when the request is valid. It checks the model, `max_tokens`, the system prompt, the
 * tools, and the conversation: roles alternate from `user`, no empty content or text blocks, images
 * only of the four types the API takes, within its 5 MB of base64 and whose bytes are of that type,
 * PDF documents that are PDFs, no URL sources on Vertex (see check-media.ts), every
 * `tool_use` is answered by exactly one `tool_result` at the start of the very next user message
 * and no result answers anything else, and only an assistant prefill without tool calls may come
 * last. It checks `tool_choice`, `metadata` and `service_tier`, and extended thinking: the budget,
 * the sampling parameters thinking rules out, and, while tool calls are answered, the thinking
 * block that must open the assistant turn that made them (unchanged, with `issuedThinking`). It
 * checks the prompt caching marks: at most 4, `ephemeral`, a TTL of `5m` or `1h` (1-hour marks
 * first), none on a thinking block.
 */
export function checkMessagesRequest(body: unknown, options: CheckRequestOptions = {}): string | undefined {
  if (!isObject(body)) return 'the request body must be a JSON object';
  if (typeof body['model'] !== 'string' || body['model'] === '') return 'model: Field required (a non-empty string)';
  const maxTokens = body['max_tokens'];
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) return 'max_tokens: expected a positive integer';
  return (
    checkSystem(body['system']) ??
    checkMessages(body['messages'], options.issuedThinking, { vertex: options.vertex }) ??
    checkTools(body['tools']) ??
    checkCacheControl(body) ??
    checkRequestSettings(body) ??
    checkThinkingSettings(body) ??
    checkThinkingPreserved(body, body['messages'] as Json[])
  );
}

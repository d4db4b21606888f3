/**
 * OpenAI Chat Completions' checks on a request body, as a pure function: what the real API
 * answers 400 to (a `tool_call_id` left unanswered, a `tool` message that answers nothing, an
 * image in a `tool` message, an invalid tool name, ...), in its own words where we know them.
 *
 * @module
 */

import { checkFilePart, checkImageUrl } from './check-media.js';

type Json = Record<string, unknown>;

const TOOL_NAME = /^[a-zA-Z0-9_-]+$/;
const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The problem with one content part of a message, if any. */
function checkPart(part: unknown, role: string, at: string): string | undefined {
  if (!isObject(part) || typeof part['type'] !== 'string') return `Invalid '${at}': expected a content part with a type.`;
  switch (part['type']) {
    case 'text':
      if (typeof part['text'] !== 'string') return `Missing required parameter: '${at}.text'.`;
      if (part['text'] === '') return `Invalid '${at}.text': empty string. Expected a string with minimum length 1.`;
      return undefined;
    case 'image_url': {
      if (role !== 'user') {
        return `Invalid '${at}': Image URLs are only allowed for messages with role 'user', but this message with role '${role}' contains an image URL.`;
      }
      return checkImageUrl(isObject(part['image_url']) ? part['image_url']['url'] : undefined, at);
    }
    case 'file':
      if (role !== 'user') return `Invalid '${at}.type': 'file' is not allowed in a '${role}' message.`;
      return checkFilePart(part, at);
    case 'refusal':
      return role === 'assistant' ? undefined : `Invalid '${at}': refusal parts are only allowed in assistant messages.`;
    default:
      return role === 'user' ? undefined : `Invalid '${at}.type': '${String(part['type'])}' is not allowed in a '${role}' message.`;
  }
}

/** The problem with a message's `content`, if any. `optional`: an assistant message with tool calls may have none. */
function checkContent(content: unknown, role: string, at: string, optional: boolean): string | undefined {
  if (content === undefined || content === null) {
    return optional ? undefined : `Invalid value for '${at}.content': expected a string or an array of content parts, got ${String(content)}.`;
  }
  if (typeof content === 'string') {
    return content === '' && !optional ? `Invalid '${at}.content': empty string. Expected a string with minimum length 1.` : undefined;
  }
  if (!Array.isArray(content)) return `Invalid type for '${at}.content': expected a string or an array of content parts.`;
  if (content.length === 0) return `Invalid '${at}.content': empty array. Expected an array with minimum length 1, but got an empty array instead.`;
  for (const [j, part] of content.entries()) {
    const problem = checkPart(part, role, `${at}.content[${j}]`);
    if (problem) return problem;
  }
  return undefined;
}

/** The problem with an assistant message's `tool_calls`, if any; else their ids. */
function toolCallIds(message: Json, at: string): string[] | string {
  const calls = message['tool_calls'];
  if (calls === undefined || calls === null) return [];
  if (!Array.isArray(calls)) return `Invalid type for '${at}.tool_calls': expected an array.`;
  if (calls.length === 0) return `Invalid '${at}.tool_calls': empty array. Expected an array with minimum length 1, but got an empty array instead.`;
  const ids: string[] = [];
  for (const [k, call] of calls.entries()) {
    const where = `${at}.tool_calls[${k}]`;
    if (!isObject(call) || typeof call['id'] !== 'string' || call['id'] === '') return `Missing required parameter: '${where}.id'.`;
    if (call['type'] !== 'function') return `Invalid value for '${where}.type': expected 'function'.`;
    const fn = call['function'];
    if (!isObject(fn) || typeof fn['name'] !== 'string') return `Missing required parameter: '${where}.function.name'.`;
    if (typeof fn['arguments'] !== 'string') return `Invalid type for '${where}.function.arguments': expected a string.`;
    ids.push(call['id']);
  }
  return ids;
}

/** The message of a missing answer to `pending` tool calls, before `at`. */
function unanswered(pending: ReadonlySet<string>, at: string): string {
  return (
    `Invalid parameter '${at}': an assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. ` +
    `The following tool_call_ids did not have response messages: ${[...pending].join(', ')}`
  );
}

function checkMessages(messages: unknown): string | undefined {
  if (!Array.isArray(messages)) return "Missing required parameter: 'messages'.";
  if (messages.length === 0) return "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.";
  let pending = new Set<string>();
  for (const [i, message] of messages.entries()) {
    const at = `messages[${i}]`;
    if (!isObject(message)) return `Invalid type for '${at}': expected an object.`;
    const role = message['role'];
    if (typeof role !== 'string' || !ROLES.includes(role)) return `Invalid value for '${at}.role': expected one of ${ROLES.join(', ')}.`;
    if (role === 'tool') {
      const id = message['tool_call_id'];
      if (typeof id !== 'string') return `Missing required parameter: '${at}.tool_call_id'.`;
      if (!pending.has(id)) {
        return `Invalid parameter '${at}.role': messages with role 'tool' must be a response to a preceeding message with 'tool_calls' (no pending tool call has id ${id}).`;
      }
      pending.delete(id);
      const problem = checkContent(message['content'], role, at, false);
      if (problem) return problem;
      continue;
    }
    if (pending.size > 0) return unanswered(pending, at);
    if (role === 'assistant') {
      const ids = toolCallIds(message, at);
      if (typeof ids === 'string') return ids;
      const problem = checkContent(message['content'], role, at, ids.length > 0);
      if (problem) return problem;
      pending = new Set(ids);
      continue;
    }
    const problem = checkContent(message['content'], role, at, false);
    if (problem) return problem;
  }
  return pending.size > 0 ? unanswered(pending, `messages[${messages.length - 1}]`) : undefined;
}

function checkTools(tools: unknown): string | undefined {
  if (!Array.isArray(tools)) return "Invalid type for 'tools': expected an array.";
  for (const [i, tool] of tools.entries()) {
    const at = `tools[${i}]`;
    if (!isObject(tool) || tool['type'] !== 'function' || !isObject(tool['function'])) return `Invalid '${at}': expected { type: 'function', function: { name, ... } }.`;
    const fn = tool['function'];
    const name = fn['name'];
    if (typeof name !== 'string') return `Missing required parameter: '${at}.function.name'.`;
    if (!TOOL_NAME.test(name)) return `Invalid '${at}.function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`;
    if (name.length > 64) return `Invalid '${at}.function.name': string too long. Expected a string with maximum length 64, but got a string with length ${name.length} instead.`;
    const parameters = fn['parameters'];
    if (parameters !== undefined && (!isObject(parameters) || (parameters['type'] !== undefined && parameters['type'] !== 'object'))) {
      return `Invalid schema for function '${name}': schema must be a JSON Schema of 'type: "object"'.`;
    }
  }
  return undefined;
}

/** The problem with the options that only make sense with others (stream options, tool choice). */
function checkOptions(body: Json): string | undefined {
  if (body['stream_options'] !== undefined && body['stream'] !== true) return "The 'stream_options' parameter is only allowed when 'stream' is enabled.";
  const hasTools = Array.isArray(body['tools']) && body['tools'].length > 0;
  for (const option of ['tool_choice', 'parallel_tool_calls']) {
    if (body[option] !== undefined && !hasTools) return `Invalid value for '${option}': '${option}' is only allowed when 'tools' are specified.`;
  }
  for (const option of ['max_completion_tokens', 'max_tokens']) {
    const value = body[option];
    if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 1)) {
      return `Invalid '${option}': expected an integer greater than or equal to 1.`;
    }
  }
  return undefined;
}

/**
 * The first problem Chat Completions would answer 400 to in a request `body`, in words, or
 * `undefined` when it is valid. It checks the model; the messages: a known role each, non-empty
 * content (no empty text either: stricter than the API, as llmproc never sends empty text), images
 * only in `user` messages, every `tool_call_id` of an assistant message answered by a `tool` message
 * right after it and no `tool` message that answers nothing; the tools' names and schemas; and that
 * `stream_options`, `tool_choice` and `parallel_tool_calls` come only with what they need.
 */
export function checkChatCompletionsRequest(body: unknown): string | undefined {
  if (!isObject(body)) return 'The request body must be a JSON object.';
  if (typeof body['model'] !== 'string' || body['model'] === '') return "Missing required parameter: 'model'.";
  return checkMessages(body['messages']) ?? (body['tools'] === undefined ? undefined : checkTools(body['tools'])) ?? checkOptions(body);
}

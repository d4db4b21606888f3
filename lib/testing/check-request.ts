/**
 * The Messages API's checks on a request, as a pure function: what the real API answers 400 to
 * (a `tool_use` without its `tool_result`, an empty text block, roles out of order, ...).
 *
 * @module
 */

type Block = { type?: unknown; [key: string]: unknown };
type WireMessage = { role?: unknown; content?: unknown };

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The message's content as blocks (a string is one text block). */
function blocksOf(message: WireMessage): Block[] {
  return typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : (message.content as Block[]);
}

function checkTools(tools: unknown): string | undefined {
  if (tools === undefined) return undefined;
  if (!Array.isArray(tools)) return 'tools: expected an array';
  const seen = new Set<string>();
  for (const [i, tool] of tools.entries()) {
    if (!isObject(tool)) return `tools.${i}: expected an object`;
    if (typeof tool['name'] !== 'string' || !TOOL_NAME.test(tool['name'])) {
      return `tools.${i}.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`;
    }
    if (seen.has(tool['name'])) return `tools: Tool names must be unique (duplicate "${tool['name']}")`;
    seen.add(tool['name']);
    const schema = tool['input_schema'];
    if (!isObject(schema) || schema['type'] !== 'object') return `tools.${i}.input_schema: expected a JSON Schema with type "object"`;
  }
  return undefined;
}

function checkBlock(block: Block, at: string): string | undefined {
  if (!isObject(block)) return `${at}: expected a content block object`;
  if (block.type === 'text' && (typeof block['text'] !== 'string' || block['text'] === '')) {
    return `${at}: text content blocks must be non-empty`;
  }
  if (block.type === 'tool_result') {
    const content = block['content'];
    if (content === undefined || typeof content === 'string') return undefined;
    if (!Array.isArray(content)) return `${at}.content: expected a string or an array of content blocks`;
    for (const [k, inner] of content.entries()) {
      if (!isObject(inner) || (inner['type'] !== 'text' && inner['type'] !== 'image')) {
        return `${at}.content.${k}: tool_result content must be text or image blocks`;
      }
      const problem = checkBlock(inner as Block, `${at}.content.${k}`);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** Checks the `tool_result`s of `message` against the `tool_use` ids of the message before it. */
function checkToolResults(blocks: Block[], expected: readonly string[], at: string): string | undefined {
  const results = blocks.filter((block) => block.type === 'tool_result');
  const firstOther = blocks.findIndex((block) => block.type !== 'tool_result');
  if (firstOther !== -1 && blocks.slice(firstOther).some((block) => block.type === 'tool_result')) {
    return `${at}: tool_result blocks must come before any other content in a user message`;
  }
  const ids = results.map((block) => String(block['tool_use_id']));
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) return `${at}: duplicate tool_result for tool_use id ${duplicate}`;
  const stray = ids.find((id) => !expected.includes(id));
  if (stray) return `${at}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${stray}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
  const missing = expected.filter((id) => !ids.includes(id));
  if (missing.length > 0) {
    return `${at}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
  }
  return undefined;
}

function checkMessages(messages: unknown): string | undefined {
  if (!Array.isArray(messages) || messages.length === 0) return 'messages: expected a non-empty array';
  let pendingToolUses: string[] = [];
  for (const [i, message] of (messages as WireMessage[]).entries()) {
    const at = `messages.${i}`;
    if (!isObject(message)) return `${at}: expected an object`;
    if (message.role !== 'user' && message.role !== 'assistant') return `${at}.role: expected "user" or "assistant"`;
    if (i === 0 && message.role !== 'user') return `${at}: the first message must use the "user" role`;
    if (i > 0 && message.role === (messages[i - 1] as WireMessage).role) {
      return `${at}: roles must alternate between "user" and "assistant"`;
    }
    const content = message.content;
    if (typeof content === 'string' ? content === '' : !Array.isArray(content) || content.length === 0) {
      return `${at}: all messages must have non-empty content`;
    }
    const blocks = blocksOf(message);
    for (const [j, block] of blocks.entries()) {
      const problem = checkBlock(block, `${at}.content.${j}`);
      if (problem) return problem;
    }
    if (message.role === 'user') {
      const problem = checkToolResults(blocks, pendingToolUses, at);
      if (problem) return problem;
      pendingToolUses = [];
    } else {
      if (blocks.some((block) => block.type === 'tool_result')) return `${at}: tool_result blocks are only allowed in user messages`;
      pendingToolUses = blocks.filter((block) => block.type === 'tool_use').map((block) => String(block['id']));
    }
  }
  if (pendingToolUses.length > 0) {
    return `messages.${messages.length - 1}: the conversation ends with \`tool_use\` blocks that have no \`tool_result\`: ${pendingToolUses.join(', ')}`;
  }
  return undefined;
}

/**
 * The first problem the Messages API would answer 400 to in `body`, in words, or `undefined`
 * when the request is valid.
 */
export function checkMessagesRequest(body: unknown): string | undefined {
  if (!isObject(body)) return 'the request body must be a JSON object';
  if (typeof body['model'] !== 'string' || body['model'] === '') return 'model: Field required';
  const maxTokens = body['max_tokens'];
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) return 'max_tokens: expected a positive integer';
  const system = body['system'];
  if (system !== undefined && typeof system !== 'string' && !Array.isArray(system)) return 'system: expected a string or an array of text blocks';
  return checkTools(body['tools']) ?? checkMessages(body['messages']);
}

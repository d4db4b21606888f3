/**
 * The Messages API's checks on extended thinking, as pure functions: the `thinking` setting and
 * the sampling parameters it rules out, and the thinking blocks a request sends back, which must
 * come back unchanged (their signature covers their text) and must open the assistant turn whose
 * tool calls the request answers.
 *
 * @module
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The thinking blocks a server has sent: signature → thinking text, and the redacted blocks' data. */
export interface IssuedThinking {
  signatures: ReadonlyMap<string, string>;
  redacted: ReadonlySet<string>;
}

/** Whether the request turns extended thinking on. */
function thinkingEnabled(body: Json): boolean {
  return isObject(body['thinking']) && body['thinking']['type'] === 'enabled';
}

/** The problem with `thinking` and the parameters it rules out, if any. */
export function checkThinkingSettings(body: Json): string | undefined {
  const thinking = body['thinking'];
  if (thinking === undefined) return undefined;
  if (!isObject(thinking) || !['enabled', 'disabled', 'adaptive'].includes(String(thinking['type']))) {
    return 'thinking.type: Input should be "enabled", "disabled" or "adaptive"';
  }
  if (thinking['type'] !== 'enabled') return undefined;
  const budget = thinking['budget_tokens'];
  if (typeof budget !== 'number' || !Number.isInteger(budget)) return 'thinking.enabled.budget_tokens: Field required (an integer)';
  if (budget < 1024) return 'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024';
  if (typeof body['max_tokens'] === 'number' && body['max_tokens'] <= budget) return '`max_tokens` must be greater than `thinking.budget_tokens`';
  if (body['temperature'] !== undefined && body['temperature'] !== 1) return '`temperature` may only be set to 1 when thinking is enabled';
  if (body['top_k'] !== undefined) return '`top_k` must be unset when thinking is enabled';
  if (typeof body['top_p'] === 'number' && body['top_p'] < 0.95) return '`top_p` must be unset or at least 0.95 when thinking is enabled';
  const choice = body['tool_choice'];
  if (isObject(choice) && (choice['type'] === 'any' || choice['type'] === 'tool')) return 'Thinking may not be enabled when tool_choice forces tool use';
  return undefined;
}

/** The problem with a thinking or redacted thinking block sent back, if any. */
export function checkThinkingBlock(block: Json, role: unknown, at: string, issued: IssuedThinking | undefined): string | undefined {
  if (role !== 'assistant') return `${at}: ${String(block['type'])} blocks are only allowed in assistant messages`;
  if (block['type'] === 'redacted_thinking') {
    if (typeof block['data'] !== 'string') return `${at}.data: Field required`;
    if (issued && !issued.redacted.has(block['data'])) return `${at}: Invalid \`data\` in \`redacted_thinking\` block`;
    return undefined;
  }
  if (typeof block['thinking'] !== 'string') return `${at}.thinking: Field required`;
  if (typeof block['signature'] !== 'string') return `${at}.signature: Field required`;
  // The signature covers the text: a block changed on its way back is refused.
  if (issued && issued.signatures.get(block['signature']) !== block['thinking']) return `${at}: Invalid \`signature\` in \`thinking\` block`;
  return undefined;
}

/**
 * With thinking on, a request answering tool calls (its last message holds `tool_result`s) must
 * send the assistant turn that made them starting with its thinking block.
 */
export function checkThinkingPreserved(body: Json, messages: readonly Json[]): string | undefined {
  if (!thinkingEnabled(body) || messages.length < 2) return undefined;
  const last = messages.at(-1)!;
  const answersTools = last['role'] === 'user' && Array.isArray(last['content']) && last['content'].some((block) => isObject(block) && block['type'] === 'tool_result');
  if (!answersTools) return undefined;
  const index = messages.length - 2;
  const content = messages[index]!['content'];
  const first: unknown = typeof content === 'string' ? { type: 'text' } : Array.isArray(content) ? content[0] : undefined;
  const type = isObject(first) ? String(first['type']) : 'nothing';
  if (type === 'thinking' || type === 'redacted_thinking') return undefined;
  return (
    `messages.${index}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${type}\`. When \`thinking\` is enabled, ` +
    'a final `assistant` message must start with a thinking block (preceding the lastmost set of `tool_use` and `tool_result` blocks). ' +
    'We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`.'
  );
}

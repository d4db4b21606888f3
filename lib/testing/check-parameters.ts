/**
 * The Messages API's checks on a request's settings other than the conversation: `tool_choice`,
 * `metadata` and `service_tier`, as a pure function.
 *
 * @module
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function checkToolChoice(choice: unknown, tools: unknown): string | undefined {
  if (choice === undefined) return undefined;
  if (!isObject(choice) || !['auto', 'any', 'tool', 'none'].includes(String(choice['type']))) {
    return 'tool_choice.type: Input should be "auto", "any", "tool" or "none"';
  }
  if (!Array.isArray(tools) || tools.length === 0) return 'tool_choice: may only be specified while providing tools';
  if (choice['disable_parallel_tool_use'] !== undefined && typeof choice['disable_parallel_tool_use'] !== 'boolean') {
    return 'tool_choice.disable_parallel_tool_use: Input should be a valid boolean';
  }
  if (choice['type'] !== 'tool') return undefined;
  const name = choice['name'];
  if (typeof name !== 'string') return 'tool_choice.tool.name: Field required';
  if (!tools.some((tool) => isObject(tool) && tool['name'] === name)) return `tool_choice.tool.name: the tool "${name}" is not in tools`;
  return undefined;
}

function checkMetadata(metadata: unknown): string | undefined {
  if (metadata === undefined) return undefined;
  if (!isObject(metadata)) return 'metadata: Input should be an object';
  const extra = Object.keys(metadata).find((key) => key !== 'user_id');
  if (extra !== undefined) return `metadata.${extra}: Extra inputs are not permitted`;
  const user = metadata['user_id'];
  if (user !== undefined && user !== null && typeof user !== 'string') return 'metadata.user_id: Input should be a valid string';
  return undefined;
}

function checkServiceTier(tier: unknown): string | undefined {
  if (tier === undefined || tier === 'auto' || tier === 'standard_only') return undefined;
  return `service_tier: Input should be "auto" or "standard_only", received ${JSON.stringify(tier)}`;
}

/** The first problem with `tool_choice`, `metadata` or `service_tier` in `body`, or `undefined`. */
export function checkRequestSettings(body: Json): string | undefined {
  return checkToolChoice(body['tool_choice'], body['tools']) ?? checkMetadata(body['metadata']) ?? checkServiceTier(body['service_tier']);
}

import { expect } from 'chai';
import { checkMessagesRequest } from '../../lib/testing/index.js';

const body = (extra: Record<string, unknown>, tools: unknown[] = [{ name: 'calc', input_schema: { type: 'object' } }]) => ({
  model: 'm',
  max_tokens: 10,
  messages: [{ role: 'user', content: 'hi' }],
  ...(tools.length > 0 ? { tools } : {}),
  ...extra,
});

describe('checkMessagesRequest: tool_choice, metadata and service_tier', () => {
  it('accepts each tool_choice the API takes, metadata.user_id and both service tiers', () => {
    for (const extra of [
      { tool_choice: { type: 'auto', disable_parallel_tool_use: true } },
      { tool_choice: { type: 'any' } },
      { tool_choice: { type: 'none' } },
      { tool_choice: { type: 'tool', name: 'calc' } },
      { metadata: { user_id: 'user-1' } },
      { service_tier: 'auto' },
      { service_tier: 'standard_only' },
    ]) {
      expect(checkMessagesRequest(body(extra)), JSON.stringify(extra)).to.equal(undefined);
    }
  });

  const cases: Array<[string, Record<string, unknown>, unknown[] | undefined, string]> = [
    ['a tool_choice without tools', { tool_choice: { type: 'auto' } }, [], 'tool_choice: may only be specified while providing tools'],
    ['an unknown tool_choice type', { tool_choice: { type: 'required' } }, undefined, 'tool_choice.type: Input should be "auto", "any", "tool" or "none"'],
    ['a tool_choice naming no tool', { tool_choice: { type: 'tool' } }, undefined, 'tool_choice.tool.name: Field required'],
    ['a tool_choice naming a tool not sent', { tool_choice: { type: 'tool', name: 'hammer' } }, undefined, 'tool_choice.tool.name: the tool "hammer" is not in tools'],
    ['a non-boolean disable_parallel_tool_use', { tool_choice: { type: 'any', disable_parallel_tool_use: 'yes' } }, undefined, 'tool_choice.disable_parallel_tool_use: Input should be a valid boolean'],
    ['metadata other than user_id', { metadata: { user_id: 'u', team: 't' } }, undefined, 'metadata.team: Extra inputs are not permitted'],
    ['a user_id that is not a string', { metadata: { user_id: 7 } }, undefined, 'metadata.user_id: Input should be a valid string'],
    ['an unknown service tier', { service_tier: 'flex' }, undefined, 'service_tier: Input should be "auto" or "standard_only", received "flex"'],
  ];
  for (const [what, extra, tools, message] of cases) {
    it(`refuses ${what}`, () => expect(checkMessagesRequest(body(extra, tools))).to.equal(message));
  }
});

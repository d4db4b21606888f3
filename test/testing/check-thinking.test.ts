import { expect } from 'chai';
import { checkMessagesRequest } from '../../lib/testing/index.js';

const thinking = { type: 'thinking', thinking: 'Let me use the tool.', signature: 'sig-1' };
const redacted = { type: 'redacted_thinking', data: 'opaque-1' };
const issuedThinking = { signatures: new Map([['sig-1', 'Let me use the tool.']]), redacted: new Set(['opaque-1']) };
const on = { type: 'enabled', budget_tokens: 1024 };
const toolUse = { type: 'tool_use', id: 't1', name: 'x', input: {} };
const loop = (first: unknown[]) => [
  { role: 'user', content: 'hi' },
  { role: 'assistant', content: [...first, toolUse] },
  { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'ok' }] },
];
const body = (extra: Record<string, unknown>, messages: unknown[] = [{ role: 'user', content: 'hi' }]) => ({
  model: 'm',
  max_tokens: 2048,
  tools: [{ name: 'x', input_schema: { type: 'object' } }],
  messages,
  ...extra,
});

describe('checkMessagesRequest: extended thinking', () => {
  describe('when thinking is on and tool calls are answered', () => {
    it('accepts the assistant turn opening with its thinking block, or its redacted thinking, sent back unchanged', () => {
      expect(checkMessagesRequest(body({ thinking: on }, loop([thinking])), { issuedThinking })).to.equal(undefined);
      expect(checkMessagesRequest(body({ thinking: on }, loop([redacted])), { issuedThinking })).to.equal(undefined);
    });

    it('refuses the turn without its thinking block, as the API does', () => {
      expect(checkMessagesRequest(body({ thinking: on }, loop([])))).to.match(/^messages\.1\.content\.0\.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`/);
      expect(checkMessagesRequest(body({ thinking: on }, loop([{ type: 'text', text: 'Sure.' }, thinking])))).to.match(/but found `text`/);
    });

    it('without thinking, or on a new user turn, asks for no thinking block', () => {
      expect(checkMessagesRequest(body({}, loop([])))).to.equal(undefined);
      expect(checkMessagesRequest(body({ thinking: { type: 'disabled' } }, loop([])))).to.equal(undefined);
      const newTurn = [...loop([thinking]), { role: 'assistant', content: 'done' }, { role: 'user', content: 'next' }];
      expect(checkMessagesRequest(body({ thinking: on }, newTurn))).to.equal(undefined);
    });
  });

  describe('when a thinking block comes back', () => {
    it('refuses one whose text changed, or whose signature or data the server never sent', () => {
      expect(checkMessagesRequest(body({ thinking: on }, loop([{ ...thinking, thinking: 'edited' }])), { issuedThinking })).to.equal(
        'messages.1.content.0: Invalid `signature` in `thinking` block',
      );
      expect(checkMessagesRequest(body({ thinking: on }, loop([{ ...thinking, signature: 'forged' }])), { issuedThinking })).to.match(/Invalid `signature`/);
      expect(checkMessagesRequest(body({ thinking: on }, loop([{ ...redacted, data: 'other' }])), { issuedThinking })).to.match(/Invalid `data` in `redacted_thinking`/);
    });

    it('without the issued blocks, checks the shape only', () => {
      expect(checkMessagesRequest(body({ thinking: on }, loop([{ ...thinking, signature: 'forged' }])))).to.equal(undefined);
      expect(checkMessagesRequest(body({ thinking: on }, loop([{ type: 'thinking', thinking: 'x' }])))).to.equal('messages.1.content.0.signature: Field required');
      expect(checkMessagesRequest(body({}, [{ role: 'user', content: [thinking] }]))).to.match(/thinking blocks are only allowed in assistant messages/);
    });
  });

  describe('the thinking setting', () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['a budget under 1024', { thinking: { type: 'enabled', budget_tokens: 1000 } }, 'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024'],
      ['a budget not under max_tokens', { thinking: { type: 'enabled', budget_tokens: 2048 } }, '`max_tokens` must be greater than `thinking.budget_tokens`'],
      ['no budget', { thinking: { type: 'enabled' } }, 'thinking.enabled.budget_tokens: Field required (an integer)'],
      ['an unknown type', { thinking: { type: 'maybe' } }, 'thinking.type: Input should be "enabled", "disabled" or "adaptive"'],
      ['a temperature other than 1', { thinking: on, temperature: 0.7 }, '`temperature` may only be set to 1 when thinking is enabled'],
      ['top_k', { thinking: on, top_k: 5 }, '`top_k` must be unset when thinking is enabled'],
      ['top_p under 0.95', { thinking: on, top_p: 0.9 }, '`top_p` must be unset or at least 0.95 when thinking is enabled'],
      ['forced tool use', { thinking: on, tool_choice: { type: 'any' } }, 'Thinking may not be enabled when tool_choice forces tool use'],
    ];
    for (const [what, extra, message] of cases) {
      it(`refuses ${what}`, () => expect(checkMessagesRequest(body(extra))).to.equal(message));
    }

    it('accepts temperature 1, top_p 0.95 and tool_choice auto with thinking', () => {
      expect(checkMessagesRequest(body({ thinking: on, temperature: 1, top_p: 0.95, tool_choice: { type: 'auto' } }))).to.equal(undefined);
    });
  });
});

import { expect } from 'chai';
import type Anthropic from '@anthropic-ai/sdk';
import { DEFAULT_MAX_TOKENS, fromAnthropicMessage, toAnthropicParams, toAnthropicRequestOptions, toWireMessage } from '../../../lib/providers/anthropic/mapping.js';
import type { ModelRequest, ToolChoice } from '../../../lib/providers/types.js';

const base: ModelRequest = { model: 'claude-test', system: undefined, messages: [], tools: [], parameters: {} };

describe('Anthropic mapping', () => {
  describe('toAnthropicParams', () => {
    it('maps parameters to their wire names and defaults max_tokens', () => {
      const params = toAnthropicParams({ ...base, parameters: { temperature: 0.5, topP: 0.9, topK: 40, stopSequences: ['END'] } });
      expect(params).to.deep.include({ model: 'claude-test', max_tokens: DEFAULT_MAX_TOKENS, temperature: 0.5, top_p: 0.9, top_k: 40, stop_sequences: ['END'] });
      expect(params).not.to.have.property('system');
      expect(params).not.to.have.property('tools');
    });

    it('maps the system prompt, tools and a tool round trip', () => {
      const params = toAnthropicParams({
        ...base,
        system: 'Be brief.',
        tools: [{ name: 'calc', description: 'math', inputSchema: { type: 'object', properties: {} } }],
        parameters: { maxTokens: 99 },
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'hi' }] },
          { role: 'assistant', content: [{ type: 'text', text: 'ok' }, { type: 'tool_call', id: 'toolu_1', name: 'calc', input: { a: 1 } }] },
          { role: 'user', content: [{ type: 'tool_result', toolCallId: 'toolu_1', content: [{ type: 'text', text: '2' }], isError: false }] },
        ],
      });
      expect(params.system).to.equal('Be brief.');
      expect(params.max_tokens).to.equal(99);
      expect(params.tools).to.deep.equal([{ name: 'calc', description: 'math', input_schema: { type: 'object', properties: {} } }]);
      expect(params.messages).to.deep.equal([
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'ok' }, { type: 'tool_use', id: 'toolu_1', name: 'calc', input: { a: 1 } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '2' }] }] },
      ]);
    });

    it('R8: drops empty text blocks, sends an empty tool output without content, marks errors', () => {
      const params = toAnthropicParams({
        ...base,
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'q' }] },
          { role: 'assistant', content: [{ type: 'text', text: '' }, { type: 'tool_call', id: 't1', name: 'x', input: {} }] },
          { role: 'user', content: [{ type: 'tool_result', toolCallId: 't1', content: [{ type: 'text', text: '' }], isError: true }] },
        ],
      });
      expect(params.messages[1]!.content).to.deep.equal([{ type: 'tool_use', id: 't1', name: 'x', input: {} }]);
      expect(params.messages[2]!.content).to.deep.equal([{ type: 'tool_result', tool_use_id: 't1', is_error: true }]);
    });

    it('R7: after pause_turn, sends consecutive assistant turns as one, its final text without trailing whitespace', () => {
      const user = { role: 'user' as const, content: [{ type: 'text' as const, text: 'search' }] };
      const params = toAnthropicParams({
        ...base,
        messages: [user, { role: 'assistant', content: [{ type: 'text', text: 'Searching. ' }] }, { role: 'assistant', content: [{ type: 'text', text: 'Still going \n' }] }],
      });
      expect(params.messages).to.deep.equal([
        { role: 'user', content: [{ type: 'text', text: 'search' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Searching. ' }, { type: 'text', text: 'Still going' }] },
      ]);
      const blank = toAnthropicParams({ ...base, messages: [user, { role: 'assistant', content: [{ type: 'text', text: ' \n ' }] }] });
      expect(blank.messages).to.deep.equal([{ role: 'user', content: [{ type: 'text', text: 'search' }] }]);
      const toolCall = { type: 'tool_call' as const, id: 't1', name: 'x', input: {} };
      const ended = toAnthropicParams({ ...base, messages: [user, { role: 'assistant', content: [{ type: 'text', text: 'a ' }, toolCall] }] });
      expect(ended.messages[1]!.content).to.deep.equal([{ type: 'text', text: 'a ' }, { type: 'tool_use', id: 't1', name: 'x', input: {} }]);
    });

    it('R7: joins each run of assistant turns wherever it is in the history, keeping the messages around it in order', () => {
      const text = (value: string) => ({ type: 'text' as const, text: value });
      const params = toAnthropicParams({
        ...base,
        messages: [
          { role: 'user', content: [text('u1')] },
          { role: 'assistant', content: [text('a1')] },
          { role: 'user', content: [text('u2')] },
          { role: 'assistant', content: [text('a2')] },
          { role: 'assistant', content: [text('a3')] },
          { role: 'assistant', content: [text('a4')] },
          { role: 'user', content: [text('u3')] },
          { role: 'assistant', content: [text('a5')] },
          { role: 'assistant', content: [text('a6')] },
          { role: 'user', content: [text('u4')] },
        ],
      });
      const shown = params.messages.map((message) => `${message.role}:${(message.content as Array<{ text: string }>).map((block) => block.text).join('+')}`);
      expect(shown).to.deep.equal(['user:u1', 'assistant:a1', 'user:u2', 'assistant:a2+a3+a4', 'user:u3', 'assistant:a5+a6', 'user:u4']);
    });

    it('R7: trims the final text of a long history after pause_turn, keeping every earlier message and block', () => {
      const text = (value: string) => ({ type: 'text' as const, text: value });
      const toolCall = { type: 'tool_call' as const, id: 't1', name: 'x', input: {} };
      const history: ModelRequest['messages'] = [
        { role: 'user', content: [text('first')] },
        { role: 'assistant', content: [text('one'), toolCall] },
        { role: 'user', content: [{ type: 'tool_result', toolCallId: 't1', content: [text('done')], isError: false }] },
        { role: 'assistant', content: [text('thinking '), text('more '), text('and then \n')] },
      ];
      const params = toAnthropicParams({ ...base, messages: history });
      expect(params.messages).to.deep.equal([
        { role: 'user', content: [{ type: 'text', text: 'first' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'one' }, { type: 'tool_use', id: 't1', name: 'x', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'done' }] }] },
        { role: 'assistant', content: [{ type: 'text', text: 'thinking ' }, { type: 'text', text: 'more ' }, { type: 'text', text: 'and then' }] },
      ]);
      const blankLast = toAnthropicParams({ ...base, messages: [...history.slice(0, 3), { role: 'assistant', content: [text('a '), text('b '), text('  ')] }] });
      expect(blankLast.messages.at(-1), 'a final text of only whitespace is dropped, the blocks before it kept').to.deep.equal({
        role: 'assistant',
        content: [{ type: 'text', text: 'a ' }, { type: 'text', text: 'b ' }],
      });
      const blankOnly = toAnthropicParams({ ...base, messages: [...history.slice(0, 3), { role: 'assistant', content: [text(' \n ')] }] });
      expect(blankOnly.messages, 'a message of only whitespace is dropped, the ones before it kept').to.deep.equal(params.messages.slice(0, 3));
    });

    it('leaves a conversation ending with a user message, or an assistant turn with no trailing whitespace, as it is', () => {
      const messages: ModelRequest['messages'] = [
        { role: 'user', content: [{ type: 'text', text: 'q ' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'a ' }] },
        { role: 'user', content: [{ type: 'text', text: 'q2 \n' }] },
      ];
      expect(toAnthropicParams({ ...base, messages }).messages.at(-1)).to.deep.equal({ role: 'user', content: [{ type: 'text', text: 'q2 \n' }] });
      const clean = toAnthropicParams({ ...base, messages: [...messages, { role: 'assistant', content: [{ type: 'text', text: 'no space' }] }] });
      expect(clean.messages.at(-1)).to.deep.equal({ role: 'assistant', content: [{ type: 'text', text: 'no space' }] });
    });

    it('sends opaque Anthropic blocks back unchanged and images as base64 sources', () => {
      const thinking = { type: 'thinking', thinking: 'hmm', signature: 'sig' };
      const params = toAnthropicParams({
        ...base,
        messages: [
          { role: 'user', content: [{ type: 'image', mediaType: 'image/png', data: 'iVBORw0KGgo=' }, { type: 'text', text: 'what?' }] },
          { role: 'assistant', content: [{ type: 'opaque', provider: 'anthropic', data: thinking }, { type: 'text', text: 'a cat' }] },
        ],
      });
      expect(params.messages[0]!.content).to.deep.equal([
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
        { type: 'text', text: 'what?' },
      ]);
      expect((params.messages[1]!.content as unknown[])[0]).to.equal(thinking);
    });
  });

  describe('what is left out', () => {
    it('sends only model, max_tokens and messages when nothing else is set (no key set to undefined)', () => {
      const params = toAnthropicParams({ ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
      expect(Object.keys(params).sort()).to.deep.equal(['max_tokens', 'messages', 'model']);
    });

    it('R8: drops an empty user text block, and a message left with nothing to send', () => {
      const params = toAnthropicParams({
        ...base,
        messages: [
          { role: 'user', content: [{ type: 'text', text: '' }, { type: 'text', text: 'hi' }] },
          { role: 'assistant', content: [{ type: 'text', text: 'ok' }] },
          { role: 'user', content: [{ type: 'text', text: '' }] },
        ],
      });
      expect(params.messages).to.deep.equal([
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'ok' }] },
      ]);
      expect(toWireMessage({ role: 'user', content: [{ type: 'text', text: '' }] })).to.equal(undefined);
      expect(toWireMessage({ role: 'user', content: [{ type: 'text', text: 'x' }] })).to.deep.equal({ role: 'user', content: [{ type: 'text', text: 'x' }] });
    });

    it('drops the opaque blocks another provider kept', () => {
      const params = toAnthropicParams({
        ...base,
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'q' }] },
          { role: 'assistant', content: [{ type: 'opaque', provider: 'openai', data: { type: 'reasoning', id: 'rs_1' } }, { type: 'text', text: 'a' }] },
        ],
      });
      expect(params.messages[1]!.content).to.deep.equal([{ type: 'text', text: 'a' }]);
    });

    it('sends the cached wire form itself when the final assistant text has nothing to trim', () => {
      const messages = Object.freeze([
        Object.freeze({ role: 'user' as const, content: Object.freeze([Object.freeze({ type: 'text' as const, text: 'q' })]) }),
        Object.freeze({ role: 'assistant' as const, content: Object.freeze([Object.freeze({ type: 'text' as const, text: 'no space' })]) }),
      ]);
      const first = toAnthropicParams({ ...base, messages: messages as never });
      const second = toAnthropicParams({ ...base, messages: messages as never });
      expect(second.messages.at(-1)).to.equal(first.messages.at(-1));
    });

    it('maps a frozen list of tools again on every call when one of its specs is not frozen', () => {
      const open = { name: 'open', description: 'first', inputSchema: { type: 'object' } };
      const tools = Object.freeze([Object.freeze({ name: 'fixed', description: 'fixed', inputSchema: { type: 'object' } }), open]);
      expect(toAnthropicParams({ ...base, tools }).tools![1]).to.include({ description: 'first' });
      open.description = 'second';
      expect(toAnthropicParams({ ...base, tools }).tools![1]).to.include({ description: 'second' });
    });
  });

  describe('the provider-specific parameters', () => {
    const tools = [{ name: 'calc', description: 'math', inputSchema: { type: 'object' } }];

    it('maps thinking, tool_choice, metadata and service_tier to their wire names, and sends none of OpenAI’s', () => {
      const params = toAnthropicParams({
        ...base,
        tools,
        parameters: {
          maxTokens: 4000,
          thinking: { type: 'enabled', budgetTokens: 2048 },
          toolChoice: { type: 'auto', disableParallelToolUse: true },
          metadata: { user_id: 'u-1' },
          serviceTier: 'standard_only',
          frequencyPenalty: 0.5,
          presencePenalty: 0.5,
          seed: 1,
          reasoningEffort: 'low',
          responseFormat: { type: 'json_object' },
          extraHeaders: { 'x-a': '1' },
          betas: ['b'],
        },
      });
      expect(params).to.deep.include({
        max_tokens: 4000,
        thinking: { type: 'enabled', budget_tokens: 2048 },
        tool_choice: { type: 'auto', disable_parallel_tool_use: true },
        metadata: { user_id: 'u-1' },
        service_tier: 'standard_only',
      });
      for (const key of ['frequency_penalty', 'presence_penalty', 'seed', 'reasoning_effort', 'response_format', 'extra_headers', 'betas', 'extraHeaders']) {
        expect(params, key).not.to.have.property(key);
      }
    });

    it('maps each kind of tool_choice, thinking disabled, and leaves tool_choice out of a request without tools', () => {
      const choice = (toolChoice: ToolChoice) => toAnthropicParams({ ...base, tools, parameters: { toolChoice } }).tool_choice;
      expect(choice({ type: 'any' })).to.deep.equal({ type: 'any' });
      expect(choice({ type: 'none', disableParallelToolUse: true })).to.deep.equal({ type: 'none' });
      expect(choice({ type: 'tool', name: 'calc', disableParallelToolUse: false })).to.deep.equal({ type: 'tool', name: 'calc', disable_parallel_tool_use: false });
      expect(toAnthropicParams({ ...base, parameters: { toolChoice: { type: 'any' } } })).not.to.have.property('tool_choice');
      expect(toAnthropicParams({ ...base, parameters: { thinking: { type: 'disabled' } } }).thinking).to.deep.equal({ type: 'disabled' });
    });

    it('puts extra headers and betas into the request options, the betas joined into anthropic-beta', () => {
      expect(toAnthropicRequestOptions({})).to.deep.equal({});
      expect(toAnthropicRequestOptions({ extraHeaders: {}, betas: [] }), 'empty headers and betas: no headers at all').to.deep.equal({});
      expect(toAnthropicRequestOptions({ extraHeaders: { 'x-team': 'search' } })).to.deep.equal({ headers: { 'x-team': 'search' } });
      expect(toAnthropicRequestOptions({ betas: ['a-1', 'b-2'] })).to.deep.equal({ headers: { 'anthropic-beta': 'a-1,b-2' } });
      expect(toAnthropicRequestOptions({ extraHeaders: { 'Anthropic-Beta': 'own', 'x-a': '1' }, betas: ['b-2'] })).to.deep.equal({
        headers: { 'x-a': '1', 'anthropic-beta': 'own,b-2' },
      });
    });
  });

  describe('fromAnthropicMessage', () => {
    it('maps content, stop reason and usage, keeping the raw usage object', () => {
      const usage = { input_tokens: 12, output_tokens: 5, cache_read_input_tokens: 3, cache_creation_input_tokens: null, service_tier: 'standard' };
      const message = {
        id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-test', stop_reason: 'tool_use', stop_sequence: null,
        content: [
          { type: 'text', text: 'Let me check.', citations: null },
          { type: 'tool_use', id: 'toolu_9', name: 'calc', input: { expression: '1+1' } },
          { type: 'thinking', thinking: 't', signature: 's' },
        ],
        usage,
      } as unknown as Anthropic.Message;
      const turn = fromAnthropicMessage(message, 'req_1');
      expect(turn).to.deep.include({ id: 'msg_1', model: 'claude-test', stopReason: 'tool_use', requestId: 'req_1' });
      expect(turn.tokens).to.deep.equal({ inputTokens: 12, outputTokens: 5, cacheReadInputTokens: 3, cacheCreationInputTokens: 0 });
      expect(turn.usage).to.equal(usage);
      expect(turn.content).to.deep.equal([
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_call', id: 'toolu_9', name: 'calc', input: { expression: '1+1' } },
        { type: 'opaque', provider: 'anthropic', data: { type: 'thinking', thinking: 't', signature: 's' } },
      ]);
    });

    it('gives a tool call whose input is not an object an empty input', () => {
      for (const input of [null, [1, 2], 'text', 3]) {
        const turn = fromAnthropicMessage({
          id: 'm', model: 'x', stop_reason: 'tool_use', usage: { input_tokens: 1, output_tokens: 1 },
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'calc', input }],
        } as unknown as Anthropic.Message);
        expect(turn.content[0], JSON.stringify(input)).to.deep.equal({ type: 'tool_call', id: 'toolu_1', name: 'calc', input: {} });
      }
    });

    it('treats a missing stop reason as end_turn', () => {
      const turn = fromAnthropicMessage({ id: 'm', model: 'x', content: [], stop_reason: null, usage: { input_tokens: 1, output_tokens: 1 } } as unknown as Anthropic.Message);
      expect(turn.stopReason).to.equal('end_turn');
    });
  });
});

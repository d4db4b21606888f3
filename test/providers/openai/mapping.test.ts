import { expect } from 'chai';
import type OpenAI from 'openai';
import {
  DEFAULT_MAX_TOKENS,
  fromOpenAICompletion,
  toOpenAIHeaders,
  toOpenAIParams,
  toolMessageText,
  toStopReason,
  toTokenUsage,
  toWireMessages,
} from '../../../lib/providers/openai/mapping.js';
import type { ModelRequest, ToolResultMessagePart } from '../../../lib/providers/types.js';
import { checkChatCompletionsRequest } from '../../../lib/testing/index.js';

const base: ModelRequest = { model: 'gpt-test', system: undefined, messages: [], tools: [], parameters: {} };
const hi = { role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] };
const calc = { name: 'calc', description: 'math', inputSchema: { type: 'object', properties: {} } };
const result = (toolCallId: string, content: ToolResultMessagePart['content'], isError = false): ToolResultMessagePart => ({ type: 'tool_result', toolCallId, content, isError });
const PNG = { type: 'image' as const, mediaType: 'image/png', data: 'iVBORw0KGgo=' };

/** A completion with one choice, as the SDK returns it. */
function completion(message: Partial<OpenAI.ChatCompletionMessage>, finishReason: string | null = 'stop', usage?: Partial<OpenAI.CompletionUsage>): OpenAI.ChatCompletion {
  return {
    id: 'chatcmpl_1',
    object: 'chat.completion',
    created: 0,
    model: 'gpt-test-2025',
    choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: null, ...message }, finish_reason: finishReason as 'stop', logprobs: null }],
    ...(usage ? { usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, ...usage } } : {}),
  };
}

describe('OpenAI mapping', () => {
  describe('toOpenAIParams', () => {
    it('sends the system prompt as the first message and defaults max_completion_tokens to 4096', () => {
      const params = toOpenAIParams({ ...base, system: 'Be brief.', messages: [hi] });
      expect(params).to.deep.equal({
        model: 'gpt-test',
        messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }],
        max_completion_tokens: DEFAULT_MAX_TOKENS,
      });
      expect(DEFAULT_MAX_TOKENS).to.equal(4096);
      expect(toOpenAIParams({ ...base, messages: [hi] }).messages).to.deep.equal([{ role: 'user', content: 'hi' }]);
    });

    it('maps every parameter to its wire name', () => {
      const params = toOpenAIParams({
        ...base,
        messages: [hi],
        parameters: {
          maxTokens: 99,
          temperature: 0.5,
          topP: 0.9,
          frequencyPenalty: 0.1,
          presencePenalty: -0.2,
          stopSequences: ['END', 'STOP'],
          metadata: { user: 'u1' },
          serviceTier: 'flex',
          reasoningEffort: 'low',
          seed: 7,
          responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true },
        },
      });
      expect(params).to.deep.include({
        max_completion_tokens: 99,
        temperature: 0.5,
        top_p: 0.9,
        frequency_penalty: 0.1,
        presence_penalty: -0.2,
        stop: ['END', 'STOP'],
        metadata: { user: 'u1' },
        service_tier: 'flex',
        reasoning_effort: 'low',
        seed: 7,
        response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true } },
      });
      expect(toOpenAIParams({ ...base, parameters: { responseFormat: { type: 'json_object' } } }).response_format).to.deep.equal({ type: 'json_object' });
      expect(toOpenAIParams({ ...base, parameters: { stopSequences: [] } })).not.to.have.property('stop');
    });

    it('sends every tool as a function tool; tool_choice and parallel_tool_calls only with tools', () => {
      const cases = [
        [{ type: 'auto' }, 'auto'],
        [{ type: 'none' }, 'none'],
        [{ type: 'any' }, 'required'],
        [{ type: 'tool', name: 'calc' }, { type: 'function', function: { name: 'calc' } }],
      ] as const;
      for (const [toolChoice, wire] of cases) {
        const params = toOpenAIParams({ ...base, tools: [calc], parameters: { toolChoice } });
        expect(params.tool_choice, toolChoice.type).to.deep.equal(wire);
        expect(params).not.to.have.property('parallel_tool_calls');
      }
      const params = toOpenAIParams({ ...base, tools: [calc], parameters: { toolChoice: { type: 'auto', disableParallelToolUse: true } } });
      expect(params.tools).to.deep.equal([{ type: 'function', function: { name: 'calc', description: 'math', parameters: { type: 'object', properties: {} } } }]);
      expect(params.parallel_tool_calls).to.equal(false);
      const toolless = toOpenAIParams({ ...base, parameters: { toolChoice: { type: 'any', disableParallelToolUse: true } } });
      expect(toolless).not.to.have.any.keys('tools', 'tool_choice', 'parallel_tool_calls');
    });

    it('copies the stop sequences and metadata it sends', () => {
      const parameters = { stopSequences: ['END'], metadata: { user: 'u1' } };
      const params = toOpenAIParams({ ...base, parameters });
      expect(params.stop).to.deep.equal(['END']);
      expect(params.stop, 'a copy').not.to.equal(parameters.stopSequences);
      expect(params.metadata).to.deep.equal({ user: 'u1' });
      expect(params.metadata, 'a copy').not.to.equal(parameters.metadata);
      expect(toOpenAIParams({ ...base, parameters: { responseFormat: { type: 'json_schema', name: 'a', schema: {} } } }).response_format).to.deep.equal({ type: 'json_schema', json_schema: { name: 'a', schema: {} } });
      expect(toOpenAIParams({ ...base, parameters: { responseFormat: { type: 'text' } } }).response_format).to.deep.equal({ type: 'text' });
    });

    it('extraHeaders become request headers, not body fields', () => {
      const extraHeaders = { 'x-trace': 't1' };
      expect(toOpenAIHeaders({ extraHeaders })).to.deep.equal({ 'x-trace': 't1' });
      expect(toOpenAIHeaders({ extraHeaders }), 'a copy').not.to.equal(extraHeaders);
      expect(toOpenAIHeaders({ extraHeaders: {} })).to.equal(undefined);
      expect(toOpenAIHeaders({})).to.equal(undefined);
      expect(toOpenAIParams({ ...base, parameters: { extraHeaders: { 'x-trace': 't1' } } })).not.to.have.property('extraHeaders');
    });
  });

  describe('toWireMessages', () => {
    it('R5: parallel tool calls, then one tool message per result in the order of the calls, right after', () => {
      const messages = toWireMessages(undefined, [
        hi,
        { role: 'assistant', content: [{ type: 'text', text: 'Both.' }, { type: 'tool_call', id: 'call_a', name: 'calc', input: { x: 1 } }, { type: 'tool_call', id: 'call_b', name: 'echo', input: {} }] },
        { role: 'user', content: [result('call_b', [{ type: 'text', text: 'echoed' }]), result('call_a', [{ type: 'text', text: '2' }]), { type: 'text', text: 'and now?' }] },
      ]);
      expect(messages).to.deep.equal([
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: 'Both.',
          tool_calls: [
            { id: 'call_a', type: 'function', function: { name: 'calc', arguments: '{"x":1}' } },
            { id: 'call_b', type: 'function', function: { name: 'echo', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_a', content: '2' },
        { role: 'tool', tool_call_id: 'call_b', content: 'echoed' },
        { role: 'user', content: 'and now?' },
      ]);
      expect(checkChatCompletionsRequest({ model: 'm', messages })).to.equal(undefined);
    });

    it('puts results of no call of the turn last, and keeps the order of results after a user message', () => {
      const text = (id: string) => result(id, [{ type: 'text', text: id }]);
      const messages = toWireMessages(undefined, [
        hi,
        { role: 'assistant', content: [{ type: 'tool_call', id: 'call_a', name: 'calc', input: {} }] },
        { role: 'user', content: [text('stray'), text('call_a')] },
        { role: 'user', content: [text('late_b'), text('call_a')] },
      ]);
      expect(messages.slice(2).map((message) => (message as { tool_call_id: string }).tool_call_id)).to.deep.equal(['call_a', 'stray', 'late_b', 'call_a']);
    });

    it("a user message of one image is a list of parts; a tool result's single image is 'this image'", () => {
      const [own] = toWireMessages(undefined, [{ role: 'user', content: [PNG] }]);
      expect(own).to.deep.equal({ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] });
    });

    it('an assistant message with only tool calls has content null', () => {
      const [, assistant] = toWireMessages(undefined, [hi, { role: 'assistant', content: [{ type: 'tool_call', id: 'c', name: 'calc', input: {} }] }]);
      expect(assistant).to.deep.equal({ role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'calc', arguments: '{}' } }] });
    });

    it("R8: drops empty text, and another provider's opaque parts; a message left empty is not sent", () => {
      const messages = toWireMessages(undefined, [
        { role: 'user', content: [{ type: 'text', text: '' }, { type: 'text', text: 'q' }] },
        { role: 'assistant', content: [{ type: 'opaque', provider: 'anthropic', data: { type: 'thinking', thinking: 'hmm', signature: 's' } }, { type: 'text', text: '' }] },
        { role: 'assistant', content: [{ type: 'opaque', provider: 'anthropic', data: {} }, { type: 'text', text: 'answer' }] },
        { role: 'user', content: [{ type: 'text', text: '' }] },
      ]);
      expect(messages).to.deep.equal([
        { role: 'user', content: 'q' },
        { role: 'assistant', content: 'answer' },
      ]);
    });

    it('user images become image_url parts with data URLs', () => {
      const [message] = toWireMessages(undefined, [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, PNG] }]);
      expect(message).to.deep.equal({
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      });
    });

    it("a tool result's images follow its tool message in a user message; the tool message keeps the text", () => {
      const messages = toWireMessages(undefined, [
        hi,
        { role: 'assistant', content: [{ type: 'tool_call', id: 'call_shot', name: 'screenshot', input: {} }, { type: 'tool_call', id: 'call_only', name: 'draw', input: {} }] },
        { role: 'user', content: [result('call_shot', [{ type: 'text', text: 'Here it is.' }, PNG]), result('call_only', [PNG, PNG])] },
      ]);
      expect(messages.slice(2)).to.deep.equal([
        { role: 'tool', tool_call_id: 'call_shot', content: 'Here it is.' },
        { role: 'tool', tool_call_id: 'call_only', content: '(the output is 2 images, in the next user message)' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'The result of tool call call_shot has this image:' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'text', text: 'The result of tool call call_only has these 2 images:' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
      ]);
      expect(checkChatCompletionsRequest({ model: 'm', messages })).to.equal(undefined);
    });

    it('R22: an image OpenAI would refuse becomes a text note', () => {
      const [message] = toWireMessages(undefined, [{ role: 'user', content: [{ type: 'image', mediaType: 'image/bmp', data: 'Qk0=' }, { type: 'image', mediaType: 'image/png', data: 'A'.repeat(28 * 1024 * 1024) }] }]);
      const [bmp, huge] = message!.content as { type: string; text: string }[];
      expect(bmp).to.deep.equal({ type: 'text', text: '[an image of type image/bmp was left out: OpenAI takes image/png, image/jpeg, image/gif, image/webp]' });
      expect(huge!.type).to.equal('text');
      expect(huge!.text).to.match(/^\[an image of \d+ bytes was left out: OpenAI takes images up to 20971520 bytes\]$/);
    });
  });

  describe('toolMessageText', () => {
    it('joins text parts; says so when there is no output; marks an error result with Error:', () => {
      expect(toolMessageText(result('c', [{ type: 'text', text: 'a' }, { type: 'text', text: '' }, { type: 'text', text: 'b' }]))).to.equal('a\nb');
      expect(toolMessageText(result('c', []))).to.equal('(no output)');
      expect(toolMessageText(result('c', [PNG]))).to.equal('(the output is an image, in the next user message)');
      expect(toolMessageText(result('c', [{ type: 'text', text: 'Unknown tool "x".' }], true))).to.equal('Error: Unknown tool "x".');
      expect(toolMessageText(result('c', [{ type: 'text', text: 'Error in calc: boom' }], true))).to.equal('Error in calc: boom');
      expect(toolMessageText(result('c', [], true))).to.equal('Error: (no output)');
      expect(toolMessageText(result('c', [{ type: 'text', text: 'ERROR: upper case' }], true))).to.equal('ERROR: upper case');
      expect(toolMessageText(result('c', [{ type: 'text', text: 'Errors were found' }], true))).to.equal('Error: Errors were found');
      expect(toolMessageText(result('c', [{ type: 'text', text: 'no Error here' }], true))).to.equal('Error: no Error here');
      expect(toolMessageText(result('c', [{ type: 'text', text: 'fine' }]))).to.equal('fine');
      expect(toolMessageText(result('c', [{ type: 'text', text: '' }, PNG]))).to.equal('(the output is an image, in the next user message)');
    });
  });

  describe('fromOpenAICompletion', () => {
    it('maps text, the model, the id, the request id and the raw usage', () => {
      const usage = { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120, prompt_tokens_details: { cached_tokens: 30 }, completion_tokens_details: { reasoning_tokens: 8 } };
      const turn = fromOpenAICompletion(completion({ content: 'Hello.' }, 'stop', usage), 'req_1');
      expect(turn).to.deep.equal({
        id: 'chatcmpl_1',
        model: 'gpt-test-2025',
        content: [{ type: 'text', text: 'Hello.' }],
        stopReason: 'end_turn',
        tokens: { inputTokens: 70, outputTokens: 20, cacheReadInputTokens: 30, cacheCreationInputTokens: 0 },
        usage,
        requestId: 'req_1',
      });
    });

    it('maps tool calls, their JSON arguments parsed, and marks the ones it cannot read', () => {
      const turn = fromOpenAICompletion(
        completion(
          {
            content: 'Calling.',
            tool_calls: [
              { id: 'call_ok', type: 'function', function: { name: 'calc', arguments: '{"expression":"2+2"}' } },
              { id: 'call_bad', type: 'function', function: { name: 'calc', arguments: '{"expression": "2+' } },
              { id: 'call_list', type: 'function', function: { name: 'calc', arguments: '[1, 2]' } },
              { id: 'call_empty', type: 'function', function: { name: 'clock', arguments: '' } },
            ],
          },
          'tool_calls',
        ),
      );
      expect(turn.stopReason).to.equal('tool_use');
      expect(turn.content[0]).to.deep.equal({ type: 'text', text: 'Calling.' });
      expect(turn.content[1]).to.deep.equal({ type: 'tool_call', id: 'call_ok', name: 'calc', input: { expression: '2+2' } });
      expect(turn.content[2]).to.deep.include({ type: 'tool_call', id: 'call_bad', input: {} });
      expect((turn.content[2] as { inputError: string }).inputError).to.match(/^the arguments are cut off \(.+\): "\{\\"expression\\": \\"2\+"$/);
      expect((turn.content[3] as { inputError: string }).inputError).to.equal('the arguments are an array, not a JSON object: "[1, 2]"');
      expect(turn.content[4]).to.deep.equal({ type: 'tool_call', id: 'call_empty', name: 'clock', input: {} });
    });

    it('maps a legacy function_call to a tool call', () => {
      const turn = fromOpenAICompletion(completion({ function_call: { name: 'calc', arguments: '{"a":1}' } }, 'function_call'));
      expect(turn.stopReason).to.equal('tool_use');
      expect(turn.content).to.deep.equal([{ type: 'tool_call', id: 'chatcmpl_1_function_call', name: 'calc', input: { a: 1 } }]);
    });

    it('a tool call with finish reason stop is a tool_use turn', () => {
      const turn = fromOpenAICompletion(completion({ tool_calls: [{ id: 'call_s', type: 'function', function: { name: 'calc', arguments: '{}' } }] }, 'stop'));
      expect(turn.stopReason).to.equal('tool_use');
    });

    it('marks a custom tool call, which llmproc cannot run', () => {
      const turn = fromOpenAICompletion(completion({ tool_calls: [{ id: 'call_c', type: 'custom', custom: { name: 'grammar', input: 'x' } }] }, 'tool_calls'));
      expect(turn.content).to.deep.equal([{ type: 'tool_call', id: 'call_c', name: 'grammar', input: {}, inputError: 'this is a custom tool call, and llmproc offers function tools only' }]);
      expect(turn.stopReason).to.equal('tool_use');
    });

    it('a refusal after text is a refusal turn with both texts, whatever the finish reason', () => {
      const turn = fromOpenAICompletion(completion({ content: 'Partly.', refusal: 'No more.' }, 'length'));
      expect(turn.content).to.deep.equal([{ type: 'text', text: 'Partly.' }, { type: 'text', text: 'No more.' }]);
      expect(turn.stopReason).to.equal('refusal');
    });

    it('a refusal is the text of a refusal turn', () => {
      const turn = fromOpenAICompletion(completion({ refusal: 'I cannot help with that.' }));
      expect(turn.content).to.deep.equal([{ type: 'text', text: 'I cannot help with that.' }]);
      expect(turn.stopReason).to.equal('refusal');
    });

    it('no usage and no choices still give a turn: zero tokens, end_turn, no content', () => {
      const turn = fromOpenAICompletion({ ...completion({}), choices: [] });
      expect(turn).to.deep.include({ content: [], stopReason: 'end_turn', usage: {}, requestId: undefined });
      expect(turn.tokens).to.deep.equal({ inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 });
    });
  });

  describe('toStopReason', () => {
    it('maps finish reasons; passes unknown ones through; stop with tool calls is tool_use', () => {
      expect(toStopReason('stop', false)).to.equal('end_turn');
      expect(toStopReason('tool_calls', true)).to.equal('tool_use');
      expect(toStopReason('length', true)).to.equal('max_tokens');
      expect(toStopReason('content_filter', false)).to.equal('refusal');
      expect(toStopReason('function_call', true)).to.equal('tool_use');
      expect(toStopReason('eos', false)).to.equal('eos');
      expect(toStopReason(null, false)).to.equal('end_turn');
      expect(toStopReason('stop', true)).to.equal('tool_use');
      expect(toStopReason(undefined, true)).to.equal('tool_use');
    });
  });

  describe('toTokenUsage', () => {
    it('counts cached tokens once: input is the prompt less the cached tokens; reasoning is in the output', () => {
      expect(toTokenUsage({ prompt_tokens: 1000, completion_tokens: 300, total_tokens: 1300, prompt_tokens_details: { cached_tokens: 800 }, completion_tokens_details: { reasoning_tokens: 200 } })).to.deep.equal({
        inputTokens: 200,
        outputTokens: 300,
        cacheReadInputTokens: 800,
        cacheCreationInputTokens: 0,
      });
      expect(toTokenUsage({ prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 })).to.deep.equal({ inputTokens: 5, outputTokens: 1, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 });
      expect(toTokenUsage(undefined)).to.deep.equal({ inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 });
      expect(toTokenUsage({ prompt_tokens: 5, completion_tokens: 1, total_tokens: 6, prompt_tokens_details: { cached_tokens: 9 } })).to.deep.equal({ inputTokens: 0, outputTokens: 1, cacheReadInputTokens: 9, cacheCreationInputTokens: 0 });
    });
  });
});

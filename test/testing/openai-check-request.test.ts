import { expect } from 'chai';
import { checkChatCompletionsRequest } from '../../lib/testing/index.js';

const user = (content: unknown) => ({ role: 'user', content });
const call = (id: string, name = 'calc') => ({ id, type: 'function', function: { name, arguments: '{}' } });
const assistantCalling = (...ids: string[]) => ({ role: 'assistant', content: null, tool_calls: ids.map((id) => call(id)) });
const toolAnswer = (id: string, content: unknown = 'ok') => ({ role: 'tool', tool_call_id: id, content });
const tool = (name: string, parameters: unknown = { type: 'object', properties: {} }) => ({ type: 'function', function: { name, description: 'd', parameters } });
const body = (messages: unknown[], extra: Record<string, unknown> = {}) => ({ model: 'gpt-test', messages, ...extra });

describe('checkChatCompletionsRequest', () => {
  it('accepts a full valid conversation: system, user with an image, parallel calls answered in order, text after', () => {
    const valid = body(
      [
        { role: 'system', content: 'Be brief.' },
        user([{ type: 'text', text: 'Look:' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }]),
        { role: 'assistant', content: 'Calling both.', tool_calls: [call('call_1'), call('call_2', 'echo')] },
        toolAnswer('call_1', '2'),
        toolAnswer('call_2', [{ type: 'text', text: 'echoed' }]),
        user([{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }]),
        { role: 'assistant', content: 'Done.' },
        user('thanks'),
      ],
      { tools: [tool('calc'), tool('echo')], tool_choice: 'auto', parallel_tool_calls: false, max_completion_tokens: 100, stream: true, stream_options: { include_usage: true } },
    );
    expect(checkChatCompletionsRequest(valid)).to.equal(undefined);
  });

  for (const [what, request, expected] of [
    ['a body that is not an object', [], 'must be a JSON object'],
    ['no model', { messages: [user('hi')] }, "Missing required parameter: 'model'"],
    ['no messages', { model: 'm', messages: [] }, "Invalid 'messages': empty array"],
    ['an unknown role', body([{ role: 'robot', content: 'x' }]), "Invalid value for 'messages[0].role'"],
    ['an empty string content', body([user('')]), "Invalid 'messages[0].content': empty string"],
    ['an empty content array', body([user([])]), "Invalid 'messages[0].content': empty array"],
    ['an empty text part', body([user([{ type: 'text', text: '' }])]), "Invalid 'messages[0].content[0].text': empty string"],
    ['an assistant message with neither content nor tool calls', body([user('hi'), { role: 'assistant', content: null }]), "Invalid value for 'messages[1].content'"],
    ['an empty tool_calls array', body([user('hi'), { role: 'assistant', content: 'x', tool_calls: [] }]), "Invalid 'messages[1].tool_calls': empty array"],
    ['a tool call whose arguments are not a string', body([user('hi'), { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'calc', arguments: {} } }] }]), "'messages[1].tool_calls[0].function.arguments': expected a string"],
    [
      'a tool call left unanswered before the next user message',
      body([user('hi'), assistantCalling('call_1', 'call_2'), toolAnswer('call_1'), user('next')]),
      "Invalid parameter 'messages[3]': an assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: call_2",
    ],
    ['a tool call left unanswered at the end', body([user('hi'), assistantCalling('call_1')]), 'did not have response messages: call_1'],
    ['a tool message answering nothing', body([user('hi'), toolAnswer('call_9')]), "messages with role 'tool' must be a response to a preceeding message with 'tool_calls' (no pending tool call has id call_9)"],
    ['a second answer to one call', body([user('hi'), assistantCalling('call_1'), toolAnswer('call_1'), toolAnswer('call_1')]), 'no pending tool call has id call_1'],
    ['an answer to a call of an earlier turn', body([user('hi'), assistantCalling('call_1'), toolAnswer('call_1'), { role: 'assistant', content: 'ok' }, toolAnswer('call_1')]), 'no pending tool call has id call_1'],
    ['a tool message without tool_call_id', body([user('hi'), assistantCalling('call_1'), { role: 'tool', content: 'x' }]), "Missing required parameter: 'messages[2].tool_call_id'"],
    ['an image in a tool message', body([user('hi'), assistantCalling('call_1'), toolAnswer('call_1', [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AA==' } }])]), "Image URLs are only allowed for messages with role 'user', but this message with role 'tool' contains an image URL"],
    ['an image URL that is neither http(s) nor a data URL', body([user([{ type: 'image_url', image_url: { url: 'file:///a.png' } }])]), "'messages[0].content[0].image_url.url'"],
    ['an invalid tool name', body([user('hi')], { tools: [tool('my tool')] }), "Invalid 'tools[0].function.name': string does not match pattern"],
    ['a tool name longer than 64', body([user('hi')], { tools: [tool('t'.repeat(65))] }), 'string too long. Expected a string with maximum length 64'],
    ['a tool schema that is not an object schema', body([user('hi')], { tools: [tool('calc', { type: 'string' })] }), "Invalid schema for function 'calc'"],
    ['tool_choice without tools', body([user('hi')], { tool_choice: 'required' }), "'tool_choice' is only allowed when 'tools' are specified"],
    ['parallel_tool_calls without tools', body([user('hi')], { parallel_tool_calls: false }), "'parallel_tool_calls' is only allowed when 'tools' are specified"],
    ['stream_options without stream', body([user('hi')], { stream_options: { include_usage: true } }), "'stream_options' parameter is only allowed when 'stream' is enabled"],
    ['a max_completion_tokens of 0', body([user('hi')], { max_completion_tokens: 0 }), "Invalid 'max_completion_tokens'"],
  ] as const) {
    it(`refuses ${what}`, () => {
      expect(checkChatCompletionsRequest(request)).to.include(expected);
    });
  }
});

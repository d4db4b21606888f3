import { expect } from 'chai';
import { checkMessagesRequest, paddedImage, TINY_IMAGES } from '../../lib/testing/index.js';

const base = { model: 'm', max_tokens: 10 };
const user = (content: unknown) => ({ role: 'user', content });
const assistant = (content: unknown) => ({ role: 'assistant', content });
const toolUse = (id: string) => ({ type: 'tool_use', id, name: 'x', input: {} });
const result = (id: string, extra: Record<string, unknown> = {}) => ({ type: 'tool_result', tool_use_id: id, content: 'ok', ...extra });
const calls = assistant([toolUse('t1')]);
const tool = (name: string, schema: unknown = { type: 'object' }) => ({ name, input_schema: schema });
const withMessages = (...messages: unknown[]) => ({ ...base, messages });

describe('checkMessagesRequest', () => {
  describe('when the request is valid', () => {
    const valid: Array<[string, unknown]> = [
      ['a single user message', withMessages(user('hi'))],
      ['a system prompt as text blocks', { ...withMessages(user('hi')), system: [{ type: 'text', text: 'Be brief.' }] }],
      ['a tool round trip', withMessages(user('hi'), calls, user([result('t1')]))],
      [
        'parallel calls answered in one message, results first, then text',
        withMessages(user('hi'), assistant([{ type: 'text', text: 'Two.' }, toolUse('a'), toolUse('b')]), user([result('b'), result('a'), { type: 'text', text: 'go on' }])),
      ],
      ['a tool_result without content', withMessages(user('hi'), calls, user([{ type: 'tool_result', tool_use_id: 't1' }]))],
      [
        'a tool_result with text and image content',
        withMessages(user('hi'), calls, user([result('t1', { content: [{ type: 'text', text: 'x' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } }], is_error: true })])),
      ],
      ['an assistant prefill', withMessages(user('hi'), assistant('Sure'))],
      [
        'images of each type the API takes, the largest base64 it takes, and an image URL',
        withMessages(
          user([
            ...Object.entries(TINY_IMAGES).map(([media_type, data]) => ({ type: 'image', source: { type: 'base64', media_type, data } })),
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: paddedImage('image/png', 5 * 1024 * 1024) } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
          ]),
        ),
      ],
      ['tools, and a server tool without input_schema', { ...withMessages(user('hi')), tools: [tool('read_file'), { type: 'web_search_20250305', name: 'web_search' }] }],
    ];
    for (const [name, body] of valid) {
      it(`accepts ${name}`, () => expect(checkMessagesRequest(body)).to.equal(undefined));
    }
  });

  describe('when the request is invalid', () => {
    const invalid: Array<[string, unknown, RegExp]> = [
      ['a body that is not an object', [1], /JSON object/],
      ['no model', { max_tokens: 1, messages: [user('hi')] }, /^model/],
      ['an empty model', { model: '', max_tokens: 1, messages: [user('hi')] }, /^model/],
      ['max_tokens 0', { model: 'm', max_tokens: 0, messages: [user('hi')] }, /^max_tokens/],
      ['a fractional max_tokens', { model: 'm', max_tokens: 1.5, messages: [user('hi')] }, /^max_tokens/],
      ['a system prompt of the wrong type', { ...withMessages(user('hi')), system: 5 }, /^system/],
      ['an empty system text block', { ...withMessages(user('hi')), system: [{ type: 'text', text: '' }] }, /system\.0: text content blocks must be non-empty/],
      ['no messages', withMessages(), /^messages: expected a non-empty array/],
      [
        'an SVG image in a tool result',
        withMessages(user('hi'), calls, user([result('t1', { content: [{ type: 'image', source: { type: 'base64', media_type: 'image/svg+xml', data: 'PHN2Zz4=' } }] })])),
        /^messages\.2\.content\.0\.content\.0\.source\.base64\.media_type: Input should be 'image\/jpeg', 'image\/png', 'image\/gif' or 'image\/webp'$/,
      ],
      ['a BMP image in a user message', withMessages(user([{ type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: 'Qk0=' } }])), /media_type: Input should be/],
      [
        'an image over 5 MB of base64',
        withMessages(user([{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'A'.repeat(5 * 1024 * 1024 + 4) } }])),
        /^messages\.0\.content\.0\.source\.base64: image exceeds 5 MB maximum: 5242884 bytes > 5242880 bytes$/,
      ],
      ['an image without a source', withMessages(user([{ type: 'image' }])), /^messages\.0\.content\.0\.source: Field required$/],
      ['messages that are not an array', { ...base, messages: 'hi' }, /^messages: expected a non-empty array/],
      ['an unknown role', withMessages({ role: 'system', content: 'x' }), /messages\.0\.role/],
      ['an assistant message first', withMessages(assistant('x')), /first message must use the "user" role/],
      ['two user messages in a row', withMessages(user('a'), user('b')), /messages\.1: roles must alternate/],
      ['two assistant messages in a row', withMessages(user('a'), assistant('b'), assistant('c')), /messages\.2: roles must alternate/],
      ['an empty content array', withMessages(user([])), /non-empty content/],
      ['an empty content string', withMessages(user('')), /non-empty content/],
      ['an empty text block', withMessages(user([{ type: 'text', text: '' }])), /messages\.0\.content\.0: text content blocks must be non-empty/],
      ['a block without a type', withMessages(user([{ text: 'x' }])), /content block with a type/],
      ['a tool_use without its result', withMessages(user('hi'), calls, user('x')), /messages\.2: `tool_use` ids were found without `tool_result` blocks immediately after: t1/],
      ['one of two calls unanswered', withMessages(user('hi'), assistant([toolUse('a'), toolUse('b')]), user([result('a')])), /without `tool_result`.*: b\./],
      ['a trailing tool_use', withMessages(user('hi'), calls), /ends with `tool_use` blocks that have no `tool_result`: t1/],
      ['a tool_result with no tool_use before it', withMessages(user([result('t9')])), /unexpected `tool_use_id`.*t9/],
      ['a tool_result for an older tool_use', withMessages(user('hi'), calls, user([result('t1')]), assistant('ok'), user([result('t1')])), /messages\.4: unexpected `tool_use_id`/],
      ['a duplicate tool_result', withMessages(user('hi'), calls, user([result('t1'), result('t1')])), /duplicate tool_result for tool_use id t1/],
      ['text before a tool_result', withMessages(user('hi'), calls, user([{ type: 'text', text: 'x' }, result('t1')])), /must come before any other content/],
      ['a tool_result in an assistant message', withMessages(user('hi'), assistant([result('t1')])), /only allowed in user messages/],
      ['a tool_use in a user message', withMessages(user([toolUse('t1')])), /only allowed in assistant messages/],
      ['a tool_use without an input object', withMessages(user('hi'), assistant([{ type: 'tool_use', id: 't1', name: 'x' }])), /input/],
      ['a tool_result without tool_use_id', withMessages(user('hi'), calls, user([{ type: 'tool_result', content: 'x' }])), /tool_use_id: Field required/],
      ['tool_result content of the wrong type', withMessages(user('hi'), calls, user([result('t1', { content: 42 })])), /content: expected a string or an array/],
      ['a tool_use inside tool_result content', withMessages(user('hi'), calls, user([result('t1', { content: [toolUse('t2')] })])), /must be text or image blocks/],
      ['an empty text inside a tool_result', withMessages(user('hi'), calls, user([result('t1', { content: [{ type: 'text', text: '' }] })])), /content\.0\.content\.0: text content blocks must be non-empty/],
      ['an assistant prefill ending in whitespace', withMessages(user('hi'), assistant('Sure ')), /trailing whitespace/],
      ['tools that are not an array', { ...withMessages(user('hi')), tools: {} }, /^tools: expected an array/],
      ['a tool name with a space', { ...withMessages(user('hi')), tools: [tool('a b')] }, /tools\.0\.name: String should match pattern/],
      ['a tool name of 65 characters', { ...withMessages(user('hi')), tools: [tool('a'.repeat(65))] }, /tools\.0\.name/],
      ['duplicate tool names', { ...withMessages(user('hi')), tools: [tool('a'), tool('a')] }, /Tool names must be unique/],
      ['an input schema of type string', { ...withMessages(user('hi')), tools: [tool('a', { type: 'string' })] }, /tools\.0\.input_schema/],
      ['a tool without an input schema', { ...withMessages(user('hi')), tools: [{ name: 'a' }] }, /tools\.0\.input_schema/],
    ];
    for (const [name, body, expected] of invalid) {
      it(`refuses ${name}`, () => expect(checkMessagesRequest(body)).to.be.a('string').that.matches(expected));
    }
  });
});

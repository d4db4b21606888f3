import Anthropic from '@anthropic-ai/sdk';
import { expect } from 'chai';
import {
  checkMessagesRequest,
  dropConnection,
  errorReply,
  type FakeAnthropicServer,
  hang,
  malformedJson,
  startFakeAnthropic,
  streamDrop,
  streamError,
  textReply,
  toolUseReply,
} from '../../lib/testing/index.js';

const user = (text: string) => ({ role: 'user' as const, content: text });

describe('fake Anthropic server', () => {
  let server: FakeAnthropicServer;
  let client: Anthropic;
  beforeEach(async () => {
    server = await startFakeAnthropic();
    client = new Anthropic({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0 });
  });
  afterEach(async () => server.close());

  const ask = (options: { maxRetries?: number; signal?: AbortSignal } = {}) =>
    client.messages.create({ model: 'claude-test', max_tokens: 100, messages: [user('hi')] }, options);

  it('answers a scripted text reply with a request id, and records the request', async () => {
    server.enqueue(textReply('Hello!', { usage: { input_tokens: 7 } }));
    const message = await ask();
    expect(message.content).to.deep.equal([{ type: 'text', text: 'Hello!' }]);
    expect(message).to.include({ model: 'claude-test', stop_reason: 'end_turn' });
    expect(message.usage).to.include({ input_tokens: 7, output_tokens: 5 });
    expect(message._request_id).to.match(/^req_fake_\d+$/);
    expect(server.requests).to.have.length(1);
    const headers = server.requests[0]!.headers;
    expect(headers['x-api-key'] ?? headers['authorization']).to.match(/sk-test$/);
    expect(server.requests[0]!.body).to.deep.include({ model: 'claude-test', max_tokens: 100 });
  });

  it('answers tool_use replies with ids', async () => {
    server.enqueue(toolUseReply([{ name: 'calc', input: { x: 1 } }], { text: 'Calling.' }));
    const message = await ask();
    expect(message.stop_reason).to.equal('tool_use');
    expect(message.content[0]).to.deep.equal({ type: 'text', text: 'Calling.' });
    expect(message.content[1]).to.deep.include({ type: 'tool_use', name: 'calc', input: { x: 1 } });
  });

  it('sends API errors that the SDK turns into its own classes', async () => {
    server.enqueue(errorReply(429, { message: 'slow down' }));
    const error = (await ask().catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(error).to.be.instanceOf(Anthropic.RateLimitError);
    expect(error.status).to.equal(429);
    expect(error.requestID).to.match(/^req_fake_/);
    expect(error.message).to.include('slow down');
  });

  it('lets the SDK retry after retry-after', async () => {
    server.enqueue(errorReply(529, { retryAfter: 0 }), textReply('second time lucky'));
    const message = await ask({ maxRetries: 1 });
    expect(message.content).to.deep.equal([{ type: 'text', text: 'second time lucky' }]);
    expect(server.requests).to.have.length(2);
  });

  it('drops connections, sends malformed JSON, and hangs until aborted', async () => {
    server.enqueue(dropConnection(), malformedJson(), hang());
    expect(await ask().catch((e: unknown) => e)).to.be.instanceOf(Anthropic.APIConnectionError);
    expect(await ask().catch((e: unknown) => e)).to.be.instanceOf(Error);
    const controller = new AbortController();
    const pending = ask({ signal: controller.signal });
    while (server.requests.length < 3) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect(await pending.catch((e: unknown) => e)).to.be.instanceOf(Anthropic.APIUserAbortError);
  });

  it('streams a reply as the API does: deltas concatenate to the final message', async () => {
    server.enqueue(textReply('one two three four'));
    const stream = client.messages.stream({ model: 'claude-test', max_tokens: 100, messages: [user('hi')] });
    const deltas: string[] = [];
    stream.on('text', (delta) => deltas.push(delta));
    const message = await stream.finalMessage();
    expect(deltas).to.have.length(4);
    expect(deltas.join('')).to.equal('one two three four');
    expect(message.content).to.have.length(1);
    expect(message.content[0]).to.deep.include({ type: 'text', text: 'one two three four' });
    expect(message.usage.output_tokens).to.equal(5);
  });

  it('streams tool_use input as JSON deltas the SDK parses', async () => {
    server.enqueue(toolUseReply([{ name: 'calc', input: { expression: '1+2', precision: 2 } }]));
    const message = await client.messages.stream({ model: 'claude-test', max_tokens: 100, messages: [user('hi')] }).finalMessage();
    expect(message.content[0]).to.deep.include({ type: 'tool_use', name: 'calc', input: { expression: '1+2', precision: 2 } });
    expect(message.stop_reason).to.equal('tool_use');
  });

  it('injects an SSE error event and a dropped connection midway through a stream', async () => {
    server.enqueue(streamError(textReply('a b c d e f'), { afterEvents: 3 }), streamDrop(textReply('a b c d e f'), { afterEvents: 3 }));
    const first = await client.messages.stream({ model: 'claude-test', max_tokens: 100, messages: [user('hi')] }).finalMessage().catch((e: unknown) => e);
    expect(first).to.be.instanceOf(Anthropic.APIError);
    expect(String((first as Error).message)).to.include('overloaded_error');
    const second = await client.messages.stream({ model: 'claude-test', max_tokens: 100, messages: [user('hi')] }).finalMessage().catch((e: unknown) => e);
    expect(second).to.be.instanceOf(Error);
  });

  it('answers 400 to a tool_use without its tool_result, without using the queued reply', async () => {
    server.enqueue(textReply('unused'));
    const error = (await client.messages
      .create({
        model: 'claude-test',
        max_tokens: 100,
        messages: [
          user('hi'),
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'calc', input: {} }] },
          user('no result'),
        ],
      })
      .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(error).to.be.instanceOf(Anthropic.BadRequestError);
    expect(error.message).to.include('toolu_1');
    expect(server.pending()).to.equal(1);
  });

  it('answers 401 without an API key, and 500 naming the request when nothing is queued', async () => {
    const noKey = await fetch(`${server.url}/v1/messages`, { method: 'POST', body: JSON.stringify({ model: 'm', max_tokens: 1, messages: [user('x')] }) });
    expect(noKey.status).to.equal(401);
    expect(((await noKey.json()) as { error: { type: string } }).error.type).to.equal('authentication_error');
    const error = (await ask().catch((e: unknown) => e)) as Error;
    expect(error.message).to.include('no reply queued for request 2');
  });

  it('uses the responder when the queue is empty', async () => {
    server.respondWith((request) => textReply(`you sent ${(request.body as { messages: unknown[] }).messages.length} message(s)`));
    const message = await ask();
    expect(message.content[0]).to.deep.include({ text: 'you sent 1 message(s)' });
  });
});

describe('checkMessagesRequest', () => {
  const base = { model: 'm', max_tokens: 10 };
  const toolUse = { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'x', input: {} }] };
  const result = (id: string) => ({ type: 'tool_result', tool_use_id: id, content: 'ok' });
  const cases: Array<[string, unknown, RegExp | undefined]> = [
    ['a valid request', { ...base, messages: [user('hi')] }, undefined],
    ['a tool round trip', { ...base, messages: [user('hi'), toolUse, { role: 'user', content: [result('t1')] }] }, undefined],
    ['assistant prefill', { ...base, messages: [user('hi'), { role: 'assistant', content: 'Sure' }] }, undefined],
    ['no model', { max_tokens: 1, messages: [user('hi')] }, /model/],
    ['bad max_tokens', { model: 'm', max_tokens: 0, messages: [user('hi')] }, /max_tokens/],
    ['no messages', { ...base, messages: [] }, /messages/],
    ['assistant first', { ...base, messages: [{ role: 'assistant', content: 'x' }] }, /first message/],
    ['roles not alternating', { ...base, messages: [user('a'), user('b')] }, /alternate/],
    ['empty content', { ...base, messages: [{ role: 'user', content: [] }] }, /non-empty content/],
    ['an empty text block', { ...base, messages: [{ role: 'user', content: [{ type: 'text', text: '' }] }] }, /text content blocks must be non-empty/],
    ['a tool_use without its result', { ...base, messages: [user('hi'), toolUse, user('x')] }, /without `tool_result`.*t1/],
    ['a trailing tool_use', { ...base, messages: [user('hi'), toolUse] }, /no `tool_result`: t1/],
    ['a stray tool_result', { ...base, messages: [{ role: 'user', content: [result('t9')] }] }, /unexpected `tool_use_id`.*t9/],
    ['a duplicate tool_result', { ...base, messages: [user('hi'), toolUse, { role: 'user', content: [result('t1'), result('t1')] }] }, /duplicate tool_result/],
    ['text before tool_result', { ...base, messages: [user('hi'), toolUse, { role: 'user', content: [{ type: 'text', text: 'x' }, result('t1')] }] }, /must come before/],
    ['an empty text inside a tool_result', { ...base, messages: [user('hi'), toolUse, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: '' }] }] }] }, /non-empty/],
    ['a bad tool name', { ...base, messages: [user('hi')], tools: [{ name: 'a b', input_schema: { type: 'object' } }] }, /pattern/],
    ['duplicate tool names', { ...base, messages: [user('hi')], tools: [{ name: 'a', input_schema: { type: 'object' } }, { name: 'a', input_schema: { type: 'object' } }] }, /unique/],
    ['a non-object input schema', { ...base, messages: [user('hi')], tools: [{ name: 'a', input_schema: { type: 'string' } }] }, /input_schema/],
  ];
  for (const [name, body, expected] of cases) {
    it(expected ? `refuses ${name}` : `accepts ${name}`, () => {
      const problem = checkMessagesRequest(body);
      if (expected) expect(problem).to.match(expected);
      else expect(problem).to.equal(undefined);
    });
  }
});

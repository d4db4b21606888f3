import Anthropic from '@anthropic-ai/sdk';
import { expect } from 'chai';
import {
  delayed,
  dropConnection,
  errorReply,
  type FakeAnthropicServer,
  hang,
  malformedJson,
  messageReply,
  startFakeAnthropic,
  textReply,
  toolUseReply,
} from '../../lib/testing/index.js';
import { clientOf, post, rejectionOf, request, signalled, user } from './support.js';

type ApiError = InstanceType<typeof Anthropic.APIError>;

describe('startFakeAnthropic', () => {
  let server: FakeAnthropicServer;
  let client: Anthropic;
  beforeEach(async () => {
    server = await startFakeAnthropic();
    client = clientOf(server);
  });
  afterEach(() => server.close());

  describe('when a message reply is queued', () => {
    it('answers with a full message object, a request id, and records the request', async () => {
      server.enqueue(textReply('Hello!', { usage: { input_tokens: 7 } }));
      const message = await client.messages.create(request('hi'));
      const { _request_id: requestId, ...body } = message;
      expect(body).to.deep.equal({
        id: 'msg_fake_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-test',
        content: [{ type: 'text', text: 'Hello!' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        stop_details: null,
        usage: { input_tokens: 7, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      });
      expect(requestId).to.equal('req_fake_1');
      expect(server.requests).to.have.length(1);
      const [recorded] = server.requests;
      expect(recorded).to.deep.include({ method: 'POST', path: '/v1/messages' });
      // SDK 1.x sends the key as a bearer token; older versions sent x-api-key.
      expect(recorded!.headers['x-api-key'] ?? recorded!.headers['authorization']).to.match(/^(Bearer )?sk-test$/);
      expect(recorded!.body).to.deep.equal(request('hi'));
      expect(server.pending()).to.equal(0);
    });

    it('numbers request and message ids, and keeps an id, model and stop reason it is given', async () => {
      server.enqueue(textReply('one'), textReply('two', { id: 'msg_mine', model: 'claude-other', stopReason: 'max_tokens' }));
      const first = await client.messages.create(request());
      const second = await client.messages.create(request());
      expect(second._request_id).to.equal('req_fake_2');
      expect(first.id).to.equal('msg_fake_1');
      expect(second).to.include({ id: 'msg_mine', model: 'claude-other', stop_reason: 'max_tokens' });
    });

    it('sends an empty text as one empty text block', async () => {
      server.enqueue(textReply(''));
      const message = await client.messages.create(request());
      expect(message.content).to.deep.equal([{ type: 'text', text: '' }]);
    });

    it('sends tool calls after the optional text, with generated ids', async () => {
      server.enqueue(toolUseReply([{ name: 'calc', input: { x: 1 } }, { name: 'echo', input: {}, id: 'toolu_mine' }], { text: 'Calling.' }));
      const message = await client.messages.create(request());
      expect(message.stop_reason).to.equal('tool_use');
      expect(message.content).to.have.length(3);
      expect(message.content[0]).to.deep.equal({ type: 'text', text: 'Calling.' });
      expect(message.content[1]).to.deep.include({ type: 'tool_use', name: 'calc', input: { x: 1 } });
      expect((message.content[1] as Anthropic.ToolUseBlock).id).to.match(/^toolu_fake_\d+$/);
      expect(message.content[2]).to.deep.equal({ type: 'tool_use', id: 'toolu_mine', name: 'echo', input: {} });
    });

    it('sends any message shape, merging a partial usage over the defaults', async () => {
      server.enqueue(messageReply({ content: [{ type: 'text', text: 'cut' }], stop_reason: 'refusal', usage: { cache_read_input_tokens: 3 } }));
      const message = await client.messages.create(request());
      expect(message.stop_reason).to.equal('refusal');
      expect(message.usage).to.deep.equal({ input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 3 });
    });
  });

  describe('when the queue is empty', () => {
    it('asks the responder', async () => {
      server.respondWith((recorded) => textReply(`you sent ${(recorded.body as { messages: unknown[] }).messages.length} message(s)`));
      const message = await client.messages.create(request());
      expect(message.content).to.deep.equal([{ type: 'text', text: 'you sent 1 message(s)' }]);
    });

    it('prefers queued replies to the responder', async () => {
      server.respondWith(() => textReply('from the responder'));
      server.enqueue(textReply('queued'));
      expect((await client.messages.create(request())).content[0]).to.deep.include({ text: 'queued' });
      expect((await client.messages.create(request())).content[0]).to.deep.include({ text: 'from the responder' });
    });

    it('answers 500 naming the request, and tells the SDK not to retry', async () => {
      server.enqueue(textReply('first'));
      await client.messages.create(request());
      const error = (await rejectionOf(clientOf(server, 2).messages.create(request()))) as ApiError;
      expect(error).to.be.instanceOf(Anthropic.InternalServerError);
      expect(error.message).to.include('fake Anthropic server: no reply queued for request 2');
      expect(error.headers?.get('x-should-retry')).to.equal('false');
      expect(server.requests).to.have.length(2);
    });

    it('answers 500 with the message of a responder that throws', async () => {
      server.respondWith(() => {
        throw new Error('responder bug');
      });
      const error = (await rejectionOf(client.messages.create(request()))) as ApiError;
      expect(error.status).to.equal(500);
      expect(error.message).to.include('responder bug');
    });
  });

  describe('when an error reply is queued', () => {
    for (const [status, errorClass, type] of [
      [400, Anthropic.BadRequestError, 'invalid_request_error'],
      [401, Anthropic.AuthenticationError, 'authentication_error'],
      [429, Anthropic.RateLimitError, 'rate_limit_error'],
      [500, Anthropic.InternalServerError, 'api_error'],
      [529, Anthropic.InternalServerError, 'overloaded_error'],
    ] as const) {
      it(`${status} becomes the SDK's ${errorClass.name} with the status, type and request id`, async () => {
        server.enqueue(errorReply(status, { message: 'scripted failure' }));
        const error = (await rejectionOf(client.messages.create(request()))) as ApiError;
        expect(error).to.be.instanceOf(errorClass);
        expect(error.status).to.equal(status);
        expect(error.requestID).to.equal('req_fake_1');
        expect(error.error).to.deep.equal({ type: 'error', error: { type, message: 'scripted failure' }, request_id: 'req_fake_1' });
      });
    }

    it('sends retry-after, retry-after-ms and extra headers', async () => {
      server.enqueue(errorReply(429, { retryAfter: 3, retryAfterMs: 2500, headers: { 'x-should-retry': 'true' }, type: 'custom_error' }));
      const response = await post(server, request(), { 'x-api-key': 'k' });
      expect(response.status).to.equal(429);
      expect(response.headers.get('retry-after')).to.equal('3');
      expect(response.headers.get('retry-after-ms')).to.equal('2500');
      expect(response.headers.get('x-should-retry')).to.equal('true');
      expect(((await response.json()) as { error: { type: string } }).error.type).to.equal('custom_error');
    });

    it('lets the SDK retry after retry-after', async () => {
      server.enqueue(errorReply(529, { retryAfter: 0 }), textReply('second time lucky'));
      const message = await clientOf(server, 1).messages.create(request());
      expect(message.content).to.deep.equal([{ type: 'text', text: 'second time lucky' }]);
      expect(message._request_id).to.equal('req_fake_2');
      expect(server.requests).to.have.length(2);
    });

    it('lets the SDK retry after retry-after-ms (1 ms keeps tests off its 375 ms backoff)', async () => {
      server.enqueue(errorReply(429, { retryAfterMs: 1 }), textReply('soon'));
      const message = await clientOf(server, 1).messages.create(request());
      expect(message.content[0]).to.deep.include({ text: 'soon' });
      expect(server.requests).to.have.length(2);
    });
  });

  describe('when a fault is queued', () => {
    it('a dropped connection is an APIConnectionError', async () => {
      server.enqueue(dropConnection());
      expect(await rejectionOf(client.messages.create(request()))).to.be.instanceOf(Anthropic.APIConnectionError);
      expect(server.requests).to.have.length(1);
    });

    it('a malformed body fails the call', async () => {
      server.enqueue(malformedJson());
      const error = await rejectionOf(client.messages.create(request()));
      expect(error).to.be.instanceOf(Error);
      expect(String(error)).to.match(/JSON/i);
    });

    it('a hang lasts until the client aborts', async () => {
      const arrived = signalled();
      server.respondWith(() => {
        arrived.resolve();
        return hang();
      });
      const controller = new AbortController();
      const pending = client.messages.create(request(), { signal: controller.signal });
      await arrived.promise;
      controller.abort();
      expect(await rejectionOf(pending)).to.be.instanceOf(Anthropic.APIUserAbortError);
    });

    it('a hang ends when the server closes', async () => {
      const arrived = signalled();
      server.respondWith(() => {
        arrived.resolve();
        return hang();
      });
      const pending = client.messages.create(request());
      await arrived.promise;
      await server.close();
      expect(await rejectionOf(pending)).to.be.instanceOf(Anthropic.APIConnectionError);
    });

    it('a delayed reply is held back: a later request overtakes it', async () => {
      const arrived = signalled();
      server.respondWith(() => {
        if (server.requests.length > 1) return textReply('early');
        arrived.resolve();
        return delayed(textReply('late'), 200);
      });
      const first = client.messages.create(request()).then((m) => m.content[0]);
      await arrived.promise;
      const second = client.messages.create(request()).then((m) => m.content[0]);
      expect(await Promise.race([first, second])).to.deep.include({ text: 'early' });
      expect(await first).to.deep.include({ text: 'late' });
    });

    it('closing the server cancels a delayed reply at once', async () => {
      const arrived = signalled();
      server.respondWith(() => {
        arrived.resolve();
        return delayed(textReply('never'), 60_000);
      });
      const pending = client.messages.create(request());
      await arrived.promise;
      await server.close();
      expect(await rejectionOf(pending)).to.be.instanceOf(Anthropic.APIConnectionError);
    });
  });

  describe('when the request is invalid', () => {
    it('answers 400 with the problem, records the request and keeps the queued reply', async () => {
      server.enqueue(textReply('unused'));
      const error = (await rejectionOf(
        client.messages.create({
          model: 'claude-test',
          max_tokens: 100,
          messages: [user('hi'), { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'calc', input: {} }] }, user('no result')],
        }),
      )) as ApiError;
      expect(error).to.be.instanceOf(Anthropic.BadRequestError);
      expect(error.message).to.include('toolu_1').and.include('tool_result');
      expect(error.requestID).to.equal('req_fake_1');
      expect(server.requests).to.have.length(1);
      expect(server.pending()).to.equal(1);
    });

    it('answers 400 to a body that is not JSON', async () => {
      const response = await post(server, '{not json', { 'x-api-key': 'k' });
      expect(response.status).to.equal(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).to.include('not valid JSON');
    });

    it('answers 401 without an API key, before checking the body', async () => {
      server.enqueue(textReply('unused'));
      const response = await post(server, { model: 'm' });
      expect(response.status).to.equal(401);
      expect(response.headers.get('request-id')).to.equal('req_fake_1');
      expect(await response.json()).to.deep.equal({
        type: 'error',
        error: { type: 'authentication_error', message: 'x-api-key header is required' },
        request_id: 'req_fake_1',
      });
      expect(server.pending()).to.equal(1);
    });

    it('accepts a bearer token instead of an API key', async () => {
      server.enqueue(textReply('ok'));
      const response = await post(server, request(), { authorization: 'Bearer token-1' });
      expect(response.status).to.equal(200);
    });

    it('answers 404 to other routes', async () => {
      const response = await post(server, request(), { 'x-api-key': 'k' }, '/v1/messages/count_tokens');
      expect(response.status).to.equal(404);
      expect(((await response.json()) as { error: { type: string } }).error.type).to.equal('not_found_error');
      expect(response.headers.get('request-id')).to.equal('req_fake_1');
      expect(server.requests).to.have.length(0);
    });
  });
});

describe('startFakeAnthropic options', () => {
  let server: FakeAnthropicServer | undefined;
  afterEach(() => server?.close());

  it('requireApiKey: false accepts requests without a key', async () => {
    server = await startFakeAnthropic({ requireApiKey: false, responder: () => textReply('open') });
    const response = await post(server, request());
    expect(response.status).to.equal(200);
    expect(((await response.json()) as { content: unknown }).content).to.deep.equal([{ type: 'text', text: 'open' }]);
  });

  it('latencyMs delays every reply: a server without latency answers first', async () => {
    server = await startFakeAnthropic({ latencyMs: 200, responder: () => textReply('slow') });
    const quick = await startFakeAnthropic({ responder: () => textReply('quick') });
    try {
      const slow = clientOf(server).messages.create(request()).then((m) => m.content[0]);
      const fast = clientOf(quick).messages.create(request()).then((m) => m.content[0]);
      expect(await Promise.race([slow, fast])).to.deep.include({ text: 'quick' });
      expect(await slow).to.deep.include({ text: 'slow' });
    } finally {
      await quick.close();
    }
  });

  it('close() can be called twice', async () => {
    server = await startFakeAnthropic();
    await server.close();
    await server.close();
    expect(await rejectionOf(fetch(server.url))).to.be.instanceOf(Error);
  });
});

import OpenAI from 'openai';
import { expect } from 'chai';
import {
  chatReply,
  completionReply,
  delayed,
  dropConnection,
  type FakeOpenAIServer,
  hang,
  malformedJson,
  openAIErrorReply,
  startFakeOpenAI,
  toolCallsReply,
} from '../../lib/testing/index.js';
import { chatRequest, openAIClientOf, postChat, rejectionOf, signalled } from './openai-support.js';

type ApiError = InstanceType<typeof OpenAI.APIError>;

describe('startFakeOpenAI', () => {
  let server: FakeOpenAIServer;
  let client: OpenAI;
  beforeEach(async () => {
    server = await startFakeOpenAI();
    client = openAIClientOf(server);
  });
  afterEach(() => server.close());

  describe('when a completion reply is queued', () => {
    it('answers with a full chat.completion, an x-request-id, and records the request', async () => {
      server.enqueue(chatReply('Hello!', { usage: { prompt_tokens: 7, cached_tokens: 3 } }));
      const completion = await client.chat.completions.create(chatRequest('hi'));
      expect(completion).to.deep.include({ id: 'chatcmpl_fake_1', object: 'chat.completion', model: 'gpt-test' });
      expect(completion.choices).to.deep.equal([
        { index: 0, message: { role: 'assistant', content: 'Hello!', refusal: null, annotations: [] }, finish_reason: 'stop', logprobs: null },
      ]);
      expect(completion.usage).to.deep.include({ prompt_tokens: 7, completion_tokens: 5, total_tokens: 12 });
      expect(completion.usage!.prompt_tokens_details).to.deep.include({ cached_tokens: 3 });
      expect(completion._request_id).to.equal('req_fake_1');
      expect(server.requests).to.have.length(1);
      expect(server.requests[0]).to.deep.include({ method: 'POST', path: '/v1/chat/completions', body: chatRequest('hi') });
      expect(server.requests[0]!.headers['authorization']).to.equal('Bearer sk-test');
      expect(server.pending()).to.equal(0);
    });

    it('numbers completion and tool call ids, and keeps an id, model and finish reason it is given', async () => {
      server.enqueue(chatReply('one'), chatReply('two', { id: 'chatcmpl_mine', model: 'gpt-other', finishReason: 'length' }));
      const first = await client.chat.completions.create(chatRequest());
      const second = await client.chat.completions.create(chatRequest());
      expect(first.id).to.equal('chatcmpl_fake_1');
      expect(second).to.include({ id: 'chatcmpl_mine', model: 'gpt-other' });
      expect(second.choices[0]!.finish_reason).to.equal('length');
      expect(second._request_id).to.equal('req_fake_2');
    });

    it('sends tool calls with JSON arguments, or a raw arguments string as is', async () => {
      server.enqueue(toolCallsReply([{ name: 'calc', arguments: { x: 1 } }, { name: 'echo', arguments: '{"text": "cut', id: 'call_mine' }], { text: 'Calling.' }));
      const completion = await client.chat.completions.create(chatRequest());
      const message = completion.choices[0]!.message;
      expect(completion.choices[0]!.finish_reason).to.equal('tool_calls');
      expect(message.content).to.equal('Calling.');
      expect(message.tool_calls).to.have.length(2);
      expect(message.tool_calls![0]).to.deep.include({ type: 'function', function: { name: 'calc', arguments: '{"x":1}' } });
      expect(message.tool_calls![0]!.id).to.match(/^call_fake_\d+$/);
      expect(message.tool_calls![1]).to.deep.equal({ id: 'call_mine', type: 'function', function: { name: 'echo', arguments: '{"text": "cut' } });
    });

    it('sends any completion shape', async () => {
      server.enqueue(completionReply({ message: { refusal: 'I cannot help with that.' }, finishReason: 'content_filter', usage: { reasoning_tokens: 2 } }));
      const completion = await client.chat.completions.create(chatRequest());
      expect(completion.choices[0]!.message).to.include({ content: null, refusal: 'I cannot help with that.' });
      expect(completion.choices[0]!.finish_reason).to.equal('content_filter');
      expect(completion.usage!.completion_tokens_details).to.deep.include({ reasoning_tokens: 2 });
    });
  });

  describe('when the queue is empty', () => {
    it('asks the responder, after the queue', async () => {
      server.respondWith((recorded) => chatReply(`you sent ${(recorded.body as { messages: unknown[] }).messages.length} message(s)`));
      server.enqueue(chatReply('queued'));
      expect((await client.chat.completions.create(chatRequest())).choices[0]!.message.content).to.equal('queued');
      expect((await client.chat.completions.create(chatRequest())).choices[0]!.message.content).to.equal('you sent 1 message(s)');
    });

    it('answers 500 naming the request, and tells the SDK not to retry', async () => {
      const error = (await rejectionOf(openAIClientOf(server, 2).chat.completions.create(chatRequest()))) as ApiError;
      expect(error).to.be.instanceOf(OpenAI.InternalServerError);
      expect(error.message).to.include('fake OpenAI server: no reply queued for request 1');
      expect(error.headers?.get('x-should-retry')).to.equal('false');
      expect(server.requests).to.have.length(1);
    });
  });

  describe('when an error reply is queued', () => {
    for (const [status, errorClass, type, code] of [
      [400, OpenAI.BadRequestError, 'invalid_request_error', null],
      [401, OpenAI.AuthenticationError, 'invalid_request_error', 'invalid_api_key'],
      [404, OpenAI.NotFoundError, 'invalid_request_error', 'model_not_found'],
      [429, OpenAI.RateLimitError, 'requests', 'rate_limit_exceeded'],
      [500, OpenAI.InternalServerError, 'server_error', null],
    ] as const) {
      it(`${status} becomes the SDK's ${errorClass.name} with OpenAI's type, code and the request id`, async () => {
        server.enqueue(openAIErrorReply(status, { message: 'scripted failure' }));
        const error = (await rejectionOf(client.chat.completions.create(chatRequest()))) as ApiError;
        expect(error).to.be.instanceOf(errorClass);
        expect(error).to.include({ status, type, code, requestID: 'req_fake_1' });
        expect(error.error).to.deep.equal({ message: 'scripted failure', type, param: null, code });
      });
    }

    it('lets the SDK retry a 429 after retry-after-ms, and a 500 after retry-after', async () => {
      server.enqueue(openAIErrorReply(429, { retryAfterMs: 1 }), openAIErrorReply(500, { retryAfter: 0 }), chatReply('third time lucky'));
      const completion = await openAIClientOf(server, 2).chat.completions.create(chatRequest());
      expect(completion.choices[0]!.message.content).to.equal('third time lucky');
      expect(completion._request_id).to.equal('req_fake_3');
      expect(server.requests).to.have.length(3);
    });

    it('sends retry-after and extra headers', async () => {
      server.enqueue(openAIErrorReply(429, { retryAfter: 3, headers: { 'x-should-retry': 'true' } }));
      const response = await postChat(server, chatRequest());
      expect(response.status).to.equal(429);
      expect(response.headers.get('retry-after')).to.equal('3');
      expect(response.headers.get('x-should-retry')).to.equal('true');
      expect(response.headers.get('x-request-id')).to.equal('req_fake_1');
    });
  });

  describe('when a fault is queued', () => {
    it('a dropped connection is an APIConnectionError', async () => {
      server.enqueue(dropConnection());
      expect(await rejectionOf(client.chat.completions.create(chatRequest()))).to.be.instanceOf(OpenAI.APIConnectionError);
    });

    it('a malformed body fails the call', async () => {
      server.enqueue(malformedJson());
      expect(String(await rejectionOf(client.chat.completions.create(chatRequest())))).to.match(/JSON/i);
    });

    it('a hang lasts until the client aborts', async () => {
      const arrived = signalled();
      server.respondWith(() => {
        arrived.resolve();
        return hang();
      });
      const controller = new AbortController();
      const pending = client.chat.completions.create(chatRequest(), { signal: controller.signal });
      await arrived.promise;
      controller.abort();
      expect(await rejectionOf(pending)).to.be.instanceOf(OpenAI.APIUserAbortError);
    });

    it('closing the server cancels a delayed reply at once', async () => {
      const arrived = signalled();
      server.respondWith(() => {
        arrived.resolve();
        return delayed(chatReply('never'), 60_000);
      });
      const pending = client.chat.completions.create(chatRequest());
      await arrived.promise;
      await server.close();
      expect(await rejectionOf(pending)).to.be.instanceOf(OpenAI.APIConnectionError);
    });
  });

  describe('when the request is invalid', () => {
    it('answers 400 with the problem, records the request and keeps the queued reply', async () => {
      server.enqueue(chatReply('unused'));
      const error = (await rejectionOf(
        client.chat.completions.create({
          model: 'gpt-test',
          messages: [
            { role: 'user', content: 'hi' },
            { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'calc', arguments: '{}' } }] },
            { role: 'user', content: 'no result' },
          ],
        }),
      )) as ApiError;
      expect(error).to.be.instanceOf(OpenAI.BadRequestError);
      expect(error.message).to.include("must be followed by tool messages responding to each 'tool_call_id'").and.include('call_1');
      expect(error).to.include({ requestID: 'req_fake_1', type: 'invalid_request_error' });
      expect(server.requests).to.have.length(1);
      expect(server.pending()).to.equal(1);
    });

    it('answers 400 to a body that is not JSON', async () => {
      const response = await postChat(server, '{not json');
      expect(response.status).to.equal(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).to.include('not valid JSON');
    });

    it('answers 401 without Authorization: Bearer, before checking the body (an x-api-key is not enough)', async () => {
      server.enqueue(chatReply('unused'));
      const response = await postChat(server, { model: 'm' }, { 'x-api-key': 'k' });
      expect(response.status).to.equal(401);
      expect(response.headers.get('x-request-id')).to.equal('req_fake_1');
      const body = (await response.json()) as { error: { type: string; message: string } };
      expect(body.error).to.include({ type: 'invalid_request_error' });
      expect(body.error.message).to.include('Authorization header using Bearer auth');
      expect(server.pending()).to.equal(1);
    });

    it('answers 404 to other routes', async () => {
      const response = await postChat(server, chatRequest(), undefined, '/v1/responses');
      expect(response.status).to.equal(404);
      expect(((await response.json()) as { error: { message: string } }).error.message).to.include('no route POST /v1/responses');
      expect(server.requests).to.have.length(0);
    });
  });
});

describe('startFakeOpenAI options', () => {
  let server: FakeOpenAIServer | undefined;
  afterEach(() => server?.close());

  it('requireApiKey: false accepts requests without a key; baseURL ends in /v1', async () => {
    server = await startFakeOpenAI({ requireApiKey: false, responder: () => chatReply('open') });
    expect(server.baseURL).to.equal(`${server.url}/v1`);
    const response = await postChat(server, chatRequest(), {});
    expect(response.status).to.equal(200);
    expect(((await response.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content).to.equal('open');
  });

  it('close() can be called twice', async () => {
    server = await startFakeOpenAI();
    await server.close();
    await server.close();
    expect(await rejectionOf(fetch(server.url))).to.be.instanceOf(Error);
  });
});

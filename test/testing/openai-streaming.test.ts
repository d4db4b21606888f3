import OpenAI from 'openai';
import { expect } from 'chai';
import {
  chatReply,
  type FakeOpenAIServer,
  startFakeOpenAI,
  streamDrop,
  streamError,
  streamHang,
  toolCallsReply,
} from '../../lib/testing/index.js';
import { chatRequest, openAIClientOf, postChat, rejectionOf } from './openai-support.js';

type ApiError = InstanceType<typeof OpenAI.APIError>;

/**
 * A completion as JSON, without what only one of create() and stream() has: `created`, the
 * message's `annotations` (not streamed) and the stream helper's `parsed`.
 */
function shape(completion: OpenAI.ChatCompletion): unknown {
  const { created: _created, choices, ...rest } = JSON.parse(JSON.stringify(completion)) as OpenAI.ChatCompletion;
  const plainChoices = choices.map(({ message, ...choice }) => {
    const { annotations: _annotations, parsed: _parsed, ...fields } = message as typeof message & { parsed?: unknown };
    return { ...choice, message: fields };
  });
  return { ...rest, choices: plainChoices };
}

/** The JSON chunks of a raw SSE body, and whether it ended with [DONE]. */
function chunksOf(body: string): { chunks: Record<string, unknown>[]; done: boolean } {
  const data = [...body.matchAll(/^data: (.*)$/gm)].map((match) => match[1]!);
  const done = data.at(-1) === '[DONE]';
  return { chunks: data.filter((line) => line !== '[DONE]').map((line) => JSON.parse(line) as Record<string, unknown>), done };
}

describe('fake OpenAI server streaming', () => {
  let server: FakeOpenAIServer;
  let client: OpenAI;
  beforeEach(async () => {
    server = await startFakeOpenAI();
    client = openAIClientOf(server);
  });
  afterEach(() => server.close());

  describe('when a completion is streamed', () => {
    it("the SDK's final completion equals the same reply not streamed, and content deltas are its words", async () => {
      const reply = chatReply('one two three', { id: 'chatcmpl_same', usage: { prompt_tokens: 12, completion_tokens: 9, cached_tokens: 4 } });
      server.enqueue(reply, reply);
      const plain = await client.chat.completions.create(chatRequest());
      const stream = client.chat.completions.stream({ ...chatRequest(), stream_options: { include_usage: true } });
      const deltas: string[] = [];
      stream.on('content', (delta) => deltas.push(delta));
      const streamed = await stream.finalChatCompletion();
      expect(deltas).to.deep.equal(['one ', 'two ', 'three']);
      expect(shape(streamed)).to.deep.equal(shape(plain));
      expect(streamed.usage!.prompt_tokens_details).to.deep.include({ cached_tokens: 4 });
      expect(server.requests[1]!.body).to.deep.include({ stream: true, stream_options: { include_usage: true } });
    });

    it('assembles tool call deltas into the calls, arguments and all', async () => {
      server.enqueue(toolCallsReply([{ name: 'calc', arguments: { expression: '12*34', precision: 2 }, id: 'call_a' }, { name: 'echo', arguments: '{"cut', id: 'call_b' }]));
      const streamed = await client.chat.completions.stream(chatRequest()).finalChatCompletion();
      expect(streamed.choices[0]!.finish_reason).to.equal('tool_calls');
      expect(streamed.choices[0]!.message.tool_calls).to.deep.equal([
        { id: 'call_a', type: 'function', function: { name: 'calc', arguments: '{"expression":"12*34","precision":2}' } },
        { id: 'call_b', type: 'function', function: { name: 'echo', arguments: '{"cut' } },
      ]);
    });

    it('sends data: chunks and data: [DONE], with the usage chunk only when include_usage asks for it', async () => {
      server.enqueue(chatReply('a b'), chatReply('a b'));
      const plain = await postChat(server, { ...chatRequest(), stream: true });
      expect(plain.headers.get('content-type')).to.match(/^text\/event-stream/);
      expect(plain.headers.get('x-request-id')).to.equal('req_fake_1');
      const without = chunksOf(await plain.text());
      expect(without.done).to.equal(true);
      expect(without.chunks.map((chunk) => chunk['object'])).to.deep.equal(Array(4).fill('chat.completion.chunk'));
      expect(without.chunks.some((chunk) => 'usage' in chunk)).to.equal(false);
      expect((without.chunks.at(-1)!['choices'] as { finish_reason: string }[])[0]!.finish_reason).to.equal('stop');

      const withUsage = chunksOf(await (await postChat(server, { ...chatRequest(), stream: true, stream_options: { include_usage: true } })).text());
      const last = withUsage.chunks.at(-1)!;
      expect(last['choices']).to.deep.equal([]);
      expect(last['usage']).to.deep.include({ prompt_tokens: 10, completion_tokens: 5 });
      expect(withUsage.chunks.slice(0, -1).every((chunk) => chunk['usage'] === null)).to.equal(true);
    });

    it('refuses stream_options without stream, as the API does', async () => {
      server.enqueue(chatReply('unused'));
      const error = (await rejectionOf(client.chat.completions.create({ ...chatRequest(), stream_options: { include_usage: true } }))) as ApiError;
      expect(error).to.be.instanceOf(OpenAI.BadRequestError);
      expect(error.message).to.include("'stream_options' parameter is only allowed when 'stream' is enabled");
    });
  });

  describe('when a stream breaks', () => {
    it('streamError: the first chunks, then an error object the SDK throws as an APIError', async () => {
      server.enqueue(streamError(chatReply('one two three'), { afterEvents: 2, type: 'server_error', message: 'The server had an error while processing your request.' }));
      const stream = client.chat.completions.stream(chatRequest());
      const deltas: string[] = [];
      stream.on('content', (delta) => deltas.push(delta));
      const error = (await rejectionOf(stream.finalChatCompletion())) as ApiError;
      expect(error).to.be.instanceOf(OpenAI.APIError);
      expect(error.message).to.include('The server had an error');
      expect(deltas).to.deep.equal(['one ']);
    });

    it('streamError on a request that does not stream: an HTTP error for the type', async () => {
      server.enqueue(streamError(chatReply('x'), { afterEvents: 2, type: 'server_error' }));
      expect(await rejectionOf(client.chat.completions.create(chatRequest()))).to.be.instanceOf(OpenAI.InternalServerError);
    });

    it('streamDrop: the first chunks, then the connection breaks and the stream fails', async () => {
      server.enqueue(streamDrop(chatReply('one two three'), { afterEvents: 2 }));
      const error = await rejectionOf(client.chat.completions.stream(chatRequest()).finalChatCompletion());
      expect(error).to.be.instanceOf(Error);
    });

    it('streamHang: the first chunks, then silence until the client aborts', async () => {
      server.enqueue(streamHang(chatReply('one two three'), { afterEvents: 2 }));
      const stream = client.chat.completions.stream(chatRequest());
      stream.on('content', () => stream.abort());
      expect(await rejectionOf(stream.finalChatCompletion())).to.be.instanceOf(OpenAI.APIUserAbortError);
    });
  });
});

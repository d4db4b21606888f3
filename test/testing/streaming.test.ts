import Anthropic from '@anthropic-ai/sdk';
import { expect } from 'chai';
import {
  type FakeAnthropicServer,
  messageReply,
  startFakeAnthropic,
  streamDrop,
  streamError,
  streamHang,
  textReply,
  toolUseReply,
} from '../../lib/testing/index.js';
import { clientOf, post, rejectionOf, request } from './support.js';

type ApiError = InstanceType<typeof Anthropic.APIError>;

/** A message as the SDK returns it, without what only one of create() and stream() adds. */
function shape(message: Anthropic.Message): unknown {
  const { _request_id: _id, parsed_output: _parsed, ...rest } = message as Anthropic.Message & { _request_id?: unknown; parsed_output?: unknown };
  return JSON.parse(JSON.stringify(rest));
}

describe('fake Anthropic server streaming', () => {
  let server: FakeAnthropicServer;
  let client: Anthropic;
  beforeEach(async () => {
    server = await startFakeAnthropic();
    client = clientOf(server);
  });
  afterEach(() => server.close());

  describe('when a message reply is streamed', () => {
    it('the final message equals the same reply not streamed, and text deltas are its words', async () => {
      const reply = textReply('one two three four', { id: 'msg_same', usage: { input_tokens: 12, output_tokens: 9 } });
      server.enqueue(reply, reply);
      const plain = await client.messages.create(request());
      const stream = client.messages.stream(request());
      const deltas: string[] = [];
      stream.on('text', (delta) => deltas.push(delta));
      const streamed = await stream.finalMessage();
      expect(shape(streamed)).to.deep.equal(shape(plain));
      expect(deltas).to.deep.equal(['one ', 'two ', 'three ', 'four']);
      expect(streamed.usage).to.include({ input_tokens: 12, output_tokens: 9 });
      expect((server.requests[1]!.body as { stream?: boolean }).stream).to.equal(true);
    });

    it('sends the events the API sends, as text/event-stream with a request id', async () => {
      server.enqueue(textReply('a b'));
      const response = await post(server, { ...request(), stream: true }, { 'x-api-key': 'k' });
      expect(response.headers.get('content-type')).to.match(/^text\/event-stream/);
      expect(response.headers.get('request-id')).to.equal('req_fake_1');
      const names = [...(await response.text()).matchAll(/^event: (\w+)$/gm)].map((match) => match[1]);
      expect(names).to.deep.equal([
        'message_start',
        'ping',
        'content_block_start',
        'content_block_delta',
        'content_block_delta',
        'content_block_stop',
        'message_delta',
        'message_stop',
      ]);
    });

    it('streams tool_use input as JSON pieces that the SDK parses', async () => {
      const input = { expression: '(1 + 2) * 3', precision: 2, nested: { list: [1, 2, 3] } };
      server.enqueue(toolUseReply([{ name: 'calc', input, id: 'toolu_1' }], { text: 'Let me see.' }));
      const events: Anthropic.RawMessageStreamEvent[] = [];
      const stream = client.messages.stream(request());
      stream.on('streamEvent', (event) => events.push(event));
      const message = await stream.finalMessage();
      expect(message.content).to.deep.equal([
        { type: 'text', text: 'Let me see.' },
        { type: 'tool_use', id: 'toolu_1', name: 'calc', input },
      ]);
      expect(message.stop_reason).to.equal('tool_use');
      const pieces = events.filter((event) => event.type === 'content_block_delta' && event.delta.type === 'input_json_delta');
      expect(pieces.length).to.be.greaterThan(2);
    });

    it('streams an empty text and other block types', async () => {
      server.enqueue(
        messageReply({
          content: [
            { type: 'thinking', thinking: 'hmm, let me think', signature: 'sig' },
            { type: 'text', text: '' },
          ],
        }),
      );
      const message = await client.messages.stream(request()).finalMessage();
      expect(message.content).to.deep.equal([
        { type: 'thinking', thinking: 'hmm, let me think', signature: 'sig' },
        { type: 'text', text: '' },
      ]);
    });
  });

  describe('when a stream fault is queued', () => {
    it('streamError sends some text, then an SSE error event the SDK throws as an APIError', async () => {
      server.enqueue(streamError(textReply('a b c d e f'), { afterEvents: 4 }));
      const stream = client.messages.stream(request());
      const deltas: string[] = [];
      stream.on('text', (delta) => deltas.push(delta));
      const error = (await rejectionOf(stream.finalMessage())) as ApiError;
      expect(error).to.be.instanceOf(Anthropic.APIError);
      expect(error.error).to.deep.equal({ type: 'error', error: { type: 'overloaded_error', message: 'fake overloaded_error' } });
      expect(deltas).to.deep.equal(['a ']);
    });

    it('streamError with another type and message', async () => {
      server.enqueue(streamError(textReply('x'), { afterEvents: 0, type: 'api_error', message: 'boom' }));
      const error = (await rejectionOf(client.messages.stream(request()).finalMessage())) as ApiError;
      expect(error.message).to.include('boom');
      expect(error.error).to.deep.include({ error: { type: 'api_error', message: 'boom' } });
    });

    it('streamDrop sends some text, then breaks the connection', async () => {
      server.enqueue(streamDrop(textReply('a b c d e f'), { afterEvents: 5 }));
      const stream = client.messages.stream(request());
      const deltas: string[] = [];
      stream.on('text', (delta) => deltas.push(delta));
      const error = await rejectionOf(stream.finalMessage());
      expect(error).to.be.instanceOf(Error);
      expect(error).not.to.be.instanceOf(Anthropic.APIUserAbortError);
      expect(deltas).to.deep.equal(['a ', 'b ']);
    });

    it('streamHang sends some text and stays silent until the client aborts', async () => {
      server.enqueue(streamHang(textReply('a b c'), { afterEvents: 4 }));
      const stream = client.messages.stream(request());
      const firstText = new Promise<string>((resolve) => stream.once('text', resolve));
      expect(await firstText).to.equal('a ');
      stream.abort();
      expect(await rejectionOf(stream.finalMessage())).to.be.instanceOf(Anthropic.APIUserAbortError);
    });

    it('a request that does not stream gets the error as HTTP 529, or a dropped connection', async () => {
      server.enqueue(streamError(textReply('x'), { afterEvents: 3 }), streamDrop(textReply('x'), { afterEvents: 3 }));
      const error = (await rejectionOf(client.messages.create(request()))) as ApiError;
      expect(error.status).to.equal(529);
      expect(error.error).to.deep.include({ error: { type: 'overloaded_error', message: 'fake overloaded_error' } });
      expect(await rejectionOf(client.messages.create(request()))).to.be.instanceOf(Anthropic.APIConnectionError);
    });
  });
});

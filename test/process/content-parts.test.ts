/**
 * run() with content parts, through the real SDKs to the fake servers (which check image and
 * document blocks as the APIs do): Anthropic, Claude on Vertex and OpenAI Chat Completions each
 * get the parts in their wire format; a part a provider cannot take is refused at run(), naming the
 * provider, with nothing sent and the conversation unchanged (R6).
 */
import { expect } from 'chai';
import { UnsupportedInputError } from '../../lib/input/input-errors.js';
import type { InputPart } from '../../lib/providers/types.js';
import { chatReply, paddedImage, textReply, TINY_PNG, tinyPdf, withoutCaching } from '../../lib/testing/index.js';
import { rejectionOf } from '../support/promises.js';
import { expectValidRequests, setupTest, type TestSetup } from '../support/setup.js';
import { expectValidOpenAIRequests, type OpenAITestSetup, setupOpenAITest } from '../providers/openai/support.js';
import { setupVertex, type VertexSetup } from '../providers/anthropic-vertex/support.js';

const PDF = tinyPdf(2);
const parts: InputPart[] = [
  { type: 'text', text: 'What is in these?' },
  { type: 'image', mediaType: 'image/png', data: TINY_PNG },
  { type: 'image_url', url: 'https://example.com/cat.jpg' },
  { type: 'document', mediaType: 'application/pdf', data: PDF, title: 'Q3 report' },
];

type Blocks = Array<Record<string, unknown>>;

describe('run() with content parts', () => {
  describe('on Anthropic', () => {
    let t: TestSetup;
    afterEach(async () => t?.close());

    it('sends text, a base64 image, an image by URL and a titled PDF as Messages API blocks, in order', async () => {
      t = await setupTest();
      t.server.enqueue(textReply('A pixel, a cat and a report.'));
      const result = await t.process.run(parts);
      expect(result.stopReason).to.equal('end_turn');
      const [message] = (withoutCaching(t.server.requests[0]!.body) as { messages: Array<{ content: Blocks }> }).messages;
      expect(message!.content).to.deep.equal([
        { type: 'text', text: 'What is in these?' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: TINY_PNG } },
        { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
        { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: PDF }, title: 'Q3 report' },
      ]);
      expectValidRequests(t);
    });

    it('takes data as bytes (a Buffer) and keeps the parts, base64, in the conversation', async () => {
      t = await setupTest();
      t.server.enqueue(textReply('ok'));
      await t.process.run([{ type: 'image', mediaType: 'image/png', data: Buffer.from(TINY_PNG, 'base64') }, { type: 'text', text: 'see?' }]);
      expect(t.process.getState()[0]).to.deep.equal({ role: 'user', content: [{ type: 'image', mediaType: 'image/png', data: TINY_PNG }, { type: 'text', text: 'see?' }] });
    });

    it('refuses an image over the API\'s 5 MB of base64 with UnsupportedInputError naming the provider; nothing is sent, the history is unchanged', async () => {
      t = await setupTest();
      t.server.enqueue(textReply('first'), textReply('after'));
      await t.process.run('hello');
      const before = t.process.getState();
      const big = paddedImage('image/png', 5 * 1024 * 1024 + 4);
      const error = await rejectionOf(t.process.run([{ type: 'text', text: 'look' }, { type: 'image', mediaType: 'image/png', data: big }]));
      expect(error).to.be.instanceOf(UnsupportedInputError).and.include({ provider: 'anthropic', index: 1, partType: 'image', model: 'claude-test' });
      expect((error as Error).message).to.match(/^input\[1\]: the anthropic provider cannot take this image part for claude-test: the image is 3\.8 MB \(5\.0 MB of base64\), over the Anthropic API's limit of 5\.0 MB of base64 per image\. Nothing was sent\.$/);
      expect(t.server.requests).to.have.length(1);
      expect(t.process.getState()).to.deep.equal(before);
      expect(t.process.running).to.equal(false);
      await t.process.run('still there?');
      expect(t.process.getLastMessage()).to.equal('after');
      expectValidRequests(t);
    });

    it('refuses PDFs of more than 100 pages in one input', async () => {
      t = await setupTest();
      const error = await rejectionOf(t.process.run([{ type: 'document', mediaType: 'application/pdf', data: tinyPdf(60) }, { type: 'document', mediaType: 'application/pdf', data: tinyPdf(41) }]));
      expect(error).to.be.instanceOf(UnsupportedInputError).and.include({ index: 1, partType: 'document' });
      expect((error as Error).message).to.include('the input\'s PDFs have 101 pages, over the Anthropic API\'s limit of 100 pages per request');
      expect(t.server.requests).to.have.length(0);
    });

    it('streams a run with content parts (process.stream)', async () => {
      t = await setupTest();
      t.server.enqueue(textReply('streamed'));
      const types: string[] = [];
      for await (const event of t.process.stream(parts)) types.push(event.type);
      expect(types).to.include.members(['run:start', 'text', 'result']);
      expect(t.server.requests[0]!.body).to.have.property('stream', true);
      expectValidRequests(t);
    });
  });

  describe('on Claude on Vertex', () => {
    let t: VertexSetup;
    afterEach(async () => t?.close());

    it('sends base64 images and PDFs', async () => {
      t = await setupVertex();
      t.server.enqueue(textReply('seen'));
      await t.process.run(parts.filter((part) => part.type !== 'image_url'));
      expect(t.bodies()[0]!.messages[0]!.content.map((block) => block['type'])).to.deep.equal(['text', 'image', 'document']);
      expect(t.server.requests[0]!.path).to.match(/:rawPredict$/);
    });

    it('refuses an image by URL at run(), naming anthropic_vertex (Vertex answers "URL sources are not supported")', async () => {
      t = await setupVertex();
      const error = await rejectionOf(t.process.run(parts));
      expect(error).to.be.instanceOf(UnsupportedInputError).and.include({ provider: 'anthropic_vertex', index: 2, partType: 'image_url' });
      expect((error as Error).message).to.include('Claude on Vertex AI takes images as base64 data only, not by URL');
      expect(t.server.requests).to.have.length(0);
      expect(t.process.getState()).to.deep.equal([]);
    });
  });

  describe('on OpenAI Chat Completions', () => {
    let t: OpenAITestSetup;
    afterEach(async () => t?.close());

    it('sends images as image_url parts (a data URL, or the URL) and PDFs as file parts with file_data and a file name', async () => {
      t = await setupOpenAITest();
      t.server.enqueue(chatReply('A pixel, a cat and a report.'));
      await t.process.run(parts);
      const user = t.bodies()[0]!.messages.find((message) => message.role === 'user')!;
      expect(user.content).to.deep.equal([
        { type: 'text', text: 'What is in these?' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${TINY_PNG}` } },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
        { type: 'file', file: { file_data: `data:application/pdf;base64,${PDF}`, filename: 'Q3 report.pdf' } },
      ]);
      expectValidOpenAIRequests(t.server);
    });

    it('takes an image over Anthropic\'s limit but within its own 20 MB', async () => {
      t = await setupOpenAITest();
      t.server.enqueue(chatReply('big'));
      await t.process.run([{ type: 'image', mediaType: 'image/png', data: paddedImage('image/png', 6 * 1024 * 1024) }]);
      expect(t.server.requests).to.have.length(1);
      expectValidOpenAIRequests(t.server);
    });

    it('refuses images and PDFs for a model that reads text only, naming the provider; nothing is sent', async () => {
      t = await setupOpenAITest({ model: 'gpt-3.5-turbo' });
      const error = await rejectionOf(t.process.run(parts));
      expect(error).to.be.instanceOf(UnsupportedInputError).and.include({ provider: 'openai', model: 'gpt-3.5-turbo', index: 1, partType: 'image' });
      expect((error as Error).message).to.include('gpt-3.5-turbo reads text only');
      expect(t.server.requests).to.have.length(0);
      expect(t.process.getState()).to.deep.equal([]);
    });
  });
});

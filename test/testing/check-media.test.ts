/**
 * The fake servers check image and document blocks as the APIs do: the real SDKs, sent a block
 * the API would refuse, get a 400 with the API's words; the checks themselves, as pure functions.
 */
import { expect } from 'chai';
import { checkDocumentBlock, checkFilePart, checkImageBlock, checkImageUrl } from '../../lib/testing/check-media.js';
import { checkMessagesRequest, JPEG_START, startFakeAnthropic, startFakeOpenAI, textReply, TINY_PNG, tinyPdf } from '../../lib/testing/index.js';
import { rejectionOf } from '../support/promises.js';

const image = (media_type: string, data: string) => ({ type: 'image', source: { type: 'base64', media_type, data } });
const pdf = (data: string, media_type = 'application/pdf') => ({ type: 'document', source: { type: 'base64', media_type, data } });

describe('the fake servers\' checks on images and documents', () => {
  describe('Messages API blocks', () => {
    it('takes an image whose bytes are of its media type, an http(s) URL source, a PDF, a text document', () => {
      expect(checkImageBlock(image('image/png', TINY_PNG), 'at')).to.equal(undefined);
      expect(checkImageBlock({ type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } }, 'at')).to.equal(undefined);
      expect(checkDocumentBlock(pdf(tinyPdf()), 'user', 'at')).to.equal(undefined);
      expect(checkDocumentBlock({ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'notes' } }, 'user', 'at')).to.equal(undefined);
    });

    for (const [label, block, expected] of [
      ['an SVG', image('image/svg+xml', 'PHN2Zz4='), /media_type: Input should be 'image\/jpeg', 'image\/png', 'image\/gif' or 'image\/webp'/],
      ['a PNG labelled JPEG', image('image/jpeg', TINY_PNG), /specified using the image\/jpeg media type, but it does not appear to be a valid image\/jpeg file \(it looks like image\/png\)/],
      ['data that is not base64', image('image/png', 'not base64!'), /The provided data is not valid base64/],
      ['an ftp URL', { type: 'image', source: { type: 'url', url: 'ftp://example.com/a.png' } }, /source\.url: expected an http\(s\) URL/],
    ] as const) {
      it(`refuses ${label}`, () => expect(checkImageBlock(block, 'at')).to.match(expected));
    }

    it('refuses a document that is not a PDF, a PDF media type on other bytes, and a document outside a user message', () => {
      expect(checkDocumentBlock(pdf(TINY_PNG, 'image/png'), 'user', 'at')).to.match(/media_type: Input should be 'application\/pdf'/);
      expect(checkDocumentBlock(pdf(JPEG_START), 'user', 'at')).to.match(/application\/pdf media type, but it does not appear to be a valid application\/pdf file/);
      expect(checkDocumentBlock(pdf(tinyPdf()), 'assistant', 'at')).to.match(/only allowed in user messages/);
    });

    it('on Vertex, refuses URL sources of images and documents ("URL sources are not supported")', () => {
      const body = (block: object) => ({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [block] }] });
      const url = { type: 'url', url: 'https://example.com/a.pdf' };
      expect(checkMessagesRequest(body({ type: 'image', source: url }), { vertex: true })).to.equal('messages.0.content.0.source: URL sources are not supported');
      expect(checkMessagesRequest(body({ type: 'document', source: url }), { vertex: true })).to.equal('messages.0.content.0.source: URL sources are not supported');
      expect(checkMessagesRequest(body({ type: 'document', source: url }))).to.equal(undefined);
    });
  });

  describe('Chat Completions parts', () => {
    it('takes an http(s) URL and an image data URL whose bytes are of its type; refuses others', () => {
      expect(checkImageUrl('https://example.com/a.png', 'at')).to.equal(undefined);
      expect(checkImageUrl(`data:image/png;base64,${TINY_PNG}`, 'at')).to.equal(undefined);
      expect(checkImageUrl(`data:image/jpeg;base64,${TINY_PNG}`, 'at')).to.match(/You uploaded an unsupported image/);
      expect(checkImageUrl('data:image/svg+xml;base64,PHN2Zz4=', 'at')).to.match(/You uploaded an unsupported image/);
    });

    it('takes a PDF file part with file_data and a file name; refuses one without a name or with other data', () => {
      const data = `data:application/pdf;base64,${tinyPdf()}`;
      expect(checkFilePart({ type: 'file', file: { file_data: data, filename: 'a.pdf' } }, 'at')).to.equal(undefined);
      expect(checkFilePart({ type: 'file', file: { file_data: data } }, 'at')).to.equal("Missing required parameter: 'at.file.filename'.");
      expect(checkFilePart({ type: 'file', file: { file_data: tinyPdf(), filename: 'a.pdf' } }, 'at')).to.match(/expected a base64 data URL of a PDF/);
      expect(checkFilePart({ type: 'file', file: { file_data: `data:application/pdf;base64,${TINY_PNG}`, filename: 'a.pdf' } }, 'at')).to.match(/Expected a valid PDF file/);
    });
  });

  describe('through the real SDKs', () => {
    it('the fake Anthropic server answers 400 (invalid_request_error) to an SVG image', async () => {
      const server = await startFakeAnthropic();
      try {
        const { default: Anthropic } = await import('@anthropic-ai/sdk');
        server.enqueue(textReply('never sent'));
        const client = new Anthropic({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0 });
        const error = await rejectionOf(
          client.messages.create({ model: 'claude-test', max_tokens: 10, messages: [{ role: 'user', content: [image('image/svg+xml', 'PHN2Zz4=') as never] }] }),
        );
        expect(error).to.be.instanceOf(Anthropic.BadRequestError).with.property('status', 400);
        expect((error as Error).message).to.include("media_type: Input should be 'image/jpeg'");
        expect(server.pending()).to.equal(1);
      } finally {
        await server.close();
      }
    });

    it('the fake OpenAI server answers 400 to a file part without a file name', async () => {
      const server = await startFakeOpenAI();
      try {
        const { default: OpenAI } = await import('openai');
        const client = new OpenAI({ apiKey: 'test-key', baseURL: server.baseURL, maxRetries: 0 });
        const error = await rejectionOf(
          client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'file', file: { file_data: `data:application/pdf;base64,${tinyPdf()}` } }] }] }),
        );
        expect(error).to.be.instanceOf(OpenAI.BadRequestError).with.property('status', 400);
        expect((error as Error).message).to.include("Missing required parameter: 'messages[0].content[0].file.filename'.");
      } finally {
        await server.close();
      }
    });
  });
});

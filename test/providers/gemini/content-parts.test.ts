/**
 * run() with content parts on Gemini, through the real @google/genai SDK to the fake Gemini
 * server: images and PDFs go as inline data, in order; an image by URL (which Gemini does not
 * fetch) and an image type it does not read are refused at run(), nothing sent, the history as it was.
 */
import { expect } from 'chai';
import { UnsupportedInputError } from '../../../lib/input/input-errors.js';
import { geminiTextReply, TINY_PNG, tinyPdf } from '../../../lib/testing/index.js';
import { rejectionOf } from '../../support/promises.js';
import { expectValidGeminiRequests, type GeminiTestSetup, setupGeminiTest } from './support.js';

describe('Gemini: run() with content parts', () => {
  let t: GeminiTestSetup | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('sends text, a base64 image and a titled PDF as parts of one user turn, in order', async () => {
    t = await setupGeminiTest();
    t.server.enqueue(geminiTextReply('A pixel and a report.'));
    const pdf = tinyPdf(2);
    const result = await t.process.run([
      { type: 'text', text: 'What is in these?' },
      { type: 'image', mediaType: 'image/png', data: TINY_PNG },
      { type: 'document', mediaType: 'application/pdf', data: pdf, title: 'Q3 report' },
    ]);
    expect(result.stopReason).to.equal('end_turn');
    expect(t.bodies()[0]!.contents).to.deep.equal([
      {
        role: 'user',
        parts: [
          { text: 'What is in these?' },
          { inlineData: { mimeType: 'image/png', data: TINY_PNG } },
          { inlineData: { mimeType: 'application/pdf', data: pdf, displayName: 'Q3 report' } },
        ],
      },
    ]);
    expectValidGeminiRequests(t.server);
  });

  for (const [what, part, reason] of [
    ['an image by URL', { type: 'image_url', url: 'https://example.com/cat.jpg' }, 'does not fetch images by URL'],
    ['a GIF (Gemini reads png, jpeg, webp, heic, heif)', { type: 'image', mediaType: 'image/gif', data: 'R0lGODlhAQABAAAAACw=' }, 'not image/gif'],
  ] as const) {
    it(`refuses ${what} with UnsupportedInputError naming gemini and the part; nothing is sent, the history is unchanged`, async () => {
      t = await setupGeminiTest();
      const error = await rejectionOf(t.process.run([{ type: 'text', text: 'look' }, part]));
      expect(error).to.be.instanceOf(UnsupportedInputError).and.include({ provider: 'gemini', index: 1 });
      expect((error as Error).message).to.include(reason);
      expect(t.server.requests).to.have.length(0);
      expect(t.process.getState()).to.deep.equal([]);
    });
  }
});

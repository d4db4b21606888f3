/** The image-input example (README "Images and documents in prompts"), run as users run it: offline, and on the real SDK against the fake server. */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { startFakeAnthropic, textReply, withoutCaching } from '../../lib/testing/index.js';
import { SENTINEL_API_KEY } from '../support/setup.js';
import { runExample } from './support.js';

describe('the image-input example', function () {
  this.timeout(60_000);

  it('offline, the scripted model says what it received, and the SVG is refused naming the part', async () => {
    const { stdout } = await runExample('image-input.ts', {});
    expect(stdout).to.include('Answer: [offline scripted model] I received an image (image/png, 64×48 px, 6.2 KB), a PDF ("report", 2 pages, 354 bytes)');
    expect(stdout).to.include('Refused: input[1].mediaType: expected one of image/jpeg, image/png, image/gif, image/webp, received "image/svg+xml"');
    expect(stdout).to.include('The conversation still has 2 messages.');
  });

  it('against the API, sends the image and the PDF as blocks the API takes, and nothing for the refused part', async () => {
    const server = await startFakeAnthropic();
    try {
      server.enqueue(textReply('A gradient and an empty report.'));
      const { stdout } = await runExample('image-input.ts', { ANTHROPIC_API_KEY: SENTINEL_API_KEY, ANTHROPIC_BASE_URL: server.url });
      expect(stdout).to.include('Answer: A gradient and an empty report.');
      expect(server.requests).to.have.length(1);
      const [message] = (withoutCaching(server.requests[0]!.body) as { messages: Array<{ content: unknown[] }> }).messages;
      expect(message!.content).to.deep.equal([
        { type: 'text', text: 'What do this image and this report show?' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: readFileSync('examples/media/gradient.png').toString('base64') } },
        { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: readFileSync('examples/media/report.pdf').toString('base64') }, title: 'report' },
      ]);
    } finally {
      await server.close();
    }
  });
});

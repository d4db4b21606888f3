/** The offline scripted model says what images and documents it received, on both wire formats. */
import { expect } from 'chai';
import { scriptedAnswer, TINY_GIF, TINY_PNG, tinyPdf, toScriptedRequest } from '../../lib/testing/index.js';

describe('the scripted model and media', () => {
  it('describes images (type, pixel size, bytes), images by URL and PDFs (title, pages), with the words that came along', () => {
    const answer = scriptedAnswer({
      messages: [{
        role: 'user',
        content: [
          { type: 'text', text: 'Look' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: TINY_PNG } },
          { type: 'image', source: { type: 'base64', media_type: 'image/gif', data: TINY_GIF } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/a.jpg' } },
          { type: 'document', title: 'Q3', source: { type: 'base64', media_type: 'application/pdf', data: tinyPdf(2) } },
        ],
      }],
    });
    expect(answer.text).to.match(
      /^\[offline scripted model\] I received an image \(image\/png, 1×1 px, 70 bytes\), an image \(image\/gif, 1×1 px, 42 bytes\), an image at https:\/\/example\.com\/a\.jpg, a PDF \("Q3", 2 pages, \d+ bytes\) with your words: "Look"\./,
    );
    expect(answer.calls).to.deep.equal([]);
  });

  it('reads Chat Completions image_url and file parts as the images and documents they stand for', () => {
    const request = toScriptedRequest({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'See' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${TINY_PNG}` } }, { type: 'file', file: { file_data: `data:application/pdf;base64,${tinyPdf(1)}`, filename: 'notes.pdf' } }] }],
    } as never);
    expect(scriptedAnswer(request).text).to.match(/I received an image \(image\/png, 1×1 px, 70 bytes\), a PDF \("notes", 1 page, \d+ bytes\) with your words: "See"/);
  });

  it('without media, still echoes the words', () => {
    expect(scriptedAnswer({ messages: [{ role: 'user', content: 'hello' }] }).text).to.match(/^\[offline scripted model\] You said: "hello"/);
  });
});

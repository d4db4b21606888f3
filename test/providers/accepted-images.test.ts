import { expect } from 'chai';
import { ACCEPTED_IMAGE_TYPES, acceptedImagePart, acceptedImageType, acceptedParts, MAX_IMAGE_BASE64_LENGTH } from '../../lib/providers/accepted-images.js';
import { toAnthropicParams } from '../../lib/providers/anthropic/mapping.js';
import { paddedImage } from '../../lib/testing/media-fixtures.js';

describe('the images the API takes', () => {
  it('are the four formats of the Messages API, up to 5 MB of base64 each', () => {
    expect(ACCEPTED_IMAGE_TYPES).to.deep.equal(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
    expect(MAX_IMAGE_BASE64_LENGTH).to.equal(5_242_880);
  });

  it('spells an accepted type as the API does, and knows no other', () => {
    expect(acceptedImageType(' Image/PNG ')).to.equal('image/png');
    expect(acceptedImageType('image/jpg')).to.equal('image/jpeg');
    for (const refused of ['image/svg+xml', 'image/bmp', 'image/tiff', 'image/heic', 'application/pdf', '']) expect(acceptedImageType(refused), refused).to.equal(undefined);
  });

  it('keeps an accepted image as it is, and the largest accepted size', () => {
    const image = { type: 'image' as const, mediaType: 'image/webp', data: paddedImage('image/webp', MAX_IMAGE_BASE64_LENGTH) };
    expect(acceptedImagePart(image)).to.equal(image);
    const parts = [{ type: 'text' as const, text: 'x' }, image];
    expect(acceptedParts(parts)).to.equal(parts);
  });

  it('names an image without a media type in its note', () => {
    expect(acceptedImagePart({ type: 'image', mediaType: '', data: 'AAAA' })).to.deep.equal({
      type: 'text',
      text: '[image not sent: an image without a media type (3 bytes) is not a type the model API takes; it takes image/jpeg, image/png, image/gif, image/webp]',
    });
  });

  it('the Anthropic mapping sends an image of the history that the API would refuse as its note', () => {
    const params = toAnthropicParams({
      model: 'm',
      system: undefined,
      tools: [],
      parameters: {},
      messages: [{ role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image', mediaType: 'image/bmp', data: 'Qk0=' }] }],
    });
    expect(params.messages[0]!.content).to.deep.equal([
      { type: 'text', text: 'look' },
      { type: 'text', text: '[image not sent: image/bmp (2 bytes) is not a type the model API takes; it takes image/jpeg, image/png, image/gif, image/webp]' },
    ]);
  });
});

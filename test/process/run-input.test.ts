/** run()'s input must be a non-empty string or an array of content parts; anything else is refused before a request. */
import { expect } from 'chai';
import { InvalidArgumentError } from '../../lib/errors.js';
import { InvalidInputPartError, UnsupportedInputError } from '../../lib/input/input-errors.js';
import { assertProviderTakes, readRunInput } from '../../lib/process/run-input.js';
import type { ModelProvider } from '../../lib/providers/types.js';
import { JPEG_START, TINY_PNG, tinyPdf } from '../../lib/testing/index.js';
import { thrownBy } from '../support/thrown-by.js';
import { rejectionOf } from '../support/promises.js';
import { setupTest, type TestSetup } from '../support/setup.js';

describe('run() input that is neither a string nor content parts', () => {
  let t: TestSetup;
  afterEach(async () => t?.close());

  for (const [label, input, received] of [
    ['a number', 42, 'a number'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['an empty array', [], 'an empty array'],
    ['a message object', { role: 'user', content: 'hi' }, 'an object'],
  ] as const) {
    it(`refuses ${label} with an InvalidArgumentError naming input`, async () => {
      t = await setupTest();
      const error = await rejectionOf(t.process.run(input as never));
      expect(error).to.be.instanceOf(InvalidArgumentError).with.property('argument', 'input');
      expect((error as Error).message).to.equal(`input: expected a non-empty prompt (a string) or an array of content parts, received ${received}`);
      expect(t.server.requests).to.have.length(0);
      expect(t.process.running).to.equal(false);
    });
  }
});

describe('readRunInput', () => {
  const PDF = tinyPdf(1);
  /** The refusal of `part` as the second part of an input. */
  const refusal = (part: unknown) => thrownBy(() => readRunInput([{ type: 'text', text: 'look' }, part]), InvalidInputPartError, JSON.stringify(part) ?? String(part));

  it('takes a non-empty prompt as it is, and refuses a blank one', () => {
    expect(readRunInput(' hi ')).to.equal(' hi ');
    expect(thrownBy(() => readRunInput(' \n'), InvalidArgumentError, 'a blank prompt').message).to.equal(
      'input: expected a non-empty prompt (a string) or an array of content parts, received an empty string',
    );
  });

  it('gives the parts as new objects, in one form', () => {
    const text = { type: 'text', text: 'a' } as const;
    const bytes = Buffer.from(TINY_PNG, 'base64');
    const parts = readRunInput([text, { type: 'image', mediaType: 'image/PNG', data: bytes }, { type: 'image_url', url: 'http://example.com/a.png' }, { type: 'document', mediaType: 'application/pdf', data: PDF }]);
    expect(parts).to.deep.equal([
      { type: 'text', text: 'a' },
      { type: 'image', mediaType: 'image/png', data: TINY_PNG },
      { type: 'image_url', url: 'http://example.com/a.png' },
      { type: 'document', mediaType: 'application/pdf', data: PDF },
    ]);
    expect((parts as unknown[])[0]).not.to.equal(text);
  });

  it('encodes only the bytes a Uint8Array views', () => {
    const png = Buffer.from(TINY_PNG, 'base64');
    const padded = new Uint8Array(png.length + 8);
    padded.set(png, 4);
    const parts = readRunInput([{ type: 'image', mediaType: 'image/png', data: padded.subarray(4, 4 + png.length) }]);
    expect(parts).to.deep.equal([{ type: 'image', mediaType: 'image/png', data: TINY_PNG }]);
  });

  it('keeps a document title, and refuses one that is empty or not a string', () => {
    expect(readRunInput([{ type: 'document', mediaType: 'application/pdf', data: PDF, title: 'Report' }])).to.deep.equal([
      { type: 'document', mediaType: 'application/pdf', data: PDF, title: 'Report' },
    ]);
    expect(refusal({ type: 'document', mediaType: 'application/pdf', data: PDF, title: 3 }).message).to.equal('input[1].title: expected a non-empty string, or no title, received a number');
  });

  it('refuses parts that are all empty text', () => {
    expect(thrownBy(() => readRunInput([{ type: 'text', text: '' }, { type: 'text', text: ' ' }]), InvalidArgumentError, 'empty text').message).to.equal(
      'input: expected a content part that is not empty text: the input has nothing to send',
    );
    expect(readRunInput([{ type: 'text', text: '' }, { type: 'text', text: 'x' }])).to.have.length(2);
  });

  it('names what a part is when it is not one: an array, a boolean, a function, a long or blank type', () => {
    expect(refusal([1]).message).to.match(/^input\[1\]: expected a content part: .*, received an array$/);
    expect(refusal(null).message).to.match(/, received null$/);
    expect(refusal({ type: true }).message).to.match(/^input\[1\]\.type: expected one of .*, received a boolean$/);
    expect(refusal({ type: () => 'text' }).message).to.match(/, received a function$/);
    expect(refusal({ type: ' ' }).message).to.match(/, received an empty string$/);
    expect(refusal({ type: 'x'.repeat(61) }).message).to.match(new RegExp(`, received "${'x'.repeat(60)}…"$`));
    expect(refusal({ type: 'x'.repeat(60) }).message).to.match(new RegExp(`, received "${'x'.repeat(60)}"$`));
  });

  it('refuses image data that is missing, empty, not base64 or of no known format', () => {
    expect(refusal({ type: 'image', mediaType: 'image/png' })).to.include({ message: 'input[1].data: expected base64 text or a Uint8Array (a Buffer), received undefined', field: 'data' });
    expect(refusal({ type: 'image', mediaType: 'image/png', data: '' }).message).to.equal('input[1].data: expected base64 text, received an empty string');
    expect(refusal({ type: 'image', mediaType: 'image/png', data: new Uint8Array(0) }).message).to.equal('input[1].data: expected some bytes, received no bytes');
    expect(refusal({ type: 'image', mediaType: 'image/png', data: 'AAAAAAAA' }).message).to.equal(
      'input[1].data: expected a PNG image, as mediaType says, received data that is not a JPEG, PNG, GIF or WebP image',
    );
    expect(refusal({ type: 'image', mediaType: 5, data: TINY_PNG }).message).to.equal('input[1].mediaType: expected one of image/jpeg, image/png, image/gif, image/webp, received a number');
  });

  it('refuses an image given by url, a data: image_url, and a document that is not a PDF, naming the field', () => {
    expect(refusal({ type: 'image', mediaType: 'image/png', url: 'https://example.com/a.png' }).message).to.equal(
      "input[1]: expected { type: 'image', mediaType, data }; an image by URL is { type: 'image_url', url }, received an image part with a url",
    );
    expect(refusal({ type: 'image_url', url: `data:image/png;base64,${TINY_PNG}` }).message).to.equal(
      "input[1].url: expected an http(s) URL (give image data as { type: 'image', mediaType, data }), received a data: URL",
    );
    expect(refusal({ type: 'document', mediaType: 'text/plain', data: PDF })).to.include({
      field: 'mediaType',
      message: "input[1].mediaType: expected 'application/pdf' (give plain text as a text part), received \"text/plain\"",
    });
  });

  it('refuses an image_url that is not a string or not a URL, and a PDF of no known format', () => {
    expect(refusal({ type: 'image_url', url: 5 }).message).to.equal('input[1].url: expected an http(s) URL string, received a number');
    expect(refusal({ type: 'image_url', url: 'not a url' }).message).to.equal('input[1].url: expected an http(s) URL, received text that is not a URL');
    expect(readRunInput([{ type: 'image_url', url: 'https://example.com/a.png' }])).to.deep.equal([{ type: 'image_url', url: 'https://example.com/a.png' }]);
    expect(refusal({ type: 'document', mediaType: 'application/pdf', data: 'AAAAAAAA' }).message).to.equal(
      'input[1].data: expected a PDF document (its bytes start with %PDF-), received data that is not a PDF',
    );
    expect(refusal({ type: 'document', mediaType: 'application/pdf', data: JPEG_START }).message).to.match(/received a JPEG image$/);
  });
});

describe('assertProviderTakes', () => {
  const provider = (checkInput?: ModelProvider['checkInput']): ModelProvider =>
    ({ name: 'mine', complete: async () => { throw new Error('unused'); }, describeError: () => ({ message: '' }), ...(checkInput ? { checkInput } : {}) }) as ModelProvider;
  const image = { type: 'image', mediaType: 'image/png', data: TINY_PNG } as const;

  it('lets a prompt through, and text parts to a provider that does not say what it takes', () => {
    expect(() => assertProviderTakes(provider(() => ({ index: 0, reason: 'never' })), 'm', 'a prompt')).not.to.throw();
    expect(() => assertProviderTakes(provider(), 'm', [{ type: 'text', text: 'a' }])).not.to.throw();
  });

  it('refuses media to a provider that does not say what it takes, naming the first such part', () => {
    const error = thrownBy(() => assertProviderTakes(provider(), 'm', [{ type: 'text', text: 'a' }, image, image]), UnsupportedInputError, 'an image');
    expect(error).to.include({ provider: 'mine', model: 'm', index: 1, partType: 'image' });
    expect(error.reason).to.equal('it does not declare content parts it can send (it has no checkInput), so it is given text only');
  });

  it("asks the provider's checkInput, with the parts and the model, and refuses the part it names", () => {
    const parts = [{ type: 'text', text: 'a' } as const, image];
    const asked: unknown[] = [];
    const refusing = provider((input, model) => (asked.push(input, model), { index: 0, reason: 'no text today' }));
    const error = thrownBy(() => assertProviderTakes(refusing, 'claude-x', parts), UnsupportedInputError, 'refused by checkInput');
    expect(asked).to.deep.equal([parts, 'claude-x']);
    expect(error).to.include({ index: 0, partType: 'text', reason: 'no text today', model: 'claude-x' });
    expect(() => assertProviderTakes(provider(() => undefined), 'm', parts)).not.to.throw();
  });
});

/** run()'s input must be a non-empty string or an array of content parts; anything else is refused before a request. */
import { expect } from 'chai';
import { InvalidArgumentError } from '../../lib/errors.js';
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

import { expect } from 'chai';
import { readToolArguments } from '../../../lib/providers/openai/tool-arguments.js';

describe('readToolArguments', () => {
  it('parses a JSON object; an empty string is no arguments', () => {
    expect(readToolArguments('{"city":"Paris","days":[1,2]}')).to.deep.equal({ input: { city: 'Paris', days: [1, 2] } });
    expect(readToolArguments('')).to.deep.equal({ input: {} });
    expect(readToolArguments('  ')).to.deep.equal({ input: {} });
  });

  it('malformed JSON: input {} and an error naming the problem and quoting what was sent', () => {
    const read = readToolArguments('{city: Paris}');
    expect(read.input).to.deep.equal({});
    expect(read.inputError).to.match(/^the arguments are not valid JSON \(.+\): "\{city: Paris\}"$/);
  });

  it('cut-off JSON says it is cut off', () => {
    expect(readToolArguments('{"city": "Par').inputError).to.match(/^the arguments are cut off/);
    expect(readToolArguments('{"city": "Paris", ').inputError).to.match(/^the arguments are cut off/);
  });

  it('JSON that is not an object names what it is', () => {
    for (const [raw, kind] of [
      ['[1]', 'an array'],
      ['"text"', 'a string'],
      ['42', 'a number'],
      ['true', 'a boolean'],
      ['null', 'null'],
    ] as const) {
      expect(readToolArguments(raw), raw).to.deep.equal({ input: {}, inputError: `the arguments are ${kind}, not a JSON object: ${JSON.stringify(raw)}` });
    }
  });

  it('quotes at most 120 characters of long arguments', () => {
    const raw = `{"text": "${'x'.repeat(500)}`;
    const error = readToolArguments(raw).inputError!;
    expect(error).to.include(`${'x'.repeat(100)}`).and.include('…"');
    expect(error.length).to.be.lessThan(250);
  });
});

import { expect } from 'chai';
import * as v from 'valibot';
import { describeInputIssues } from '../../lib/tools/input-issues.js';

/** The lines describing why `input` does not fit `schema`. */
function linesFor(schema: v.GenericSchema, input: unknown): string[] {
  const parsed = v.safeParse(schema, input);
  if (parsed.success) throw new Error(`${JSON.stringify(input)} fits the schema`);
  return describeInputIssues(parsed.issues);
}

/** A hand-made issue (the shapes valibot gives are tested through safeParse above). */
function issue(fields: Partial<v.BaseIssue<unknown>>): v.BaseIssue<unknown> {
  return { kind: 'validation', type: 'check', input: 'x', expected: null, received: '"x"', message: 'm', ...fields } as v.BaseIssue<unknown>;
}

describe('describeInputIssues', () => {
  it('gives one line per issue, in valibot\'s order, each starting with its key path', () => {
    const weather = v.object({ location: v.object({ city: v.string() }), units: v.picklist(['c', 'f']) });
    expect(linesFor(weather, { location: { city: 42 }, units: 'k' })).to.deep.equal([
      'location.city: expected string, received number',
      'units: expected "c" | "f", received "k"',
    ]);
  });

  it('says a required key is missing, and an extra key of a strict object is unknown', () => {
    expect(linesFor(v.object({ units: v.string() }), {})).to.deep.equal(['units: missing']);
    expect(linesFor(v.strictObject({ a: v.string() }), { a: 'x', extra: 1 })).to.deep.equal(['extra: unknown key']);
  });

  it('names array items by index, quotes keys that are not plain words, and calls the input itself (input)', () => {
    expect(linesFor(v.object({ tags: v.array(v.string()) }), { tags: ['a', 2] })).to.deep.equal(['tags[1]: expected string, received number']);
    expect(linesFor(v.object({ 'odd key': v.object({ x: v.number() }) }), { 'odd key': { x: 'no' } })).to.deep.equal([
      '"odd key".x: expected number, received string',
    ]);
    const nested = v.object({ $k: v.object({ 'a-b': v.array(v.object({ 'c d': v.string() })) }) });
    expect(linesFor(nested, { $k: { 'a-b': [{ 'c d': 1 }] } })).to.deep.equal(['$k.a-b[0]."c d": expected string, received number']);
    expect(linesFor(v.string(), 5)).to.deep.equal(['(input): expected string, received number']);
  });

  it('gives the type of a value of the wrong type, and a value of the right type refused by a check itself', () => {
    const schema = v.object({ b: v.boolean(), g: v.bigint(), d: v.number(), s: v.string(), f: v.string() });
    expect(linesFor(schema, { b: 'yes', g: 1, d: null, s: undefined, f: () => 1 })).to.deep.equal([
      'b: expected boolean, received string',
      'g: expected bigint, received number',
      'd: expected number, received null',
      's: expected string, received undefined',
      'f: expected string, received function',
    ]);
    expect(linesFor(v.object({ n: v.pipe(v.number(), v.minValue(1)) }), { n: 0 })).to.deep.equal(['n: expected >=1, received 0']);
    expect(linesFor(v.object({ s: v.literal('a') }), { s: 5 })).to.deep.equal(['s: expected "a", received 5']);
    expect(linesFor(v.object({ s: v.pipe(v.string(), v.minLength(3)) }), { s: 'ab' })).to.deep.equal(['s: expected >=3, received "ab"']);
  });

  it('says object and array for valibot\'s Object and Array, and gives the value received instead', () => {
    expect(linesFor(v.object({ o: v.object({}) }), { o: 'x' })).to.deep.equal(['o: expected object, received "x"']);
    expect(linesFor(v.object({ list: v.array(v.number()) }), { list: 'abc' })).to.deep.equal(['list: expected array, received "abc"']);
    expect(linesFor(v.object({ list: v.array(v.number()) }), { list: { a: 1 } })).to.deep.equal(['list: expected array, received object']);
    expect(linesFor(v.object({ list: v.array(v.number()) }), { list: 7 })).to.deep.equal(['list: expected array, received 7']);
  });

  it('drops the parentheses valibot puts around a whole list of choices, and only those', () => {
    expect(linesFor(v.object({ u: v.union([v.string(), v.number()]) }), { u: true })).to.deep.equal(['u: expected string | number, received true']);
    expect(describeInputIssues([issue({ expected: '(a) | (b)' })])).to.deep.equal(['(input): expected (a) | (b), received "x"']);
    expect(describeInputIssues([issue({ expected: '((a | b))' })])).to.deep.equal(['(input): expected (a | b), received "x"']);
    expect(describeInputIssues([issue({ expected: '(a | b' })])).to.deep.equal(['(input): expected (a | b, received "x"']);
    expect(describeInputIssues([issue({ expected: 'a | b)' })])).to.deep.equal(['(input): expected a | b), received "x"']);
  });

  it("gives a check's own message, by its key", () => {
    expect(linesFor(v.object({ s: v.pipe(v.string(), v.check(() => false, 'nope')) }), { s: 'x' })).to.deep.equal(['s: nope']);
  });

  it('shortens a long string received to 60 characters, the model\'s own input being echoed back', () => {
    const [line] = linesFor(v.object({ s: v.picklist(['a']) }), { s: 'x'.repeat(100) });
    expect(line).to.equal(`s: expected "a", received "${'x'.repeat(57)}..."`);
    const [exact] = linesFor(v.object({ s: v.picklist(['a']) }), { s: 'y'.repeat(60) });
    expect(exact).to.equal(`s: expected "a", received "${'y'.repeat(60)}"`);
  });

  it('gives a line once when several issues say the same', () => {
    const same = issue({ expected: '"a"' });
    expect(describeInputIssues([same, { ...same }, issue({ expected: '"b"' })])).to.deep.equal([
      '(input): expected "a", received "x"',
      '(input): expected "b", received "x"',
    ]);
    expect(describeInputIssues([])).to.deep.equal([]);
  });
});

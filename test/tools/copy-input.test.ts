import { expect } from 'chai';
import { copyInput } from '../../lib/tools/copy-input.js';
import { deepFreeze } from '../../lib/deep-freeze.js';

describe('copyInput', () => {
  it('copies plain data deeply: the copy equals the input and shares no object with it', () => {
    const input = deepFreeze({ path: 'a.txt', options: { lines: [1, 2, { to: 3 }], mode: 'r' }, empty: {}, none: null, flag: true });
    const copy = copyInput(input);
    expect(copy).to.deep.equal(input);
    expect(copy).to.not.equal(input);
    expect(copy.options).to.not.equal(input.options);
    expect(copy.options.lines).to.not.equal(input.options.lines);
    expect(copy.options.lines[2]).to.not.equal(input.options.lines[2]);
    expect(copy.empty).to.not.equal(input.empty);
  });

  it('gives a tool a copy it may change, whatever the input was frozen', () => {
    const input = deepFreeze({ list: [1], nested: { a: 1 } });
    const copy = copyInput(input);
    copy.list.push(2);
    copy.nested.a = 2;
    expect(Object.isFrozen(copy) || Object.isFrozen(copy.list) || Object.isFrozen(copy.nested)).to.equal(false);
    expect(input).to.deep.equal({ list: [1], nested: { a: 1 } });
  });

  it('keeps an own __proto__ key (JSON.parse makes one) a key, without setting the prototype', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const copy = copyInput(input);
    expect(Object.getPrototypeOf(copy)).to.equal(Object.prototype);
    expect(Object.keys(copy)).to.deep.equal(['__proto__', 'a']);
    expect((copy as { polluted?: unknown }).polluted).to.equal(undefined);
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')!.value).to.deep.equal({ polluted: true });
  });

  it('keeps an object without prototype without one', () => {
    const input = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    const copy = copyInput(input);
    expect(Object.getPrototypeOf(copy)).to.equal(null);
    expect({ ...copy }).to.deep.equal({ a: 1 });
  });

  it('copies what is not plain data (a Date, a Map a hook put in) as structuredClone does', () => {
    const when = new Date(0);
    const input = { when, table: new Map([['k', 1]]), list: [when] };
    const copy = copyInput(input);
    expect(copy.when).to.be.instanceOf(Date).and.not.equal(when);
    expect(copy.when.getTime()).to.equal(0);
    expect(copy.table).to.be.instanceOf(Map);
    expect(copy.table.get('k')).to.equal(1);
    expect(copy.list[0]).to.be.instanceOf(Date);
  });

  it('refuses a function as structuredClone does (the tool runner turns the throw into an error result)', () => {
    expect(() => copyInput({ run: () => 1 })).to.throw().with.property('name', 'DataCloneError');
    expect(() => copyInput([Symbol('s')])).to.throw().with.property('name', 'DataCloneError');
  });

  it('copies a cycle, keeping it a cycle', () => {
    const input: { name: string; self?: unknown } = { name: 'loop' };
    input.self = input;
    const copy = copyInput(input) as { name: string; self: unknown };
    expect(copy).to.not.equal(input);
    expect(copy.self).to.equal(copy);
  });

  it('copies primitives and deep plain nesting as they are', () => {
    expect(copyInput('text')).to.equal('text');
    expect(copyInput(3)).to.equal(3);
    expect(copyInput(null)).to.equal(null);
    expect(copyInput(10n)).to.equal(10n);
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100; i++) deep = { next: deep };
    expect(copyInput(deep)).to.deep.equal(deep);
  });
});

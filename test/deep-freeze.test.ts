import { expect } from 'chai';
import { deepFreeze } from '../lib/deep-freeze.js';

describe('deepFreeze', () => {
  it('freezes an object, its arrays and every object they hold, and returns it', () => {
    const value = { a: { b: [1, { c: 'x' }, [{ d: null }]] }, e: 'text' };
    expect(deepFreeze(value)).to.equal(value);
    for (const part of [value, value.a, value.a.b, value.a.b[1], value.a.b[2], (value.a.b[2] as unknown[])[0]]) expect(Object.isFrozen(part)).to.equal(true);
  });

  it('walks shared and cyclic parts once, and leaves what was frozen before as it is', () => {
    const shared: Record<string, unknown> = { n: 1 };
    shared['self'] = shared;
    const inner = { left: 'open' };
    const frozenBefore = Object.freeze({ inner });
    const value = deepFreeze({ one: shared, two: shared, frozenBefore });
    expect(Object.isFrozen(value.one)).to.equal(true);
    expect(Object.isFrozen(inner), 'a frozen object is not walked again').to.equal(false);
  });

  it('freezes own properties only, and takes primitives and null as they are', () => {
    const proto = { inherited: { x: 1 } };
    const value = deepFreeze(Object.assign(Object.create(proto) as { own: { y: number } }, { own: { y: 2 } }));
    expect(Object.isFrozen(value.own)).to.equal(true);
    expect(Object.isFrozen(proto.inherited)).to.equal(false);
    for (const primitive of [null, undefined, 1, 'a', true]) expect(deepFreeze(primitive)).to.equal(primitive);
  });
});

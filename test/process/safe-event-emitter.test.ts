import { expect } from 'chai';
import sinon from 'sinon';
import { SafeEventEmitter } from '../../lib/process/safe-event-emitter.js';

interface Events {
  ping: [event: { n: number }];
}

class Recording extends SafeEventEmitter<Events> {
  failures: Array<{ event: string; error: unknown }> = [];
  protected override onListenerError(event: 'ping', _listener: unknown, error: unknown): void {
    this.failures.push({ event, error });
  }
}

describe('SafeEventEmitter', () => {
  afterEach(() => sinon.restore());

  it('passes a listener every argument of the emit, none, one or several (one is passed alone, without an array)', () => {
    const emitter = new SafeEventEmitter<{ many: [a: number, b: string, c: boolean]; none: []; one: [n: number] }>();
    const seen: unknown[][] = [];
    emitter.on('many', (...args) => void seen.push(args));
    emitter.on('none', (...args) => void seen.push(args));
    emitter.on('one', (...args) => void seen.push(args));
    emitter.emit('many', 1, 'two', true);
    emitter.emit('none');
    emitter.emit('one', 3);
    expect(seen).to.deep.equal([[1, 'two', true], [], [3]]);
  });

  it('emitPayload calls the listeners with the payload alone, isolating failures as emit does', () => {
    class Payloads extends Recording {
      send(n: number): boolean {
        return this.emitPayload('ping', { n });
      }
    }
    const emitter = new Payloads();
    const listener = sinon.spy();
    emitter.on('ping', () => {
      throw new Error('boom');
    });
    emitter.on('ping', listener);
    expect(emitter.send(7)).to.equal(true);
    expect(listener.calledOnceWithExactly({ n: 7 })).to.equal(true);
    expect(emitter.failures.map((failure) => (failure.error as Error).message)).to.deep.equal(['boom']);
    expect(new Payloads().send(1)).to.equal(false);
  });

  it('calls every listener in order with the payload and the registered context', () => {
    const emitter = new Recording();
    const calls: string[] = [];
    const context = { tag: 'ctx' };
    emitter.on('ping', function (this: typeof context, e) {
      calls.push(`a${e.n}${this.tag}`);
    }, context);
    emitter.on('ping', (e) => calls.push(`b${e.n}`));
    expect(emitter.emit('ping', { n: 1 })).to.equal(true);
    expect(calls).to.deep.equal(['a1ctx', 'b1']);
  });

  it('returns false when nobody listens', () => {
    expect(new Recording().emit('ping', { n: 1 })).to.equal(false);
  });

  it('removes once-listeners before calling them, as eventemitter3 does', () => {
    const emitter = new Recording();
    const once = sinon.spy();
    const always = sinon.spy();
    emitter.once('ping', once);
    emitter.on('ping', always);
    emitter.emit('ping', { n: 1 });
    emitter.emit('ping', { n: 2 });
    expect(once.callCount).to.equal(1);
    expect(always.callCount).to.equal(2);
    expect(emitter.listenerCount('ping')).to.equal(1);
  });

  it('keeps calling later listeners when one throws, and reports the throw', () => {
    const emitter = new Recording();
    const boom = new Error('boom');
    const after = sinon.spy();
    emitter.on('ping', () => {
      throw boom;
    });
    emitter.on('ping', after);
    expect(() => emitter.emit('ping', { n: 1 })).not.to.throw();
    expect(after.calledOnce).to.equal(true);
    expect(emitter.failures).to.deep.equal([{ event: 'ping', error: boom }]);
  });

  it('reports a listener whose promise rejects, and a thrown non-Error', async () => {
    const emitter = new Recording();
    emitter.on('ping', async () => {
      throw new Error('async boom');
    });
    emitter.on('ping', () => {
      throw 'a string';
    });
    emitter.emit('ping', { n: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(emitter.failures.map((f) => f.error)).to.have.length(2);
    expect(emitter.failures[0]!.error).to.equal('a string');
    expect((emitter.failures[1]!.error as Error).message).to.equal('async boom');
  });

  it('lets a listener remove another during emit without skipping or crashing', () => {
    const emitter = new Recording();
    const second = sinon.spy();
    emitter.on('ping', () => emitter.off('ping', second));
    emitter.on('ping', second);
    emitter.emit('ping', { n: 1 });
    emitter.emit('ping', { n: 2 });
    // eventemitter3 semantics: the array being iterated is replaced, not mutated.
    expect(second.callCount).to.equal(1);
  });

  it('does not call listeners added during an emit until the next emit, as eventemitter3 does', () => {
    const emitter = new Recording();
    const added = sinon.spy();
    let adds = 0;
    // Unguarded, a listener that adds a listener on each call would loop forever; the guard bounds the old behaviour.
    const adder = (): void => {
      if (adds++ < 100) emitter.on('ping', added);
    };
    emitter.on('ping', adder);
    emitter.on('ping', adder);
    emitter.emit('ping', { n: 1 });
    expect(added.callCount).to.equal(0);
    expect(emitter.listenerCount('ping')).to.equal(4);
    emitter.emit('ping', { n: 2 });
    expect(added.callCount).to.equal(2);
  });

  it('writes a process warning by default', () => {
    const warn = sinon.stub(process, 'emitWarning');
    const emitter = new SafeEventEmitter<Events>();
    emitter.on('ping', function namedListener() {
      throw new Error('nope');
    });
    emitter.emit('ping', { n: 1 });
    expect(warn.calledOnce).to.equal(true);
    expect(String(warn.firstCall.args[0])).to.match(/namedListener \(listener of "ping"\) failed: Error: nope/);
  });

  it('takes a listener that returns null or an object without then for what it is: no failure', () => {
    const emitter = new Recording();
    emitter.on('ping', () => null);
    emitter.on('ping', () => ({ then: 'not a function' }));
    emitter.on('ping', () => ({}));
    emitter.emit('ping', { n: 1 });
    expect(emitter.failures).to.deep.equal([]);
  });

  it('removes only the once-registration of a function registered both ways', () => {
    const emitter = new Recording();
    const listener = sinon.spy();
    emitter.on('ping', listener);
    emitter.once('ping', listener);
    emitter.emit('ping', { n: 1 });
    emitter.emit('ping', { n: 2 });
    expect(listener.callCount).to.equal(3);
    expect(emitter.listenerCount('ping')).to.equal(1);
  });

  it('names an anonymous listener that fails in its warning', () => {
    const warn = sinon.stub(process, 'emitWarning');
    const emitter = new SafeEventEmitter<Events>();
    emitter.on('ping', (() => () => { throw 'plain'; })());
    emitter.emit('ping', { n: 1 });
    expect(warn.firstCall.args).to.deep.equal(['anonymous listener (listener of "ping") failed: plain', { type: 'LLMProcListenerWarning' }]);
  });
});

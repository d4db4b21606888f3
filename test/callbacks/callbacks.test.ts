import { expect } from 'chai';
import sinon from 'sinon';
import { EventEmitter } from 'eventemitter3';
import { attachCallbacks, attachRunCallbacks, CALLBACK_KEYS, validateCallbacks } from '../../lib/callbacks/callbacks.js';
import { InvalidArgumentError } from '../../lib/errors.js';
import type { LLMProcessEvents, ToolEndEvent, ToolStartEvent } from '../../lib/process/events.js';

const start: ToolStartEvent = { toolName: 'calculator', args: { expression: '1+1' }, toolUseId: 'toolu_1', source: 'builtin' };
const end: ToolEndEvent = { ...start, result: { content: '2', isError: false }, durationMs: 1, isError: false };

describe('callbacks adapter', () => {
  it('unpacks payloads into the spec\'s positional signatures', () => {
    const emitter = new EventEmitter<LLMProcessEvents>();
    const cbs = { on_tool_start: sinon.spy(), on_tool_end: sinon.spy(), on_response: sinon.spy() };
    attachCallbacks(emitter, cbs);
    emitter.emit('tool:start', start);
    emitter.emit('tool:end', end);
    emitter.emit('response', { content: 'hello' });
    expect(cbs.on_tool_start.calledOnceWithExactly('calculator', { expression: '1+1' })).to.equal(true);
    expect(cbs.on_tool_end.calledOnceWithExactly('calculator', { content: '2', isError: false })).to.equal(true);
    expect(cbs.on_response.calledOnceWithExactly('hello')).to.equal(true);
  });

  it('accepts the camelCase aliases', () => {
    const emitter = new EventEmitter<LLMProcessEvents>();
    const cbs = { onToolStart: sinon.spy(), onToolEnd: sinon.spy(), onResponse: sinon.spy() };
    attachCallbacks(emitter, cbs);
    emitter.emit('tool:start', start);
    emitter.emit('tool:end', end);
    emitter.emit('response', { content: 'x' });
    expect(cbs.onToolStart.calledOnce && cbs.onToolEnd.calledOnce && cbs.onResponse.calledOnce).to.equal(true);
  });

  it('takes only a callbacks object\'s own keys: one it inherits is not attached', () => {
    const emitter = new EventEmitter<LLMProcessEvents>();
    const inherited = sinon.spy();
    const own = sinon.spy();
    const cbs = Object.assign(Object.create({ on_tool_start: inherited }) as Record<string, unknown>, { on_response: own });
    attachRunCallbacks(emitter, cbs as never);
    emitter.emit('tool:start', start);
    emitter.emit('response', { content: 'hi' });
    expect(inherited.called).to.equal(false);
    expect(own.calledOnceWithExactly('hi')).to.equal(true);
    expect(emitter.listenerCount('tool:start')).to.equal(0);
  });

  it("checks only a callbacks object's own keys: an inherited key that is no callback, or no function, is not refused", () => {
    const cbs = Object.assign(Object.create({ not_a_callback: 1, on_tool_end: 'not a function' }) as Record<string, unknown>, { on_response: () => {} });
    expect(() => validateCallbacks(cbs)).not.to.throw();
    expect(() => validateCallbacks({ not_a_callback: 1 })).to.throw(InvalidArgumentError, /callbacks\.not_a_callback/);
  });

  it('detaches every listener it attached', () => {
    const emitter = new EventEmitter<LLMProcessEvents>();
    const before = emitter.eventNames().length;
    const detach = attachCallbacks(emitter, { on_tool_start: () => {}, onResponse: () => {} });
    expect(emitter.listenerCount('tool:start')).to.equal(1);
    expect(emitter.listenerCount('response')).to.equal(1);
    detach();
    expect(emitter.listenerCount('tool:start')).to.equal(0);
    expect(emitter.listenerCount('response')).to.equal(0);
    expect(emitter.eventNames().length).to.equal(before);
  });

  it('names each listener after its callback key, for error reports', () => {
    const emitter = new EventEmitter<LLMProcessEvents>();
    attachCallbacks(emitter, { on_tool_end: () => {} });
    expect(emitter.listeners('tool:end')[0]!.name).to.equal('on_tool_end');
  });

  it('for runs, gives a callback the same listener each run, apart from those attachCallbacks makes, so detaching one run leaves the others', () => {
    const emitter = new EventEmitter<LLMProcessEvents>();
    const cbs = { on_response: sinon.spy() };
    attachRunCallbacks(emitter, cbs)();
    const userAttached = attachCallbacks(emitter, cbs);
    const detachRun = attachRunCallbacks(emitter, cbs);
    const [mine, run] = emitter.listeners('response');
    expect(run!.name).to.equal('on_response');
    expect(mine).to.not.equal(run);
    detachRun();
    expect(attachRunCallbacks(emitter, cbs), 'detaches again').to.be.a('function');
    expect(emitter.listeners('response')[1]).to.equal(run);
    emitter.removeListener('response', run as never);
    emitter.emit('response', { content: 'x' });
    expect(cbs.on_response.calledOnceWithExactly('x'), 'the user\'s own attachment still hears').to.equal(true);
    userAttached();
    expect(emitter.listenerCount('response')).to.equal(0);
  });

  it('refuses an unknown key, naming it and the valid keys', () => {
    expect(() => validateCallbacks({ on_tool_strat: () => {} }))
      .to.throw(InvalidArgumentError)
      .with.property('message')
      .that.matches(/callbacks\.on_tool_strat: unknown callback; valid keys: on_tool_start, on_tool_end, on_response, on_text, onToolStart, onToolEnd, onResponse, onText/);
  });

  it('refuses a value that is not a function, and a non-object', () => {
    expect(() => validateCallbacks({ on_response: 'print' })).to.throw(/callbacks\.on_response: expected a function, received string/);
    expect(() => validateCallbacks([])).to.throw(/callbacks: expected an object of callback functions, received an array/);
    expect(() => validateCallbacks(null)).to.throw(/received null/);
  });

  it('refuses a string and a function in place of the callbacks object, naming what it got', () => {
    expect(() => validateCallbacks('print')).to.throw(InvalidArgumentError, /callbacks: expected an object of callback functions, received string/);
    expect(() => validateCallbacks(() => {})).to.throw(InvalidArgumentError, /callbacks: expected an object of callback functions, received function/);
  });

  it('accepts a key set to undefined, and attaches nothing for it', () => {
    expect(() => validateCallbacks({ on_response: undefined, onToolEnd: undefined })).not.to.throw();
    const emitter = new EventEmitter<LLMProcessEvents>();
    const onToolStart = sinon.spy();
    attachCallbacks(emitter, { on_response: undefined, onToolStart });
    expect(emitter.listenerCount('response')).to.equal(0);
    expect(emitter.listenerCount('tool:start')).to.equal(1);
    expect(() => emitter.emit('response', { content: 'no callback for this' })).not.to.throw();
  });

  it('checks the callbacks before attaching any: a bad key attaches nothing', () => {
    const emitter = new EventEmitter<LLMProcessEvents>();
    expect(() => attachCallbacks(emitter, { on_response: () => {}, on_tool_strat: () => {} } as never)).to.throw(InvalidArgumentError, /callbacks\.on_tool_strat/);
    expect(emitter.listenerCount('response')).to.equal(0);
  });

  it('lists the spec keys, on_text, and their camelCase aliases', () => {
    expect(CALLBACK_KEYS).to.have.members(['on_tool_start', 'on_tool_end', 'on_response', 'on_text', 'onToolStart', 'onToolEnd', 'onResponse', 'onText']);
  });
});

/**
 * The checks on what each hook answers (lib/process/hook-answers.ts): every answer a hook may give
 * is read as the decision it means, and every other one is refused with a problem that says what
 * was wrong (the process reports it as the hook's failure).
 */
import { expect } from 'chai';
import {
  checkAfterToolCallAnswer,
  checkBeforeModelCallAnswer,
  checkBeforeRunAnswer,
  checkBeforeToolCallAnswer,
  isPlainObject,
  isToolResult,
} from '../../lib/process/hook-answers.js';

const problem = (problem: string) => ({ ok: false, problem });
const value = (value: unknown) => ({ ok: true, value });

describe('hook answers', () => {
  describe('what an answer that is not a decision object is shown as', () => {
    it('its JSON, or its String() when it has none or cannot be written as JSON', () => {
      const circular: Record<string, unknown> = {};
      circular['self'] = circular;
      expect(checkBeforeRunAnswer('yes')).to.deep.equal(problem('answered "yes", not { input } or nothing'));
      expect(checkBeforeRunAnswer([1])).to.deep.equal(problem('answered [1], not { input } or nothing'));
      expect(checkBeforeRunAnswer(Symbol.for('s') as unknown)).to.deep.equal(problem('answered Symbol(s), not { input } or nothing'));
      expect(checkBeforeRunAnswer(10n)).to.deep.equal(problem('answered 10, not { input } or nothing'));
      expect(checkBeforeModelCallAnswer({ stop: circular })).to.deep.equal(problem('answered { stop: [object Object] }, not a string reason'));
      expect(checkBeforeModelCallAnswer(new (class Stop {})())).to.deep.equal(problem('answered {}, not { stop } or nothing'));
      expect(checkBeforeToolCallAnswer(false)).to.deep.equal(problem('answered false, not a decision object or nothing'));
      expect(checkAfterToolCallAnswer(0)).to.deep.equal(problem('answered 0, not { result } or nothing'));
    });
  });

  describe('unknown keys', () => {
    it('are named, one or several, with what the hook may answer; a key set to undefined is no key', () => {
      expect(checkBeforeRunAnswer({ inptu: 'x' })).to.deep.equal(problem('answered with unknown key inptu (it may answer { input } or nothing)'));
      expect(checkBeforeRunAnswer({ a: 1, b: 2 })).to.deep.equal(problem('answered with unknown keys a, b (it may answer { input } or nothing)'));
      expect(checkBeforeRunAnswer({ a: undefined })).to.deep.equal(value(undefined));
      expect(checkBeforeToolCallAnswer({ dney: 'x' })).to.deep.equal(
        problem('answered with unknown key dney (it may answer { args }, { allow }, { deny }, { pause } or nothing)'),
      );
      expect(checkAfterToolCallAnswer({ results: {} })).to.deep.equal(problem('answered with unknown key results (it may answer { result } or nothing)'));
    });
  });

  describe('beforeRun', () => {
    it('nothing, null, {} and { input: undefined } keep the input', () => {
      for (const answer of [undefined, null, {}, { input: undefined }]) expect(checkBeforeRunAnswer(answer)).to.deep.equal(value(undefined));
    });

    it('{ input } with a string or an array of parts is the new input (the parts are checked by the caller)', () => {
      expect(checkBeforeRunAnswer({ input: 'new' })).to.deep.equal(value('new'));
      const parts = [{ type: 'nonsense' }];
      expect(checkBeforeRunAnswer({ input: parts }).ok).to.equal(true);
      expect((checkBeforeRunAnswer({ input: parts }) as { value: unknown }).value).to.equal(parts);
      expect(checkBeforeRunAnswer({ input: [] })).to.deep.equal(value([]));
    });

    it('{ input } with an empty string or another value is refused', () => {
      expect(checkBeforeRunAnswer({ input: ' ' })).to.deep.equal(problem('answered { input: " " }, not a non-empty string or content parts'));
      expect(checkBeforeRunAnswer({ input: '' })).to.deep.equal(problem('answered { input: "" }, not a non-empty string or content parts'));
      expect(checkBeforeRunAnswer({ input: 5 })).to.deep.equal(problem('answered { input: 5 }, not a non-empty string or content parts'));
      expect(checkBeforeRunAnswer({ input: null })).to.deep.equal(problem('answered { input: null }, not a non-empty string or content parts'));
    });

    it('an object without a prototype is a plain object', () => {
      const answer = Object.assign(Object.create(null) as object, { input: 'bare' });
      expect(checkBeforeRunAnswer(answer)).to.deep.equal(value('bare'));
    });
  });

  describe('beforeModelCall', () => {
    it('nothing, null, {} and { stop: undefined } make the call', () => {
      for (const answer of [undefined, null, {}, { stop: undefined }]) expect(checkBeforeModelCallAnswer(answer)).to.deep.equal(value(undefined));
    });

    it('{ stop } with a string is the reason, even an empty one; another stop is refused', () => {
      expect(checkBeforeModelCallAnswer({ stop: 'enough' })).to.deep.equal(value('enough'));
      expect(checkBeforeModelCallAnswer({ stop: '' })).to.deep.equal(value(''));
      expect(checkBeforeModelCallAnswer({ stop: true })).to.deep.equal(problem('answered { stop: true }, not a string reason'));
      expect(checkBeforeModelCallAnswer({ stop: null })).to.deep.equal(problem('answered { stop: null }, not a string reason'));
      expect(checkBeforeModelCallAnswer({ stop: 'x', more: 1 })).to.deep.equal(problem('answered with unknown key more (it may answer { stop } or nothing)'));
    });
  });

  describe('beforeToolCall', () => {
    it('nothing, null, {}, keys set to undefined and { allow: false } decide nothing', () => {
      for (const answer of [undefined, null, {}, { args: undefined, allow: undefined, deny: undefined, pause: undefined }, { allow: false }]) {
        expect(checkBeforeToolCallAnswer(answer)).to.deep.equal(value({ kind: 'none' }));
      }
    });

    it('{ allow: true } allows; { args } changes the arguments, allowing only with allow: true', () => {
      const args = { value: 1 };
      expect(checkBeforeToolCallAnswer({ allow: true })).to.deep.equal(value({ kind: 'allow' }));
      expect(checkBeforeToolCallAnswer({ args })).to.deep.equal(value({ kind: 'args', args, allow: false }));
      expect(checkBeforeToolCallAnswer({ args, allow: true })).to.deep.equal(value({ kind: 'args', args, allow: true }));
      expect(checkBeforeToolCallAnswer({ args, allow: false })).to.deep.equal(value({ kind: 'args', args, allow: false }));
    });

    it('{ deny } with a string denies, even with an empty reason; { pause: true } pauses', () => {
      expect(checkBeforeToolCallAnswer({ deny: 'no' })).to.deep.equal(value({ kind: 'deny', reason: 'no' }));
      expect(checkBeforeToolCallAnswer({ deny: '' })).to.deep.equal(value({ kind: 'deny', reason: '' }));
      expect(checkBeforeToolCallAnswer({ pause: true })).to.deep.equal(value({ kind: 'pause' }));
      expect(checkBeforeToolCallAnswer({ pause: true, args: undefined })).to.deep.equal(value({ kind: 'pause' }));
    });

    it('refuses two decisions at once, naming them', () => {
      expect(checkBeforeToolCallAnswer({ deny: 'no', args: {} })).to.deep.equal(problem('answered args and deny at once'));
      expect(checkBeforeToolCallAnswer({ deny: 'no', pause: true })).to.deep.equal(problem('answered deny and pause at once'));
      expect(checkBeforeToolCallAnswer({ allow: true, pause: true })).to.deep.equal(problem('answered allow and pause at once'));
      expect(checkBeforeToolCallAnswer({ allow: false, deny: 'no' })).to.deep.equal(problem('answered allow and deny at once'));
      expect(checkBeforeToolCallAnswer({ args: {}, allow: true, deny: 'no', pause: true })).to.deep.equal(problem('answered args and allow and deny and pause at once'));
    });

    it('refuses a deny, pause, allow or args of the wrong type', () => {
      expect(checkBeforeToolCallAnswer({ deny: 5 })).to.deep.equal(problem('answered { deny: 5 }, not a string reason'));
      expect(checkBeforeToolCallAnswer({ pause: false })).to.deep.equal(problem('answered { pause: false }, not { pause: true }'));
      expect(checkBeforeToolCallAnswer({ pause: 'yes' })).to.deep.equal(problem('answered { pause: "yes" }, not { pause: true }'));
      expect(checkBeforeToolCallAnswer({ allow: 'yes' })).to.deep.equal(problem('answered { allow: "yes" }, not a boolean'));
      expect(checkBeforeToolCallAnswer({ allow: 1, args: {} })).to.deep.equal(problem('answered { allow: 1 }, not a boolean'));
      expect(checkBeforeToolCallAnswer({ args: 'x' })).to.deep.equal(problem('answered { args: "x" }, not an object of arguments'));
      expect(checkBeforeToolCallAnswer({ args: [1], allow: true })).to.deep.equal(problem('answered { args: [1] }, not an object of arguments'));
      expect(checkBeforeToolCallAnswer({ args: null })).to.deep.equal(problem('answered { args: null }, not an object of arguments'));
    });
  });

  describe('afterToolCall', () => {
    it('nothing, null, {} and { result: undefined } keep the result', () => {
      for (const answer of [undefined, null, {}, { result: undefined }]) expect(checkAfterToolCallAnswer(answer)).to.deep.equal(value(undefined));
    });

    it('{ result } with a tool result replaces it; another result is refused', () => {
      const result = { content: 'redacted', isError: false };
      expect((checkAfterToolCallAnswer({ result }) as { value: unknown }).value).to.equal(result);
      const refused = problem('answered a result that is not { content: string | parts, isError: boolean }');
      expect(checkAfterToolCallAnswer({ result: 'redacted' })).to.deep.equal(refused);
      expect(checkAfterToolCallAnswer({ result: { content: 'x' } })).to.deep.equal(refused);
    });
  });

  it('isToolResult: string or array content and a boolean isError', () => {
    expect(isToolResult({ content: 'x', isError: false })).to.equal(true);
    expect(isToolResult({ content: [], isError: true })).to.equal(true);
    expect(isToolResult({ content: 5, isError: false })).to.equal(false);
    expect(isToolResult({ content: {}, isError: false })).to.equal(false);
    expect(isToolResult({ content: 'x' })).to.equal(false);
    expect(isToolResult({ content: 'x', isError: 'no' })).to.equal(false);
    expect(isToolResult({ isError: false })).to.equal(false);
    expect(isToolResult(null)).to.equal(false);
    expect(isToolResult('x')).to.equal(false);
    expect(isToolResult(undefined)).to.equal(false);
  });

  it('isPlainObject: an object literal or one without a prototype; not null, an array, a class instance or a primitive', () => {
    expect(isPlainObject({})).to.equal(true);
    expect(isPlainObject(Object.create(null))).to.equal(true);
    expect(isPlainObject(null)).to.equal(false);
    expect(isPlainObject([])).to.equal(false);
    expect(isPlainObject(new Map())).to.equal(false);
    expect(isPlainObject(Object.create({}))).to.equal(false);
    expect(isPlainObject('x')).to.equal(false);
    expect(isPlainObject(undefined)).to.equal(false);
    expect(isPlainObject(1)).to.equal(false);
  });
});

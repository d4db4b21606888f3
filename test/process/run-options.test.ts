import { expect } from 'chai';
import fc from 'fast-check';
import { InvalidArgumentError } from '../../lib/errors.js';
import { DEFAULT_MAX_ITERATIONS, resolveRunOptions, type RunOptions } from '../../lib/process/run-options.js';
import { thrownBy } from '../support/thrown-by.js';

/** The InvalidArgumentError `options` are refused with. */
function refusal(options: unknown, defaults?: Parameters<typeof resolveRunOptions>[1]): InvalidArgumentError {
  return thrownBy(() => resolveRunOptions(options as RunOptions, defaults), InvalidArgumentError, JSON.stringify(options) ?? String(options));
}

describe('resolveRunOptions', () => {
  it('gives llmproc\'s defaults when nothing is set', () => {
    const expected = {
      callbacks: undefined,
      maxIterations: DEFAULT_MAX_ITERATIONS,
      signal: undefined,
      timeoutMs: undefined,
      stream: false,
      toolConcurrency: Infinity,
      maxTokens: undefined,
      maxCostUsd: undefined,
      hooks: undefined,
      maxSpawnDepth: 5,
      promptCaching: true,
      promptCacheTtl: '5m',
      promptCache: { ttl: '5m' },
    };
    expect(resolveRunOptions(undefined, {}, {})).to.deep.equal(expected);
    expect(resolveRunOptions({}, {}, {})).to.deep.equal(expected);
    expect(DEFAULT_MAX_ITERATIONS).to.equal(10);
  });

  it('keeps every option given', () => {
    const signal = new AbortController().signal;
    const callbacks = { on_response: () => {} };
    expect(
      resolveRunOptions(
        { callbacks, maxIterations: 3, signal, timeoutMs: 1500.5, stream: true, toolConcurrency: 2, maxTokens: 1000, maxCostUsd: 0.25, promptCacheTtl: '1h' },
        {},
        {},
      ),
    ).to.deep.equal({
      callbacks, maxIterations: 3, signal, timeoutMs: 1500.5, stream: true, toolConcurrency: 2, maxTokens: 1000, maxCostUsd: 0.25, hooks: undefined, maxSpawnDepth: 5,
      promptCaching: true, promptCacheTtl: '1h', promptCache: { ttl: '1h' },
    });
  });

  describe('prompt caching', () => {
    it('is on by default, off with promptCaching: false, and the run\'s setting wins over the program\'s', () => {
      expect(resolveRunOptions(undefined, {}, {}).promptCache).to.deep.equal({ ttl: '5m' });
      expect(resolveRunOptions({ promptCaching: false }, {}, {}).promptCache).to.equal(undefined);
      expect(resolveRunOptions(undefined, { promptCaching: false }, {}).promptCache).to.equal(undefined);
      expect(resolveRunOptions({ promptCaching: true }, { promptCaching: false, promptCacheTtl: '1h' }, {}).promptCache).to.deep.equal({ ttl: '1h' });
    });

    it('is off whatever the run says when LLMPROC_DISABLE_AUTOMATIC_CACHING is 1, true or yes', () => {
      for (const value of ['1', 'true', 'TRUE', 'yes', ' Yes ']) {
        const resolved = resolveRunOptions({ promptCaching: true }, {}, { LLMPROC_DISABLE_AUTOMATIC_CACHING: value });
        expect(resolved.promptCache, value).to.equal(undefined);
        expect(resolved.promptCaching, 'the setting itself is kept').to.equal(true);
      }
      for (const value of ['', '0', 'false', 'no']) {
        expect(resolveRunOptions(undefined, {}, { LLMPROC_DISABLE_AUTOMATIC_CACHING: value }).promptCache, value).to.deep.equal({ ttl: '5m' });
      }
    });

    it('refuses a promptCaching that is not a boolean and a TTL other than 5m or 1h, naming the option', () => {
      expect(refusal({ promptCaching: 'no' }).message).to.equal('options.promptCaching: expected boolean, received "no"');
      expect(refusal({ promptCacheTtl: '10m' }).message).to.equal('options.promptCacheTtl: unknown value "10m"; did you mean "5m"? expected "5m" or "1h"');
      expect(refusal({ promptCacheTtl: 60 }).argument).to.equal('options.promptCacheTtl');
    });
  });

  it('fills the unset options from the program\'s defaults, an option set to undefined too, and lets the run\'s own win', () => {
    const defaults = { maxIterations: 4, timeoutMs: 900, stream: true, toolConcurrency: 3, maxTokens: 50, maxCostUsd: 2 };
    expect(resolveRunOptions({ maxIterations: 7, stream: false, timeoutMs: undefined }, defaults)).to.deep.include({
      maxIterations: 7,
      stream: false,
      timeoutMs: 900,
      toolConcurrency: 3,
      maxTokens: 50,
      maxCostUsd: 2,
    });
    expect(resolveRunOptions(undefined, defaults)).to.deep.include(defaults);
  });

  it('refuses options that are not an object, saying what they are', () => {
    expect(refusal(null).message).to.equal('options: expected object, received null');
    expect(refusal('fast').message).to.equal('options: expected object, received "fast"');
    expect(refusal(3)).to.have.property('argument', 'options');
  });

  it('refuses an unknown option, naming it and listing the valid ones', () => {
    const error = refusal({ maxIteration: 3 });
    expect(error.argument).to.equal('options.maxIteration');
    expect(error.message).to.equal(
      'options.maxIteration: unknown option; did you mean maxIterations? expected one of: callbacks, signal, hooks, maxSpawnDepth, stream, toolConcurrency, maxIterations, maxTokens, maxCostUsd, timeoutMs, promptCaching, promptCacheTtl',
    );
    expect(refusal({ constructor: 1 }).argument).to.equal('options.constructor');
  });

  it('checks the callbacks, the signal and stream', () => {
    expect(refusal({ callbacks: { on_tool_strat: () => {} } }).argument).to.equal('callbacks.on_tool_strat');
    expect(refusal({ signal: { aborted: false } }).message).to.equal('options.signal: expected an AbortSignal, received object');
    expect(refusal({ stream: 'yes' }).message).to.equal('options.stream: expected boolean, received "yes"');
    expect(refusal({ stream: 1 }).message).to.equal('options.stream: expected boolean, received number');
  });

  it('checks the defaults the same way (a program\'s bad default is refused when a run uses it)', () => {
    expect(refusal({}, { maxIterations: 0 }).message).to.equal('options.maxIterations: expected a positive integer, received 0');
    expect(refusal({}, { stream: 'no' as never }).argument).to.equal('options.stream');
  });

  for (const key of ['maxIterations', 'toolConcurrency', 'maxTokens'] as const) {
    it(`takes ${key} as a positive integer only`, () => {
      expect(resolveRunOptions({ [key]: 1 })[key]).to.equal(1);
      for (const bad of [0, -1, 1.5, Number.NaN, Infinity, '3', null]) {
        const error = refusal({ [key]: bad });
        expect(error.argument, String(bad)).to.equal(`options.${key}`);
        expect(error.message).to.equal(`options.${key}: expected a positive integer, received ${typeof bad === 'string' ? JSON.stringify(bad) : String(bad)}`);
      }
    });
  }

  const positive = { timeoutMs: 'a positive number of ms up to 2147483647 (2^31 - 1, the longest a Node timer can wait)', maxCostUsd: 'a positive number' };
  for (const key of ['timeoutMs', 'maxCostUsd'] as const) {
    it(`takes ${key} as a positive finite number only`, () => {
      expect(resolveRunOptions({ [key]: 0.001 })[key]).to.equal(0.001);
      expect(resolveRunOptions({ [key]: 1 })[key]).to.equal(1);
      for (const bad of [0, -0.5, Number.NaN, Infinity, -Infinity, '1', null]) {
        const error = refusal({ [key]: bad });
        expect(error.argument, String(bad)).to.equal(`options.${key}`);
        expect(error.message).to.equal(`options.${key}: expected ${positive[key]}, received ${typeof bad === 'string' ? JSON.stringify(bad) : String(bad)}`);
      }
    });
  }

  it('resolves every options object as the whole schema does, results and refusals alike', () => {
    // An unknown key set to undefined is dropped before the whole schema checks the options, but
    // sends resolveRunOptions past its per-option check: both ways must agree on everything.
    const keys = ['callbacks', 'signal', 'hooks', 'maxSpawnDepth', 'stream', 'toolConcurrency', 'maxIterations', 'maxTokens', 'maxCostUsd', 'timeoutMs', 'promptCaching', 'promptCacheTtl', 'maxIteration', 'constructor'];
    const value = fc.oneof(
      fc.constantFrom(undefined, null, true, false, 0, 1, 3, 1.5, -1, Infinity, Number.NaN, '5m', '1h', 'yes', 2 ** 31),
      fc.constantFrom({}, { on_tool_start: () => {} }, { on_tool_strat: () => {} }, { onResponse: 1 }, new AbortController().signal, [], { beforeRun: () => {} }),
    );
    const options = fc.oneof(fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 4 }), fc.constantFrom(undefined, null, 'fast', [], 3));
    const defaults = fc.dictionary(fc.constantFrom(...keys.slice(4)), value, { maxKeys: 3 });
    const outcome = (run: () => unknown): unknown => {
      try {
        return { resolved: run() };
      } catch (error) {
        return { error: error instanceof InvalidArgumentError ? [error.argument, error.message] : String(error) };
      }
    };
    fc.assert(
      fc.property(options, defaults, (given, programDefaults) => {
        const padded = given !== null && typeof given === 'object' && !Array.isArray(given) ? { ...given, unknownButUndefined: undefined } : given;
        const fast = outcome(() => resolveRunOptions(given as RunOptions, programDefaults as never, {}));
        const whole = outcome(() => resolveRunOptions(padded as RunOptions, programDefaults as never, {}));
        expect(fast).to.deep.equal(whole);
      }),
      { numRuns: 500 },
    );
  });
});

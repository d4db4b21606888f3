import { expect } from 'chai';
import { getEventListeners } from 'node:events';
import sinon from 'sinon';
import { createRunSignal } from '../../lib/process/run-signal.js';
import { isNeverAborting } from '../../lib/until-aborted.js';

describe('createRunSignal', () => {
  let clock: sinon.SinonFakeTimers | undefined;
  afterEach(() => {
    clock?.restore();
    clock = undefined;
  });

  it('without a signal or a timeout, gives a signal of its own that never aborts, and says it cannot abort', () => {
    const run = createRunSignal(undefined, undefined);
    expect(isNeverAborting(run.signal)).to.equal(true);
    expect(createRunSignal(undefined, undefined).signal, 'one per run: a leaked listener stays in its own run').to.not.equal(run.signal);
    expect(run.abortable).to.equal(false);
    expect(run.cause()).to.equal(undefined);
    run.dispose();
    expect(run.signal.aborted).to.equal(false);
  });

  it('aborts with cause "aborted" when the caller\'s signal aborts, and says it can abort', () => {
    const caller = new AbortController();
    const run = createRunSignal(caller.signal, undefined);
    expect(run.abortable).to.equal(true);
    expect(run.signal).not.to.equal(caller.signal);
    expect(run.cause()).to.equal(undefined);
    expect(run.signal.aborted).to.equal(false);
    caller.abort();
    expect(run.cause()).to.equal('aborted');
    expect(run.signal.aborted).to.equal(true);
    expect(run.signal.reason).to.equal('aborted');
    expect(getEventListeners(caller.signal, 'abort'), 'its listener went with the abort, before dispose()').to.have.length(0);
  });

  it('is aborted from the start when the caller\'s signal already is, and adds no listener to it', () => {
    const caller = AbortSignal.abort();
    const run = createRunSignal(caller, 5_000);
    expect(run.cause()).to.equal('aborted');
    expect(run.signal.aborted).to.equal(true);
    expect(getEventListeners(caller, 'abort')).to.have.length(0);
    run.dispose();
  });

  it('aborts with cause "timeout" once timeoutMs elapse, not before', () => {
    clock = sinon.useFakeTimers();
    const run = createRunSignal(undefined, 1_000);
    expect(run.abortable).to.equal(true);
    clock.tick(999);
    expect(run.cause()).to.equal(undefined);
    expect(run.signal.aborted).to.equal(false);
    clock.tick(1);
    expect(run.cause()).to.equal('timeout');
    expect(run.signal.reason).to.equal('timeout');
  });

  it('keeps the first cause: a timeout after an abort is still an abort, an abort after a timeout still a timeout', () => {
    clock = sinon.useFakeTimers();
    const caller = new AbortController();
    const aborted = createRunSignal(caller.signal, 100);
    const onAbort = sinon.spy();
    aborted.signal.addEventListener('abort', onAbort);
    caller.abort();
    clock.tick(100);
    expect(aborted.cause()).to.equal('aborted');
    expect(onAbort.callCount).to.equal(1);

    const other = new AbortController();
    const timedOut = createRunSignal(other.signal, 100);
    clock.tick(100);
    other.abort();
    expect(timedOut.cause()).to.equal('timeout');
    expect(timedOut.signal.reason).to.equal('timeout');
  });

  it('dispose() clears the timer and stops listening to the caller\'s signal', () => {
    clock = sinon.useFakeTimers();
    const caller = new AbortController();
    const run = createRunSignal(caller.signal, 100);
    expect(getEventListeners(caller.signal, 'abort')).to.have.length(1);
    run.dispose();
    expect(getEventListeners(caller.signal, 'abort')).to.have.length(0);
    expect(clock.countTimers()).to.equal(0);
    caller.abort();
    clock.tick(1_000);
    expect(run.cause()).to.equal(undefined);
    expect(run.signal.aborted).to.equal(false);
  });

  it('lets every tool of a response listen to the run signal without a listener-limit warning', async () => {
    const warning = sinon.spy();
    process.on('warning', warning);
    try {
      const run = createRunSignal(new AbortController().signal, undefined);
      for (let i = 0; i < 20; i++) run.signal.addEventListener('abort', () => {});
      // Node reports an exceeded limit as a warning on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warning.getCalls().map((call) => (call.args[0] as Error).name)).not.to.include('MaxListenersExceededWarning');
    } finally {
      process.off('warning', warning);
    }
  });
});

/**
 * process.stream(): the run's events as an async iterable, the RunResult last, the RunError thrown
 * after the events of a failed run, and an early exit from the loop aborting the run.
 */
import { expect } from 'chai';
import { getEventListeners } from 'node:events';
import sinon from 'sinon';
import { ApiCallError, InvalidArgumentError, RunAbortedError, RunInProgressError } from '../../lib/errors.js';
import { LLMPROCESS_EVENT_NAMES } from '../../lib/process/event-names.js';
import type { RunEndEvent } from '../../lib/process/events.js';
import type { RunStreamEvent } from '../../lib/process/run-stream.js';
import { errorReply, hang, textReply, toolUseReply } from '../../lib/testing/index.js';
import type { ToolContext } from '../../lib/tools/tool.js';
import { expectValidRequests, setupTest, signalled, type TestSetup } from '../support/setup.js';
import { echoTool, stubTool } from '../support/tools.js';

/** How many listeners the process has for each of its events. */
function listenerCounts(t: TestSetup): number[] {
  return LLMPROCESS_EVENT_NAMES.map((name) => t.process.listenerCount(name));
}

/** Every event of `stream`, in order, and what it threw (if it did). */
async function collect(stream: AsyncIterable<RunStreamEvent>): Promise<{ events: RunStreamEvent[]; error: unknown }> {
  const events: RunStreamEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
  } catch (error) {
    return { events, error };
  }
  return { events, error: undefined };
}

/** A tool that runs until its signal aborts, and reports that it was called. */
function waitingTool(started: () => void) {
  return stubTool('wait', (_input, context: ToolContext) => {
    started();
    return new Promise((resolve) => context.signal.addEventListener('abort', () => resolve({ content: 'stopped', isError: true })));
  });
}

describe('process.stream()', () => {
  let t: TestSetup;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
  });

  describe('when the run succeeds', () => {
    it('yields every event of the run in order, tagged with its name, then the RunResult last', async () => {
      t = await setupTest({ tools: [echoTool('alpha')] });
      t.server.enqueue(toolUseReply([{ name: 'alpha', input: { value: 'x' }, id: 'toolu_a' }], { text: 'Calling alpha.' }), textReply('All done.'));
      const before = listenerCounts(t);
      const runEnd = sinon.spy((_event: RunEndEvent) => {});
      t.process.on('run:end', runEnd);

      const { events, error } = await collect(t.process.stream('Go'));

      expect(error).to.equal(undefined);
      const types = events.map((event) => event.type).filter((type) => type !== 'text');
      expect(types).to.deep.equal([
        'run:start', 'api:start', 'api:call', 'response', 'tool:start', 'tool:end', 'api:start', 'api:call', 'response', 'run:end', 'result',
      ]);
      expect(events[0]).to.deep.include({ type: 'run:start', input: 'Go' });
      expect((events[0] as { runId?: unknown }).runId).to.be.a('string');
      expect(events.find((event) => event.type === 'tool:start')).to.deep.include({ type: 'tool:start', toolName: 'alpha', args: { value: 'x' }, toolUseId: 'toolu_a', source: 'function' });
      expect(events.find((event) => event.type === 'tool:end')).to.deep.include({ toolUseId: 'toolu_a', isError: false, result: { content: 'alpha:x', isError: false } });
      const last = events.at(-1)!;
      expect(last.type).to.equal('result');
      const runResult = last.type === 'result' ? last.runResult : undefined;
      expect(runResult).to.equal(runEnd.firstCall.args[0].runResult);
      expect(runResult).to.include({ stopReason: 'end_turn', apiCalls: 2, lastMessage: 'All done.', completed: true });
      t.process.off('run:end', runEnd);
      expect(listenerCounts(t), 'its listeners are detached').to.deep.equal(before);
      expectValidRequests(t);
    });

    it('streams the responses (text events) unless stream: false is given', async () => {
      t = await setupTest();
      t.server.enqueue(textReply('Streamed words.'), textReply('Whole words.'));
      const streamed = await collect(t.process.stream('One'));
      const texts = streamed.events.filter((event) => event.type === 'text');
      expect(texts.length).to.be.greaterThan(0);
      expect(texts.at(-1)).to.deep.include({ type: 'text', snapshot: 'Streamed words.' });
      expect((t.server.requests[0]!.body as { stream?: boolean }).stream).to.equal(true);

      const whole = await collect(t.process.stream('Two', { stream: false }));
      expect(whole.events.filter((event) => event.type === 'text')).to.deep.equal([]);
      expect((t.server.requests[1]!.body as { stream?: boolean }).stream).not.to.equal(true);
    });

    it('yields a failing listener of the run as a callback:error event', async () => {
      t = await setupTest();
      t.server.enqueue(textReply('Said.'));
      t.process.on('response', function brokenListener() {
        throw new Error('listener broke');
      });
      const emitWarning = sinon.spy(process, 'emitWarning');
      const { events } = await collect(t.process.stream('Say', { stream: false }));
      const reported = events.find((event) => event.type === 'callback:error');
      expect(reported).to.deep.include({ callback: 'brokenListener', event: 'response' });
      expect(emitWarning.called, 'not a process warning').to.equal(false);
    });

    it('ends after the result: next() then says done', async () => {
      t = await setupTest();
      t.server.enqueue(textReply('Hi.'));
      const stream = t.process.stream('Hello', { stream: false });
      let next = await stream.next();
      while (!next.done && next.value.type !== 'result') next = await stream.next();
      expect(next.done).to.equal(false);
      expect(await stream.next()).to.deep.equal({ done: true, value: undefined });
    });

    it('does not start the run until iterated', async () => {
      t = await setupTest();
      const runStart = sinon.spy();
      t.process.on('run:start', runStart);
      const stream = t.process.stream('Later');
      expect(t.process.running).to.equal(false);
      expect(runStart.called).to.equal(false);
      t.server.enqueue(textReply('Now.'));
      await collect(stream);
      expect(runStart.callCount).to.equal(1);
    });
  });

  describe('when the run fails', () => {
    it('yields the events through run:end, then throws the RunError with the partial RunResult', async () => {
      t = await setupTest();
      t.server.enqueue(errorReply(500, { message: 'kaput' }));
      const before = listenerCounts(t);
      const { events, error } = await collect(t.process.stream('Go', { stream: false }));
      expect(events.map((event) => event.type)).to.deep.equal(['run:start', 'api:start', 'run:end']);
      expect(error).to.be.instanceOf(ApiCallError);
      expect((error as ApiCallError).runResult).to.include({ stopReason: 'error', completed: true });
      expect(events[2]).to.deep.include({ type: 'run:end', error });
      expect(listenerCounts(t)).to.deep.equal(before);
    });

    it('throws what run() refuses, with no event: bad options, or a run already going', async () => {
      t = await setupTest();
      const before = listenerCounts(t);
      const refused = await collect(t.process.stream('Go', { maxIterations: 0 }));
      expect(refused.events).to.deep.equal([]);
      expect(refused.error).to.be.instanceOf(InvalidArgumentError);
      expect(listenerCounts(t), 'a refused run leaves no listener, with no run:end to detach them').to.deep.equal(before);
      const notSignal = await collect(t.process.stream('Go', { signal: 'stop' as never }));
      expect(notSignal.error, 'a signal that is not one is refused by run()').to.be.instanceOf(InvalidArgumentError).and.include({ argument: 'options.signal' });
      expect(t.server.requests).to.have.length(0);

      t.server.respondWith(() => hang());
      const controller = new AbortController();
      const running = t.process.run('First', { signal: controller.signal }).catch((e: unknown) => e);
      const second = await collect(t.process.stream('Second'));
      expect(second.events, 'none of the running run’s events').to.deep.equal([]);
      expect(second.error).to.be.instanceOf(RunInProgressError);
      controller.abort();
      expect(await running).to.be.instanceOf(RunAbortedError);
      expect(listenerCounts(t)).to.deep.equal(before);
    });

    it('after throwing the error, next() says done', async () => {
      t = await setupTest();
      t.server.enqueue(errorReply(500, { message: 'kaput' }));
      const stream = t.process.stream('Go', { stream: false });
      const { error } = await collect(stream);
      expect(error).to.be.instanceOf(ApiCallError);
      expect(await stream.next()).to.deep.equal({ done: true, value: undefined });
    });

    it('a stream started while a run is going subscribes to nothing: an event of that run is not its', async () => {
      t = await setupTest();
      t.server.respondWith(() => hang());
      const controller = new AbortController();
      const second = t.process.stream('Second');
      const started = signalled<Promise<unknown>>();
      // On the running run's api:start: the second stream starts, then a later listener of the same
      // event fails, which is a callback:error for whoever listens to that.
      t.process.on('api:start', () => started.resolve(second.next().then((next) => next.value, (e: unknown) => e)));
      t.process.on('api:start', function failing() {
        throw new Error('listener broke');
      });
      const emitWarning = sinon.stub(process, 'emitWarning');
      const running = t.process.run('First', { signal: controller.signal }).catch((e: unknown) => e);
      const secondFirst = await started.promise;
      expect(await secondFirst, 'no callback:error event first').to.be.instanceOf(RunInProgressError);
      expect(emitWarning.getCalls().some((call) => /failing \(listener of "api:start"\) failed/.test(String(call.args[0]))), 'nobody else listened to callback:error').to.equal(true);
      controller.abort();
      expect(await running).to.be.instanceOf(RunAbortedError);
    });
  });

  describe('when the loop is left early', () => {
    it('aborts the run, waits for it to settle, and detaches its listeners', async () => {
      const toolStarted = signalled();
      t = await setupTest({ tools: [waitingTool(toolStarted.resolve)] });
      t.server.enqueue(toolUseReply([{ name: 'wait', input: {} }]));
      const before = listenerCounts(t);
      const runEnd = sinon.spy((_event: RunEndEvent) => {});
      t.process.on('run:end', runEnd);

      const seen: string[] = [];
      for await (const event of t.process.stream('Wait for it')) {
        seen.push(event.type);
        if (event.type === 'tool:start') {
          await toolStarted.promise;
          break;
        }
      }

      expect(seen.at(-1)).to.equal('tool:start');
      expect(t.process.running, 'the run has settled when the loop is left').to.equal(false);
      expect(runEnd.callCount).to.equal(1);
      const { runResult, error } = runEnd.firstCall.args[0];
      expect(runResult.stopReason).to.equal('aborted');
      expect(error).to.be.instanceOf(RunAbortedError);
      expect(runResult.toolCalls).to.have.length(1);
      expect(runResult.toolCalls[0]).to.include({ toolName: 'wait', isError: true });
      t.process.off('run:end', runEnd);
      expect(listenerCounts(t)).to.deep.equal(before);

      t.server.enqueue(textReply('Fresh.'));
      expect((await t.process.run('Again')).stopReason, 'the process runs again from a valid history').to.equal('end_turn');
      expectValidRequests(t);
    });

    it('return() while a next() is waiting (a client that left) ends that next() and aborts the run', async () => {
      const toolStarted = signalled();
      t = await setupTest({ tools: [waitingTool(toolStarted.resolve)] });
      t.server.enqueue(toolUseReply([{ name: 'wait', input: {} }]));
      const runEnd = sinon.spy((_event: RunEndEvent) => {});
      t.process.on('run:end', runEnd);
      const stream = t.process.stream('Wait', { stream: false });
      let next = await stream.next();
      while (!next.done && next.value.type !== 'tool:start') next = await stream.next();
      await toolStarted.promise;
      const pending = stream.next(); // tool:end cannot come before the abort
      await stream.return();
      expect(await pending).to.deep.equal({ done: true, value: undefined });
      expect(t.process.running).to.equal(false);
      expect(runEnd.firstCall.args[0].runResult.stopReason).to.equal('aborted');
      t.process.off('run:end', runEnd);
    });

    it('a web ReadableStream made from it aborts the run when cancelled', async () => {
      const toolStarted = signalled();
      t = await setupTest({ tools: [waitingTool(toolStarted.resolve)] });
      t.server.enqueue(toolUseReply([{ name: 'wait', input: {} }]));
      const runEnd = sinon.spy((_event: RunEndEvent) => {});
      t.process.on('run:end', runEnd);
      const reader = ReadableStream.from(t.process.stream('Wait', { stream: false })).getReader();
      let read = await reader.read();
      while (!read.done && read.value.type !== 'tool:start') read = await reader.read();
      await toolStarted.promise;
      await reader.cancel();
      expect(t.process.running).to.equal(false);
      expect(runEnd.firstCall.args[0].runResult.stopReason).to.equal('aborted');
      t.process.off('run:end', runEnd);
    });

    it('return() before the first next() runs nothing', async () => {
      t = await setupTest();
      const stream = t.process.stream('Never');
      expect(await stream.return()).to.deep.equal({ done: true, value: undefined });
      expect(await stream.next()).to.deep.equal({ done: true, value: undefined });
      expect(t.server.requests).to.have.length(0);
    });

    it('the caller’s signal aborts it too, and its listener is removed', async () => {
      const toolStarted = signalled();
      t = await setupTest({ tools: [waitingTool(toolStarted.resolve)] });
      t.server.enqueue(toolUseReply([{ name: 'wait', input: {} }]));
      const controller = new AbortController();
      const addListener = sinon.spy(controller.signal, 'addEventListener');
      const removeListener = sinon.spy(controller.signal, 'removeEventListener');
      const stream = t.process.stream('Wait', { signal: controller.signal });
      const events: string[] = [];
      const error = await (async () => {
        try {
          for await (const event of stream) {
            events.push(event.type);
            if (event.type === 'tool:start') {
              await toolStarted.promise;
              controller.abort();
              expect(getEventListeners(controller.signal, 'abort'), 'its listener went with the abort').to.have.length(0);
            }
          }
        } catch (thrown) {
          return thrown;
        }
        return undefined;
      })();
      expect(error).to.be.instanceOf(RunAbortedError);
      expect((error as RunAbortedError).reason).to.equal('aborted');
      expect(events.at(-1)).to.equal('run:end');
      expect(addListener.callCount).to.equal(1);
      expect(removeListener.firstCall.args[1]).to.equal(addListener.firstCall.args[1]);
    });
  });

  describe("with the caller's signal", () => {
    it('one already aborted aborts the run before anything is sent', async () => {
      t = await setupTest();
      const { events, error } = await collect(t.process.stream('Go', { signal: AbortSignal.abort() }));
      expect(error).to.be.instanceOf(RunAbortedError);
      expect(events.map((event) => event.type)).to.deep.equal(['run:start', 'run:end']);
      expect(t.server.requests).to.have.length(0);
    });

    it('one that never aborts is let go when the run ends', async () => {
      t = await setupTest();
      t.server.enqueue(textReply('Fine.'));
      const controller = new AbortController();
      const { error } = await collect(t.process.stream('Go', { signal: controller.signal, stream: false }));
      expect(error).to.equal(undefined);
      expect(getEventListeners(controller.signal, 'abort')).to.have.length(0);
    });
  });

  it('yields nothing after run:end but the result: what a run:end listener does later is not the run\'s', async () => {
    t = await setupTest();
    t.server.enqueue(textReply('Done.'));
    const emitWarning = sinon.stub(process, 'emitWarning');
    // Added when the run starts, after the stream's own listeners: it runs after the stream's run:end listener.
    t.process.once('run:start', () =>
      t.process.once('run:end', function lateListener() {
        throw new Error('late listener broke');
      }),
    );
    const types: string[] = [];
    for await (const event of t.process.stream('Go', { stream: false })) types.push(event.type);
    expect(types.slice(-2)).to.deep.equal(['run:end', 'result']);
    expect(types).not.to.include('callback:error');
    expect(emitWarning.getCalls().some((call) => String(call.args[0]).includes('lateListener (listener of "run:end") failed'))).to.equal(true);
  });

  it('narrows each event by its type', async () => {
    t = await setupTest();
    t.server.enqueue(textReply('Typed.'));
    for await (const event of t.process.stream('Types', { stream: false })) {
      if (event.type === 'api:call') {
        const tokens: number = event.tokens.inputTokens;
        expect(tokens).to.be.a('number');
      }
      if (event.type === 'result') expect(event.runResult.completed).to.equal(true);
      // @ts-expect-error no such event
      expect(event.type === 'tool:begin').to.equal(false);
    }
  });
});

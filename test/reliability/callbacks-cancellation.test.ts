/**
 * Reliability R10–R12 (callbacks, tools, cancellation): failing callbacks and listeners never break
 * a run, an abort reaches running tools (function tools and MCP calls) and stops the loop, and the
 * listeners of a run are gone after it.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { ApiCallError, InvalidArgumentError, RunAbortedError } from '../../lib/errors.js';
import type { LLMProcess } from '../../lib/process/llm-process.js';
import type { RunResult } from '../../lib/results/run-result.js';
import type { CallbackErrorEvent, LLMProcessEventName } from '../../lib/process/events.js';
import { errorReply, hang, startFakeAnthropic, textReply, toolUseReply } from '../../lib/testing/index.js';
import {
  abortListenerCount,
  echoMcpProgram,
  expectValidHistory,
  invalidRequest,
  listenerCounts,
  messagesOf,
  okTool,
  PROCESS_EVENTS,
  rejectionOf,
  SENTINEL_API_KEY,
  setupTest,
  signalled,
  stubbornTool,
  type TestSetup,
  waitForAbortTool,
} from './support.js';

/** The script of a run with one tool round, streamed or not. */
const script = () => [toolUseReply([{ name: 'ok', input: { value: 'x' }, id: 'toolu_ok' }], { text: 'Calling ok.' }), textReply('All done.')];

/** The parts of a RunResult that do not depend on timing or ids. */
function essentials(process: LLMProcess, result: RunResult) {
  const json = result.toJSON();
  return {
    apiCalls: json.apiCalls,
    usage: json.usage,
    stopReason: json.stopReason,
    lastMessage: json.lastMessage,
    toolCalls: json.toolCalls.map(({ toolName, isError }) => ({ toolName, isError })),
    perCall: result.apiCallInfos.map(({ tokens, stopReason }) => ({ tokens, stopReason })),
    state: process.getState(),
  };
}

describe('reliability: callbacks and cancellation (R10–R12)', () => {
  let t: TestSetup | undefined;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
    t = undefined;
  });

  describe('R10: failing callbacks and listeners never break a run', () => {
    it('R10: callbacks and listeners that throw, reject, or throw non-Errors are reported, and the RunResult equals a clean run’s', async () => {
      // The same run on a clean process, for comparison.
      const clean = await setupTest({ tools: [okTool('ok')] });
      clean.server.enqueue(...script());
      const expected = essentials(clean.process, await clean.process.run('go', { stream: true }));
      await clean.close();

      t = await setupTest({ tools: [okTool('ok')] });
      t.server.enqueue(...script());
      const reports: CallbackErrorEvent[] = [];
      const allReported = signalled();
      // api:call ×2, tool:end ×1, run:end ×1, on_tool_start, on_tool_end, on_response ×2, on_text ×1.
      const EXPECTED_REPORTS = 9;
      t.process.on('callback:error', (event) => {
        reports.push(event);
        if (reports.length === EXPECTED_REPORTS) allReported.resolve();
      });
      t.process.on('api:call', function apiCallListener() {
        throw new TypeError('listener broke');
      });
      t.process.on('tool:end', async function rejectingListener() {
        throw new Error('listener rejected');
      });
      t.process.on('run:end', function runEndListener() {
        throw Symbol('not an error');
      });
      let textCalls = 0;
      const result = await t.process.run('go', {
        stream: true,
        callbacks: {
          on_tool_start: () => {
            throw new Error('start broke');
          },
          on_tool_end: async () => {
            throw 'a string';
          },
          on_response: () => {
            throw null;
          },
          on_text: () => {
            // Only the first delta fails, so the report count is known.
            if (++textCalls === 1) return Promise.reject(undefined);
            return undefined;
          },
        },
      });
      await allReported.promise;

      expect(essentials(t.process, result)).to.deep.equal(expected);
      expect(result.completed).to.equal(true);
      const by = (callback: string): CallbackErrorEvent[] => reports.filter((report) => report.callback === callback);
      expect(by('apiCallListener').map((r) => r.event)).to.deep.equal(['api:call', 'api:call']);
      expect((by('apiCallListener')[0]!.error as Error).message).to.equal('listener broke');
      expect(by('rejectingListener')).to.have.length(1);
      expect(by('on_tool_start')[0]).to.include({ event: 'tool:start' });
      expect(by('on_tool_end')[0]).to.include({ event: 'tool:end', error: 'a string' });
      expect(by('on_response').map((r) => r.error)).to.deep.equal([null, null]);
      expect(by('on_text')).to.have.length(1);
      expect(by('on_text')[0]).to.include({ event: 'text', error: undefined });
      expect(typeof by('runEndListener')[0]!.error).to.equal('symbol');
      expect(reports).to.have.length(EXPECTED_REPORTS);
      expect(invalidRequest(t.server)).to.equal(undefined);
    });

    it('R10: with no callback:error listener a failure is a process warning, and a failing run still rejects with its own error', async () => {
      t = await setupTest();
      t.server.enqueue(errorReply(400, { message: 'bad request' }));
      const warned = signalled<Error>();
      const onWarning = (warning: Error): void => {
        if (warning.name === 'LLMProcListenerWarning') warned.resolve(warning);
      };
      globalThis.process.on('warning', onWarning);
      try {
        t.process.on('run:end', function failingRunEnd() {
          throw new Error('run:end listener broke');
        });
        const error = (await rejectionOf(t.process.run('go', { callbacks: { on_response: () => {} } }))) as ApiCallError;
        expect(error).to.be.instanceOf(ApiCallError).with.property('status', 400);
        expect(error.runResult).to.include({ completed: true, stopReason: 'error' });
        const warning = await warned.promise;
        expect(warning.message).to.equal('failingRunEnd (listener of "run:end") failed: Error: run:end listener broke');
      } finally {
        globalThis.process.off('warning', onWarning);
      }
    });

    it('R10: a callback:error listener that throws itself does not loop or break the run', async () => {
      t = await setupTest();
      t.server.enqueue(textReply('fine'));
      const warned = signalled();
      const onWarning = (warning: Error): void => void (warning.name === 'LLMProcListenerWarning' && warned.resolve());
      globalThis.process.on('warning', onWarning);
      try {
        const reporter = sinon.spy(() => {
          throw new Error('the reporter broke too');
        });
        t.process.on('callback:error', reporter);
        const result = await t.process.run('go', { callbacks: { on_response: () => Promise.reject(new Error('x')) } });
        expect(result.stopReason).to.equal('end_turn');
        await warned.promise;
        expect(reporter.callCount).to.equal(1);
      } finally {
        globalThis.process.off('warning', onWarning);
      }
    });
  });

  describe('R11: the abort signal reaches running tools and stops the loop', () => {
    it('R11: function tools get the aborted signal; afterwards no model call and no success event', async () => {
      const signals: AbortSignal[] = [];
      const bothStarted = signalled();
      const onStart = (signal: AbortSignal): void => void (signals.push(signal) === 2 && bothStarted.resolve());
      const okEnded = signalled();
      t = await setupTest({ tools: [okTool('ok'), waitForAbortTool('slow', onStart), stubbornTool('stubborn', onStart)] });
      t.server.enqueue(
        toolUseReply([
          { name: 'ok', input: { value: '1' } },
          { name: 'slow', input: {} },
          { name: 'stubborn', input: {} },
        ]),
      );
      t.server.respondWith(() => textReply('a model call after the abort'));
      const controller = new AbortController();
      t.process.on('tool:end', ({ toolName }) => void (toolName === 'ok' && okEnded.resolve()));
      const run = t.process.run('go', { signal: controller.signal });
      await Promise.all([bothStarted.promise, okEnded.promise]);

      const afterAbort: Array<[LLMProcessEventName, unknown]> = [];
      for (const event of PROCESS_EVENTS) t.process.on(event, (payload: unknown) => void afterAbort.push([event, payload]));
      controller.abort();
      const error = (await rejectionOf(run)) as RunAbortedError;

      expect(error).to.be.instanceOf(RunAbortedError).with.property('reason', 'aborted');
      expect(signals.map((signal) => signal.aborted)).to.deep.equal([true, true]);
      expect(t.server.requests, 'no model call after the abort').to.have.length(1);
      const names = afterAbort.map(([event]) => event);
      expect(names.filter((event) => event !== 'tool:end' && event !== 'run:end'), 'only tool:end and run:end after the abort').to.deep.equal([]);
      const ends = afterAbort.filter(([event]) => event === 'tool:end').map(([, payload]) => payload as { toolName: string; isError: boolean });
      expect(ends.map(({ toolName, isError }) => [toolName, isError]).sort()).to.deep.equal([
        ['slow', true],
        ['stubborn', true],
      ]);
      const runEnd = afterAbort.find(([event]) => event === 'run:end')![1] as { error?: Error };
      expect(runEnd.error).to.equal(error);
      expectValidHistory(t.process);
    });

    it('R11: an abort while the model call is in flight makes no further call and runs no tool', async () => {
      t = await setupTest({ tools: [okTool('ok')] });
      const controller = new AbortController();
      const arrived = signalled();
      t.server.respondWith(() => {
        arrived.resolve();
        return hang();
      });
      const toolStart = sinon.spy();
      const apiCall = sinon.spy();
      t.process.on('tool:start', toolStart);
      t.process.on('api:call', apiCall);
      const run = t.process.run('go', { signal: controller.signal });
      await arrived.promise;
      controller.abort();
      expect(await rejectionOf(run)).to.be.instanceOf(RunAbortedError);
      expect(t.server.requests).to.have.length(1);
      expect(toolStart.called || apiCall.called).to.equal(false);
    });

    it('R11: an MCP call is cancelled on abort (the server gets notifications/cancelled) and answered with is_error', async () => {
      const server = await startFakeAnthropic();
      const { program, remove } = echoMcpProgram(['slow', 'cancellations']);
      const process = await program.start({ apiKey: SENTINEL_API_KEY, baseURL: server.url, maxRetries: 0 });
      t = { server, program, process, close: async () => (await process.close(), await server.close(), remove()) };
      server.enqueue(
        toolUseReply([
          { name: 'echo__slow', input: { ms: 60_000 }, id: 'toolu_slow' },
          { name: 'echo__cancellations', input: {}, id: 'toolu_count' },
        ]),
      );
      const controller = new AbortController();
      // The server handles requests in order: once the count is answered, it has the slow call.
      const counted = signalled<string>();
      process.on('tool:end', ({ toolName, result }) => void (toolName === 'echo__cancellations' && counted.resolve(String(result.content))));
      const run = process.run('go', { signal: controller.signal });
      expect(await counted.promise).to.equal('0');
      controller.abort();
      expect(await rejectionOf(run)).to.be.instanceOf(RunAbortedError);
      const answered = process.getState().at(-1)!.content;
      expect(answered[0]).to.deep.include({ toolCallId: 'toolu_slow', isError: true });

      server.enqueue(toolUseReply([{ name: 'echo__cancellations', input: {}, id: 'toolu_count2' }]), textReply('done'));
      await process.run('how many cancellations?');
      const results = messagesOf(server, 2).at(-1)!.content;
      expect(results[0]).to.deep.include({ tool_use_id: 'toolu_count2', content: [{ type: 'text', text: '1' }] });
      expect(invalidRequest(server)).to.equal(undefined);
    });
  });

  describe('R12: the listeners of a run are gone after it', () => {
    it('R12: after success, API failure, abort, timeout and a refused run, listenerCount is back to where it was, and so are the signal’s listeners', async () => {
      let abortWhenSlowStarts: AbortController | undefined;
      let timeOutWhenSlowStarts: (() => void) | undefined;
      const slow = waitForAbortTool('slow', () => {
        abortWhenSlowStarts?.abort();
        timeOutWhenSlowStarts?.();
      });
      t = await setupTest({ tools: [okTool('ok'), slow] });
      t.process.on('tool:end', () => {}); // a listener of the user's own, which must stay
      const baseline = listenerCounts(t.process);
      const callbacks = { on_tool_start: sinon.spy(), on_tool_end: sinon.spy(), on_response: sinon.spy(), on_text: sinon.spy() };
      const during: Array<Record<string, number>> = [];
      t.process.on('api:start', () => void during.push(listenerCounts(t!.process)));
      const withProbe = listenerCounts(t.process);
      const signal = new AbortController().signal; // a long-lived signal shared by every run

      // success
      t.server.enqueue(...script());
      await t.process.run('ok', { callbacks, signal, stream: true });
      expect(listenerCounts(t.process), 'after a success').to.deep.equal(withProbe);
      // API failure
      t.server.enqueue(errorReply(500));
      expect(await rejectionOf(t.process.run('fail', { callbacks, signal, stream: true }))).to.be.instanceOf(ApiCallError);
      expect(listenerCounts(t.process), 'after an API failure').to.deep.equal(withProbe);
      // abort during a tool
      const controller = new AbortController();
      abortWhenSlowStarts = controller;
      t.server.enqueue(toolUseReply([{ name: 'slow', input: {} }]));
      expect(await rejectionOf(t.process.run('abort', { callbacks, signal: controller.signal }))).to.be.instanceOf(RunAbortedError);
      abortWhenSlowStarts = undefined;
      expect(listenerCounts(t.process), 'after an abort').to.deep.equal(withProbe);
      // timeout during a tool: the run's timer is a fake one, which runs out once the tool has
      // started. Only that timer is faked: the fake clock is installed while run() creates it, then
      // taken down before the SDK sends the request (the HTTP client must keep real timers).
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      let timingOut: Promise<unknown>;
      try {
        timeOutWhenSlowStarts = () => clock.tick(60_000);
        t.server.enqueue(toolUseReply([{ name: 'slow', input: {} }]));
        timingOut = t.process.run('timeout', { callbacks, signal, timeoutMs: 60_000 });
      } finally {
        clock.restore();
      }
      const timedOut = await rejectionOf(timingOut);
      timeOutWhenSlowStarts = undefined;
      expect(timedOut).to.be.instanceOf(RunAbortedError).and.have.property('reason', 'timeout');
      expect((timedOut as RunAbortedError).runResult.toolCalls.map((call) => call.toolName), 'it timed out in the tool').to.deep.equal(['slow']);
      expect(listenerCounts(t.process), 'after a timeout').to.deep.equal(withProbe);
      // refused before it starts
      expect(await rejectionOf(t.process.run('bad', { callbacks: { ...callbacks, on_nothing: () => {} } as never }))).to.be.instanceOf(InvalidArgumentError);
      expect(listenerCounts(t.process), 'after a refused run').to.deep.equal(withProbe);

      // The runs did attach their callbacks' listeners (so the checks above could see a leak). The
      // RunResult is no listener: the process hands it each event itself.
      expect(during.length).to.be.greaterThan(0);
      for (const counts of during) {
        expect(counts['tool:start']).to.equal(withProbe['tool:start']! + 1);
        expect(counts['api:call']).to.equal(withProbe['api:call']!);
        expect(counts['tool:end']).to.equal(withProbe['tool:end']! + 1);
      }
      expect(abortListenerCount(signal), 'no listener left on the caller’s signal').to.equal(0);
      expect(withProbe).to.deep.equal({ ...baseline, 'api:start': baseline['api:start']! + 1 });
      expect(callbacks.on_tool_start.called && callbacks.on_text.called).to.equal(true);
    });
  });
});

/**
 * `process.stream(input, options)`: one run as an async iterable of its events, for `for await`
 * and for web handlers (server-sent events, `ReadableStream.from(...)`):
 *
 * ```ts
 * for await (const event of process.stream('What is 12*34?')) {
 *   if (event.type === 'text') res.write(event.delta);
 *   if (event.type === 'tool:start') console.log(event.toolName, event.args);
 *   if (event.type === 'result') console.log(event.runResult.costUsd);
 * }
 * ```
 *
 * @module
 */
import { RunInProgressError } from '../errors.js';
import type { RunResult } from '../results/run-result.js';
import { LLMPROCESS_EVENT_NAMES } from './event-names.js';
import type { LLMProcessEventName, LLMProcessEvents } from './events.js';
import type { LLMProcess } from './llm-process.js';
import type { RunOptions } from './run-options.js';
import type { RunInput } from './run-input.js';

/**
 * One event of {@link LLMProcessEvents} as a tagged object: its payload with `type` set to the
 * event name, e.g. `{ type: 'tool:start', toolName, args, toolUseId, ... }`. Derived from the
 * event map, so a new event or payload field appears here by itself.
 */
export type ProcessEvent = {
  [K in StreamedEventName]: { readonly type: K } & LLMProcessEvents[K][0];
}[StreamedEventName];

/**
 * The events a run stream carries: every event but `checkpoint`, whose snapshot is built only for
 * those who persist runs (listen to `checkpoint` on the process for it).
 */
export type StreamedEventName = Exclude<LLMProcessEventName, 'checkpoint'>;

const STREAMED_EVENT_NAMES = LLMPROCESS_EVENT_NAMES.filter((name): name is StreamedEventName => name !== 'checkpoint');

/** The last item of a run stream: the run's finalized RunResult. */
export interface RunStreamResult {
  readonly type: 'result';
  readonly runResult: RunResult;
}

/** What a run stream yields: every event of the run in order (but `checkpoint`), then the {@link RunStreamResult}. */
export type RunStreamEvent = ProcessEvent | RunStreamResult;

/** No payload may have a `type` field of its own: the tag would hide it. Fails to compile if one does. */
type PayloadKey = { [K in LLMProcessEventName]: keyof LLMProcessEvents[K][0] }[LLMProcessEventName];
const payloadsHaveNoType: 'type' extends PayloadKey ? never : true = true;
void payloadsHaveNoType;

/** What the queue holds: an event to yield, or the run's error to throw. */
type Queued = { event: RunStreamEvent } | { error: unknown };

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * One run of a process as an async iterator of its {@link RunStreamEvent}s. The run starts at the
 * first `next()` (the first turn of a `for await` loop), with `stream: true` unless the options
 * say otherwise, and its listeners are attached for that run only.
 *
 * - Every event the process emits during the run is yielded in order (`run:start`, `api:start`,
 *   `text`, `api:call`, `response`, `tool:start`, `tool:end`, events forwarded from children,
 *   `callback:error`, `run:end`), then `{ type: 'result', runResult }`, then the iteration ends.
 *   (Listening to `callback:error` makes a failing listener of the run an event here, not a
 *   process warning.)
 * - A failed run yields its events (through `run:end`), then the iterator throws the
 *   {@link RunError} `run()` would have rejected with.
 * - Leaving the loop early (`break`, `return`, a throw in the loop body; or `return()`) aborts the
 *   run through its signal and waits for it to settle, so the process can run again at once.
 * - The run does not wait for the consumer: events are queued in memory until read, without a
 *   bound (a run's events are a few per API call and tool call, plus one per streamed text delta).
 *   A consumer slower than the model costs memory, never lost events.
 */
export class RunStream implements AsyncIterator<RunStreamEvent, undefined>, AsyncIterable<RunStreamEvent> {
  readonly #process: LLMProcess;
  readonly #input: RunInput;
  readonly #options: RunOptions | undefined;
  readonly #controller = new AbortController();
  readonly #queue: Queued[] = [];
  readonly #waiters: Array<() => void> = [];
  #settled: Promise<void> | undefined;
  #detach: () => void = () => {};
  #finished = false;

  /** Use `process.stream(input, options)`. */
  constructor(process: LLMProcess, input: RunInput, options?: RunOptions) {
    this.#process = process;
    this.#input = input;
    this.#options = options;
  }

  /** The stream is its own iterator, good for one pass. */
  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The next event; starts the run on the first call. Throws the run's error after its events. */
  async next(): Promise<IteratorResult<RunStreamEvent, undefined>> {
    if (this.#finished) return DONE;
    this.#start();
    while (this.#queue.length === 0) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
      if (this.#finished) return DONE;
    }
    const item = this.#queue.shift()!;
    if ('error' in item) {
      this.#finished = true;
      throw item.error;
    }
    if (item.event.type === 'result') this.#finished = true;
    return { done: false, value: item.event };
  }

  /** Ends the stream: aborts the run if it is still going and waits for it to settle. */
  async return(): Promise<IteratorResult<RunStreamEvent, undefined>> {
    if (!this.#finished) {
      this.#finished = true;
      this.#controller.abort();
      this.#wake();
    }
    await this.#settled;
    this.#detach();
    this.#queue.length = 0;
    return DONE;
  }

  #start(): void {
    if (this.#settled) return;
    if (this.#process.running) {
      // Listening now would catch the events of the run that is going: refuse before subscribing.
      this.#settled = Promise.resolve();
      this.#push({ error: new RunInProgressError() });
      return;
    }
    const unlink = this.#linkCallerSignal();
    const detach = this.#listen();
    this.#detach = detach;
    this.#settled = this.#process
      .run(this.#input, { stream: true, ...this.#options, signal: this.#signal() })
      .then(
        (runResult) => this.#push({ event: { type: 'result', runResult } }),
        (error: unknown) => this.#push({ error }),
      )
      .finally(() => {
        detach();
        unlink();
      });
  }

  /** The run's signal: ours, which the caller's aborts too; a caller's value that is not a signal is passed on for run() to refuse. */
  #signal(): AbortSignal {
    const callerSignal = this.#options?.signal;
    return callerSignal === undefined || callerSignal instanceof AbortSignal ? this.#controller.signal : callerSignal;
  }

  /** Makes the caller's signal abort ours; returns the function that removes that listener. */
  #linkCallerSignal(): () => void {
    const callerSignal = this.#options?.signal;
    if (!(callerSignal instanceof AbortSignal)) return () => {};
    const abort = (): void => this.#controller.abort(callerSignal.reason);
    if (callerSignal.aborted) abort();
    else callerSignal.addEventListener('abort', abort, { once: true });
    return () => callerSignal.removeEventListener('abort', abort);
  }

  /** Subscribes to every event of the process; returns the function that unsubscribes (once). */
  #listen(): () => void {
    const process = this.#process;
    const subscriptions = STREAMED_EVENT_NAMES.map((type) => {
      const listener = (payload: object): void => {
        this.#push({ event: { type, ...payload } as RunStreamEvent });
        // The run's last event: nothing after it belongs to this run.
        if (type === 'run:end') detach();
      };
      process.on(type, listener as never);
      return { type, listener };
    });
    let attached = true;
    const detach = (): void => {
      if (!attached) return;
      attached = false;
      for (const { type, listener } of subscriptions) process.off(type, listener as never);
    };
    return detach;
  }

  #push(item: Queued): void {
    if (this.#finished) return;
    this.#queue.push(item);
    this.#wake();
  }

  #wake(): void {
    for (const resolve of this.#waiters.splice(0)) resolve();
  }
}

/**
 * An eventemitter3 `EventEmitter` whose `emit` isolates listeners: a listener that throws, or
 * returns a promise that rejects, does not stop the other listeners nor the code that emitted.
 *
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import { isThenable } from '../maybe-promise.js';

/** Marks a call with one argument, passed on its own (no array is made for it). */
const ONE: unknown[] = [];

/** eventemitter3's stored listener (its `EE` record). */
interface StoredListener {
  fn: (...args: unknown[]) => unknown;
  context: unknown;
  once: boolean;
}

/**
 * `EventEmitter` with failure isolation. Subclasses decide what a listener failure means by
 * overriding {@link SafeEventEmitter.onListenerError}.
 */
export class SafeEventEmitter<Events extends EventEmitter.ValidEventTypes> extends EventEmitter<Events> {
  /**
   * Calls every listener `event` had when the emit began, in order, as eventemitter3 does
   * (once-listeners are removed before they run; a listener added meanwhile waits for the next
   * emit), but catches what each one throws or rejects with.
   */
  override emit<T extends EventEmitter.EventNames<Events>>(event: T, ...args: EventEmitter.EventArgs<Events, T>): boolean {
    return this.#emit(event, args.length === 1 ? ONE : args, args[0]);
  }

  /**
   * {@link SafeEventEmitter.emit} of an event with one argument, `payload`, without the argument
   * arrays of a variadic call (for subclasses whose events all carry one payload).
   */
  protected emitPayload<T extends EventEmitter.EventNames<Events>>(event: T, payload: EventEmitter.EventArgs<Events, T>[0]): boolean {
    return this.#emit(event, ONE, payload);
  }

  /** Calls the listeners with `args`, or with `payload` alone when `args` is {@link ONE}. */
  #emit(event: EventEmitter.EventNames<Events>, args: unknown[], payload: unknown): boolean {
    // eventemitter3 keeps listeners in `_events`: one record, or an array that removing a listener
    // replaces but adding one pushes onto. Reading it is the only way to keep its once/context
    // semantics while wrapping each call. The test of this class pins that behaviour.
    const key = EventEmitter.prefixed ? `${String(EventEmitter.prefixed)}${String(event)}` : event;
    const stored = (this as unknown as { _events: Record<string | symbol, StoredListener | StoredListener[] | undefined> })._events[
      key as string | symbol
    ];
    if (!stored) return false;
    if (Array.isArray(stored)) {
      // The listeners of this emit are the first `length` entries: a listener added meanwhile is
      // pushed past them (eventemitter3's own emit does the same), and a removal replaces the
      // array, so this snapshot costs no copy.
      const length = stored.length;
      for (let i = 0; i < length; i++) this.#call(event, stored[i]!, args, payload);
    } else {
      this.#call(event, stored, args, payload);
    }
    return true;
  }

  #call(event: EventEmitter.EventNames<Events>, listener: StoredListener, args: unknown[], payload: unknown): void {
    if (listener.once) this.removeListener(event, listener.fn as never, undefined, true);
    try {
      const returned = args === ONE ? listener.fn.call(listener.context, payload) : listener.fn.apply(listener.context, args);
      if (isThenable(returned)) returned.then(undefined, (error: unknown) => this.onListenerError(event, listener.fn, error));
    } catch (error) {
      this.onListenerError(event, listener.fn, error);
    }
  }

  /**
   * Called when a listener throws or its promise rejects. The default writes a process warning;
   * it must not throw.
   */
  protected onListenerError(event: EventEmitter.EventNames<Events>, listener: (...args: unknown[]) => unknown, error: unknown): void {
    emitListenerWarning(String(event), listenerName(listener), error);
  }
}

/** The name to report a listener by: its function name, or a generic label. */
export function listenerName(listener: (...args: unknown[]) => unknown): string {
  return listener.name || 'anonymous listener';
}

/** Reports a failed listener as a Node.js process warning (`LLMProcListenerWarning`). */
export function emitListenerWarning(event: string, callback: string, error: unknown): void {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  globalThis.process.emitWarning(`${callback} (listener of "${event}") failed: ${detail}`, { type: 'LLMProcListenerWarning' });
}

/**
 * A seam to watch every event of every {@link LLMProcess} in this Node process, heard or not,
 * without a listener (a listener changes what a process does: an `error`-like event with one is
 * reported differently). The test kit exports it (`llmproc/testing`) for suites that check every
 * payload, such as a watch for leaked secrets; it is not meant for application code, which
 * listens to the process it runs.
 *
 * @module
 */
import type { LLMProcess } from './llm-process.js';
import type { LLMProcessEventName, LLMProcessEvents } from './events.js';
import { emitListenerWarning } from './safe-event-emitter.js';

/** One event as an observer sees it: which process emitted it, which event, and its payload. */
export interface ObservedEvent<E extends LLMProcessEventName = LLMProcessEventName> {
  process: LLMProcess;
  event: E;
  payload: LLMProcessEvents[E][0];
}

/** Called with every event of every process, before the process's listeners. */
export type ProcessEventObserver = (observed: ObservedEvent) => void;

const observers = new Set<ProcessEventObserver>();

/**
 * Calls `observer` with every event any {@link LLMProcess} emits from now on (children's and
 * forks' too), before its listeners, whether anyone listens or not. An observer that throws is
 * reported as a process warning, like a failed listener, and changes nothing else. Returns the
 * function that stops observing.
 */
export function observeProcessEvents(observer: ProcessEventObserver): () => void {
  observers.add(observer);
  return () => void observers.delete(observer);
}

/** Whether anything observes the events of every process (then every event is built and emitted, heard or not). @internal */
export function hasEventObservers(): boolean {
  return observers.size > 0;
}

/** Hands one event to every observer; what `LLMProcess.emit` calls. @internal */
export function notifyObservers<E extends LLMProcessEventName>(process: LLMProcess, event: E, payload: LLMProcessEvents[E][0]): void {
  if (observers.size === 0) return;
  for (const observer of [...observers]) {
    try {
      observer({ process, event, payload } as ObservedEvent);
    } catch (error) {
      emitListenerWarning(event, `event observer ${observer.name || '(anonymous)'}`, error);
    }
  }
}

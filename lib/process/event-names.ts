/**
 * The names of every event of {@link LLMProcessEvents}, at run time. The record below must name
 * each key of the map exactly once, so an event added to `events.ts` does not compile until it is
 * listed here too: what listens to every event (the run stream) cannot miss one.
 *
 * @module
 */
import type { LLMProcessEventName } from './events.js';

const EVERY_EVENT: Record<LLMProcessEventName, true> = {
  'run:start': true,
  'run:end': true,
  'api:start': true,
  'api:call': true,
  text: true,
  response: true,
  'tool:start': true,
  'tool:end': true,
  'child:start': true,
  'callback:error': true,
  checkpoint: true,
  'fd:create': true,
  'fd:read': true,
  rewind: true,
};

/** Every event name of {@link LLMProcessEvents}, in the order of the map. */
export const LLMPROCESS_EVENT_NAMES: readonly LLMProcessEventName[] = Object.freeze(Object.keys(EVERY_EVENT) as LLMProcessEventName[]);

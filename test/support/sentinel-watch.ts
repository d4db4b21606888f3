/**
 * R19, across every test: a mocha root hook plugin (loaded by .mocharc.json) that watches each
 * test for the sentinel API keys the tests use. Every event payload an LLMProcess emits (listened
 * to or not, children's too), everything written to stdout or stderr, and every process warning is
 * searched; a test during which a sentinel shows up fails, naming where the key leaked; the others
 * still run.
 *
 * Events are watched through the test kit's public seam, `observeProcessEvents` (llmproc/testing),
 * which sees every emit without being a listener. This file imports no llmproc module when it is
 * loaded: the seam is loaded in `beforeAll` (load-as-tests.ts), once the test files have loaded
 * llmproc themselves, so loading the watch first changes nothing in how llmproc's modules load
 * (for Stryker, a module loaded before its mutant is active hides the mutants of its load-time
 * code).
 */
import type { Context } from 'mocha';
import { dumpAll } from '../reliability/leak-scan.js';
import { loadTestKit } from './load-as-tests.js';
import { GEMINI_SENTINEL_API_KEY, OPENAI_SENTINEL_API_KEY, RELIABILITY_API_KEY, SENTINEL_API_KEY } from './sentinel-keys.js';

/** The keys the tests give the SDK, which nothing may print or emit. */
export const SENTINEL_KEYS: readonly string[] = [SENTINEL_API_KEY, RELIABILITY_API_KEY, OPENAI_SENTINEL_API_KEY, GEMINI_SENTINEL_API_KEY];

const leaks: string[] = [];
let watching = false;
let restore: (() => void) | undefined;
let stopObserving: (() => void) | undefined;

function check(where: string, text: string): void {
  for (const key of SENTINEL_KEYS) if (text.includes(key)) leaks.push(`${where}: ${text.slice(0, 300)}`);
}

/** Wraps `stream.write` to search what goes through, then writes it as before. */
function watchStream(stream: NodeJS.WriteStream, name: string): () => void {
  const write = stream.write;
  stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    check(name, typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof stream.write;
  return () => {
    stream.write = write;
  };
}

/** Observes every process event for the watch; set in `beforeAll`. */
let observe: (() => () => void) | undefined;

/**
 * Stops watching event payloads (stdout, stderr and warnings are still watched) until the
 * returned function is called: for a test of what a process does when nothing observes its events
 * (it then builds no event nobody hears). The test must give only keys that are no sentinel.
 */
export function pauseEventWatch(): () => void {
  stopObserving?.();
  stopObserving = undefined;
  return () => {
    stopObserving?.();
    stopObserving = observe?.();
  };
}

/** The root hooks: observe process events for the whole run, watch and check each test. */
export const mochaHooks = {
  async beforeAll(): Promise<void> {
    const { observeProcessEvents } = await loadTestKit();
    observe = () =>
      observeProcessEvents(({ event, payload }) => {
        if (watching) check(`the payload of "${event}"`, dumpAll(payload));
      });
    stopObserving?.();
    stopObserving = observe();
  },
  afterAll(): void {
    stopObserving?.();
    stopObserving = undefined;
  },
  beforeEach(): void {
    leaks.length = 0;
    watching = true;
    const onWarning = (warning: Error): void => check('a process warning', dumpAll(warning));
    process.on('warning', onWarning);
    const unwatchOut = watchStream(process.stdout, 'stdout');
    const unwatchErr = watchStream(process.stderr, 'stderr');
    restore = () => {
      watching = false;
      process.off('warning', onWarning);
      unwatchOut();
      unwatchErr();
    };
  },
  afterEach(this: Context): void {
    restore?.();
    restore = undefined;
    if (leaks.length > 0) {
      const found = leaks.splice(0);
      // Fails the test itself (mocha's Hook#error), so the other tests still run.
      (this.test as unknown as { error(error: Error): void }).error(
        new Error(`R19: a sentinel API key leaked during "${this.currentTest?.fullTitle()}":\n${found.join('\n')}`),
      );
    }
  },
};

/**
 * R19, across every test: a mocha root hook plugin (loaded by .mocharc.json) that watches each
 * test for the sentinel API keys the tests use. Every event payload an LLMProcess emits (listened
 * to or not), everything written to stdout or stderr, and every process warning is searched; a
 * test during which a sentinel shows up fails, naming where the key leaked; the others still run.
 */
import type { Context } from 'mocha';
import { LLMProcess } from '../../lib/process/llm-process.js';
import { RELIABILITY_API_KEY } from '../reliability/mcp-support.js';
import { dumpAll } from '../reliability/leak-scan.js';
import { SENTINEL_API_KEY } from './setup.js';
import { OPENAI_SENTINEL_API_KEY } from '../providers/openai/support.js';

/** The keys the tests give the SDK, which nothing may print or emit. */
export const SENTINEL_KEYS: readonly string[] = [SENTINEL_API_KEY, RELIABILITY_API_KEY, OPENAI_SENTINEL_API_KEY];

const leaks: string[] = [];
let restore: (() => void) | undefined;

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

/** The root hooks: start watching before each test, check after it. */
export const mochaHooks = {
  beforeEach(): void {
    leaks.length = 0;
    const emit = LLMProcess.prototype.emit;
    LLMProcess.prototype.emit = function (this: LLMProcess, event: string, ...args: unknown[]): boolean {
      check(`the payload of "${event}"`, dumpAll(args));
      return (emit as (...args: unknown[]) => boolean).call(this, event, ...args);
    } as typeof emit;
    const onWarning = (warning: Error): void => check('a process warning', dumpAll(warning));
    process.on('warning', onWarning);
    const unwatchOut = watchStream(process.stdout, 'stdout');
    const unwatchErr = watchStream(process.stderr, 'stderr');
    restore = () => {
      LLMProcess.prototype.emit = emit;
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

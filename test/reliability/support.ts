/**
 * Shared helpers of the reliability suite (RELIABILITY.md R1–R20): checks that a process's
 * conversation is valid for the Messages API, listener and unhandled-rejection bookkeeping, heap
 * measurements after a garbage collection, and small tools with a known outcome. Additive: other
 * files of the suite import from here.
 */
import Anthropic from '@anthropic-ai/sdk';
import { getEventListeners } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { LLMProcess } from '../../lib/process/llm-process.js';
import { appendUserInput } from '../../lib/process/conversation.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { toAnthropicParams } from '../../lib/providers/anthropic/mapping.js';
import {
  checkMessagesRequest,
  dropConnection,
  errorReply,
  type FakeAnthropicServer,
  type FakeReply,
  malformedJson,
  streamDrop,
  streamError,
  textReply,
  withoutCaching,
} from '../../lib/testing/index.js';
import { defineTool } from '../../lib/tools/function-tool.js';
import type { Tool, ToolResult } from '../../lib/tools/tool.js';
import * as v from 'valibot';
import { SENTINEL_API_KEY } from '../support/setup.js';
import { stubTool } from '../support/tools.js';

export { expectValidRequests, SENTINEL_API_KEY, setupTest, type TestSetup } from '../support/setup.js';
export { rejectionOf, signalled } from '../support/promises.js';

/** The event names of {@link LLMProcess}, for listener bookkeeping. */
export const PROCESS_EVENTS = ['run:start', 'run:end', 'api:start', 'api:call', 'text', 'response', 'tool:start', 'tool:end', 'child:start', 'callback:error'] as const;

/**
 * The problem the Messages API would answer 400 to if the process's next run started now (its
 * conversation, then a new user input), or `undefined` when the next request would be valid.
 */
export function historyProblem(process: LLMProcess): string | undefined {
  const messages = process.getState();
  appendUserInput(messages, 'next');
  const params = toAnthropicParams({ model: process.model, system: undefined, messages, tools: process.tools, parameters: {} });
  return checkMessagesRequest(params);
}

/** Throws, with the conversation, when {@link historyProblem} finds a problem. */
export function expectValidHistory(process: LLMProcess): void {
  const problem = historyProblem(process);
  if (problem !== undefined) throw new Error(`invalid history left in the process: ${problem}\n${JSON.stringify(process.getState())}`);
}

/** The first request the server got that the API would refuse, or `undefined`. */
export function invalidRequest(server: FakeAnthropicServer, from = 0): string | undefined {
  for (const request of server.requests.slice(from)) {
    const problem = checkMessagesRequest(request.body);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** How many listeners each event of the process has. */
export function listenerCounts(process: LLMProcess): Record<string, number> {
  return Object.fromEntries(PROCESS_EVENTS.map((event) => [event, process.listenerCount(event)]));
}

/** How many `abort` listeners an `AbortSignal` has (a leak of per-run listeners shows here). */
export function abortListenerCount(signal: AbortSignal): number {
  return getEventListeners(signal, 'abort').length;
}

/** Records `unhandledRejection`s from `start()` until `stop()`. */
export function watchUnhandledRejections(): { readonly reasons: unknown[]; stop(): void } {
  const reasons: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void reasons.push(reason);
  globalThis.process.on('unhandledRejection', onUnhandled);
  return { reasons, stop: () => void globalThis.process.off('unhandledRejection', onUnhandled) };
}

let gc: (() => void) | undefined;

/** Heap used after a full garbage collection (gc exposed at run time, as mocha does not expose it). */
export function heapAfterGc(): number {
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  gc();
  gc();
  return globalThis.process.memoryUsage().heapUsed;
}

/**
 * Starts a process of `program` on an SDK client made with `options` (a logger, retries) against
 * `server`: still the real SDK over HTTP.
 */
export function startWithClient(
  program: LLMProgram,
  server: FakeAnthropicServer,
  options: ConstructorParameters<typeof Anthropic>[0] = {},
): Promise<LLMProcess> {
  const client = new Anthropic({ apiKey: SENTINEL_API_KEY, baseURL: server.url, maxRetries: 0, ...options });
  return program.start({ client });
}

/** A function tool whose `run` is given (no schema beyond an object). */
export const tool = stubTool;

/** Answers `<name>:<value>`. */
export const okTool = (name = 'ok'): Tool =>
  tool(name, async (input): Promise<ToolResult> => ({ content: `${name}:${String(input['value'])}`, isError: false }));

/** Throws an Error. */
export const throwingTool = (name = 'boom'): Tool =>
  tool(name, async () => {
    throw new Error(`${name} failed`);
  });

/** Answers an empty output (sent without `content`, R8). */
export const emptyTool = (name = 'empty'): Tool => tool(name, async () => ({ content: '', isError: false }));

/** A `defineTool` tool that takes `{ n: number }` and doubles it: give it `{ n: 'x' }` for invalid input. */
export const typedTool = (name = 'double'): Tool =>
  defineTool({ name, description: 'Doubles n.', input: v.object({ n: v.number() }), run: ({ n }) => String(n * 2) });

/** Runs until its signal aborts, then settles (a well-behaved long tool). */
export const waitForAbortTool = (name = 'slow', onStart?: (signal: AbortSignal) => void): Tool =>
  tool(
    name,
    (_input, { signal }) =>
      new Promise<ToolResult>((resolve) => {
        onStart?.(signal);
        signal.addEventListener('abort', () => resolve({ content: `${name} stopped`, isError: false }), { once: true });
      }),
  );

/** Never settles and ignores its signal (the run must not wait for it). */
export const stubbornTool = (name = 'stubborn', onStart?: (signal: AbortSignal) => void): Tool =>
  tool(name, (_input, { signal }) => {
    onStart?.(signal);
    return new Promise<ToolResult>(() => {});
  });

/** The wire `messages` of a recorded request. */
export function messagesOf(server: FakeAnthropicServer, index: number): Array<{ role: string; content: Array<Record<string, unknown>> }> {
  const request = server.requests[index];
  if (!request) throw new Error(`the server got no request ${index} (it got ${server.requests.length})`);
  return (withoutCaching(request.body) as { messages: Array<{ role: string; content: Array<Record<string, unknown>> }> }).messages;
}

/** The echo MCP server of the test fixtures (tools `echo`, `slow`, `cancellations`, `crash`, ...). */
export const ECHO_SERVER = fileURLToPath(new URL('../fixtures/mcp/echo-server.mjs', import.meta.url));

/**
 * A program whose MCP server `echo` is the fixture echo server with the given `[mcp.tools]`
 * selection and per-call `timeoutMs`, its config in a temporary folder that `remove()` deletes.
 */
export function echoMcpProgram(tools: string[] | 'all', timeoutMs?: number): { program: LLMProgram; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'llmproc-reliability-'));
  const configPath = path.join(dir, 'mcp.json');
  writeFileSync(configPath, JSON.stringify({ mcpServers: { echo: { command: process.execPath, args: [ECHO_SERVER], ...(timeoutMs ? { timeoutMs } : {}) } } }));
  const program = new LLMProgram({ model: 'claude-test', mcp: { configPath, tools: { echo: tools } } });
  return { program, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An API fault the suite injects: an HTTP error, a dropped connection, a bad body, a broken stream. */
export type ApiFault = '500' | '529' | '429' | 'drop' | 'malformed' | 'stream-error' | 'stream-drop';

/** The fake reply that injects `fault`; a broken stream breaks off a text answer after its 4th event. */
export function faultReply(fault: ApiFault): FakeReply {
  const partial = textReply('Part of an answer that breaks off in the middle.');
  switch (fault) {
    case '500':
    case '529':
      return errorReply(Number(fault));
    case '429':
      return errorReply(429, { retryAfter: 1 });
    case 'drop':
      return dropConnection();
    case 'malformed':
      return malformedJson();
    case 'stream-error':
      return streamError(partial, { afterEvents: 4 });
    case 'stream-drop':
      return streamDrop(partial, { afterEvents: 4 });
  }
}

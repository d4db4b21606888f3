import { LLMPROCESS_EVENT_NAMES } from '../../lib/process/event-names.js';
/**
 * R19: a sentinel API key, used through whole runs (tools, an MCP server, streaming, API failures
 * after retries, an abort, a timeout, a throwing callback), never appears in a RunResult, an event
 * payload, an error (message, stack, cause chain, util.inspect), anything written to the console or
 * a process warning, a request body, or the MCP server's environment.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { inspect } from 'node:util';
import { RunError } from '../../lib/errors.js';
import type { LLMProcess } from '../../lib/process/llm-process.js';
import type { LLMProcessEventName } from '../../lib/process/events.js';
import type { RunOptions } from '../../lib/process/run-options.js';
import type { RunResult } from '../../lib/results/run-result.js';
import { errorReply, hang, streamError, textReply, toolUseReply } from '../../lib/testing/index.js';
import * as v from 'valibot';
import { defineTool } from '../../lib/tools/function-tool.js';
import { everything } from './leak-scan.js';
import { type McpRun, RELIABILITY_API_KEY, resultText, startMcpRun, toolResultsOf } from './mcp-support.js';

/** A tool whose output is long enough to be kept as a file descriptor. */
const longOutput = defineTool({ name: 'long_output', description: 'Returns a long text.', input: v.object({}), run: () => 'long '.repeat(40_000) });

/** Every event of the typed map (the list the run stream uses: a new event cannot be missed). */
const EVERY_EVENT_NAMES: readonly LLMProcessEventName[] = LLMPROCESS_EVENT_NAMES;

describe('reliability: the API key never leaks (R19)', () => {
  let run: McpRun | undefined;
  let savedKey: string | undefined;

  beforeEach(() => {
    savedKey = process.env['ANTHROPIC_API_KEY'];
    process.env['ANTHROPIC_API_KEY'] = RELIABILITY_API_KEY;
  });
  afterEach(async () => {
    sinon.restore();
    await run?.close();
    run = undefined;
    if (savedKey === undefined) delete process.env['ANTHROPIC_API_KEY'];
    else process.env['ANTHROPIC_API_KEY'] = savedKey;
  });

  /** Subscribes to every event of the map; returns every payload seen. */
  function recordEvents(llm: LLMProcess): unknown[] {
    const payloads: unknown[] = [];
    for (const name of EVERY_EVENT_NAMES) {
      llm.on(name, (payload: unknown) => void payloads.push({ event: name, payload }));
    }
    return payloads;
  }

  /** Records what goes to the console, stdout, stderr and process warnings until `stop()`. */
  function recordOutput(): { stop(): string } {
    const written: unknown[] = [];
    const record = (...args: unknown[]): void => void written.push(args);
    for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir'] as const) sinon.stub(console, method).callsFake(record);
    sinon.stub(process.stdout, 'write').callsFake((chunk: unknown) => (record(chunk), true));
    sinon.stub(process.stderr, 'write').callsFake((chunk: unknown) => (record(chunk), true));
    const onWarning = (warning: Error): void => record(warning);
    process.on('warning', onWarning);
    return {
      stop() {
        process.off('warning', onWarning);
        sinon.restore();
        return everything(written);
      },
    };
  }

  /** Runs `input`; returns the RunResult, or the RunError's, with the error itself. */
  async function attempt(llm: LLMProcess, input: string, options?: RunOptions): Promise<{ result: RunResult; error?: RunError }> {
    try {
      return { result: await llm.run(input, options) };
    } catch (error) {
      expect(error).to.be.instanceOf(RunError);
      return { result: (error as RunError).runResult, error: error as RunError };
    }
  }

  it('R19: the sentinel key appears in no RunResult, event payload, error, console output, warning, request body or MCP server environment', async () => {
    // No apiKey option: the client reads ANTHROPIC_API_KEY, as in production; maxRetries 1 so 5xx are retried once.
    run = await startMcpRun((dir) => ({ echo: dir.server('echo-server.mjs', 'echo') }), { echo: ['env', 'fail', 'crash'] }, { tools: ['calculator', 'fork', 'read_fd', longOutput], fileDescriptor: { maxDirectOutputChars: 100_000 } }, {
      apiKey: undefined,
      maxRetries: 1,
    });
    const llm = run.process;
    const payloads = recordEvents(llm);
    const outcomes: Array<{ result: RunResult; error?: RunError }> = [];
    const output = recordOutput();
    let written = '';
    try {
      // 1. Tools: builtin, MCP (its environment), a failing MCP tool, a server that dies; a throwing callback.
      run.server.enqueue(
        toolUseReply([
          { name: 'calculator', input: { expression: '6*7' } },
          { name: 'echo__env', input: {} },
          { name: 'echo__fail', input: {} },
        ]),
        toolUseReply([{ name: 'echo__crash', input: {} }]),
        textReply('Done with tools.'),
      );
      outcomes.push(
        await attempt(llm, 'Use the tools.', {
          callbacks: {
            on_tool_start: () => {
              throw new Error('callback failure');
            },
          },
        }),
      );
      // 1b. A fork: a child process is adopted (child:start carries it) and its events reach the parent.
      run.server.enqueue(toolUseReply([{ name: 'fork', input: { prompts: ['the forked task'] } }]), textReply('Fork done.'), textReply('Forked and done.'));
      outcomes.push(await attempt(llm, 'Fork once.'));
      // 1c. A rewind: code sends the run back to its input with another instruction (a rewind event).
      llm.once('response', () => llm.rewind(llm.messageIds.at(-2)!, 'The rewound task.'));
      run.server.enqueue(textReply('First answer.'), textReply('Rewound and done.'));
      outcomes.push(await attempt(llm, 'Rewind once.'));
      // 1d. A long result kept as a file descriptor (fd:create), and a page of it read (fd:read).
      run.server.enqueue(toolUseReply([{ name: 'long_output', input: {} }]), toolUseReply([{ name: 'read_fd', input: { fd: 'fd:1', page: 2 } }]), textReply('Read it.'));
      outcomes.push(await attempt(llm, 'Something long.'));
      // 2. Streaming, with tools, then a stream that fails midway.
      run.server.enqueue(toolUseReply([{ name: 'calculator', input: { expression: '1+1' } }]), textReply('Streamed answer.'));
      outcomes.push(await attempt(llm, 'Stream it.', { stream: true }));
      run.server.enqueue(streamError(textReply('Half an answer that never'), { afterEvents: 4 }));
      outcomes.push(await attempt(llm, 'Stream and fail.', { stream: true }));
      // 3. API failures: 401 (not retried), 500 after the SDK's retry, and an error body that echoes the key.
      run.server.enqueue(errorReply(401, { message: 'invalid x-api-key' }));
      outcomes.push(await attempt(llm, 'Unauthorized.'));
      run.server.enqueue(errorReply(500, { retryAfterMs: 1 }), errorReply(500, { retryAfterMs: 1 }));
      outcomes.push(await attempt(llm, 'Server error.'));
      run.server.enqueue(errorReply(403, { message: `key ${RELIABILITY_API_KEY} is not allowed here` }));
      outcomes.push(await attempt(llm, 'An error that echoes the key.'));
      // 4. An abort while the API hangs, and a timeout.
      run.server.enqueue(hang());
      const controller = new AbortController();
      llm.once('api:start', () => controller.abort(new Error('user cancelled')));
      outcomes.push(await attempt(llm, 'Abort me.', { signal: controller.signal }));
      run.server.enqueue(hang());
      outcomes.push(await attempt(llm, 'Time out.', { timeoutMs: 50 }));
    } finally {
      written = output.stop();
    }

    // The scenario happened as intended.
    expect(outcomes.map(({ result }) => result.stopReason)).to.deep.equal(['end_turn', 'end_turn', 'end_turn', 'end_turn', 'end_turn', 'error', 'error', 'error', 'error', 'aborted', 'timeout']);
    expect(outcomes.map(({ error }) => error?.name)).to.deep.equal([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      'ApiCallError',
      'ApiCallError',
      'ApiCallError',
      'ApiCallError',
      'RunAbortedError',
      'RunAbortedError',
    ]);
    expect(outcomes[7]!.error).to.include({ status: 500 });
    expect(run.server.requests.map((request) => request.headers['x-stainless-retry-count']), 'the SDK retried the 500 once').to.include('1');
    const seenEvents = new Set(payloads.map((entry) => (entry as { event: string }).event));
    expect([...seenEvents].sort()).to.deep.equal([...EVERY_EVENT_NAMES].sort());
    const envReport = resultText(toolResultsOf(run.server.requests[1])[1]);
    expect(JSON.parse(envReport)).to.have.property('PATH');
    const authorization = String(run.server.requests[0]!.headers['authorization'] ?? run.server.requests[0]!.headers['x-api-key']);
    expect(authorization, 'the sentinel is the key in use').to.include(RELIABILITY_API_KEY);

    // And the key is nowhere.
    const places: Array<[string, string]> = [
      ['RunResults', everything(outcomes.map(({ result }) => result))],
      ['RunResult JSON', JSON.stringify(outcomes.map(({ result }) => result))],
      ['event payloads', everything(payloads)],
      ['errors', everything(outcomes.map(({ error }) => error))],
      ['error messages and stacks', outcomes.map(({ error }) => `${String(error)}\n${error?.stack}\n${inspect(error)}`).join('\n')],
      ['console, stdout, stderr and warnings', written],
      ['request bodies', JSON.stringify(run.server.requests.map((request) => request.body))],
      ['the MCP server environment', envReport],
      ['the conversation', JSON.stringify(llm.getState())],
    ];
    for (const [where, text] of places) {
      expect(text.length, where).to.be.greaterThan(0);
      expect(text.includes(RELIABILITY_API_KEY), `the key leaked into ${where}`).to.equal(false);
      expect(text.includes('SENTINEL'), `part of the key leaked into ${where}`).to.equal(false);
    }
  });
});

/**
 * R13–R16: MCP servers that fail to start, die mid-call, hang or would see our secrets, driven end
 * to end: real server processes over stdio, an LLMProcess run on the real Anthropic SDK against the
 * fake server, and assertions on the next request the fake server records.
 */
import { expect } from 'chai';
import { getEventListeners } from 'node:events';
import sinon from 'sinon';
import * as v from 'valibot';
import { defineTool } from '../../lib/tools/function-tool.js';
import { McpServerStartError } from '../../lib/errors.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import type { ToolEndEvent } from '../../lib/process/events.js';
import { startFakeAnthropic, textReply, toolUseReply } from '../../lib/testing/index.js';
import {
  isGone,
  type McpRun,
  RELIABILITY_API_KEY,
  resultText,
  startMcpRun,
  TempDir,
  toolNamesOf,
  toolResultsOf,
  watchUnhandledRejections,
} from './mcp-support.js';

describe('reliability: MCP servers (R13–R16)', () => {
  let run: McpRun | undefined;
  let unhandled: ReturnType<typeof watchUnhandledRejections>;

  beforeEach(() => {
    unhandled = watchUnhandledRejections();
  });
  afterEach(async () => {
    await run?.close();
    run = undefined;
    sinon.restore();
    expect(unhandled.stop(), 'unhandled rejections').to.deep.equal([]);
  });

  describe('when a server cannot start', () => {
    let dir: TempDir;
    beforeEach(() => {
      dir = new TempDir();
    });
    afterEach(() => dir.remove());

    it('R13: program.start() rejects naming the server and the tail of its stderr, and stops the servers already started', async () => {
      const server = await startFakeAnthropic();
      try {
        const program = new LLMProgram({
          model: 'claude-test',
          provider: 'anthropic',
          mcp: {
            configPath: dir.config({ echo: dir.server('echo-server.mjs', 'echo'), broken: dir.server('broken-server.mjs', 'broken') }),
            tools: { echo: 'all', broken: 'all' },
          },
        });
        const error = await program.start({ apiKey: RELIABILITY_API_KEY, baseURL: server.url }).then(
          () => expect.fail('start() should have rejected'),
          (thrown: unknown) => thrown,
        );
        expect(error).to.be.instanceOf(McpServerStartError).and.include({ name: 'McpServerStartError', server: 'broken' });
        const startError = error as McpServerStartError;
        expect(startError.message).to.match(/^MCP server "broken" failed to start: the command ".*broken-server\.mjs" exited before completing the MCP handshake/);
        expect(startError.message).to.include('--- last lines of its stderr ---\nbroken-server: starting\nbroken-server: missing configuration file settings.json');
        expect(startError.stderrTail).to.equal('broken-server: starting\nbroken-server: missing configuration file settings.json');
        expect(isGone(dir.pid('echo')), 'the echo server that had started is stopped').to.equal(true);
        expect(server.requests, 'no model call was made').to.deep.equal([]);
      } finally {
        await server.close();
      }
    });

    it('R13: a server that never completes the handshake makes start() reject within its startTimeoutMs, naming it, with no process left', async () => {
      const server = await startFakeAnthropic();
      try {
        const program = new LLMProgram({
          model: 'claude-test',
          provider: 'anthropic',
          mcp: { configPath: dir.config({ hang: dir.server('hang-server.mjs', 'hang', { startTimeoutMs: 300 }) }), tools: { hang: 'all' } },
        });
        const error = await program.start({ apiKey: RELIABILITY_API_KEY, baseURL: server.url }).then(
          () => expect.fail('start() should have rejected'),
          (thrown: unknown) => thrown,
        );
        expect(error).to.be.instanceOf(McpServerStartError).and.have.property('server', 'hang');
        expect((error as Error).message).to.match(/did not complete the MCP handshake within 300 ms \(startTimeoutMs\)\n--- last lines of its stderr ---\nhang-server: waiting forever$/);
        expect(isGone(dir.pid('hang'))).to.equal(true);
      } finally {
        await server.close();
      }
    });
  });

  it('R14: a server that dies mid-call gives that call an is_error result with its stderr; later calls fail fast; the run goes on', async () => {
    // A long call timeout: a later call that waited for the dead server instead of failing fast would time the test out.
    run = await startMcpRun((dir) => ({ echo: dir.server('echo-server.mjs', 'echo', { timeoutMs: 60_000 }) }), { echo: ['echo', 'crash'] });
    const pid = run.dir.pid('echo');
    const toolEnd = sinon.spy((_event: ToolEndEvent) => {});
    run.process.on('tool:end', toolEnd);
    run.server.enqueue(
      toolUseReply([{ id: 'toolu_crash', name: 'echo__crash', input: {} }]),
      toolUseReply([{ id: 'toolu_after', name: 'echo__echo', input: { text: 'still there?' } }]),
      textReply('The echo server is gone; I will do without it.'),
    );

    const result = await run.process.run('Use the echo server.');

    expect(result.stopReason).to.equal('end_turn');
    expect(result.apiCalls).to.equal(3);
    expect(run.server.requests).to.have.length(3);
    const [crashed] = toolResultsOf(run.server.requests[1]);
    expect(crashed).to.include({ tool_use_id: 'toolu_crash', is_error: true });
    expect(resultText(crashed)).to.match(/^MCP server "echo" exited and is no longer running, so its tool "crash" cannot be called\./);
    expect(resultText(crashed)).to.include('Last lines of its stderr:').and.include('echo-server: crashing on purpose');
    const [after] = toolResultsOf(run.server.requests[2]);
    expect(after).to.include({ tool_use_id: 'toolu_after', is_error: true });
    expect(resultText(after)).to.match(/^MCP server "echo" exited and is no longer running, so its tool "echo" cannot be called\./);
    expect(toolEnd.getCalls().map((call) => [call.args[0].toolName, call.args[0].isError, call.args[0].source, call.args[0].server])).to.deep.equal([
      ['echo__crash', true, 'mcp', 'echo'],
      ['echo__echo', true, 'mcp', 'echo'],
    ]);
    expect(result.toolCalls.map((call) => call.isError)).to.deep.equal([true, true]);
    expect(run.process.getLastMessage()).to.equal('The echo server is gone; I will do without it.');
    expect(isGone(pid)).to.equal(true);
    expect(toolNamesOf(run.server.requests[2]), 'the dead server’s tools are still declared, so the history stays valid').to.deep.equal([
      'echo__echo',
      'echo__crash',
    ]);
  });

  it('R15: a call that outlives its timeoutMs is an is_error result naming the limit, the server is told, and the run goes on', async () => {
    run = await startMcpRun((dir) => ({ echo: dir.server('echo-server.mjs', 'echo', { timeoutMs: 200 }) }), { echo: ['slow', 'cancellations'] });
    run.server.enqueue(
      toolUseReply([{ id: 'toolu_slow', name: 'echo__slow', input: { ms: 60_000 } }]),
      toolUseReply([{ id: 'toolu_count', name: 'echo__cancellations', input: {} }]),
      textReply('The slow tool timed out.'),
    );

    const result = await run.process.run('Call the slow tool.');

    expect(result.stopReason).to.equal('end_turn');
    const [timedOut] = toolResultsOf(run.server.requests[1]);
    expect(timedOut).to.include({ tool_use_id: 'toolu_slow', is_error: true });
    expect(resultText(timedOut)).to.equal(
      'The call to tool "slow" of MCP server "echo" timed out after 200 ms and was cancelled ' +
        "(the server's timeoutMs in the MCP config sets this limit).",
    );
    const [count] = toolResultsOf(run.server.requests[2]);
    expect(count).not.to.have.property('is_error');
    expect(resultText(count), 'notifications/cancelled reached the server').to.equal('1');
  });

  it('R15: close() stops a server that ignores the end of its stdin and SIGTERM, leaving no process behind', async function () {
    // Bounded by the SDK's 2 s SIGTERM and llmproc's SIGKILL at 3 s; mocha's timeout is the bound here.
    this.timeout(10_000);
    run = await startMcpRun((dir) => ({ stubborn: dir.server('stubborn-server.mjs', 'stubborn'), echo: dir.server('echo-server.mjs', 'echo') }), {
      stubborn: ['ping'],
      echo: ['echo'],
    });
    const pids = [run.dir.pid('stubborn'), run.dir.pid('echo')];
    run.server.enqueue(toolUseReply([{ name: 'stubborn__ping', input: {} }]), textReply('pong it is'));
    await run.process.run('Ping.');
    expect(resultText(toolResultsOf(run.server.requests[1])[0])).to.equal('pong');
    expect(pids.map(isGone)).to.deep.equal([false, false]);

    await run.process.close();

    expect(pids.map(isGone), 'both server processes are gone').to.deep.equal([true, true]);
    await run.process.close(); // idempotent
  });

  it('R15: MCP calls leave no listener behind on the run signal, with or without a caller signal', async () => {
    let seen: AbortSignal | undefined;
    const probe = defineTool({
      name: 'probe',
      description: 'Keeps the signal it runs with.',
      input: v.object({}),
      run: async (_input, { signal }) => {
        seen = signal;
        return 'probed';
      },
    });
    run = await startMcpRun((dir) => ({ echo: dir.server('echo-server.mjs', 'echo', { timeoutMs: 200 }) }), { echo: ['echo', 'slow'] }, { tools: [probe] });
    const script = () => [
      toolUseReply([
        { name: 'echo__echo', input: { text: 'one' } },
        { name: 'echo__echo', input: { text: 'two' } },
        { name: 'echo__slow', input: { ms: 60_000 } },
      ]),
      toolUseReply([{ name: 'probe', input: {} }]),
      textReply('done'),
    ];
    for (const options of [{}, { signal: new AbortController().signal }]) {
      run.server.enqueue(...script());
      const listenersBefore = options.signal ? getEventListeners(options.signal, 'abort').length : 0;
      await run.process.run('Echo twice and wait.', options);
      // The probe ran last, with the run's signal: the three MCP calls before it left nothing on it.
      expect(getEventListeners(seen!, 'abort'), 'listeners left on the run signal').to.have.length(0);
      if (options.signal) expect(getEventListeners(options.signal, 'abort')).to.have.length(listenersBefore);
    }
  });

  it('R16: a server sees its config env and the safe defaults, never ANTHROPIC_API_KEY or the rest of our environment', async () => {
    const saved = { key: process.env['ANTHROPIC_API_KEY'], other: process.env['LLMPROC_RELIABILITY_SECRET'] };
    process.env['ANTHROPIC_API_KEY'] = RELIABILITY_API_KEY;
    process.env['LLMPROC_RELIABILITY_SECRET'] = 'not-for-mcp-servers';
    try {
      // No apiKey option: the client reads ANTHROPIC_API_KEY from this environment, as in production.
      run = await startMcpRun((dir) => ({ echo: dir.server('echo-server.mjs', 'echo', { env: { GREETING: 'from the config' } }) }), { echo: ['env'] }, {}, {
        apiKey: undefined,
      });
      run.server.enqueue(toolUseReply([{ name: 'echo__env', input: {} }]), textReply('Seen.'));
      await run.process.run('Show me your environment.');

      const reported = resultText(toolResultsOf(run.server.requests[1])[0]);
      const env = JSON.parse(reported) as Record<string, string>;
      expect(env).to.include({ GREETING: 'from the config', PATH: process.env['PATH'] });
      expect(env).not.to.have.property('ANTHROPIC_API_KEY');
      expect(env).not.to.have.property('LLMPROC_RELIABILITY_SECRET');
      expect(reported).not.to.include(RELIABILITY_API_KEY);
      expect(reported).not.to.include('not-for-mcp-servers');
      const { headers } = run.server.requests[0]!;
      expect(String(headers['authorization'] ?? headers['x-api-key']), 'the key did reach the API client').to.include(RELIABILITY_API_KEY);
    } finally {
      for (const [name, value] of [['ANTHROPIC_API_KEY', saved.key], ['LLMPROC_RELIABILITY_SECRET', saved.other]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

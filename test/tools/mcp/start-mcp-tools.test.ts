import { expect } from 'chai';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { McpConfigError, McpServerStartError, McpToolNotFoundError, ToolDefinitionError } from '../../../lib/errors.js';
import type { ToolResultPart } from '../../../lib/providers/types.js';
import { MCP_TOOL_SEPARATOR, type McpToolset, startMcpTools } from '../../../lib/tools/mcp/start-mcp-tools.js';
import { startHttpEchoServer } from '../../fixtures/mcp/http-echo-server.js';
import { context, everythingServer, fixtures, isGone, TempDir, toolNamed } from './support.js';

/** The rejection of `promise`; fails if it resolves. */
async function rejectionOf(promise: Promise<McpToolset>): Promise<Error> {
  const outcome = await promise.then(
    async (toolset) => {
      await toolset.close();
      return undefined;
    },
    (error: unknown) => error,
  );
  expect(outcome, 'the promise should have rejected').to.be.instanceOf(Error);
  return outcome as Error;
}

describe('startMcpTools', () => {
  let dir: TempDir;
  let toolset: McpToolset | undefined;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };

  before(() => process.on('unhandledRejection', onUnhandled));
  after(() => process.off('unhandledRejection', onUnhandled));
  beforeEach(() => {
    dir = new TempDir();
    unhandled.length = 0;
  });
  afterEach(async () => {
    await toolset?.close();
    toolset = undefined;
    dir.remove();
    expect(unhandled, 'unhandled rejections').to.deep.equal([]);
  });

  const startEcho = async (extra: Record<string, unknown> = {}, tools: string[] | 'all' = 'all'): Promise<McpToolset> => {
    toolset = await startMcpTools({ configPath: dir.config({ echo: dir.server('echo-server.mjs', 'echo', extra) }), tools: { echo: tools } });
    return toolset;
  };

  describe('when the servers start', () => {
    it('exposes each tool as server__tool with the server description and schema, and calls it', async () => {
      const echo = await startEcho();
      expect(MCP_TOOL_SEPARATOR).to.equal('__');
      expect(echo.servers).to.deep.equal(['echo']);
      expect(echo.tools.map((tool) => tool.name)).to.deep.equal([
        'echo__echo',
        'echo__add',
        'echo__fail',
        'echo__slow',
        'echo__cancellations',
        'echo__crash',
        'echo__env',
        'echo__image',
        'echo__resource',
        'echo__structured',
      ]);
      const add = toolNamed(echo, 'echo__add');
      expect(add).to.deep.include({ description: 'Adds two numbers.', source: { kind: 'mcp', server: 'echo', tool: 'add' } });
      expect(add.inputSchema).to.deep.include({ type: 'object', required: ['a', 'b'] });
      expect(add.inputSchema['properties']).to.deep.equal({ a: { type: 'number' }, b: { type: 'number' } });
      expect(toolNamed(echo, 'echo__fail').inputSchema).to.have.property('type', 'object');
      expect(await add.run({ a: 2, b: 3 }, context())).to.deep.equal({ content: '5', isError: false });
      expect(await toolNamed(echo, 'echo__echo').run({ text: 'hello' }, context())).to.deep.equal({ content: 'hello', isError: false });
    });

    it('maps results: isError, images, resources and structured content', async () => {
      const echo = await startEcho();
      expect(await toolNamed(echo, 'echo__fail').run({}, context())).to.deep.equal({ content: 'this tool always fails', isError: true });
      expect(await toolNamed(echo, 'echo__image').run({}, context())).to.deep.equal({
        content: [
          { type: 'image', mediaType: 'image/png', data: 'iVBORw0KGgo=' },
          { type: 'text', text: 'a pixel' },
        ],
        isError: false,
      });
      const resource = await toolNamed(echo, 'echo__resource').run({}, context());
      const [note, link, ...rest] = resource.content as ToolResultPart[];
      expect(note).to.deep.equal({ type: 'text', text: 'the note' });
      expect(link).to.have.property('type', 'text');
      expect(JSON.parse((link as { text: string }).text)).to.deep.equal({ type: 'resource_link', uri: 'memo://other', name: 'other' });
      expect(rest).to.deep.equal([]);
      expect(await toolNamed(echo, 'echo__structured').run({}, context())).to.deep.equal({ content: '{"answer":42}', isError: false });
    });

    it('turns an input the server rejects into an is_error result', async () => {
      const echo = await startEcho();
      const result = await toolNamed(echo, 'echo__add').run({ a: 'two' }, context());
      expect(result.isError).to.equal(true);
      expect(result.content).to.match(/expected number/i);
    });

    it('imports only the listed tools, in the listed order', async () => {
      const echo = await startEcho({}, ['add', 'echo', 'add']);
      expect(echo.tools.map((tool) => tool.name)).to.deep.equal(['echo__add', 'echo__echo']);
    });

    it('starts only the servers [mcp.tools] names, in parallel', async () => {
      const configPath = dir.config({
        one: dir.server('echo-server.mjs', 'one'),
        two: dir.server('echo-server.mjs', 'two'),
        unused: { command: 'llmproc-no-such-command' },
      });
      toolset = await startMcpTools({ configPath, tools: { two: ['add'], one: ['echo'] } });
      expect(toolset.servers).to.deep.equal(['two', 'one']);
      expect(toolset.tools.map((tool) => tool.name)).to.deep.equal(['two__add', 'one__echo']);
      expect(await toolNamed(toolset, 'two__add').run({ a: 1, b: 1 }, context())).to.deep.equal({ content: '2', isError: false });
    });

    it("runs a stdio server in its config file's folder", async () => {
      toolset = await startMcpTools({ configPath: path.join(fixtures, 'relative-servers.json'), tools: { echo: ['echo', 'env'] } });
      expect(await toolNamed(toolset, 'echo__echo').run({ text: 'relative' }, context())).to.deep.equal({ content: 'relative', isError: false });
      const env = JSON.parse(String((await toolNamed(toolset, 'echo__env').run({}, context())).content)) as Record<string, string>;
      expect(env['GREETING']).to.equal('from the config');
    });

    it('R16: gives a server only the safe defaults, the given env and its config env, never ANTHROPIC_API_KEY', async () => {
      const saved = { key: process.env['ANTHROPIC_API_KEY'], other: process.env['LLMPROC_TEST_SECRET'] };
      process.env['ANTHROPIC_API_KEY'] = 'sk-ant-sentinel-mcp-leak';
      process.env['LLMPROC_TEST_SECRET'] = 'not for servers';
      try {
        const configPath = dir.config({ echo: dir.server('echo-server.mjs', 'echo', { env: { GREETING: 'hi', SHARED: 'config wins' } }) });
        toolset = await startMcpTools({ configPath, tools: { echo: ['env'] } }, { env: { FROM_OPTIONS: 'yes', SHARED: 'options' } });
        const seen = JSON.parse(String((await toolNamed(toolset, 'echo__env').run({}, context())).content)) as Record<string, string>;
        expect(seen).to.include({ GREETING: 'hi', FROM_OPTIONS: 'yes', SHARED: 'config wins', PATH: process.env['PATH'] });
        expect(seen).not.to.have.property('ANTHROPIC_API_KEY');
        expect(seen).not.to.have.property('LLMPROC_TEST_SECRET');
        expect(JSON.stringify(seen)).not.to.include('sk-ant-sentinel');
      } finally {
        for (const [name, value] of [['ANTHROPIC_API_KEY', saved.key], ['LLMPROC_TEST_SECRET', saved.other]] as const) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      }
    });
  });

  describe('when [mcp.tools] asks for something the config does not have', () => {
    it('refuses a server the file does not define, listing the defined ones', async () => {
      const configPath = dir.config({ echo: dir.server('echo-server.mjs', 'echo'), other: { command: 'x' } });
      const error = await rejectionOf(startMcpTools({ configPath, tools: { echo: 'all', time: 'all' } }));
      expect(error).to.be.instanceOf(McpConfigError).and.include({ server: 'time', file: configPath, keyPath: 'mcpServers.time' });
      expect(error.message).to.equal(
        `${configPath}: [mcp.tools] names the server "time", which this file does not define; its servers: echo, other. ` +
          'Add it to "mcpServers" or remove it from [mcp.tools].',
      );
    });

    it('refuses a tool the server lacks, naming the tools it has, and stops the server', async () => {
      const configPath = dir.config({ echo: dir.server('echo-server.mjs', 'echo') });
      const error = await rejectionOf(startMcpTools({ configPath, tools: { echo: ['add', 'multiply'] } }));
      expect(error).to.be.instanceOf(McpToolNotFoundError).and.include({ server: 'echo', tool: 'multiply' });
      expect((error as McpToolNotFoundError).available).to.include.members(['echo', 'add', 'slow']);
      expect(error.message).to.match(/^MCP server "echo" has no tool "multiply" \(listed in \[mcp\.tools\]\)\. Its tools: echo, add, fail, slow, /);
      expect(isGone(dir.pid('echo')), 'the server was stopped').to.equal(true);
    });

    it('refuses a server__tool name the API would reject, naming the server and the tool', async () => {
      const configPath = dir.config({ 'my echo': dir.server('echo-server.mjs', 'echo') });
      const error = await rejectionOf(startMcpTools({ configPath, tools: { 'my echo': ['add'] } }));
      expect(error).to.be.instanceOf(ToolDefinitionError).and.have.property('tool', 'my echo__add');
      expect(error.message).to.match(/the tool "add" of MCP server "my echo" would be exposed to the model as "my echo__add", which the API refuses/);
      expect(isGone(dir.pid('echo'))).to.equal(true);
    });
  });

  describe('when a call goes wrong', () => {
    it('R15: a call that takes too long is an is_error result naming the timeout, and the server is told', async () => {
      const echo = await startEcho({ timeoutMs: 100 });
      // The call would take a minute, past mocha's timeout: only the call's own timeout can end it.
      const result = await toolNamed(echo, 'echo__slow').run({ ms: 60_000 }, context());
      expect(result).to.deep.equal({
        content:
          'The call to tool "slow" of MCP server "echo" timed out after 100 ms and was cancelled ' +
          "(the server's timeoutMs in the MCP config sets this limit).",
        isError: true,
      });
      expect(await toolNamed(echo, 'echo__cancellations').run({}, context()), 'notifications/cancelled reached the server').to.deep.equal({
        content: '1',
        isError: false,
      });
    });

    it('R11: an aborted call is an is_error result saying it was cancelled, and the server is told', async () => {
      const echo = await startEcho();
      const controller = new AbortController();
      const pending = toolNamed(echo, 'echo__slow').run({ ms: 10_000 }, context(controller.signal));
      // Requests are handled in order: once this one is answered, the server has the slow call.
      expect(await toolNamed(echo, 'echo__cancellations').run({}, context())).to.deep.equal({ content: '0', isError: false });
      controller.abort();
      expect(await pending).to.deep.equal({ content: 'The call to tool "slow" of MCP server "echo" was cancelled.', isError: true });
      expect(await toolNamed(echo, 'echo__cancellations').run({}, context())).to.deep.equal({ content: '1', isError: false });
      expect(await toolNamed(echo, 'echo__slow').run({ ms: 10_000 }, context(AbortSignal.abort()))).to.include({ isError: true });
      expect(await toolNamed(echo, 'echo__cancellations').run({}, context()), 'an aborted signal sends nothing').to.deep.equal({
        content: '1',
        isError: false,
      });
    });

    it('R14: a server that dies mid-call fails that call with its stderr, then later calls fail fast', async () => {
      const echo = await startEcho();
      const crashed = await toolNamed(echo, 'echo__crash').run({}, context());
      expect(crashed.isError).to.equal(true);
      expect(crashed.content).to.match(
        /^MCP server "echo" exited and is no longer running, so its tool "crash" cannot be called\.\nLast lines of its stderr:\n[\s\S]*echo-server: crashing on purpose$/,
      );
      expect(isGone(dir.pid('echo'))).to.equal(true);
      // Fails fast: answered before the event loop turns once more, so without a round trip to anything.
      const call = toolNamed(echo, 'echo__add').run({ a: 1, b: 2 }, context());
      const turn = new Promise<'a turn went by'>((resolve) => setImmediate(() => resolve('a turn went by')));
      const next = await Promise.race([call, turn]);
      expect(next, 'fails fast').not.to.equal('a turn went by');
      if (typeof next === 'string') return;
      expect(next.isError).to.equal(true);
      expect(next.content).to.match(/^MCP server "echo" exited and is no longer running, so its tool "add" cannot be called\./);
      await echo.close();
    });
  });

  describe('when a server cannot start (R13)', () => {
    it('rejects naming the server, the command and the tail of its stderr', async () => {
      const configPath = dir.config({ broken: dir.server('broken-server.mjs', 'broken') });
      const error = (await rejectionOf(startMcpTools({ configPath, tools: { broken: 'all' } }))) as McpServerStartError;
      expect(error).to.be.instanceOf(McpServerStartError).and.have.property('server', 'broken');
      expect(error.stderrTail).to.equal('broken-server: starting\nbroken-server: missing configuration file settings.json');
      expect(error.message).to.equal(
        `MCP server "broken" failed to start: the command "${process.execPath} ${path.join(fixtures, 'broken-server.mjs')}" exited before ` +
          'completing the MCP handshake\n--- last lines of its stderr ---\n' +
          'broken-server: starting\nbroken-server: missing configuration file settings.json',
      );
      expect(isGone(dir.pid('broken'))).to.equal(true);
    });

    it('rejects when the command does not exist', async () => {
      const configPath = dir.config({ ghost: { command: 'llmproc-no-such-command', args: ['--flag'] } });
      const error = await rejectionOf(startMcpTools({ configPath, tools: { ghost: 'all' } }));
      expect(error).to.be.instanceOf(McpServerStartError).and.have.property('server', 'ghost');
      expect(error.message).to.match(/^MCP server "ghost" failed to start: the command "llmproc-no-such-command --flag" was not found/);
    });

    it('times out a server that never answers the handshake, and stops it and the servers already started', async () => {
      const configPath = dir.config({
        hang: dir.server('hang-server.mjs', 'hang', { startTimeoutMs: 300 }),
        echo: dir.server('echo-server.mjs', 'echo'),
      });
      const error = (await rejectionOf(startMcpTools({ configPath, tools: { echo: 'all', hang: 'all' } }))) as McpServerStartError;
      expect(error).to.be.instanceOf(McpServerStartError).and.have.property('server', 'hang');
      expect(error.message).to.match(/the command ".*hang-server\.mjs" did not complete the MCP handshake within 300 ms \(startTimeoutMs\)/);
      expect(error.stderrTail).to.equal('hang-server: waiting forever');
      expect(isGone(dir.pid('hang')), 'the hanging server was stopped').to.equal(true);
      expect(isGone(dir.pid('echo')), 'the other server was stopped').to.equal(true);
    });

    it('gives up on servers still starting as soon as one fails', async () => {
      const configPath = dir.config({
        // Ten minutes, past mocha's timeout: only giving up when the other server fails ends the start.
        hang: dir.server('hang-server.mjs', 'hang', { startTimeoutMs: 600_000 }),
        broken: dir.server('broken-server.mjs', 'broken'),
      });
      const error = await rejectionOf(startMcpTools({ configPath, tools: { hang: 'all', broken: 'all' } }));
      expect(error).to.be.instanceOf(McpServerStartError).and.have.property('server', 'broken');
      expect(isGone(dir.pid('hang'))).to.equal(true);
    });

    it('stops starting when the signal aborts, rejecting with its reason', async () => {
      const configPath = dir.config({ hang: dir.server('hang-server.mjs', 'hang', { startTimeoutMs: 20_000 }) });
      const controller = new AbortController();
      const reason = new Error('user gave up');
      const pending = startMcpTools({ configPath, tools: { hang: 'all' } }, { signal: controller.signal });
      setTimeout(() => controller.abort(reason), 200);
      expect(await rejectionOf(pending)).to.equal(reason);
      expect(isGone(dir.pid('hang'))).to.equal(true);
      expect(await rejectionOf(startMcpTools({ configPath, tools: { hang: 'all' } }, { signal: AbortSignal.abort(reason) }))).to.equal(reason);
    });

    it('rejects naming the URL of an HTTP server that cannot be reached', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const configPath = dir.config({ remote: { url: `http://127.0.0.1:${port}/mcp?token=secret` } });
      const error = await rejectionOf(startMcpTools({ configPath, tools: { remote: 'all' } }));
      expect(error).to.be.instanceOf(McpServerStartError).and.have.property('server', 'remote');
      expect(error.message).to.match(new RegExp(`^MCP server "remote" failed to start: the URL http://127\\.0\\.0\\.1:${port}/mcp: .*ECONNREFUSED`));
      expect(error.message).not.to.include('secret');
      expect(error.message).not.to.include('stderr');
      expect((error as McpServerStartError).stderrTail).to.equal(undefined);
    });
  });

  describe('close()', () => {
    it('is idempotent, leaves no process behind, and later calls say the server was stopped', async () => {
      const echo = await startEcho();
      const pid = dir.pid('echo');
      expect(isGone(pid)).to.equal(false);
      const pending = toolNamed(echo, 'echo__slow').run({ ms: 10_000 }, context());
      await Promise.all([echo.close(), echo.close()]);
      await echo.close();
      expect(isGone(pid)).to.equal(true);
      expect(await pending).to.deep.include({ isError: true });
      expect(await toolNamed(echo, 'echo__add').run({ a: 1, b: 1 }, context())).to.deep.equal({
        content: 'MCP server "echo" has been stopped (the process was closed), so its tool "add" cannot be called.',
        isError: true,
      });
    });

    it('kills a server that ignores the end of its stdin and SIGTERM (close() is bounded: this test may take 8 s)', async function () {
      this.timeout(8000);
      const configPath = dir.config({ stubborn: dir.server('stubborn-server.mjs', 'stubborn') });
      toolset = await startMcpTools({ configPath, tools: { stubborn: ['ping'] } });
      expect(await toolNamed(toolset, 'stubborn__ping').run({}, context())).to.deep.equal({ content: 'pong', isError: false });
      await toolset.close();
      expect(isGone(dir.pid('stubborn')), 'only SIGKILL stops it').to.equal(true);
    });
  });

  describe('over streamable HTTP', () => {
    it('calls the tools of a server given by url, sending its headers, and ends the session on close()', async () => {
      const server = await startHttpEchoServer();
      try {
        const configPath = dir.config({ remote: { url: server.url, headers: { authorization: 'Bearer test-token' } } });
        toolset = await startMcpTools({ configPath, tools: { remote: 'all' } });
        expect(toolset.tools.map((tool) => tool.name)).to.deep.equal(['remote__echo']);
        expect(await toolNamed(toolset, 'remote__echo').run({ text: 'over http' }, context())).to.deep.equal({ content: 'http: over http', isError: false });
        expect(server.requests.length).to.be.greaterThan(0);
        expect(server.requests.every((request) => request.headers.authorization === 'Bearer test-token')).to.equal(true);
        await toolset.close();
        expect(server.requests.map((request) => request.method)).to.include('DELETE');
      } finally {
        await toolset?.close();
        await server.close();
      }
    });
  });

  describe('with the reference server-everything over stdio', () => {
    it('calls its echo tool and maps its image', async () => {
      const configPath = dir.config({ everything: { command: process.execPath, args: [everythingServer, 'stdio'] } });
      toolset = await startMcpTools({ configPath, tools: { everything: ['echo', 'get-tiny-image'] } });
      expect(toolset.tools.map((tool) => tool.name)).to.deep.equal(['everything__echo', 'everything__get-tiny-image']);
      expect(await toolNamed(toolset, 'everything__echo').run({ message: 'hello MCP' }, context())).to.deep.equal({
        content: 'Echo: hello MCP',
        isError: false,
      });
      const image = await toolNamed(toolset, 'everything__get-tiny-image').run({}, context());
      expect(image.isError).to.equal(false);
      expect(image.content).to.be.an('array');
      const images = (image.content as ToolResultPart[]).filter((part) => part.type === 'image');
      expect(images).to.have.length(1);
      expect(images[0]).to.include({ mediaType: 'image/png' });
      expect(Buffer.from((images[0] as { data: string }).data, 'base64').subarray(1, 4).toString()).to.equal('PNG');
    });
  });
});

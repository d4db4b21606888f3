import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { McpConfigError, McpServerStartError, McpToolNotFoundError } from '../../../lib/errors.js';
import { loadMcpConfig } from '../../../lib/tools/mcp/mcp-config.js';
import { type McpToolset, startMcpTools } from '../../../lib/tools/mcp/start-mcp-tools.js';
import type { Tool } from '../../../lib/tools/tool.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../../fixtures/mcp');
const everything = path.resolve(here, '../../../node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const node = process.execPath;

const context = (signal = new AbortController().signal) => ({ signal, toolUseId: 'toolu_1' });

/** Whether a process whose command line contains `marker` is running. */
function running(marker: string): boolean {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').some((line) => line.includes(marker) && !line.includes('ps -eo'));
}

function toolNamed(toolset: McpToolset, name: string): Tool {
  const tool = toolset.tools.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`no tool ${name}; have ${toolset.tools.map((t) => t.name).join(', ')}`);
  return tool;
}

describe('MCP tools', () => {
  let dir: string;
  let toolset: McpToolset | undefined;
  const write = (name: string, config: unknown): string => {
    const file = path.join(dir, name);
    writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
    return file;
  };
  const echoServer = (extra: Record<string, unknown> = {}) => ({ command: node, args: [path.join(fixtures, 'echo-server.mjs')], ...extra });

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'llmproc-mcp-'));
  });
  afterEach(async () => {
    await toolset?.close();
    toolset = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  describe('the config file', () => {
    it('names the file and the key at fault', () => {
      expect(() => loadMcpConfig(path.join(dir, 'missing.json'))).to.throw(McpConfigError, /missing\.json: cannot read the MCP servers' config file: file not found/);
      expect(() => loadMcpConfig(write('bad.json', '{ nope'))).to.throw(McpConfigError, /bad\.json: invalid JSON/);
      const wrongType = write('wrong.json', { mcpServers: { time: { command: 42 } } });
      expect(() => loadMcpConfig(wrongType)).to.throw(McpConfigError, /wrong\.json: mcpServers\.time: expected a stdio server/).with.property('server', 'time');
    });

    it('resolves a stdio server to run in the config folder, with defaults', () => {
      const config = loadMcpConfig(write('ok.json', { mcpServers: { a: { command: 'node', args: ['x.mjs'] }, b: { url: 'http://127.0.0.1:1/mcp', timeoutMs: 5 } } }));
      expect(config.servers['a']).to.deep.include({ kind: 'stdio', command: 'node', cwd: dir, timeoutMs: 30_000 });
      expect(config.servers['b']).to.deep.include({ kind: 'http', url: 'http://127.0.0.1:1/mcp', timeoutMs: 5 });
    });

    it('refuses a server that [mcp.tools] names but the file does not define, listing the defined ones', async () => {
      const configPath = write('servers.json', { mcpServers: { echo: echoServer() } });
      const error = await startMcpTools({ configPath, tools: { time: 'all' } }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(McpConfigError).with.property('server', 'time');
      expect((error as Error).message).to.match(/names the server "time", which this file does not define; its servers: echo/);
    });
  });

  describe('a running server', () => {
    it('exposes its tools as server__tool with their descriptions and schemas, and calls them', async () => {
      toolset = await startMcpTools({ configPath: write('s.json', { mcpServers: { echo: echoServer() } }), tools: { echo: 'all' } });
      expect(toolset.tools.map((tool) => tool.name)).to.deep.equal(['echo__echo', 'echo__add', 'echo__fail', 'echo__slow', 'echo__crash', 'echo__env', 'echo__image']);
      const add = toolNamed(toolset, 'echo__add');
      expect(add).to.deep.include({ description: 'Adds two numbers.', source: { kind: 'mcp', server: 'echo', tool: 'add' } });
      expect(add.inputSchema).to.deep.include({ type: 'object', required: ['a', 'b'] });
      expect(await add.run({ a: 2, b: 3 }, context())).to.deep.equal({ content: '5', isError: false });
      expect(await toolNamed(toolset, 'echo__fail').run({}, context())).to.deep.equal({ content: 'this tool always fails', isError: true });
      expect(await toolNamed(toolset, 'echo__image').run({}, context())).to.deep.equal({
        content: [{ type: 'image', mediaType: 'image/png', data: 'iVBORw0KGgo=' }, { type: 'text', text: 'a pixel' }],
        isError: false,
      });
    });

    it('imports only the listed tools', async () => {
      toolset = await startMcpTools({ configPath: write('s.json', { mcpServers: { echo: echoServer() } }), tools: { echo: ['add', 'echo'] } });
      expect(toolset.tools.map((tool) => tool.name)).to.deep.equal(['echo__add', 'echo__echo']);
    });

    it('refuses a listed tool the server lacks, naming the tools it has, and stops the server', async () => {
      const marker = `--marker-${process.pid}-missing-tool`;
      const configPath = write('s.json', { mcpServers: { echo: echoServer({ args: [path.join(fixtures, 'echo-server.mjs'), marker] }) } });
      const error = (await startMcpTools({ configPath, tools: { echo: ['add', 'multiply'] } }).catch((e: unknown) => e)) as McpToolNotFoundError;
      expect(error).to.be.instanceOf(McpToolNotFoundError);
      expect(error).to.include({ server: 'echo', tool: 'multiply' });
      expect(error.message).to.match(/MCP server "echo" has no tool "multiply".*Its tools: echo, add, fail, slow, crash, env, image/);
      expect(running(marker)).to.equal(false);
    });

    it('R16: gives the server only the safe defaults and its config env, never ANTHROPIC_API_KEY', async () => {
      const saved = process.env['ANTHROPIC_API_KEY'];
      process.env['ANTHROPIC_API_KEY'] = 'sk-ant-sentinel-mcp-leak';
      try {
        toolset = await startMcpTools({ configPath: write('s.json', { mcpServers: { echo: echoServer({ env: { GREETING: 'hi' } }) } }), tools: { echo: ['env'] } });
        const seen = JSON.parse(String((await toolNamed(toolset, 'echo__env').run({}, context())).content)) as Record<string, string>;
        expect(seen['GREETING']).to.equal('hi');
        expect(seen).not.to.have.property('ANTHROPIC_API_KEY');
        expect(JSON.stringify(seen)).not.to.include('sk-ant-sentinel');
        expect(seen).to.have.property('PATH');
      } finally {
        if (saved === undefined) delete process.env['ANTHROPIC_API_KEY'];
        else process.env['ANTHROPIC_API_KEY'] = saved;
      }
    });

    it('R15: a call that takes too long is an is_error result naming the timeout', async () => {
      toolset = await startMcpTools({ configPath: write('s.json', { mcpServers: { echo: echoServer({ timeoutMs: 100 }) } }), tools: { echo: ['slow', 'add'] } });
      const result = await toolNamed(toolset, 'echo__slow').run({ ms: 5000 }, context());
      expect(result).to.deep.equal({ content: 'The call to echo/slow timed out after 100 ms.', isError: true });
      expect(await toolNamed(toolset, 'echo__add').run({ a: 1, b: 1 }, context()), 'the server still works').to.deep.equal({ content: '2', isError: false });
    });

    it('R11: an aborted call is an is_error result saying it was cancelled', async () => {
      toolset = await startMcpTools({ configPath: write('s.json', { mcpServers: { echo: echoServer() } }), tools: { echo: ['slow'] } });
      const controller = new AbortController();
      const pending = toolNamed(toolset, 'echo__slow').run({ ms: 10_000 }, context(controller.signal));
      controller.abort();
      expect(await pending).to.deep.equal({ content: 'The call to echo/slow was cancelled.', isError: true });
    });

    it('R14: a server that dies mid-call fails that call, then fails fast, with its stderr', async () => {
      toolset = await startMcpTools({ configPath: write('s.json', { mcpServers: { echo: echoServer() } }), tools: { echo: ['crash', 'add'] } });
      const crashed = await toolNamed(toolset, 'echo__crash').run({}, context());
      expect(crashed.isError).to.equal(true);
      expect(crashed.content).to.match(/MCP server "echo" is no longer running, so crash cannot be called\. Its last stderr output:\n[\s\S]*crashing on purpose/);
      const next = await toolNamed(toolset, 'echo__add').run({ a: 1, b: 2 }, context());
      expect(next.isError).to.equal(true);
      expect(next.content).to.match(/no longer running, so add cannot be called/);
    });

    it('close() is idempotent and leaves no process behind', async () => {
      toolset = await startMcpTools({ configPath: write('s.json', { mcpServers: { echo: echoServer() } }), tools: { echo: ['add'] } });
      const pid = toolset.connections[0]!.pid!;
      expect(() => process.kill(pid, 0)).not.to.throw();
      await Promise.all([toolset.close(), toolset.close()]);
      await toolset.close();
      expect(() => process.kill(pid, 0)).to.throw(/ESRCH/);
    });
  });

  describe('a server that cannot start (R13)', () => {
    it('rejects naming the server and the tail of its stderr', async () => {
      const configPath = write('s.json', { mcpServers: { broken: { command: node, args: [path.join(fixtures, 'broken-server.mjs')] } } });
      const error = (await startMcpTools({ configPath, tools: { broken: 'all' } }).catch((e: unknown) => e)) as McpServerStartError;
      expect(error).to.be.instanceOf(McpServerStartError).with.property('server', 'broken');
      expect(error.message).to.match(/MCP server "broken" failed to start: command ".*broken-server\.mjs"/);
      expect(error.stderrTail).to.include('missing configuration file settings.json');
      expect(error.message).to.include('missing configuration file settings.json');
    });

    it('rejects when the command does not exist', async () => {
      const configPath = write('s.json', { mcpServers: { ghost: { command: 'llmproc-no-such-command' } } });
      const error = await startMcpTools({ configPath, tools: { ghost: 'all' } }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(McpServerStartError);
      expect((error as Error).message).to.match(/MCP server "ghost" failed to start: command "llmproc-no-such-command": the command was not found/);
    });

    it('times out a server that never answers the handshake, stops it and the servers already started', async () => {
      const marker = `--marker-${process.pid}-hang`;
      const echoMarker = `--marker-${process.pid}-sibling`;
      const configPath = write('s.json', {
        mcpServers: {
          hang: { command: node, args: [path.join(fixtures, 'hang-server.mjs'), marker], startTimeoutMs: 300 },
          echo: echoServer({ args: [path.join(fixtures, 'echo-server.mjs'), echoMarker] }),
        },
      });
      const error = (await startMcpTools({ configPath, tools: { hang: 'all', echo: 'all' } }).catch((e: unknown) => e)) as McpServerStartError;
      expect(error).to.be.instanceOf(McpServerStartError).with.property('server', 'hang');
      expect(error.message).to.match(/no MCP handshake within 300 ms/);
      expect(error.stderrTail).to.include('waiting forever');
      expect(running(marker), 'the hanging server was stopped').to.equal(false);
      expect(running(echoMarker), 'the sibling server was stopped').to.equal(false);
    });
  });

  it('works with the reference server-everything over stdio', async () => {
    toolset = await startMcpTools({ configPath: write('s.json', { mcpServers: { everything: { command: node, args: [everything, 'stdio'] } } }), tools: { everything: ['echo'] } });
    const echo = toolNamed(toolset, 'everything__echo');
    const result = await echo.run({ message: 'hello MCP' }, context());
    expect(result.isError).to.equal(false);
    expect(result.content).to.include('hello MCP');
  });
});

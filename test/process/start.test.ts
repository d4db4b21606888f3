import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import sinon from 'sinon';
import * as v from 'valibot';
import { McpServerStartError, MissingApiKeyError, ToolDefinitionError, UnsupportedProviderError } from '../../lib/errors.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { startFakeAnthropic, textReply, toolUseReply } from '../../lib/testing/index.js';
import { defineTool } from '../../lib/tools/function-tool.js';
import { SENTINEL_API_KEY, setupTest, type TestSetup } from '../support/setup.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/mcp');

describe('program.start()', () => {
  let saved: Record<string, string | undefined>;
  beforeEach(() => {
    saved = { key: process.env['ANTHROPIC_API_KEY'], token: process.env['ANTHROPIC_AUTH_TOKEN'], url: process.env['ANTHROPIC_BASE_URL'] };
    delete process.env['ANTHROPIC_API_KEY'];
    delete process.env['ANTHROPIC_AUTH_TOKEN'];
    delete process.env['ANTHROPIC_BASE_URL'];
  });
  afterEach(() => {
    for (const [name, value] of [['ANTHROPIC_API_KEY', saved['key']], ['ANTHROPIC_AUTH_TOKEN', saved['token']], ['ANTHROPIC_BASE_URL', saved['url']]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('rejects without a key, naming ANTHROPIC_API_KEY', async () => {
    const error = await new LLMProgram({ model: 'm' }).start().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(MissingApiKeyError);
    expect((error as Error).message).to.include('ANTHROPIC_API_KEY');
  });

  it('reads ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL as the SDK does', async () => {
    const server = await startFakeAnthropic();
    try {
      process.env['ANTHROPIC_API_KEY'] = SENTINEL_API_KEY;
      process.env['ANTHROPIC_BASE_URL'] = server.url;
      server.enqueue(textReply('from the environment'));
      const llm = await new LLMProgram({ model: 'm' }).start({ maxRetries: 0 });
      await llm.run('hi');
      expect(llm.getLastMessage()).to.equal('from the environment');
      expect(String(server.requests[0]!.headers['authorization'] ?? server.requests[0]!.headers['x-api-key'])).to.include(SENTINEL_API_KEY);
    } finally {
      await server.close();
    }
  });

  it('rejects a provider it cannot run, listing the supported ones', async () => {
    const error = await new LLMProgram({ model: 'claude-3-5-haiku@20241022', provider: 'vertex' }).start({ apiKey: 'x' }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(UnsupportedProviderError);
    expect((error as Error).message).to.include('"vertex" is not supported').and.include('supported providers:').and.include('"anthropic"').and.include('"openai"');
  });

  it('refuses two tools with one name, naming both sources', async () => {
    const calculator = defineTool({ name: 'calculator', description: 'mine', input: v.object({}), run: () => '' });
    const program = new LLMProgram({ model: 'm', tools: ['calculator'] });
    program.addTool({ ...calculator, name: 'calc2' });
    // addTool refuses the clash up front; start() catches one that only appears with MCP tools.
    expect(() => program.addTool(calculator)).to.throw(/already part of this program/);
    const dir = mkdtempSync(path.join(tmpdir(), 'llmproc-start-'));
    try {
      writeFileSync(path.join(dir, 'mcp.json'), JSON.stringify({ mcpServers: { echo: { command: process.execPath, args: [path.join(fixtures, 'echo-server.mjs')] } } }));
      const clash = new LLMProgram({
        model: 'm',
        baseDir: dir,
        tools: [defineTool({ name: 'echo__add', description: 'mine', input: v.object({}), run: () => '' })],
        mcp: { configPath: 'mcp.json', tools: { echo: ['add'] } },
      });
      const error = await clash.start({ apiKey: 'x' }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ToolDefinitionError);
      expect((error as Error).message).to.match(/"echo__add".*defined twice: by the function tool and by the MCP server "echo"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects when an MCP server fails to start, with its stderr', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'llmproc-start-'));
    try {
      writeFileSync(path.join(dir, 'mcp.json'), JSON.stringify({ mcpServers: { broken: { command: process.execPath, args: [path.join(fixtures, 'broken-server.mjs')] } } }));
      const error = await new LLMProgram({ model: 'm', baseDir: dir, mcp: { configPath: 'mcp.json', tools: { broken: 'all' } } }).start({ apiKey: 'x' }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(McpServerStartError);
      expect((error as McpServerStartError).stderrTail).to.include('missing configuration file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('program.start() with an [mcp] section that names no tools', () => {
  it('starts no MCP server: the config file is not even read', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'llmproc-start-'));
    try {
      const program = new LLMProgram({ model: 'claude-test', baseDir: dir, mcp: { configPath: 'no-such-file.json', tools: {} } });
      const llm = await program.start({ apiKey: SENTINEL_API_KEY });
      expect(llm.tools).to.deep.equal([]);
      await llm.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('what a started process holds, released', () => {
  afterEach(() => sinon.restore());

  it('an offline process that fails to start stops its scripted model', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'llmproc-start-'));
    try {
      writeFileSync(path.join(dir, 'mcp.json'), JSON.stringify({ mcpServers: { broken: { command: process.execPath, args: [path.join(fixtures, 'broken-server.mjs')] } } }));
      const listen = sinon.spy(Server.prototype, 'listen');
      const program = new LLMProgram({ model: 'claude-test', baseDir: dir, mcp: { configPath: 'mcp.json', tools: { broken: 'all' } } });
      const error = await program.start({ offline: true }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(McpServerStartError);
      expect(listen.callCount, 'the scripted model listened').to.equal(1);
      expect((listen.firstCall.thisValue as Server).listening, 'and was stopped').to.equal(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('close() stops the run log listening to the process', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'llmproc-start-'));
    try {
      const llm = await new LLMProgram({ model: 'claude-test', baseDir: dir, log: { file: 'runs.jsonl' } }).start({ apiKey: SENTINEL_API_KEY });
      expect(llm.listenerCount('run:end'), 'the run log listens').to.be.greaterThan(0);
      await llm.close();
      expect(llm.listenerCount('run:end')).to.equal(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a process with MCP tools', () => {
  let t: TestSetup;
  let dir: string;
  afterEach(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs them through the one tool runner, and events and RunResult name the server', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'llmproc-mcp-process-'));
    writeFileSync(path.join(dir, 'mcp.json'), JSON.stringify({ mcpServers: { echo: { command: process.execPath, args: [path.join(fixtures, 'echo-server.mjs')] } } }));
    t = await setupTest({ baseDir: dir, tools: ['calculator'], mcp: { configPath: 'mcp.json', tools: { echo: ['add'] } } });
    expect(t.process.tools.map((tool) => tool.name)).to.deep.equal(['calculator', 'echo__add']);
    t.server.enqueue(toolUseReply([{ name: 'echo__add', input: { a: 2, b: 40 } }, { name: 'calculator', input: { expression: '6*7' } }]), textReply('42 both ways'));
    const toolStart = sinon.spy();
    const onToolEnd = sinon.spy();
    t.process.on('tool:start', toolStart);
    const result = await t.process.run('add', { callbacks: { on_tool_end: onToolEnd } });
    expect(toolStart.firstCall.args[0]).to.deep.include({ toolName: 'echo__add', source: 'mcp', server: 'echo' });
    expect(toolStart.secondCall.args[0]).to.deep.include({ toolName: 'calculator', source: 'builtin' });
    expect(onToolEnd.getCalls().map((call) => [call.args[0], call.args[1]])).to.deep.include.members([
      ['echo__add', { content: '42', isError: false }],
      ['calculator', { content: '42', isError: false }],
    ]);
    expect(result.toolCalls.find((call) => call.toolName === 'echo__add')).to.deep.include({ source: 'mcp', server: 'echo', isError: false });
  });
});

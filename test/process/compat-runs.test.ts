/**
 * The llmproc 0.2.0 programs that use linked programs, fork, preload, env info and prompt files,
 * loaded unchanged, started and run on the scripted model through the real SDK. They run from a
 * copy of the compat folder whose MCP config points `codemcp` at a local stand-in (the real one
 * is fetched by uvx from GitHub).
 */
import { expect } from 'chai';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sinon from 'sinon';
import type { LLMProcess } from '../../lib/process/llm-process.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { AnthropicProvider, createAnthropicClient } from '../../lib/providers/anthropic/anthropic-provider.js';
import type { RunResult } from '../../lib/results/run-result.js';
import { chatReply, checkChatCompletionsRequest, checkMessagesRequest, type FakeAnthropicServer, startFakeOpenAI, startScriptedModel, withoutCaching } from '../../lib/testing/index.js';
import { SENTINEL_API_KEY } from '../support/setup.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const COMPAT = path.resolve(here, '../fixtures/compat/llmproc-0.2.0');
const STAND_IN = path.resolve(here, '../fixtures/mcp/codemcp-stand-in.mjs');

type Body = { model: string; system?: string; temperature?: number; top_p?: number; tools?: Array<{ name: string }>; messages: unknown[] };

describe('the llmproc 0.2.0 programs that work together, run on the scripted model', () => {
  let root: string;
  let server: FakeAnthropicServer;
  let warnings: sinon.SinonStub;
  const processes: LLMProcess[] = [];

  beforeEach(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'llmproc-compat-'));
    cpSync(COMPAT, root, { recursive: true });
    const config = { mcpServers: { codemcp: { type: 'stdio', command: process.execPath, args: [STAND_IN], cwd: root } } };
    writeFileSync(path.join(root, 'config', 'mcp_servers.json'), JSON.stringify(config));
    server = await startScriptedModel();
    warnings = sinon.stub(process, 'emitWarning');
  });

  afterEach(async () => {
    warnings.restore();
    await Promise.all(processes.splice(0).map((started) => started.close()));
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  /**
   * Loads `file` (relative to the copied examples folder) unchanged and starts it on the scripted
   * model; an `openai` program is given an Anthropic provider, through the `provider` start option.
   */
  async function start(file: string): Promise<LLMProcess> {
    const program = LLMProgram.fromToml(path.join(root, 'examples', file));
    const client = { apiKey: SENTINEL_API_KEY, baseURL: server.url, maxRetries: 0 };
    const provider = program.provider === 'openai' ? new AnthropicProvider(await createAnthropicClient(client)) : undefined;
    const started = await program.start({ ...client, provider });
    processes.push(started);
    return started;
  }

  const bodies = (): Body[] => server.requests.map((request) => withoutCaching(request.body) as Body);
  const warned = (): string[] => warnings.getCalls().map((call) => String(call.args[0]));

  /** Every request valid; the RunResult counts every request, the children's included, and sums their usage. */
  function expectAccounted(result: RunResult): void {
    for (const body of bodies()) expect(checkMessagesRequest(body), JSON.stringify(body)).to.equal(undefined);
    expect(result.apiCalls).to.equal(server.requests.length);
    const sum = (key: 'input_tokens' | 'output_tokens') => result.apiCallInfos.reduce((total, call) => total + Number(call.usage[key] ?? 0), 0);
    expect(result.usage.inputTokens).to.equal(sum('input_tokens')).and.be.greaterThan(0);
    expect(result.usage.outputTokens).to.equal(sum('output_tokens')).and.be.greaterThan(0);
  }

  it('program_linking/main.toml spawns repo_expert, which gets its preloaded README; missing preloads are warnings', async () => {
    const main = await start('program_linking/main.toml');
    const result = await main.run('Ask repo_expert: what is llmproc?');
    const [parent, child, answer] = bodies();
    expect(parent!.tools!.map((tool) => tool.name)).to.deep.equal(['spawn']);
    expect(child!.system).to.include(`<file path="${path.join(root, 'README.md')}">`).and.include('llmproc 0.2.0 example programs');
    expect(child!.messages).to.deep.equal([{ role: 'user', content: [{ type: 'text', text: 'what is llmproc?' }] }]);
    expect(JSON.stringify(answer!.messages.at(-1))).to.include('what is llmproc?');
    expect(main.getLastMessage()).to.match(/^Tool "spawn" returned: \[offline scripted model\] You said: "what is llmproc\?"/);
    expect(result.apiCallInfos.map((call) => call.child?.via)).to.deep.equal([undefined, 'spawn', undefined]);
    expect(warned().some((line) => line.includes(path.join(root, 'pyproject.toml')))).to.equal(true);
    expect(warned().some((line) => line.includes(path.join(root, 'src/llmproc/llm_process.py')))).to.equal(true);
    expectAccounted(result);
  });

  it('fork.toml forks one copy per task; each reads a file through codemcp', async () => {
    const forking = await start('fork.toml');
    expect(forking.tools.map((tool) => tool.name)).to.deep.equal(['fork', 'codemcp__read_file']);
    const result = await forking.run('Fork: summarize README.md; summarize prompts/example_prompt.md');
    // The fork tool's result, in full (the scripted model's final answer quotes only its start).
    const answer = JSON.parse(JSON.stringify(bodies().at(-1)!.messages.at(-1))).content[0].content[0].text as string;
    expect(forking.getLastMessage()).to.match(/^Tool "fork" returned: Fork 1/);
    expect(answer).to.include('Fork 1 (summarize README.md):\nTool "codemcp__read_file" returned: # llmproc 0.2.0 example programs');
    expect(answer).to.include('Fork 2 (summarize prompts/example_prompt.md):');
    const forks = result.apiCallInfos.filter((call) => call.child?.via === 'fork');
    expect(new Set(forks.map((call) => call.child!.processId)).size).to.equal(2);
    expect(forks).to.have.length(4);
    expect(result.toolCalls.filter((call) => call.toolName === 'codemcp__read_file')).to.have.length(2);
    expectAccounted(result);
  });

  it('claude_code.toml starts with its MCP tools and spawn, warns about its missing CLAUDE.md, and its dispatch agent reads a file', async () => {
    const claudeCode = await start('claude_code.toml');
    expect(claudeCode.tools.map((tool) => tool.name)).to.have.members(['spawn', 'codemcp__read_file', 'codemcp__ls', 'codemcp__grep']);
    expect(warned().some((line) => line.includes(path.join(root, 'examples', 'CLAUDE.md')))).to.equal(true);
    const result = await claudeCode.run('Ask dispatch_agent: look at README.md');
    const child = bodies()[1]!;
    expect(child.system).to.equal(readFileSync(path.join(root, 'prompts', 'claude-code-dispatch-agent-system-prompt.md'), 'utf8'));
    expect(claudeCode.getLastMessage()).to.include('llmproc 0.2.0 example programs');
    expect(result.toolCalls.map((call) => [call.toolName, call.child?.program])).to.deep.include(['codemcp__read_file', 'Claude Code Dispatch Agent']);
    expectAccounted(result);
  });

  it('preload.toml and complex.toml are openai programs: they start on the OpenAI provider and call Chat Completions', async () => {
    const openai = await startFakeOpenAI({ responder: () => chatReply('From the OpenAI fake.') });
    try {
      for (const file of ['preload.toml', 'complex.toml']) {
        const started = await LLMProgram.fromToml(path.join(root, 'examples', file)).start({ apiKey: SENTINEL_API_KEY, baseURL: openai.baseURL, maxRetries: 0 });
        processes.push(started);
        await started.run('What do you know?');
        expect(started.getLastMessage(), file).to.equal('From the OpenAI fake.');
      }
      const [preload, complex] = openai.requests.map((request) => withoutCaching(request.body) as { model: string; messages: { role: string }[]; [key: string]: unknown });
      expect(preload).to.deep.include({ model: 'gpt-4o', temperature: 0.7, max_completion_tokens: 500 });
      expect(complex).to.deep.include({ model: 'gpt-4o', temperature: 0.7, max_completion_tokens: 150, top_p: 0.95, frequency_penalty: 0, presence_penalty: 0 });
      expect(preload!.messages[0]!.role).to.equal('system');
      for (const request of openai.requests) expect(checkChatCompletionsRequest(request.body)).to.equal(undefined);
      expect(server.requests).to.have.length(0);
    } finally {
      await openai.close();
    }
  });

  it('preload.toml (on an Anthropic provider) sends both preloaded files in the system prompt', async () => {
    const preload = await start('preload.toml');
    expectAccounted(await preload.run('What do you know?'));
    const system = bodies()[0]!.system!;
    expect(system).to.include('<preload>');
    expect(system).to.include(`<file path="${path.join(root, 'README.md')}">\n${readFileSync(path.join(root, 'README.md'), 'utf8')}`);
    expect(system).to.include(`<file path="${path.join(root, 'prompts', 'example_prompt.md')}">`);
    expect(system).not.to.include('<env>');
  });

  it('env_info.toml sends the working directory, platform and date, and skips python_version', async () => {
    const envInfo = await start('env_info.toml');
    expectAccounted(await envInfo.run('Where am I?'));
    const system = bodies()[0]!.system!;
    expect(system).to.include('<env>');
    expect(system).to.include(`working_directory: ${process.cwd()}`);
    expect(system).to.include(`platform: ${process.platform}`);
    expect(system).to.match(/date: \d{4}-\d{2}-\d{2}/);
    expect(system).not.to.include('python_version');
    expect(system).not.to.include('<preload>');
  });

  it('complex.toml (on an Anthropic provider) sends its prompt file and its sampling parameters', async () => {
    const complex = await start('complex.toml');
    expectAccounted(await complex.run('Hello'));
    const body = bodies()[0]!;
    expect(body.system).to.equal(readFileSync(path.join(root, 'prompts', 'example_prompt.md'), 'utf8'));
    expect(body).to.include({ temperature: 0.7, top_p: 0.95 });
  });
});

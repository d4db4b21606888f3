/**
 * The `llmproc` command runs a program of any provider: it checks the key that program's provider
 * needs, and `--json` and `--stream` work the same. Here llmproc 0.2.0's minimal.toml (an OpenAI
 * program, unchanged) runs as a child process against the fake OpenAI server, and
 * examples/gemini.toml against the fake Gemini server.
 */
import { expect } from 'chai';
import path from 'node:path';
import {
  chatReply,
  checkChatCompletionsRequest,
  checkGenerateContentRequest,
  type FakeGeminiServer,
  type FakeOpenAIServer,
  functionCallsReply,
  geminiTextReply,
  startFakeGemini,
  startFakeOpenAI,
} from '../../lib/testing/index.js';
import { GEMINI_SENTINEL_API_KEY, OPENAI_SENTINEL_API_KEY } from '../support/sentinel-keys.js';
import { root, runCli } from './support.js';

const minimal = path.join(root, 'test/fixtures/compat/llmproc-0.2.0/examples/minimal.toml');

describe('llmproc (the command) on an OpenAI program', function () {
  this.timeout(30_000);
  let server: FakeOpenAIServer;
  beforeEach(async () => {
    server = await startFakeOpenAI();
  });
  afterEach(async () => server.close());
  const online = () => ({ OPENAI_API_KEY: OPENAI_SENTINEL_API_KEY, OPENAI_BASE_URL: server.baseURL });

  it('--json runs it on the OpenAI SDK: the message, stop reason and RunResult, with no trace of the key', async () => {
    server.enqueue(chatReply('Hi from gpt-4o-mini.', { usage: { prompt_tokens: 30, completion_tokens: 6, cached_tokens: 10 } }));
    const { code, stdout, stderr } = await runCli([minimal, '-p', 'Hello', '--json'], { env: online() });
    expect(code, stderr).to.equal(0);
    const report = JSON.parse(stdout) as { message: string; stopReason: string; runResult: { apiCalls: number; usage: Record<string, number>; apiCallInfos: Array<{ model: string }> } };
    expect(report).to.deep.include({ message: 'Hi from gpt-4o-mini.', stopReason: 'end_turn' });
    expect(report.runResult.apiCalls).to.equal(1);
    expect(report.runResult.usage).to.deep.include({ inputTokens: 20, cacheReadInputTokens: 10, outputTokens: 6 });
    expect(report.runResult.apiCallInfos[0]!.model).to.equal('gpt-4o-mini');
    expect(checkChatCompletionsRequest(server.requests[0]!.body)).to.equal(undefined);
    expect(stdout + stderr).not.to.include(OPENAI_SENTINEL_API_KEY);
  });

  it('--stream prints the streamed text as it arrives and asks the API to count its usage', async () => {
    server.enqueue(chatReply('Streamed answer.'));
    const { code, stdout } = await runCli([minimal, '-p', 'Hello', '--stream'], { env: online() });
    expect(code).to.equal(0);
    expect(stdout).to.match(/^Streamed answer\./);
    expect(server.requests[0]!.body).to.deep.include({ stream: true, stream_options: { include_usage: true } });
  });

  it('without OPENAI_API_KEY it refuses to run (exit 2), naming that variable and --offline, even with an Anthropic key set', async () => {
    const { code, stdout, stderr } = await runCli([minimal, '-p', 'Hello'], { env: { ANTHROPIC_API_KEY: 'sk-ant-other', OPENAI_BASE_URL: 'https://api.openai.com/v1' } });
    expect(code).to.equal(2);
    expect(stderr).to.include('OPENAI_API_KEY').and.include('--offline');
    expect(stdout).to.equal('');
    expect(server.requests).to.have.length(0);
  });

  it('--offline runs it on the scripted model, which answers programs of every provider', async () => {
    const { code, stdout, stderr } = await runCli([minimal, '-p', 'Hello', '--json', '--offline'], { env: {} });
    expect(code, stderr).to.equal(0);
    expect((JSON.parse(stdout) as { message: string }).message).to.include('[offline scripted model] You said: "Hello"');
    expect(stderr).to.include('OFFLINE');
  });
});

describe('llmproc (the command) on a Gemini program', function () {
  this.timeout(30_000);
  const program = path.join(root, 'examples/gemini.toml');
  let server: FakeGeminiServer;
  beforeEach(async () => {
    server = await startFakeGemini({ apiKey: GEMINI_SENTINEL_API_KEY });
  });
  afterEach(async () => server.close());

  it('--json runs examples/gemini.toml on @google/genai with GEMINI_API_KEY and GOOGLE_GEMINI_BASE_URL, with no trace of the key', async () => {
    server.enqueue(functionCallsReply([{ name: 'calculator', args: { expression: '12*34' } }]), geminiTextReply('12 × 34 = 408.', { usage: { promptTokenCount: 30, candidatesTokenCount: 6 } }));
    const { code, stdout, stderr } = await runCli([program, '-p', 'What is 12*34?', '--json'], { env: { GEMINI_API_KEY: GEMINI_SENTINEL_API_KEY, GOOGLE_GEMINI_BASE_URL: server.url } });
    expect(code, stderr).to.equal(0);
    const report = JSON.parse(stdout) as { message: string; stopReason: string; runResult: { apiCalls: number; toolCalls: unknown[] } };
    expect(report).to.deep.include({ message: '12 × 34 = 408.', stopReason: 'end_turn' });
    expect(report.runResult.apiCalls).to.equal(2);
    expect(report.runResult.toolCalls).to.have.length(1);
    for (const request of server.requests) expect(checkGenerateContentRequest(request.body)).to.equal(undefined);
    expect(stdout + stderr).not.to.include(GEMINI_SENTINEL_API_KEY);
  });

  it('without GEMINI_API_KEY it refuses to run (exit 2), naming that variable and --offline', async () => {
    const { code, stderr } = await runCli([program, '-p', 'Hello'], { env: { OPENAI_API_KEY: 'sk-other' } });
    expect(code).to.equal(2);
    expect(stderr).to.include('GEMINI_API_KEY').and.include('--offline');
    expect(server.requests).to.have.length(0);
  });

  it('--offline runs it on the scripted model', async () => {
    const { code, stdout, stderr } = await runCli([program, '-p', 'What is 12*34?', '--json', '--offline'], { env: {} });
    expect(code, stderr).to.equal(0);
    expect((JSON.parse(stdout) as { message: string }).message).to.equal('The calculator says 408.');
  });
});

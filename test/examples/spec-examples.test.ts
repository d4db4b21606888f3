/**
 * The spec's three examples, run as users run them (a child process importing 'llmproc'), against
 * the fake server through ANTHROPIC_BASE_URL, and offline on the scripted model.
 */
import { expect } from 'chai';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chatReply, checkChatCompletionsRequest, type FakeAnthropicServer, startFakeAnthropic, startFakeOpenAI, textReply, toolUseReply } from '../../lib/testing/index.js';
import { OPENAI_SENTINEL_API_KEY } from '../support/sentinel-keys.js';
import { SENTINEL_API_KEY } from '../support/setup.js';
import { runExample } from './support.js';
import { withoutCaching } from '../../lib/testing/without-caching.js';

const COMPAT_EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/compat/llmproc-0.2.0/examples');

describe('the spec examples, end to end', () => {
  let server: FakeAnthropicServer;
  beforeEach(async () => {
    server = await startFakeAnthropic();
  });
  afterEach(async () => server.close());
  const online = () => ({ ANTHROPIC_API_KEY: SENTINEL_API_KEY, ANTHROPIC_BASE_URL: server.url });

  it('run-result.ts prints the response, the metrics and each API call', async () => {
    server.enqueue(textReply('I am well, thank you!', { usage: { input_tokens: 21, output_tokens: 8 } }));
    const { stdout, stderr } = await runExample('run-result.ts', online());
    expect(stdout).to.include('Response: I am well, thank you!');
    expect(stdout).to.match(/Run completed in \d+ms/);
    expect(stdout).to.include('API calls: 1');
    expect(stdout).to.include('API call 1:\n  Model: claude-haiku-4-5\n  Usage: {"input_tokens":21,"output_tokens":8');
    expect(stderr).not.to.include('OFFLINE');
    const body = withoutCaching(server.requests[0]!.body) as { system: string; messages: unknown[] };
    expect(body.system).to.equal('You are a helpful assistant. Always keep your responses brief and to the point.');
    expect(body.messages).to.deep.equal([{ role: 'user', content: [{ type: 'text', text: 'Hello, how are you?' }] }]);
  });

  it("run-result.ts runs llmproc 0.2.0's minimal.toml unchanged (gpt-4o-mini) on the OpenAI SDK against the fake OpenAI server", async () => {
    const openai = await startFakeOpenAI();
    try {
      openai.enqueue(chatReply('Doing well!', { usage: { prompt_tokens: 30, completion_tokens: 4, cached_tokens: 0 } }));
      const minimal = path.join(COMPAT_EXAMPLES, 'minimal.toml');
      const { stdout, stderr } = await runExample('run-result.ts', { OPENAI_API_KEY: OPENAI_SENTINEL_API_KEY, OPENAI_BASE_URL: openai.baseURL }, [minimal]);
      expect(stdout).to.include('Response: Doing well!');
      expect(stdout).to.include('API calls: 1');
      expect(stdout).to.include('API call 1:\n  Model: gpt-4o-mini\n  Usage: {"prompt_tokens":30,"completion_tokens":4');
      expect(stderr).not.to.include('OFFLINE');
      expect(server.requests).to.have.length(0);
      const body = openai.requests[0]!.body as { model: string; max_completion_tokens: number; messages: unknown[] };
      expect(body).to.deep.include({ model: 'gpt-4o-mini', max_completion_tokens: 100 });
      expect(body.messages).to.deep.equal([
        { role: 'system', content: 'You are a helpful assistant. Always keep your responses brief and to the point.' },
        { role: 'user', content: 'Hello, how are you?' },
      ]);
      expect(checkChatCompletionsRequest(body)).to.equal(undefined);
    } finally {
      await openai.close();
    }
  });

  it('callbacks.ts tracks active tools across an MCP tool and the calculator', async () => {
    server.enqueue(
      toolUseReply(
        [
          { name: 'clock__current_time', input: { timezone: 'Asia/Tokyo' } },
          { name: 'calculator', input: { expression: '12*34' } },
        ],
        { text: 'Checking the clock and computing.' },
      ),
      textReply('It is late in Tokyo, and 12*34 = 408.'),
    );
    const { stdout } = await runExample('callbacks.ts', online());
    expect(stdout).to.include('⚙️ Running tool: clock__current_time {"timezone":"Asia/Tokyo"} (1 active tools)');
    expect(stdout).to.include('⚙️ Running tool: calculator {"expression":"12*34"} (2 active tools)');
    expect(stdout).to.match(/✓ Tool completed: (calculator|clock__current_time) \(1 active tools\)/);
    expect(stdout).to.match(/✓ Tool completed: (calculator|clock__current_time) \(0 active tools\)/);
    expect(stdout).to.include('💬 Response: Checking the clock and computing....');
    expect(stdout).to.include('Final response:\nIt is late in Tokyo, and 12*34 = 408.');
    expect(stdout).to.match(/Run completed in \d+\.\d\ds using 2 API calls/);
    const results = (withoutCaching(server.requests[1]!.body) as { messages: Array<{ content: Array<{ content?: unknown }> }> }).messages.at(-1)!.content;
    expect(JSON.stringify(results[0]!.content)).to.include('(Asia/Tokyo)');
    expect(JSON.stringify(results[1]!.content)).to.include('"408"');
    expect(stdout + JSON.stringify(server.requests.map((r) => r.body))).not.to.include(SENTINEL_API_KEY);
  });

  it('progress-tracker.ts shows the spinner naming the tool, then the answer and metrics', async () => {
    server.enqueue(toolUseReply([{ name: 'clock__current_time', input: {} }]), textReply('It is noon UTC.'));
    const { stdout } = await runExample('progress-tracker.ts', online());
    expect(stdout).to.include('Working on your request...');
    expect(stdout).to.match(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Processing: clock__current_time/);
    expect(stdout).to.include('Final response: It is noon UTC.');
    expect(stdout).to.match(/Run completed in \d+ms using 2 API calls/);
  });

  it('without ANTHROPIC_API_KEY the demo says it is offline and runs on the scripted model', async () => {
    const { stdout, stderr } = await runExample('callbacks.ts', {});
    expect(stderr).to.include('no ANTHROPIC_API_KEY set, so this runs OFFLINE on the built-in scripted model');
    expect(stdout).to.include('⚙️ Running tool: calculator {"expression":"12*34"}');
    expect(stdout).to.include('The calculator says 408.');
    expect(stdout).to.match(/using 2 API calls/);
  });
});

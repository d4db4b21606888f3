/**
 * The README's quick start, pasted as it is into a fresh folder outside the repository and run
 * there: offline without a key, and on the API (the fake server) with one.
 */
import { expect } from 'chai';
import { type FakeAnthropicServer, startFakeAnthropic, textReply } from '../../lib/testing/index.js';
import { SENTINEL_API_KEY } from '../support/setup.js';
import { readmeQuickStart, runQuickStart } from './support.js';
import { withoutCaching } from '../../lib/testing/without-caching.js';

describe('the README quick start, as pasted', function () {
  this.timeout(40_000); // two child processes compiling the sources through tsx
  let server: FakeAnthropicServer;
  beforeEach(async () => {
    server = await startFakeAnthropic();
  });
  afterEach(async () => server.close());

  it('is the program and the script, asking to go offline without a key', () => {
    const { toml, script } = readmeQuickStart();
    expect(toml).to.include('name = "claude-haiku-4-5"');
    expect(script).to.include("LLMProgram.fromToml('minimal.toml')");
    expect(script).to.include("program.start({ offline: 'auto' })");
    expect(script).not.to.include('llmproc/testing');
  });

  it('runs offline on the scripted model without ANTHROPIC_API_KEY, saying so on stderr', async () => {
    const { stdout, stderr } = await runQuickStart({});
    expect(stdout).to.include('Response: [offline scripted model] You s...');
    expect(stdout).to.include('[offline scripted model] You said: "Hello, how are you?".');
    expect(stdout).to.match(/Run completed in \d+ms using 1 API calls/);
    expect(stdout).to.include('API call 1: claude-haiku-4-5 {');
    expect(stderr).to.include('LLMProcOfflineWarning: no ANTHROPIC_API_KEY set, so this process runs OFFLINE');
  });

  it('talks to the API with ANTHROPIC_API_KEY set, without a warning', async () => {
    server.enqueue(textReply('Very well, thanks!', { usage: { input_tokens: 21, output_tokens: 8 } }));
    const { stdout, stderr } = await runQuickStart({ ANTHROPIC_API_KEY: SENTINEL_API_KEY, ANTHROPIC_BASE_URL: server.url });
    expect(stdout).to.include('Response: Very well, thanks!...');
    expect(stdout).to.include('Run completed in');
    expect(stdout).to.match(/API call 1: claude-haiku-4-5 \{\s+input_tokens: 21,\s+output_tokens: 8/);
    expect(stderr).not.to.include('OFFLINE');
    expect(server.requests).to.have.length(1);
    expect((withoutCaching(server.requests[0]!.body) as { system: string }).system).to.equal('You are a helpful assistant. Always keep your responses brief and to the point.');
  });
});

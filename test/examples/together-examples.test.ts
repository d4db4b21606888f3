/**
 * The linked-programs and fork examples, run as users run them: offline on the scripted model,
 * and against the fake server through ANTHROPIC_BASE_URL as they would run on the real API.
 */
import { expect } from 'chai';
import { type FakeAnthropicServer, startFakeAnthropic, textReply, toolUseReply } from '../../lib/testing/index.js';
import { SENTINEL_API_KEY } from '../support/setup.js';
import { runExample } from './support.js';
import { withoutCaching } from '../../lib/testing/without-caching.js';

type Body = { model: string; system: string; tools?: Array<{ name: string }>; messages: Array<{ role: string; content: unknown }> };

describe('the programs-working-together examples', () => {
  describe('offline, on the scripted model', () => {
    it('linked-programs.ts: the front desk spawns math_expert, which uses the calculator; both are in the RunResult', async () => {
      const { stdout, stderr } = await runExample('linked-programs.ts', {});
      expect(stderr).to.include('runs OFFLINE on the built-in scripted model');
      expect(stdout).to.include('⚙️ Front Desk runs spawn {"program_name":"math_expert","query":"what is 12*34?"}');
      expect(stdout).to.include('⚙️ Math Expert (via spawn) runs calculator {"expression":"12*34"}');
      expect(stdout).to.include('Answer: Tool "spawn" returned: The calculator says 408.');
      expect(stdout).to.include('API calls: 4 in all');
      expect(stdout.match(/^ {2}Math Expert: \d+ in, \d+ out$/gm)).to.have.length(2);
    });

    it('fork.ts: two forks each use the calculator, and their answers come back together', async () => {
      const { stdout } = await runExample('fork.ts', {});
      expect(stdout.match(/^✓ fork proc-\d+: calculator done$/gm)).to.have.length(2);
      expect(stdout).to.include('✓ parent: fork done');
      expect(stdout).to.include('Fork 1 (what is 12*34):\nThe calculator says 408.');
      expect(stdout).to.include('Fork 2 (what is 2^10):\nThe calculator says 1024.');
      expect(stdout).to.match(/API calls: 6 \(2 forks included\)/);
    });
  });

  describe('online, against the fake server', () => {
    let server: FakeAnthropicServer;
    beforeEach(async () => {
      server = await startFakeAnthropic();
    });
    afterEach(() => server.close());
    const online = () => ({ ANTHROPIC_API_KEY: SENTINEL_API_KEY, ANTHROPIC_BASE_URL: server.url });

    it('linked-programs.ts sends the expert its own model, prompt and tools, and relays its answer', async () => {
      server.enqueue(
        toolUseReply([{ name: 'spawn', input: { program_name: 'math_expert', query: '12*34' } }], { usage: { input_tokens: 50, output_tokens: 5 } }),
        toolUseReply([{ name: 'calculator', input: { expression: '12*34' } }], { usage: { input_tokens: 30, output_tokens: 4 } }),
        textReply('408', { usage: { input_tokens: 40, output_tokens: 1 } }),
        textReply('12 times 34 is 408.', { usage: { input_tokens: 60, output_tokens: 7 } }),
      );
      const { stdout, stderr } = await runExample('linked-programs.ts', online());
      expect(stderr).not.to.include('OFFLINE');
      const bodies = server.requests.map((request) => withoutCaching(request.body) as Body);
      expect(bodies.map((body) => body.tools?.map((tool) => tool.name))).to.deep.equal([['spawn'], ['calculator'], ['calculator'], ['spawn']]);
      expect(bodies[1]!.system).to.match(/^You are a math expert/);
      expect(stdout).to.include('Answer: 12 times 34 is 408.');
      expect(stdout).to.include('API calls: 4 in all');
      expect(stdout).to.include('  Front Desk: 50 in, 5 out\n  Math Expert: 30 in, 4 out\n  Math Expert: 40 in, 1 out\n  Front Desk: 60 in, 7 out');
      expect(stdout).to.include('Tokens: 197;');
    });

    it('fork.ts gives each fork the conversation so far plus its own task', async () => {
      server.respondWith((request) => {
        const body = withoutCaching(request.body) as Body;
        const last = JSON.stringify(body.messages.at(-1));
        if (body.messages.length === 1) return toolUseReply([{ name: 'fork', input: { prompts: ['task one', 'task two'] }, id: 'toolu_fork' }]);
        if (last.includes('Fork 1 (task one)')) return textReply('Both tasks are done.');
        if (last.includes('task one')) return textReply('one done');
        if (last.includes('task two')) return textReply('two done');
        return textReply('unexpected request');
      });
      const { stdout } = await runExample('fork.ts', online());
      expect(stdout).to.include('Answer:\nBoth tasks are done.');
      expect(stdout).to.include('API calls: 4 (2 forks included)');
      const forkBodies = server.requests.map((request) => withoutCaching(request.body) as Body).slice(1, 3);
      expect(forkBodies.map((body) => JSON.stringify(body.messages.at(-1))).sort()).to.deep.equal([
        JSON.stringify({ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_fork', content: [{ type: 'text', text: 'You are fork 1 of 2. Work only on the task below and answer it.' }] }, { type: 'text', text: 'task one' }] }),
        JSON.stringify({ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_fork', content: [{ type: 'text', text: 'You are fork 2 of 2. Work only on the task below and answer it.' }] }, { type: 'text', text: 'task two' }] }),
      ]);
      for (const body of forkBodies) expect(body.messages[0]).to.deep.equal({ role: 'user', content: [{ type: 'text', text: 'Fork: what is 12*34; what is 2^10' }] });
    });
  });
});

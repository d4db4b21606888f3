/**
 * The approval example (README "Steering and resuming runs"), run as users run it: offline on the
 * scripted model, and against the fake server through ANTHROPIC_BASE_URL as it would run on the
 * real API.
 */
import { expect } from 'chai';
import { type FakeAnthropicServer, startFakeAnthropic, textReply, toolUseReply } from '../../lib/testing/index.js';
import { SENTINEL_API_KEY } from '../support/setup.js';
import { runExample } from './support.js';
import { withoutCaching } from '../../lib/testing/without-caching.js';

type Body = { messages: Array<{ role: string; content: Array<Record<string, unknown>> }> };

describe('the approval example', () => {
  it('offline: pauses before the calculator, saves and restores the paused run, approves, and finishes in one RunResult', async () => {
    const { stdout, stderr } = await runExample('approval.ts', {});
    expect(stderr).to.include('runs OFFLINE on the built-in scripted model');
    expect(stdout).to.include('Stopped: awaiting_approval\nWaiting for approval: calculator {"expression":"12*34"} (toolu_scripted_1_1)');
    expect(stdout).to.include('[tool] calculator {"expression":"12*34"}: approved');
    expect(stdout).to.include('Answer: The calculator says 408.');
    expect(stdout).to.include('One run: 2 API calls, 1 tool call, stopReason end_turn');
  });

  describe('online, against the fake server', () => {
    let server: FakeAnthropicServer;
    beforeEach(async () => {
      server = await startFakeAnthropic();
    });
    afterEach(() => server.close());

    it('sends the approved result in the request after the pause, and prints nothing of the key', async () => {
      server.enqueue(toolUseReply([{ name: 'calculator', input: { expression: '12*34' }, id: 'toolu_calc' }]), textReply('12*34 is 408.'));
      const { stdout, stderr } = await runExample('approval.ts', { ANTHROPIC_API_KEY: SENTINEL_API_KEY, ANTHROPIC_BASE_URL: server.url });
      expect(stderr).not.to.include('OFFLINE');
      expect(server.requests).to.have.length(2);
      const last = (withoutCaching(server.requests[1]!.body) as Body).messages.at(-1)!;
      expect(last.content).to.deep.equal([{ type: 'tool_result', tool_use_id: 'toolu_calc', content: [{ type: 'text', text: '408' }] }]);
      expect(stdout).to.include('Waiting for approval: calculator {"expression":"12*34"} (toolu_calc)');
      expect(stdout).to.include('Answer: 12*34 is 408.');
      expect(stdout + stderr).not.to.include(SENTINEL_API_KEY);
    });
  });
});

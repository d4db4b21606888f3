import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LLMProgram } from '../../../lib/program/llm-program.js';
import { messageReply, textReply, toolUseReply } from '../../../lib/testing/index.js';
import { expectValidRequests, setupTest, type TestSetup } from '../../support/setup.js';
import { echoTool } from '../../support/tools.js';

type Body = Record<string, unknown> & { messages: Array<{ role: string; content: Array<Record<string, unknown>> }> };

describe('provider-specific parameters, as the Anthropic API receives them', () => {
  let t: TestSetup | undefined;
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'llmproc-anthropic-parameters-'));
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const bodies = (): Body[] => t!.server.requests.map((request) => request.body as Body);

  for (const stream of [false, true]) {
    it(`a TOML program’s tool_choice, metadata, service_tier, extra_headers and betas reach every request (${stream ? 'streamed' : 'not streamed'})`, async () => {
      const file = path.join(dir, 'params.toml');
      writeFileSync(
        file,
        [
          '[model]\nname = "claude-test"\nprovider = "anthropic"\n[parameters]',
          'tool_choice = { type = "auto", disable_parallel_tool_use = true }',
          'metadata = { user_id = "user-42" }',
          'service_tier = "standard_only"',
          'extra_headers = { "x-team" = "search", "anthropic-beta" = "own-beta" }',
          'betas = ["interleaved-thinking-2025-05-14", "other-beta"]',
        ].join('\n'),
      );
      const program = LLMProgram.fromToml(file);
      program.addTool(echoTool('echo'));
      t = await setupTest(program);
      t.server.enqueue(toolUseReply([{ name: 'echo', input: { value: 'v' } }]), textReply('done'));
      await t.process.run('go', { stream });
      expect(t.server.requests).to.have.length(2);
      for (const [i, request] of t.server.requests.entries()) {
        expect(request.body, `request ${i}`).to.deep.include({
          tool_choice: { type: 'auto', disable_parallel_tool_use: true },
          metadata: { user_id: 'user-42' },
          service_tier: 'standard_only',
        });
        expect(request.headers['x-team']).to.equal('search');
        expect(request.headers['anthropic-beta']).to.equal('own-beta,interleaved-thinking-2025-05-14,other-beta');
      }
      expectValidRequests(t);
    });
  }

  describe('when extended thinking is on', () => {
    const thinking = { type: 'thinking', thinking: 'The user wants an echo; I will call the tool.', signature: 'sig-anthropic-1' };
    const redacted = { type: 'redacted_thinking', data: 'encrypted-reasoning-1' };

    for (const [what, blocks, stream] of [
      ['a thinking block (not streamed)', [thinking], false],
      ['a thinking block (streamed)', [thinking], true],
      ['redacted thinking after thinking (streamed)', [thinking, redacted], true],
    ] as const) {
      it(`a tool loop sends ${what} back unchanged, opening the turn it answers`, async () => {
        t = await setupTest({ tools: [echoTool('echo')], parameters: { maxTokens: 4096, thinking: { type: 'enabled', budgetTokens: 2048 } } });
        t.server.enqueue(
          messageReply({ content: [...blocks, { type: 'tool_use', id: 'toolu_th', name: 'echo', input: { value: 'x' } }], stop_reason: 'tool_use' }),
          textReply('echoed x'),
        );
        const result = await t.process.run('echo x', { stream });
        expect(result).to.include({ stopReason: 'end_turn', lastMessage: 'echoed x', apiCalls: 2 });
        const [first, second] = bodies();
        expect(first!['thinking']).to.deep.equal({ type: 'enabled', budget_tokens: 2048 });
        expect(second!.messages[1]).to.deep.equal({ role: 'assistant', content: [...blocks, { type: 'tool_use', id: 'toolu_th', name: 'echo', input: { value: 'x' } }] });
        expect(t.process.getState()[1]!.content[0]).to.deep.equal({ type: 'opaque', provider: 'anthropic', data: blocks[0] });
      });
    }

    it('the next prompt keeps the earlier thinking blocks in the history the API accepts', async () => {
      t = await setupTest({ tools: [echoTool('echo')], parameters: { maxTokens: 4096, thinking: { type: 'enabled', budgetTokens: 1024 } } });
      t.server.enqueue(
        messageReply({ content: [thinking, { type: 'tool_use', id: 'toolu_a', name: 'echo', input: { value: 'a' } }], stop_reason: 'tool_use' }),
        textReply('a done'),
        textReply('second answer'),
      );
      await t.process.run('first');
      const result = await t.process.run('second');
      expect(result.lastMessage).to.equal('second answer');
      expect(bodies()[2]!.messages[1]!.content[0]).to.deep.equal(thinking);
      expectValidRequests(t);
    });
  });
});

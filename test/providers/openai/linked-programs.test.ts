/** A linked program of provider openai, spawned by an Anthropic program: each calls its own API, one RunResult. */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { LLMProgram } from '../../../lib/program/llm-program.js';
import { loadPriceCatalog } from '../../../lib/results/pricing.js';
import { chatReply, type FakeOpenAIServer, startFakeOpenAI, textReply, toolCallsReply, toolUseReply } from '../../../lib/testing/index.js';
import { expectValidRequests, setupTest, type TestSetup } from '../../support/setup.js';
import { expectValidOpenAIRequests, OPENAI_SENTINEL_API_KEY, type ChatBody, withEnv } from './support.js';

describe('an Anthropic program spawning a linked OpenAI program', () => {
  let dir: string;
  let openai: FakeOpenAIServer;
  let t: TestSetup | undefined;
  let restoreEnv: () => void;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'llmproc-openai-linked-'));
    openai = await startFakeOpenAI();
    restoreEnv = withEnv({ OPENAI_API_KEY: OPENAI_SENTINEL_API_KEY, OPENAI_BASE_URL: undefined });
  });
  afterEach(async () => {
    sinon.restore();
    restoreEnv();
    await t?.close();
    t = undefined;
    await openai.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the child calls the OpenAI server with its own program's provider; both appear in one RunResult", async () => {
    writeFileSync(
      path.join(dir, 'gpt.toml'),
      `[model]\nname = "gpt-4o-mini"\nprovider = "openai"\ndisplay_name = "GPT Helper"\nbase_url = "${openai.baseURL}"\n[prompt]\nsystem_prompt = "You are the GPT helper."\n[tools]\nenabled = ["calculator"]\n`,
    );
    writeFileSync(path.join(dir, 'main.toml'), '[model]\nname = "claude-haiku-4-5"\nprovider = "anthropic"\n[tools]\nenabled = ["spawn"]\n[linked_programs]\ngpt = "gpt.toml"\n');
    await loadPriceCatalog();
    t = await setupTest(LLMProgram.fromToml(path.join(dir, 'main.toml')));
    t.server.enqueue(
      toolUseReply([{ name: 'spawn', input: { program_name: 'gpt', query: 'What is 6*7?' } }], { usage: { input_tokens: 100, output_tokens: 10 } }),
      textReply('GPT says 42.', { usage: { input_tokens: 150, output_tokens: 5 } }),
    );
    openai.enqueue(
      // The child uses a tool of its own: its tool calls are in the parent's RunResult, tagged.
      toolCallsReply([{ name: 'calculator', arguments: { expression: '6*7' }, id: 'call_calc' }]),
      chatReply('42', { usage: { prompt_tokens: 40, cached_tokens: 10, completion_tokens: 2 } }),
    );
    const apiCall = sinon.spy();
    t.process.on('api:call', apiCall);
    const result = await t.process.run('Ask GPT.');

    expect(t.process.getLastMessage()).to.equal('GPT says 42.');
    const [childFirst, childSecond] = openai.requests.map((request) => request.body as ChatBody);
    expect(childFirst).to.deep.include({ model: 'gpt-4o-mini' });
    expect(childFirst!.messages.slice(0, 2)).to.deep.equal([
      { role: 'system', content: 'You are the GPT helper.' },
      { role: 'user', content: 'What is 6*7?' },
    ]);
    expect(childSecond!.messages.at(-1)).to.deep.equal({ role: 'tool', tool_call_id: 'call_calc', content: '42' });
    expect(openai.requests[0]!.headers['authorization']).to.equal(`Bearer ${OPENAI_SENTINEL_API_KEY}`);
    const spawnResult = (t.server.requests[1]!.body as { messages: { content: { content?: unknown }[] }[] }).messages.at(-1)!.content[0]!;
    expect(JSON.stringify(spawnResult.content)).to.include('42');

    expect(result.apiCalls).to.equal(4);
    expect(result.apiCallInfos.map((call) => [call.model, call.child?.program])).to.deep.equal([
      ['claude-haiku-4-5', undefined],
      ['gpt-4o-mini', 'GPT Helper'],
      ['gpt-4o-mini', 'GPT Helper'],
      ['claude-haiku-4-5', undefined],
    ]);
    expect(result.toolCalls.map((call) => [call.toolName, call.child?.program])).to.deep.equal([
      ['calculator', 'GPT Helper'],
      ['spawn', undefined],
    ]);
    // Usage adds up across providers, each call in the neutral meaning (OpenAI's cached tokens counted once).
    expect(result.usage).to.deep.equal({ inputTokens: 100 + 10 + 30 + 150, outputTokens: 10 + 5 + 2 + 5, cacheReadInputTokens: 10, cacheCreationInputTokens: 0 });
    // Each call is priced by its own provider's catalog.
    expect(result.apiCallInfos[2]!.costUsd).to.be.closeTo((30 * 0.15 + 10 * 0.075 + 2 * 0.6) / 1e6, 1e-15);
    expect(result.apiCallInfos[0]!.costUsd).to.be.closeTo((100 * 1 + 10 * 5) / 1e6, 1e-15);
    expect(apiCall.callCount).to.equal(4);
    expectValidRequests(t);
    expectValidOpenAIRequests(openai);
  });
});

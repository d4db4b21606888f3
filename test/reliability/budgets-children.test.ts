/**
 * R23: budgets cover everything a run starts. Spawned and forked children spend from the parent's
 * budget (the parent's totals include theirs, and they stop when the parent's budget is spent); an
 * unpriced child under a cost budget is refused, never silently unmetered; spawns nest at most
 * `maxSpawnDepth` deep, since linked programs may form cycles.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { budgetLeft } from '../../lib/process/budget.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { RunResult } from '../../lib/results/run-result.js';
import { textReply, toolUseReply } from '../../lib/testing/index.js';
import { expectValidRequests, setupTest, type TestSetup } from '../support/setup.js';
import { echoTool } from '../support/tools.js';
import { withoutCaching } from '../../lib/testing/without-caching.js';

type Block = { type: string; text?: string; content?: unknown; is_error?: boolean };
type Body = { model: string; messages: Array<{ role: string; content: Block[] }> };

const PARENT_USAGE = { input_tokens: 90, output_tokens: 10 };
const CHILD_USAGE = { input_tokens: 900, output_tokens: 100 };
const answersTool = (body: Body): boolean => body.messages.at(-1)!.content.some((block) => block.type === 'tool_result');

describe('reliability: budgets cover children (R23)', () => {
  let t: TestSetup | undefined;
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'llmproc-r23-'));
  });
  afterEach(async () => {
    sinon.restore();
    await t?.close();
    t = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('R23: a spawned child looping on tools (1,000-token calls) under a 2,500-token budget stops when the parent run’s total reaches it', async () => {
    const expert = new LLMProgram({ model: 'claude-expert', displayName: 'Expert', tools: ['calculator'] });
    t = await setupTest({ model: 'claude-main', tools: ['spawn'], linkedPrograms: { expert } });
    t.server.respondWith((request) => {
      const body = withoutCaching(request.body) as Body;
      if (body.model === 'claude-expert') return toolUseReply([{ name: 'calculator', input: { expression: '1+1' } }], { usage: CHILD_USAGE });
      if (answersTool(body)) return textReply('The expert answered.', { usage: PARENT_USAGE });
      return toolUseReply([{ name: 'spawn', input: { program_name: 'expert', query: 'Keep computing.' } }], { usage: PARENT_USAGE });
    });
    const toolEnd = sinon.spy();
    t.process.on('tool:end', toolEnd);
    const result = await t.process.run('Ask the expert', { maxTokens: 2500 });
    const childCalls = t.server.requests.filter((request) => (withoutCaching(request.body) as Body).model === 'claude-expert');
    // 100 (parent) + 1,000 + 1,000 = 2,100 < 2,500, so a third child call starts; after it, 3,100: no more calls.
    expect(childCalls).to.have.length(3);
    expect(result).to.include({ stopReason: 'budget', apiCalls: 4, totalTokens: 3100 });
    expect(result.apiCallInfos.filter((info) => info.child?.program === 'Expert')).to.have.length(3);
    const spawnEnd = toolEnd.getCalls().map((call) => call.args[0]).find((event) => event.toolName === 'spawn');
    expect(spawnEnd).to.deep.include({ isError: true });
    expect(String(spawnEnd.result.content)).to.include("stopped before it finished: the run's budget is spent");
    expectValidRequests(t);
  });

  it('R23: forked children share the parent’s budget: together they stop once the run’s total reaches it', async () => {
    t = await setupTest({ model: 'claude-main', tools: ['fork', echoTool('alpha')] });
    t.server.respondWith((request) => {
      const body = withoutCaching(request.body) as Body;
      if (JSON.stringify(body).includes('You are fork')) return toolUseReply([{ name: 'alpha', input: { value: 'again' } }], { usage: CHILD_USAGE });
      if (answersTool(body)) return textReply('Both forks came back.', { usage: PARENT_USAGE });
      return toolUseReply([{ name: 'fork', input: { prompts: ['task A', 'task B'] } }], { usage: PARENT_USAGE });
    });
    const result = await t.process.run('Do A and B', { maxTokens: 2500 });
    const forkCalls = result.apiCallInfos.filter((info) => info.child?.via === 'fork');
    // Once the total reaches 2,500 no fork starts another call: at most the calls in flight finish
    // (two completions stay under it, then each of the two forks may have one call going).
    expect(forkCalls.length).to.be.within(3, 4);
    expect(result.stopReason).to.equal('budget');
    expect(result.totalTokens).to.equal(100 + forkCalls.length * 1000);
  });

  it('R23: an unpriced child under a cost budget is refused with an is_error result naming its model, and nothing is sent for it', async () => {
    const expert = new LLMProgram({ model: 'claude-expert-unpriced', displayName: 'Expert' });
    t = await setupTest({ model: 'claude-haiku-4-5', tools: ['spawn'], linkedPrograms: { expert } });
    t.server.respondWith((request) => {
      const body = withoutCaching(request.body) as Body;
      if (body.model !== 'claude-haiku-4-5') return textReply('unmetered answer');
      if (answersTool(body)) return textReply('I will answer myself.');
      return toolUseReply([{ name: 'spawn', input: { program_name: 'expert', query: 'hi' } }]);
    });
    const result = await t.process.run('Ask the expert', { maxCostUsd: 1 });
    expect(t.server.requests.map((request) => (withoutCaching(request.body) as Body).model)).to.deep.equal(['claude-haiku-4-5', 'claude-haiku-4-5']);
    const spawnResult = (withoutCaching(t.server.requests[1]!.body) as Body).messages.at(-1)!.content[0]!;
    expect(spawnResult.is_error).to.equal(true);
    expect(JSON.stringify(spawnResult.content)).to.include('its model \\"claude-expert-unpriced\\" has no known price').and.to.include('maxCostUsd 1');
    expect(result.costUsd).to.be.a('number');
    expect(result.stopReason).to.equal('end_turn');
  });

  it('R23: a cost budget is never silently unmetered: a call of unknown cost counts as spending it', () => {
    const result = new RunResult();
    const tokens = { inputTokens: 1, outputTokens: 1, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 };
    result.addApiCall({ model: 'm', usage: {}, tokens, stopReason: 'end_turn', id: 'x', durationMs: 1, costUsd: null });
    expect(budgetLeft({ maxCostUsd: 1 }, result)).to.equal(false);
    expect(budgetLeft({ maxTokens: 100 }, result)).to.equal(true);
  });

  describe('spawn depth (linked programs in a cycle)', () => {
    /** A program that links to itself and whose model always spawns it, until a spawn is refused. */
    async function startLooper(run = ''): Promise<TestSetup> {
      const file = path.join(dir, 'looper.toml');
      writeFileSync(file, `[model]\nname = "claude-loop"\nprovider = "anthropic"\ndisplay_name = "Looper"\n[tools]\nenabled = ["spawn"]\n[linked_programs]\nself = "looper.toml"\n${run}`);
      const setup = await setupTest(LLMProgram.fromToml(file));
      setup.server.respondWith((request) => {
        const body = withoutCaching(request.body) as Body;
        // Without a depth limit this cycle never ends; stop answering with spawns after 40 requests.
        if (answersTool(body) || setup.server.requests.length > 40) return textReply('done');
        return toolUseReply([{ name: 'spawn', input: { program_name: 'self', query: 'again' } }]);
      });
      return setup;
    }

    /** The is_error tool results the server was sent. */
    const refusals = (setup: TestSetup): string[] =>
      setup.server.requests.flatMap((request) =>
        (withoutCaching(request.body) as Body).messages.at(-1)!.content.filter((block) => block.is_error).map((block) => JSON.stringify(block.content)),
      );

    it('R23: maxSpawnDepth N lets spawns nest N deep, then refuses with an is_error result naming the chain', async () => {
      t = await startLooper();
      const result = await t.process.run('go', { maxSpawnDepth: 2 });
      expect(result.stopReason).to.equal('end_turn');
      // The root, two nested children, each: a call that spawns, a call that answers.
      expect(t.server.requests).to.have.length(6);
      const [refusal, ...others] = refusals(t);
      expect(others).to.deep.equal([]);
      expect(refusal).to.include('spawns would nest 3 deep (Looper → Looper → Looper → Looper), past the run').and.to.include('maxSpawnDepth 2');
      expectValidRequests(t);
    });

    it('R23: [run] max_spawn_depth sets the depth of every run of the program; a run() option overrides it', async () => {
      t = await startLooper('[run]\nmax_spawn_depth = 1\n');
      expect(t.program.runDefaults).to.deep.equal({ maxSpawnDepth: 1 });
      await t.process.run('go');
      // The root and one child, each: a call that spawns, a call that answers.
      expect(t.server.requests).to.have.length(4);
      expect(refusals(t)).to.have.length(1);
      expect(refusals(t)[0]).to.include('spawns would nest 2 deep (Looper → Looper → Looper), past the run').and.to.include('maxSpawnDepth 1');
      await t.process.run('go', { maxSpawnDepth: 2 });
      expect(t.server.requests).to.have.length(10);
      expect(refusals(t)[1]).to.include('maxSpawnDepth 2');
      expectValidRequests(t);
    });

    it('R23: the default depth is 5', async () => {
      t = await startLooper();
      await t.process.run('go');
      expect(t.server.requests).to.have.length(12);
      expect(refusals(t)).to.have.length(1);
    });
  });
});

import { expect } from 'chai';
import sinon from 'sinon';
import { LLMProgram } from '../../../lib/program/llm-program.js';
import { errorReply, messageReply, textReply, toolUseReply, withoutCaching } from '../../../lib/testing/index.js';
import { createSpawnTool } from '../../../lib/tools/builtin/spawn.js';
import type { ToolContext, ToolResult } from '../../../lib/tools/tool.js';
import type { LLMProcess } from '../../../lib/process/llm-process.js';
import type { RunOptions } from '../../../lib/process/run-options.js';
import { RunAbortedError } from '../../../lib/errors.js';
import { setupTest, type TestSetup } from '../../support/setup.js';

describe('the spawn tool', () => {
  let t: TestSetup | undefined;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
    t = undefined;
  });

  const expert = new LLMProgram({ model: 'claude-expert', displayName: 'Expert', systemPrompt: 'You are the expert.' });
  /** A context without capabilities: what a call outside a process gets. */
  const bare = (): ToolContext => ({ signal: new AbortController().signal, toolUseId: 'toolu_spawn' });

  /** Runs the process on the replies queued by {@link enqueueSpawn}; resolves with the spawn call's result. */
  async function callSpawn(options?: RunOptions & { children?: LLMProcess[] }): Promise<ToolResult> {
    const { children, ...runOptions } = options ?? {};
    t!.server.respondWith(() => textReply('parent done'));
    const results: ToolResult[] = [];
    t!.process.on('tool:end', (event) => void (event.toolName === 'spawn' && !event.child && results.push(event.result)));
    const onChild = ({ process: child }: { process: LLMProcess }) => void children?.push(child);
    t!.process.on('child:start', onChild);
    try {
      await t!.process.run('Ask.', runOptions);
    } finally {
      t!.process.off('child:start', onChild);
    }
    return results.at(-1)!;
  }

  /** Queues the parent's spawn call, then `replies` (the child's). */
  const enqueueSpawn = (input: Record<string, unknown>, ...replies: Parameters<TestSetup['server']['enqueue']>) =>
    t!.server.enqueue(toolUseReply([{ name: 'spawn', input, id: 'toolu_spawn' }]), ...replies);

  it('lists the linked programs in its description, or says there are none', () => {
    const tool = createSpawnTool(new LLMProgram({ model: 'm', linkedPrograms: { expert, helper: expert } }));
    expect(tool).to.include({ name: 'spawn' });
    expect(tool.source).to.deep.equal({ kind: 'builtin' });
    expect(tool.description).to.match(/Linked programs: expert, helper\.$/);
    expect(JSON.stringify(tool.inputSchema)).to.include('one of expert, helper');
    expect(tool.inputSchema).to.deep.include({ required: ['program_name', 'query'] });
    expect(createSpawnTool(new LLMProgram({ model: 'm' })).description).to.match(/Linked programs: \(none\)\.$/);
  });

  it('takes a program name and a query, both strings', () => {
    expect(createSpawnTool(new LLMProgram({ model: 'm', linkedPrograms: { expert } })).inputSchema).to.deep.equal({
      type: 'object',
      properties: {
        program_name: { type: 'string', description: 'Which linked program to ask: one of expert.' },
        query: { type: 'string', description: 'The question or task for it.' },
      },
      required: ['program_name', 'query'],
    });
  });

  it("says so when the run's budget stopped the linked program, with its last answer when it gave one", async () => {
    t = await setupTest({ tools: ['spawn'], linkedPrograms: { expert } });
    const usage = { input_tokens: 900, output_tokens: 100 };
    enqueueSpawn({ program_name: 'expert', query: 'q' }, toolUseReply([{ name: 'nothing', input: {} }], { usage }));
    expect(await callSpawn({ maxTokens: 500 })).to.deep.equal({
      content: 'Error: the linked program "expert" stopped before it finished: the run\'s budget is spent.',
      isError: true,
    });
    enqueueSpawn({ program_name: 'expert', query: 'q' }, toolUseReply([{ name: 'nothing', input: {} }], { text: 'About half.', usage }));
    expect(await callSpawn({ maxTokens: 500 })).to.deep.equal({
      content: 'Error: the linked program "expert" stopped before it finished: the run\'s budget is spent. Its last answer: About half.',
      isError: true,
    });
  });

  it('turns refusals to spawn or run a child into is_error results with their own message; other failures to start one are thrown', async () => {
    const helper = new LLMProgram({ model: 'claude-helper', displayName: 'Helper' });
    const spawner = new LLMProgram({ model: 'claude-spawner', displayName: 'Spawner', tools: ['spawn'], linkedPrograms: { helper } });
    const unpriced = new LLMProgram({ model: 'claude-unpriced-expert', displayName: 'Unpriced' });
    const other = new LLMProgram({ model: 'gpt-test', provider: 'openai', displayName: 'Other' });
    t = await setupTest({ model: 'claude-haiku-4-5', tools: ['spawn'], linkedPrograms: { spawner, unpriced, other } });
    const childResults: ToolResult[] = [];
    t.process.on('tool:end', (event) => void (event.child && childResults.push(event.result)));
    // Refused at the spawn: too deep.
    enqueueSpawn({ program_name: 'spawner', query: 'q' }, toolUseReply([{ name: 'spawn', input: { program_name: 'helper', query: 'q' } }]), textReply('spawner done'));
    expect(await callSpawn({ maxSpawnDepth: 1 })).to.deep.equal({ content: 'spawner done', isError: false });
    expect(childResults).to.deep.equal([
      {
        content:
          'Error: "Helper" was not spawned: spawns would nest 2 deep (anthropic claude-haiku-4-5 → Spawner → Helper), past the run\'s maxSpawnDepth 1; ' +
          'linked programs may call each other in a cycle. Answer without spawning again.',
        isError: true,
      },
    ]);
    // Refused at the run: no price under a cost budget.
    enqueueSpawn({ program_name: 'unpriced', query: 'q' });
    expect((await callSpawn({ maxCostUsd: 1 })).content).to.match(/^Error: "Unpriced" was not started: its model "claude-unpriced-expert" has no known price/);
    // Not a refusal: the linked program cannot start (no key for its provider), which the tool throws.
    const key = process.env['OPENAI_API_KEY'];
    delete process.env['OPENAI_API_KEY'];
    try {
      enqueueSpawn({ program_name: 'other', query: 'q' });
      expect((await callSpawn()).content).to.match(/^Error in spawn: No OpenAI API key/);
    } finally {
      if (key !== undefined) process.env['OPENAI_API_KEY'] = key;
    }
  });

  it('refuses a call without a program name or a query, before starting anything', async () => {
    t = await setupTest({ tools: ['spawn'], linkedPrograms: { expert } });
    const tool = createSpawnTool(t.program);
    const refusal = { content: 'Error: spawn needs "program_name" (a string) and a non-empty "query".', isError: true };
    for (const input of [{}, { program_name: 'expert' }, { program_name: 'expert', query: '  ' }, { program_name: 3, query: 'q' }, { program_name: 'expert', query: 7 }]) {
      expect(await tool.run(input, bare()), JSON.stringify(input)).to.deep.equal(refusal);
    }
    expect(await tool.run({ program_name: 'expert', query: 'q' }, bare())).to.deep.equal({ content: 'Error: spawn can only run inside a process.', isError: true });
    enqueueSpawn({ program_name: 'oracle', query: 'q' });
    expect(await callSpawn()).to.deep.equal({
      content: 'Error: there is no linked program "oracle". Linked programs: expert.',
      isError: true,
    });
    enqueueSpawn({ program_name: 'constructor', query: 'q' });
    expect(await callSpawn()).to.include({ isError: true });
    expect(t.server.requests.map((request) => (request.body as { model: string }).model), 'no child started').to.deep.equal(Array(4).fill('claude-test'));
  });

  it("answers with the linked program's last message, on its own model and prompt", async () => {
    t = await setupTest({ tools: ['spawn'], linkedPrograms: { expert } });
    enqueueSpawn({ program_name: 'expert', query: 'What is the answer?' }, textReply('42, says the expert.'));
    expect(await callSpawn()).to.deep.equal({ content: '42, says the expert.', isError: false });
    expect(withoutCaching(t.server.requests[1]!.body)).to.deep.include({ model: 'claude-expert', system: 'You are the expert.' });
  });

  it('says so when the linked program answers without text', async () => {
    t = await setupTest({ tools: ['spawn'], linkedPrograms: { expert } });
    enqueueSpawn({ program_name: 'expert', query: 'q' }, messageReply({ content: [] }));
    expect(await callSpawn()).to.deep.equal({
      content: '(the linked program gave no text answer)',
      isError: false,
    });
  });

  it('turns a failed linked program into an is_error result naming it, and closes it either way', async () => {
    t = await setupTest({ tools: ['spawn'], linkedPrograms: { expert } });
    const started: LLMProcess[] = [];
    t.process.on('child:start', ({ process: child }) => {
      started.push(child);
      sinon.spy(child, 'close');
    });
    enqueueSpawn({ program_name: 'expert', query: 'q' }, errorReply(500, { message: 'expert unavailable' }));
    const result = await callSpawn();
    expect(result.isError).to.equal(true);
    expect(result.content).to.match(/^Error: the linked program "expert" failed: .*expert unavailable/);
    enqueueSpawn({ program_name: 'expert', query: 'q' }, textReply('fine'));
    await callSpawn();
    expect(started).to.have.length(2);
    for (const child of started) expect((child.close as sinon.SinonSpy).calledOnce).to.equal(true);
  });

  it("hands its signal to the linked program, and stops forwarding the child's events when it is done", async () => {
    t = await setupTest({ tools: ['spawn'], linkedPrograms: { expert } });
    const controller = new AbortController();
    const childEnds: unknown[] = [];
    const abortOnce = ({ process: child }: { process: LLMProcess }) => {
      child.on('run:end', ({ error }) => void childEnds.push(error));
      controller.abort();
    };
    t.process.once('child:start', abortOnce);
    enqueueSpawn({ program_name: 'expert', query: 'q' });
    const aborted = await callSpawn({ signal: controller.signal }).then(() => undefined, (error: unknown) => error);
    expect(aborted).to.be.instanceOf(RunAbortedError);
    expect(childEnds).to.have.length(1);
    expect(childEnds[0]).to.be.instanceOf(RunAbortedError);
    expect(t.server.requests, 'the child never called the model').to.have.length(1);

    const children: LLMProcess[] = [];
    enqueueSpawn({ program_name: 'expert', query: 'q' }, toolUseReply([{ name: 'nothing', input: {} }]), textReply('done'));
    await callSpawn({ children });
    expect(children).to.have.length(1);
    expect((['api:call', 'tool:start', 'tool:end'] as const).map((event) => children[0]!.listenerCount(event))).to.deep.equal([0, 0, 0]);
  });
});

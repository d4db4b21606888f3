import { expect } from 'chai';
import sinon from 'sinon';
import { LLMProgram } from '../../../lib/program/llm-program.js';
import { errorReply, messageReply, textReply, toolUseReply } from '../../../lib/testing/index.js';
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
    expect(t.server.requests[1]!.body).to.deep.include({ model: 'claude-expert', system: 'You are the expert.' });
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

import { expect } from 'chai';
import sinon from 'sinon';
import { LLMProgram } from '../../../lib/program/llm-program.js';
import { errorReply, messageReply, textReply, toolUseReply } from '../../../lib/testing/index.js';
import { createSpawnTool } from '../../../lib/tools/builtin/spawn.js';
import type { ToolContext } from '../../../lib/tools/tool.js';
import { setupTest, type TestSetup } from '../../support/setup.js';
import { withoutCaching } from '../../../lib/testing/without-caching.js';

describe('the spawn tool', () => {
  let t: TestSetup | undefined;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
    t = undefined;
  });

  const expert = new LLMProgram({ model: 'claude-expert', displayName: 'Expert', systemPrompt: 'You are the expert.' });
  const context = (process?: ToolContext['process'], signal = new AbortController().signal): ToolContext => ({ signal, toolUseId: 'toolu_spawn', process });

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
      expect(await tool.run(input, context(t.process)), JSON.stringify(input)).to.deep.equal(refusal);
    }
    expect(await tool.run({ program_name: 'expert', query: 'q' }, context())).to.deep.equal({ content: 'Error: spawn can only run inside a process.', isError: true });
    expect(await tool.run({ program_name: 'oracle', query: 'q' }, context(t.process))).to.deep.equal({
      content: 'Error: there is no linked program "oracle". Linked programs: expert.',
      isError: true,
    });
    expect(await tool.run({ program_name: 'constructor', query: 'q' }, context(t.process))).to.include({ isError: true });
    expect(t.server.requests).to.have.length(0);
  });

  it("answers with the linked program's last message, on its own model and prompt", async () => {
    t = await setupTest({ tools: ['spawn'], linkedPrograms: { expert } });
    t.server.enqueue(textReply('42, says the expert.'));
    const result = await createSpawnTool(t.program).run({ program_name: 'expert', query: 'What is the answer?' }, context(t.process));
    expect(result).to.deep.equal({ content: '42, says the expert.', isError: false });
    expect(withoutCaching(t.server.requests[0]!.body)).to.deep.include({ model: 'claude-expert', system: 'You are the expert.' });
  });

  it('says so when the linked program answers without text', async () => {
    t = await setupTest({ tools: ['spawn'], linkedPrograms: { expert } });
    t.server.enqueue(messageReply({ content: [] }));
    expect(await createSpawnTool(t.program).run({ program_name: 'expert', query: 'q' }, context(t.process))).to.deep.equal({
      content: '(the linked program gave no text answer)',
      isError: false,
    });
  });

  it('turns a failed linked program into an is_error result naming it, and closes it either way', async () => {
    t = await setupTest({ tools: ['spawn'], linkedPrograms: { expert } });
    const started: Array<{ close: () => Promise<void> }> = [];
    const startChild = t.process.startChild.bind(t.process);
    sinon.replace(t.process, 'startChild', async (program) => {
      const child = await startChild(program);
      started.push(child);
      sinon.spy(child, 'close');
      return child;
    });
    t.server.enqueue(errorReply(500, { message: 'expert unavailable' }));
    const result = await createSpawnTool(t.program).run({ program_name: 'expert', query: 'q' }, context(t.process));
    expect(result.isError).to.equal(true);
    expect(result.content).to.match(/^Error: the linked program "expert" failed: .*expert unavailable/);
    t.server.enqueue(textReply('fine'));
    await createSpawnTool(t.program).run({ program_name: 'expert', query: 'q' }, context(t.process));
    expect(started).to.have.length(2);
    for (const child of started) expect((child.close as sinon.SinonSpy).calledOnce).to.equal(true);
  });

  it("hands its signal to the linked program, and stops forwarding the child's events when it is done", async () => {
    t = await setupTest({ tools: ['spawn'], linkedPrograms: { expert } });
    const aborted = await createSpawnTool(t.program).run({ program_name: 'expert', query: 'q' }, context(t.process, AbortSignal.abort()));
    expect(aborted).to.deep.equal({ content: 'Error: the linked program "expert" failed: The run was aborted by its signal.', isError: true });
    expect(t.server.requests).to.have.length(0);

    const children: Array<{ listenerCount(event: string): number }> = [];
    const startChild = t.process.startChild.bind(t.process);
    sinon.replace(t.process, 'startChild', async (program) => {
      const child = await startChild(program);
      children.push(child);
      return child;
    });
    t.server.enqueue(toolUseReply([{ name: 'nothing', input: {} }]), textReply('done'));
    await createSpawnTool(t.program).run({ program_name: 'expert', query: 'q' }, context(t.process));
    expect(['api:call', 'tool:start', 'tool:end'].map((event) => children[0]!.listenerCount(event))).to.deep.equal([0, 0, 0]);
  });
});

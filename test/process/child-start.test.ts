import { expect } from 'chai';
import sinon from 'sinon';
import type { ChildStartEvent } from '../../lib/process/events.js';
import { LLMProcess } from '../../lib/process/llm-process.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { textReply, toolUseReply } from '../../lib/testing/index.js';
import { setupTest, type TestSetup } from '../support/setup.js';

type Body = { model: string; messages: Array<{ role: string; content: Array<{ type: string; text?: string }> }> };

describe('child:start', () => {
  let t: TestSetup;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
  });

  it('fires when spawn adopts a child, with the child process, who it is and the spawn call, before the child runs', async () => {
    const expert = new LLMProgram({ model: 'claude-expert', displayName: 'Expert' });
    t = await setupTest({ tools: ['spawn'], linkedPrograms: { expert } });
    t.server.enqueue(
      toolUseReply([{ name: 'spawn', input: { program_name: 'expert', query: 'q' }, id: 'toolu_spawn' }]),
      textReply('child answer'),
      textReply('done'),
    );
    const childRunStart = sinon.spy();
    const childStart = sinon.spy((event: ChildStartEvent) => void event.process.on('run:start', childRunStart));
    const toolEnd = sinon.spy();
    t.process.on('child:start', childStart);
    t.process.on('tool:end', toolEnd);
    await t.process.run('ask');

    expect(childStart.callCount).to.equal(1);
    const event = childStart.firstCall.args[0];
    expect(event.process).to.be.instanceOf(LLMProcess);
    expect(event.process).to.not.equal(t.process);
    expect(event).to.deep.include({ toolUseId: 'toolu_spawn', origin: { program: 'Expert', processId: event.process.id, via: 'spawn' } });
    expect(event.child).to.equal(undefined);
    expect(childRunStart.callCount, 'subscribed in time for the child run').to.equal(1);
    expect(childRunStart.firstCall.args[0].input).to.equal('q');
    expect(childStart.calledBefore(toolEnd)).to.equal(true);
    expect(JSON.parse(JSON.stringify(event)).process, 'a payload with a process still serializes').to.deep.equal({
      id: event.process.id,
      program: 'Expert',
      model: 'claude-expert',
    });
  });

  it('fires once per fork, each naming the fork call', async () => {
    t = await setupTest({ tools: ['fork'] });
    t.server.enqueue(toolUseReply([{ name: 'fork', input: { prompts: ['a', 'b'] }, id: 'toolu_fork' }]));
    t.server.respondWith((request) => {
      const said = JSON.stringify((request.body as Body).messages.at(-1));
      return textReply(said.includes('tool_result') && !said.includes('You are fork') ? 'all done' : 'fork done');
    });
    const childStart = sinon.spy();
    t.process.on('child:start', childStart);
    await t.process.run('fork it');
    expect(childStart.callCount).to.equal(2);
    const events = childStart.getCalls().map((call) => call.args[0] as ChildStartEvent);
    expect(events.map((e) => e.toolUseId)).to.deep.equal(['toolu_fork', 'toolu_fork']);
    expect(events.map((e) => e.origin.via)).to.deep.equal(['fork', 'fork']);
    expect(new Set(events.map((e) => e.origin.processId)).size).to.equal(2);
  });

  it('reaches the grandparent from a grandchild, tagged with the child that started it', async () => {
    const leaf = new LLMProgram({ model: 'claude-leaf', displayName: 'Leaf' });
    const middle = new LLMProgram({ model: 'claude-middle', displayName: 'Middle', tools: ['spawn'], linkedPrograms: { leaf } });
    t = await setupTest({ tools: ['spawn'], linkedPrograms: { middle } });
    t.server.respondWith((request) => {
      const body = request.body as Body;
      const last = JSON.stringify(body.messages.at(-1));
      if (body.model === 'claude-leaf') return textReply('leaf answer');
      if (last.includes('tool_result')) return textReply(`${body.model} done`);
      if (body.model === 'claude-middle') return toolUseReply([{ name: 'spawn', input: { program_name: 'leaf', query: 'deep' }, id: 'toolu_middle' }]);
      return toolUseReply([{ name: 'spawn', input: { program_name: 'middle', query: 'go on' }, id: 'toolu_top' }]);
    });
    const childStart = sinon.spy();
    t.process.on('child:start', childStart);
    await t.process.run('go');
    expect(childStart.callCount).to.equal(2);
    const [first, second] = childStart.getCalls().map((call) => call.args[0] as ChildStartEvent);
    expect(first).to.deep.include({ toolUseId: 'toolu_top' });
    expect(first!.child).to.equal(undefined);
    expect(first!.origin.program).to.equal('Middle');
    expect(second).to.deep.include({ toolUseId: 'toolu_middle', child: first!.origin });
    expect(second!.origin.program).to.equal('Leaf');
  });
});

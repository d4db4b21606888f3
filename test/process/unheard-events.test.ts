import { expect } from 'chai';
import sinon from 'sinon';
import { textReply, toolUseReply } from '../../lib/testing/index.js';
import { pauseEventWatch } from '../support/sentinel-watch.js';
import { setupTest, type TestSetup } from '../support/setup.js';
import { echoTool } from '../support/tools.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The names of the events a process emitted, in order. */
function emitted(emit: sinon.SinonSpy): string[] {
  return emit.args.map(([event]) => String(event));
}

describe('events nobody hears', () => {
  let t: TestSetup;
  let resumeWatch: () => void;
  beforeEach(() => {
    // The secret watch observes every event of every process, so every event is heard: it is paused
    // for these tests, where nothing may observe (stdout, stderr and warnings are still watched).
    resumeWatch = pauseEventWatch();
  });
  afterEach(async () => {
    resumeWatch();
    sinon.restore();
    await t?.close();
  });

  it('are not built nor emitted (run:start, api:start, tool:start, response, run:end); those a RunResult records still are', async () => {
    t = await setupTest({ tools: [echoTool('alpha')] });
    t.server.enqueue(toolUseReply([{ name: 'alpha', input: { value: 'x' } }], { text: 'Calling.' }), textReply('Done.'));
    const emit = sinon.spy(t.process, 'emit');
    const result = await t.process.run('go');
    expect(emitted(emit)).to.deep.equal(['api:call', 'tool:end', 'api:call']);
    expect(result.apiCalls).to.equal(2);
    expect(result.toolCalls.map((call) => call.toolName)).to.deep.equal(['alpha']);
    expect(result.lastMessage).to.equal('Done.');
  });

  it('are emitted as soon as someone listens, with one run id from run:start to run:end', async () => {
    t = await setupTest();
    t.server.enqueue(textReply('Hello.'));
    const seen = { start: sinon.spy(), apiStart: sinon.spy(), response: sinon.spy(), end: sinon.spy() };
    t.process.on('run:start', seen.start).on('api:start', seen.apiStart).on('response', seen.response).on('run:end', seen.end);
    await t.process.run('hi');
    expect(seen.start.firstCall.args[0]).to.include({ input: 'hi' });
    expect(seen.apiStart.firstCall.args[0]).to.deep.equal({ model: 'claude-test', iteration: 1 });
    expect(seen.response.firstCall.args[0]).to.deep.equal({ content: 'Hello.' });
    const runId = seen.start.firstCall.args[0].runId as string;
    expect(runId).to.match(UUID);
    expect(seen.end.firstCall.args[0].runId).to.equal(runId);
  });

  it('a run:end listener added during the run gets a run id, a new one for each run', async () => {
    t = await setupTest({ tools: [echoTool('alpha')] });
    const ends: string[] = [];
    const onEnd = (event: { runId: string }) => void ends.push(event.runId);
    t.process.once('tool:start', () => void t.process.on('run:end', onEnd));
    t.server.enqueue(toolUseReply([{ name: 'alpha', input: { value: 'x' } }]), textReply('one'), textReply('two'));
    await t.process.run('first');
    await t.process.run('second');
    expect(ends).to.have.length(2);
    expect(ends[0]).to.match(UUID);
    expect(ends[1]).to.match(UUID).and.not.equal(ends[0]);
  });
});

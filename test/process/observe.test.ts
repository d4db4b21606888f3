import { expect } from 'chai';
import sinon from 'sinon';
import { observeProcessEvents, type ObservedEvent } from '../../lib/testing/index.js';
import { textReply, toolUseReply } from '../../lib/testing/index.js';
import { setupTest, type TestSetup } from '../support/setup.js';
import { echoTool } from '../support/tools.js';

describe('observeProcessEvents', () => {
  let t: TestSetup | undefined;
  const stops: Array<() => void> = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) stop();
    sinon.restore();
    await t?.close();
    t = undefined;
  });

  function observe(): ObservedEvent[] {
    const seen: ObservedEvent[] = [];
    stops.push(observeProcessEvents((observed) => void seen.push(observed)));
    return seen;
  }

  it('sees every event of a run, heard or not, with its process and payload, before the listeners', async () => {
    t = await setupTest({ tools: [echoTool('alpha')] });
    const seen = observe();
    const order: string[] = [];
    stops.push(observeProcessEvents(({ event }) => void order.push(`observed ${event}`)));
    t.process.on('response', () => void order.push('listener response'));
    t.server.enqueue(toolUseReply([{ name: 'alpha', input: { value: 'a' }, id: 'toolu_a' }]), textReply('done'));
    const result = await t.process.run('go');
    expect(seen.map((e) => e.event)).to.deep.equal([
      'run:start', 'api:start', 'api:call', 'tool:start', 'tool:end', 'api:start', 'api:call', 'response', 'run:end',
    ]);
    expect(seen.every((e) => e.process === t!.process)).to.equal(true);
    expect(seen[0]!.payload).to.deep.include({ input: 'go' });
    expect(seen.at(-1)!.payload).to.deep.include({ runResult: result, error: undefined });
    expect(order.slice(-3)).to.deep.equal(['observed response', 'listener response', 'observed run:end']);
  });

  it('is no listener: listenerCount stays, and a failing listener is still reported as a warning when nobody listens to callback:error', async () => {
    t = await setupTest();
    observe();
    expect(t.process.listenerCount('callback:error')).to.equal(0);
    const warning = sinon.stub(process, 'emitWarning');
    t.process.on('response', function failing() {
      throw new Error('listener broke');
    });
    t.server.enqueue(textReply('hi'));
    await t.process.run('go');
    expect(warning.calledOnce).to.equal(true);
    expect(String(warning.firstCall.args[0])).to.equal('failing (listener of "response") failed: Error: listener broke');
  });

  it("sees the events of a fork or a child too, from their own process", async () => {
    t = await setupTest();
    const seen = observe();
    const child = t.process.fork();
    t.server.enqueue(textReply('child answer'));
    await child.run('hello');
    expect(seen.length).to.be.greaterThan(0);
    expect(seen.every((e) => e.process === child)).to.equal(true);
  });

  it('stops when the function it returns is called, and several observers each see every event', async () => {
    t = await setupTest();
    const first: string[] = [];
    const second: string[] = [];
    const stopFirst = observeProcessEvents(({ event }) => void first.push(event));
    stops.push(observeProcessEvents(({ event }) => void second.push(event)));
    t.server.enqueue(textReply('one'), textReply('two'));
    await t.process.run('one');
    stopFirst();
    await t.process.run('two');
    expect(first).to.have.length(5);
    expect(second).to.have.length(10);
  });

  it('reports an observer that throws as a process warning, and the run and the other observers go on', async () => {
    t = await setupTest();
    const warning = sinon.stub(process, 'emitWarning');
    stops.push(
      observeProcessEvents(function brokenObserver({ event }) {
        if (event === 'run:start') throw new Error('observer broke');
      }),
    );
    const seen = observe();
    t.server.enqueue(textReply('hi'));
    const result = await t.process.run('go');
    expect(result.lastMessage).to.equal('hi');
    expect(seen.map((e) => e.event)).to.include('run:end');
    expect(warning.getCalls().map((call) => String(call.args[0]))).to.deep.equal([
      'event observer brokenObserver (listener of "run:start") failed: Error: observer broke',
    ]);
    expect(warning.firstCall.args[1]).to.deep.equal({ type: 'LLMProcListenerWarning' });
  });

  it('names an anonymous observer that throws as such', async () => {
    t = await setupTest();
    const warning = sinon.stub(process, 'emitWarning');
    const observers = [
      ({ event }: ObservedEvent) => {
        if (event === 'run:start') throw new Error('observer broke');
      },
    ];
    stops.push(observeProcessEvents(observers[0]!));
    t.server.enqueue(textReply('hi'));
    await t.process.run('go');
    expect(warning.getCalls().map((call) => String(call.args[0]))).to.deep.equal(['event observer (anonymous) (listener of "run:start") failed: Error: observer broke']);
  });
});

import { expect } from 'chai';
import sinon from 'sinon';
import { ApiCallError } from '../../lib/errors.js';
import { streamDrop, streamError, textReply, toolUseReply } from '../../lib/testing/index.js';
import { expectValidRequests, setupTest, type TestSetup } from '../support/setup.js';
import { echoTool } from '../support/tools.js';

describe('LLMProcess streaming', () => {
  let t: TestSetup;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
  });

  it('emits text deltas whose concatenation is the final message, and records time to first token', async () => {
    t = await setupTest();
    t.server.enqueue(textReply('Streaming is a fine way to watch a long answer arrive.'));
    const text = sinon.spy();
    const onText = sinon.spy();
    t.process.on('text', text);
    const result = await t.process.run('stream please', { stream: true, callbacks: { on_text: onText } });
    const deltas = text.getCalls().map((call) => (call.args[0] as { delta: string }).delta);
    expect(deltas.length).to.be.greaterThan(1);
    expect(deltas.join('')).to.equal(t.process.getLastMessage());
    expect(text.lastCall.args[0].snapshot).to.equal('Streaming is a fine way to watch a long answer arrive.');
    expect(onText.callCount).to.equal(text.callCount);
    expect(onText.firstCall.args[0]).to.equal(deltas[0]);
    expect((t.server.requests[0]!.body as { stream?: boolean }).stream).to.equal(true);
    expect(result.apiCallInfos[0]!.timeToFirstTokenMs).to.be.a('number').and.at.least(0);
    expect(result).to.include({ apiCalls: 1, stopReason: 'end_turn' });
  });

  it('runs tools from a streamed response exactly as without streaming', async () => {
    t = await setupTest({ tools: [echoTool('alpha')] });
    t.server.enqueue(toolUseReply([{ name: 'alpha', input: { value: 'streamed' } }], { text: 'Calling.' }), textReply('Done.'));
    const toolEnd = sinon.spy();
    t.process.on('tool:end', toolEnd);
    const result = await t.process.run('go', { stream: true });
    expect(toolEnd.firstCall.args[0]).to.deep.include({ toolName: 'alpha', args: { value: 'streamed' }, isError: false });
    expect(result).to.include({ apiCalls: 2, stopReason: 'end_turn' });
    expectValidRequests(t);
  });

  for (const [name, fault] of [
    ['an SSE error event', streamError(textReply('Half of an answer that will never finish'), { afterEvents: 4, type: 'overloaded_error' })],
    ['a dropped connection', streamDrop(textReply('Half of an answer that will never finish'), { afterEvents: 4 })],
  ] as const) {
    it(`after ${name} midway leaves no partial assistant turn (R3)`, async () => {
      t = await setupTest();
      t.server.enqueue(fault, textReply('Recovered.'));
      const text = sinon.spy();
      t.process.on('text', text);
      const error = await t.process.run('first', { stream: true }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ApiCallError);
      expect(text.called, 'some text had streamed before the fault').to.equal(true);
      expect(t.process.getState()).to.deep.equal([{ role: 'user', content: [{ type: 'text', text: 'first' }] }]);
      await t.process.run('second', { stream: true });
      expect(t.process.getLastMessage()).to.equal('Recovered.');
      expectValidRequests(t);
    });
  }

  it('a program-level default turns streaming on', async () => {
    t = await setupTest({ run: { stream: true } });
    t.server.enqueue(textReply('by default'));
    await t.process.run('hi');
    expect((t.server.requests[0]!.body as { stream?: boolean }).stream).to.equal(true);
  });
});
